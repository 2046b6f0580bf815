import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { createPerson, giveRole } from '../../core/people.ts';
import { listBanks } from '../time-bank/ledger.ts';
import { addMember, createHousehold } from './households.ts';
import { addPlace, listLevels, listModules } from './lists.ts';
import type { FreeTime } from './peers.ts';
import { setTimeCreditBank } from './time-credits.ts';
import type { Stage } from './words.ts';

/**
 * A fictional "Parents Supporting Parents"-style scheme: about thirty trained peers at Riverside and a
 * smaller Welsh-speaking one at Cwm Teg, two years of link-ups, over a thousand hours of support, and
 * some peers who have recorded moving into paid work. Figures resemble the case study in REFERENCE.md.
 */

const riversidePlaces: [string, number, number][] = [
  ['RV1', 51.4816, -3.1791],
  ['RV2', 51.4952, -3.1684],
  ['RV3', 51.5101, -3.2012],
  ['RV4', 51.4687, -3.2204],
  ['RV5', 51.5233, -3.1475],
  ['Millbrook', 51.5034, -3.2391],
];
const cwmTegPlaces: [string, number, number][] = [
  ['Cwm Teg', 51.7421, -3.3781],
  ['Pentre', 51.7588, -3.3912],
  ['Y Waun', 51.7305, -3.3524],
];

const peerNames = {
  en: [
    'Abi',
    'Bola',
    'Carys',
    'Danielle',
    'Esther',
    'Fatima',
    'Gemma',
    'Hana',
    'Ife',
    'Jade',
    'Kerry',
    'Leanne',
    'Maya',
    'Nadia',
    'Orla',
    'Precious',
    'Rachel',
    'Shabana',
    'Tanya',
    'Vicky',
    'Wendy',
    'Yasmin',
    'Zara',
    'Ben',
    'Craig',
    'Darren',
    'Kwame',
    'Lee',
  ],
  cy: ['Angharad', 'Betsan', 'Catrin', 'Delyth', 'Elen', 'Gwenllian', 'Heledd', 'Iwan'],
};
const seekerNames = {
  en: [
    'Amy',
    'Bushra',
    'Chantelle',
    'Demi',
    'Ella',
    'Farah',
    'Gabby',
    'Holly',
    'Iqra',
    'Jess',
    'Kayleigh',
    'Lauren',
    'Megan',
    'Nicole',
    'Olivia',
    'Paige',
    'Ruth',
    'Sadia',
    'Toni',
    'Vanessa',
    'Whitney',
    'Yusra',
    'Zoe',
    'Aaron',
    'Callum',
    'Dean',
    'Ellis',
    'Jamal',
    'Kieran',
    'Liam',
    'Naomi',
    'Poppy',
    'Rhea',
    'Sian',
    'Tia',
    'Una',
    'Alfie',
    'Brooke',
    'Cerys',
    'Dionne',
    'Erin',
    'Freya',
    'Georgia',
    'Hollie',
    'Imogen',
    'Jodie',
    'Katie',
    'Lois',
    'Mia',
    'Nia B',
    'Ocean',
    'Phoebe',
    'Rosie',
    'Saffron',
    'Tilly',
    'Violet',
    'Willow',
    'Ayesha',
  ],
  cy: [
    'Awen',
    'Branwen',
    'Ceri',
    'Dwynwen',
    'Eleri',
    'Ffion',
    'Glesni',
    'Hawys',
    'Lowri',
    'Mared',
    'Nest',
    'Sioned',
  ],
};

const peerWords = {
  en: [
    'Our son was in the neonatal unit for six weeks. I know how long those nights are.',
    'I brought up two children on my own and learned where to find help in this town.',
    'After my daughter was born I had postnatal depression. Talking to another mum helped me most.',
    'We moved here knowing nobody. I like helping people find their feet.',
    'I have twins and remember the first year well. Happy to help with the practical side.',
    'Money was very tight for us for a long time. I can help with forms and finding support.',
  ],
  cy: [
    'Roedd ein merch yn yr uned newyddenedigol am fis. Rwy’n gwybod pa mor hir yw’r nosweithiau.',
    'Magais i dri o blant ar fy mhen fy hun. Rwy’n hapus i helpu gyda’r pethau ymarferol.',
    'Symudon ni i’r cwm heb nabod neb. Rwy’n hoffi helpu pobl i setlo.',
  ],
};
const tagSets = [
  ['neonatal'],
  ['single-parent', 'money-worries'],
  ['postnatal-depression'],
  ['new-to-the-area'],
  ['twins'],
  ['money-worries'],
  ['additional-needs'],
  ['bereavement', 'single-parent'],
];
const didWords = {
  en: [
    'Coffee at the children’s centre and a chat about sleep.',
    'Walked to the park with the buggies.',
    'Helped fill in the nursery funding form.',
    'Went together to the baby group for the first time.',
    'Talked through the hospital appointment letter.',
    'Phone call: a hard week, mostly listening.',
  ],
  cy: [
    'Paned yn y ganolfan a sgwrs am gwsg.',
    'Cerdded i’r parc gyda’r pramiau.',
    'Mynd gyda’n gilydd i’r grŵp babanod am y tro cyntaf.',
    'Galwad ffôn: wythnos anodd, gwrando gan fwyaf.',
  ],
};
const requestWords = {
  en: [
    'I would like someone to talk to who has been through a baby in special care.',
    'New to the area with a toddler and a baby, and feeling lonely.',
    'Finding it hard since the birth. I would like to get out of the house more.',
    'I need help to sort out money and forms, and someone to go to groups with.',
  ],
  cy: [
    'Hoffwn i siarad â rhywun sydd wedi bod trwy hyn.',
    'Newydd symud i’r cwm gyda babi ac yn teimlo’n unig.',
    'Mae pethau’n anodd ers y geni. Hoffwn i fynd allan mwy.',
  ],
};

/** A small repeatable random sequence, so the demo is the same every time. */
function sequence(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const dayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const dayMs = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export async function seedPeerSupport(scope: Scope, organisation: DemoOrganisation) {
  // Only the two community demo organisations have demo records here (not the ward's, say).
  if (!organisation.people.peer && !organisation.people.owain) return;
  const welsh = organisation.people.owain !== undefined && organisation.people.peer === undefined;
  const [existing] = await rowsOf<{ n: number }>(
    scope.tx.execute(
      sql`select count(*)::int as n from peer_profile where organisation_id = ${scope.organisationId}`,
    ),
  );
  if (existing!.n > 0) return;
  const random = sequence(welsh ? 7 : 3);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const language = welsh ? 'cy' : 'en';
  const places = welsh ? cwmTegPlaces : riversidePlaces;
  for (const [name, lat, lon] of places) await addPlace(scope, { name, lat, lon });
  const levels = await listLevels(scope);
  const modules = await listModules(scope);
  const now = Date.now();
  const coach = organisation.people.coach ?? null;

  // Peers: the demo's own peer (Tomasz or Owain) and Dev first, then the rest of the scheme.
  const named = welsh
    ? [organisation.people.owain!]
    : [organisation.people.peer!, organisation.people.dev!, organisation.people.marcus!];
  const peers: { profileId: string; personId: string; levelRank: number; capacity: number }[] = [];
  const total = welsh ? peerNames.cy.length + 1 : peerNames.en.length + 3;
  for (let i = 0; i < total; i++) {
    const personId =
      named[i] ??
      (await createPerson(scope, { calledName: peerNames[language][i - named.length]!, roles: ['peer'] }));
    await giveRole(scope, personId, 'peer');
    // The demo peer (Tomasz) is a Buddy who is nearly through the Mentor training, and the only one who
    // speaks Polish, so a partner's introduction asking for Polish is always his to take.
    const isDemoPeer = i === 0;
    const levelRank = isDemoPeer ? 2 : i % 7 === 6 ? 0 : 1 + (i % 3);
    const capacity = 1 + (i % 3);
    const languages = welsh
      ? ['cy', 'en']
      : isDemoPeer
        ? ['en', 'pl']
        : i % 5 === 0
          ? ['en', pick(['ur', 'ar', 'bn', 'so'])]
          : ['en'];
    const from = pick([9, 10, 13, 17]);
    const availability: FreeTime[] = [
      { day: pick(dayKeys), from, to: from + 3 },
      { day: dayKeys[(i + 2) % dayKeys.length]!, from: 9, to: 12 },
    ].filter((time, index, all) => index === 0 || time.day !== all[0]!.day);
    const [row] = await rowsOf<{ id: string }>(
      scope.tx.execute(sql`insert into peer_profile (organisation_id, person_id, words, tags, languages, area,
          availability, capacity, supports, level_key, created_at)
        values (${scope.organisationId}, ${personId}, ${isDemoPeer ? peerWords[language][0] : pick(peerWords[language])}, ${JSON.stringify(tagSets[i % tagSets.length])}::jsonb,
          ${JSON.stringify(languages)}::jsonb, ${places[i % places.length]![0]}, ${JSON.stringify(availability)}::jsonb,
          ${capacity}, ${JSON.stringify(levelRank >= 2 ? ['first-meeting', 'practical', 'emotional'] : ['first-meeting', 'practical'])}::jsonb,
          ${levelRank ? levels[levelRank - 1]!.key : null}, ${new Date(now - (730 - i * 9) * dayMs).toISOString()})
        returning id`),
    );
    peers.push({ profileId: row!.id, personId, levelRank, capacity });
    // Training: everything each reached level needs, complete; Tomasz has two of three mentoring sessions.
    const needed = new Set(levels.slice(0, levelRank).flatMap((level) => level.needsTraining));
    for (const [index, module] of modules.entries()) {
      const done = needed.has(module.key);
      const partial = isDemoPeer && module.key === 'mentoring';
      if (!done && !partial) continue;
      const at = new Date(now - (700 - i * 9 - index * 20) * dayMs).toISOString();
      await scope.tx.execute(sql`insert into peer_training (organisation_id, profile_id, module_key, sessions_attended,
          completed_at, recorded_by, updated_at)
        values (${scope.organisationId}, ${row!.id}, ${module.key}, ${partial ? module.sessionsNeeded - 1 : module.sessionsNeeded},
          ${done ? at : null}, ${coach}, ${at})`);
    }
    for (let rank = 1; rank <= levelRank; rank++)
      await scope.tx.execute(sql`insert into peer_level_change (organisation_id, profile_id, level_key, confirmed_by, confirmed_at)
        values (${scope.organisationId}, ${row!.id}, ${levels[rank - 1]!.key}, ${coach},
          ${new Date(now - (640 - i * 9 - rank * 60) * dayMs).toISOString()})`);
  }

  // Journeys, in the peers' own words; some have recorded moving into paid work.
  const intoWork = welsh ? 3 : 10;
  for (const [i, peer] of peers.entries()) {
    if (i === 0 || i > intoWork + 4) continue;
    const reached = i <= intoWork;
    await scope.tx.execute(sql`insert into peer_journey_step (organisation_id, profile_id, kind, words, reached_on, created_at)
      values (${scope.organisationId}, ${peer.profileId}, ${reached || i % 2 ? 'work' : 'study'},
        ${welsh ? 'Swydd fel cynorthwyydd cymorth i deuluoedd' : pick(['A job as a family support worker', 'Part-time work at the nursery', 'A college course in childcare', 'Work as a teaching assistant'])},
        ${reached ? isoDay(new Date(now - (200 - i * 12) * dayMs)) : null}, ${new Date(now - 400 * dayMs).toISOString()})`);
  }
  await scope.tx.execute(sql`insert into peer_reference (organisation_id, profile_id, from_name, words, in_cv)
    values (${scope.organisationId}, ${peers[0]!.profileId}, ${welsh ? 'Dafydd, hyfforddwr teuluoedd' : 'Amara, family coach'},
      ${welsh ? 'Mae Owain yn gwrando’n astud ac yn ddibynadwy bob tro.' : 'Tomasz listens well, turns up when he says he will and puts families at ease.'}, true)`);

  // Seekers, their requests and link-ups over two years; a few still waiting for matching to suggest.
  const seekers = seekerNames[language];
  const sessionRows: ReturnType<typeof sql>[] = [];
  const changeRows: ReturnType<typeof sql>[] = [];
  const room = new Map(peers.map((peer) => [peer.profileId, peer.capacity]));
  const trained = peers.filter((peer) => peer.levelRank > 0);
  const waitingCount = welsh ? 2 : 4;
  for (const [i, calledName] of seekers.entries()) {
    const personId = await createPerson(scope, { calledName, roles: ['person'] });
    let householdId: string | null = null;
    if (i % 3 === 0) {
      householdId = await createHousehold(scope, welsh ? `Teulu ${calledName}` : `${calledName}’s family`);
      await addMember(scope, householdId, { personId, isChild: false });
      await addMember(scope, householdId, {
        calledName: pick(welsh ? ['Guto', 'Mali', 'Osian'] : ['Alfie', 'Isla', 'Noah', 'Ruby']),
        isChild: true,
      });
    }
    const startDay = Math.floor(700 - (i * 690) / seekers.length);
    const waiting = i >= seekers.length - waitingCount;
    const created = new Date(now - (waiting ? 5 + (i % 20) : startDay) * dayMs);
    const [request] = await rowsOf<{ id: string }>(
      scope.tx.execute(sql`insert into peer_request (organisation_id, person_id, household_id, words, tags, language,
          language_must, area, slots, support_wanted, status, introduced_by, consent_wording, seen_by_team_at, created_at)
        values (${scope.organisationId}, ${personId}, ${householdId}, ${pick(requestWords[language])},
          ${JSON.stringify(tagSets[i % tagSets.length])}::jsonb, ${welsh ? 'cy' : null}, ${welsh}, ${places[(i + 1) % places.length]![0]},
          ${JSON.stringify([`${dayKeys[i % dayKeys.length]}-morning`])}::jsonb, ${pick(['first-meeting', 'practical', 'emotional'])},
          ${waiting ? 'waiting' : 'linked'}, ${i % 4 === 1 ? (organisation.people.partner ?? organisation.people.lead ?? null) : null},
          ${i % 4 === 1 ? 'They agreed to be introduced to peer support and to be contacted.' : null},
          ${waiting ? null : created.toISOString()}, ${created.toISOString()})
        returning id`),
    );
    if (waiting) continue;
    // Older link-ups have ended (most with a celebration); recent ones are active, reviewed or paused.
    const peer =
      trained.find((p, k) => k % trained.length === i % trained.length && (room.get(p.profileId) ?? 0) > 0) ??
      trained.find((p) => (room.get(p.profileId) ?? 0) > 0) ??
      trained[i % trained.length]!;
    const age = startDay;
    const stage: Stage =
      age > 260
        ? 'ended'
        : i % 9 === 4
          ? 'paused'
          : age > 110
            ? 'reviewed'
            : i === seekers.length - waitingCount - 1
              ? 'suggested'
              : 'active';
    if (stage !== 'ended') room.set(peer.profileId, (room.get(peer.profileId) ?? 1) - 1);
    const introducedAt = new Date(created.getTime() + (3 + (i % 12)) * dayMs);
    const weeks = stage === 'ended' ? 10 + (i % 20) : Math.max(1, Math.floor((age - 10) / 7));
    const endedAt = new Date(introducedAt.getTime() + weeks * 7 * dayMs);
    const [linkUp] = await rowsOf<{ id: string }>(
      scope.tx.execute(sql`insert into peer_link_up (organisation_id, request_id, profile_id, stage, score, reasons, supports,
          agreed_words, meeting, peer_agreed_at, seeker_agreed_at, next_review_on, ended_kind, ended_words, accepted_by,
          created_at, active_at, ended_at)
        values (${scope.organisationId}, ${request!.id}, ${peer.profileId}, ${stage}, ${60 + (i % 30)},
          ${JSON.stringify([{ kind: 'experience', tags: tagSets[i % tagSets.length] }])}::jsonb,
          ${JSON.stringify(['first-meeting', 'emotional'])}::jsonb,
          ${welsh ? 'Cwrdd am baned a chael sgwrs.' : 'Meet for a coffee and get out of the house together.'},
          ${welsh ? 'Bore dydd Mawrth yn y ganolfan' : 'Tuesday mornings at the children’s centre'},
          ${stage === 'suggested' ? null : introducedAt.toISOString()}, ${stage === 'suggested' ? null : introducedAt.toISOString()},
          ${stage === 'ended' || stage === 'suggested' ? null : isoDay(new Date(now + (10 + (i % 40)) * dayMs))},
          ${stage === 'ended' ? (i % 5 === 0 ? 'reason' : 'celebration') : null},
          ${stage === 'ended' ? (i % 5 === 0 ? (welsh ? 'Symudodd y teulu i ffwrdd.' : 'The family moved away.') : welsh ? 'Mae hi’n mynd i’r grŵp ar ei phen ei hun nawr.' : 'She goes to the group on her own now and has made friends there.') : null},
          ${coach}, ${created.toISOString()}, ${stage === 'suggested' ? null : introducedAt.toISOString()},
          ${stage === 'ended' ? endedAt.toISOString() : null})
        returning id`),
    );
    changeRows.push(
      sql`(${scope.organisationId}, ${linkUp!.id}, 'suggested', '', ${coach}, ${created.toISOString()})`,
    );
    if (stage === 'suggested') continue;
    changeRows.push(
      sql`(${scope.organisationId}, ${linkUp!.id}, 'introduced', '', ${coach}, ${introducedAt.toISOString()})`,
    );
    changeRows.push(
      sql`(${scope.organisationId}, ${linkUp!.id}, 'active', '', ${coach}, ${new Date(introducedAt.getTime() + 7 * dayMs).toISOString()})`,
    );
    if (stage !== 'active')
      changeRows.push(
        sql`(${scope.organisationId}, ${linkUp!.id}, ${stage}, '', ${coach}, ${(stage === 'ended' ? endedAt : new Date(now - 3 * dayMs)).toISOString()})`,
      );
    const sessionCount = Math.min(weeks, stage === 'ended' ? 14 : weeks);
    for (let s = 0; s < sessionCount; s++) {
      const on = new Date(introducedAt.getTime() + (7 + s * 7) * dayMs);
      if (on.getTime() > now - dayMs) break;
      sessionRows.push(
        sql`(${scope.organisationId}, ${linkUp!.id}, ${isoDay(on)}, ${pick([60, 90, 90, 120, 120, 150])},
          ${pick(didWords[language])}, ${s % 3 === 0 ? (welsh ? 'Da' : 'Good, lighter afterwards') : ''}, ${s % 2 ? personId : peer.personId})`,
      );
    }
  }
  // A note from the coach team on the newest link-ups, a pair a coach turned down, and the settings.
  const recent = await rowsOf<{ id: string; requestId: string; profileId: string }>(
    scope.tx.execute(sql`select id, request_id as "requestId", profile_id as "profileId" from peer_link_up
      where organisation_id = ${scope.organisationId} and stage <> 'ended' order by created_at desc limit 2`),
  );
  for (const linkUp of recent)
    await scope.tx.execute(sql`insert into peer_coach_note (organisation_id, link_up_id, words, written_by)
      values (${scope.organisationId}, ${linkUp.id}, ${
        welsh
          ? 'Braf clywed bod y sesiynau’n mynd yn dda. Cofiwch fod croeso i chi ffonio unrhyw bryd.'
          : 'Lovely to hear the sessions are going well. Ring me any time if anything comes up.'
      }, ${coach})`);
  const [waitingRequest] = await rowsOf<{ id: string }>(
    scope.tx.execute(sql`select id from peer_request where organisation_id = ${scope.organisationId}
      and status = 'waiting' order by created_at limit 1`),
  );
  const lastPeer = peers.at(-1)!;
  if (waitingRequest)
    await scope.tx.execute(sql`insert into peer_rejected_pair (organisation_id, request_id, profile_id, rejected_by)
      values (${scope.organisationId}, ${waitingRequest.id}, ${lastPeer.profileId}, ${coach})`);
  await scope.tx.execute(sql`insert into peer_settings (organisation_id, weights, review_every_weeks)
    values (${scope.organisationId}, '{}'::jsonb, 10) on conflict do nothing`);
  // Riverside gives time credits for peers' hours in its community time bank (the time bank's demo runs
  // first); sessions logged from now on earn them. Cwm Teg leaves the choice off, as every organisation
  // starts.
  if (!welsh) {
    const bank = (await listBanks(scope)).find((b) => b.name === 'Riverside Time Bank');
    if (bank) await setTimeCreditBank(scope, bank.id);
  }
  if (changeRows.length)
    await scope.tx.execute(sql`insert into peer_link_up_change (organisation_id, link_up_id, stage, words, changed_by, changed_at)
      values ${sql.join(changeRows, sql`, `)}`);
  for (let start = 0; start < sessionRows.length; start += 500)
    await scope.tx.execute(sql`insert into peer_session (organisation_id, link_up_id, happened_on, minutes, what_we_did,
        how_it_felt, logged_by) values ${sql.join(sessionRows.slice(start, start + 500), sql`, `)}`);
}
