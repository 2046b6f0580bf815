import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import {
  changeStatus,
  createBarrier,
  findBarrier,
  listSystems,
  type Status,
  setConsent,
} from './barriers.ts';

/**
 * One demo barrier: whose way it got in, who wrote it down (a coach, or the person themself), the
 * system, how many days ago, the words, and what happened next.
 */
interface DemoBarrier {
  person: string;
  by: 'coach' | 'self';
  system: string;
  daysAgo: number;
  what: string;
  effect: string;
  /** A later status with its words, some days after it was recorded. */
  next?: [status: Status, words: string];
  /** The person's answer about sharing their words. */
  consent?: 'yes' | 'no';
}

const riverside: DemoBarrier[] = [
  {
    person: 'person',
    by: 'coach',
    system: 'housing',
    daysAgo: 20,
    what: "The council's housing team closed the application because a letter went to an old address. Nobody rang or emailed first.",
    effect: 'Back to the bottom of the list after eight months of waiting.',
    next: ['challenged', 'Amara wrote to the housing manager with the date the address was changed.'],
    consent: 'yes',
  },
  {
    person: 'sam',
    by: 'coach',
    system: 'housing',
    daysAgo: 45,
    what: 'The letting agent asked for a guarantor who owns a home and earns three times the rent.',
    effect: 'Sam could not take a flat he could afford on his wage.',
  },
  {
    person: 'nia',
    by: 'coach',
    system: 'housing',
    daysAgo: 80,
    what: 'The repairs line only answers from 9 to 5 and the wait was over an hour each time. Damp reported four times.',
    effect: "Mould in the children's bedroom; Nia took time off work to keep calling.",
    next: [
      'changed',
      "The landlord sent someone after the councillor's office asked. Mould treated and a vent fitted.",
    ],
  },
  {
    person: 'dev',
    by: 'self',
    system: 'housing',
    daysAgo: 130,
    what: "I was told I am not 'priority need', so all they gave me was a list of hostels, most of them full.",
    effect: "Three months sleeping on a friend's sofa.",
    consent: 'yes',
  },
  {
    person: 'person',
    by: 'self',
    system: 'housing',
    daysAgo: 200,
    what: 'The online housing form times out after 20 minutes and loses everything. I filled it in three times.',
    effect: 'I gave up the first week and needed help from the library staff.',
    next: ['changed', 'The council says the form now saves as you go.'],
    consent: 'yes',
  },
  {
    person: 'peer',
    by: 'coach',
    system: 'housing',
    daysAgo: 300,
    what: "The deposit scheme would not return Tomasz's deposit because his passport spells his name the Polish way and the tenancy does not.",
    effect: 'Four months waiting for £600.',
    next: ['changed', 'Returned after the tenancy was corrected.'],
  },
  {
    person: 'sam',
    by: 'coach',
    system: 'benefits',
    daysAgo: 10,
    what: 'Universal Credit stopped because an appointment letter arrived after the appointment.',
    effect: 'No money for five weeks; Sam used the food bank.',
    next: ['challenged', 'Asked for a reconsideration, with the postmark as evidence.'],
  },
  {
    person: 'person',
    by: 'coach',
    system: 'benefits',
    daysAgo: 60,
    what: 'The assessment was booked at a centre two bus rides away with no step-free access.',
    effect: 'Jordan had to cancel and was warned the claim could close.',
    next: ['challenged', 'Asked for a home assessment.'],
    consent: 'no',
  },
  {
    person: 'nia',
    by: 'self',
    system: 'benefits',
    daysAgo: 110,
    what: 'Every change in my hours means another check on my claim and my payment is late again.',
    effect: 'Rent paid late twice and I was charged fees for it.',
    consent: 'yes',
  },
  {
    person: 'dev',
    by: 'coach',
    system: 'benefits',
    daysAgo: 170,
    what: 'The jobcentre would only take evidence uploaded online; there was no way to bring paper in.',
    effect: 'Dev has no smartphone; the claim waited while a friend scanned his letters.',
    next: ['changed', 'The jobcentre agreed to take paper copies at the desk.'],
  },
  {
    person: 'sam',
    by: 'coach',
    system: 'benefits',
    daysAgo: 250,
    what: 'Told to spend 35 hours a week looking for work while caring for his dad every evening.',
    effect: 'A warning of a sanction, and weeks of poor sleep.',
  },
  {
    person: 'nia',
    by: 'coach',
    system: 'health',
    daysAgo: 30,
    what: 'The surgery only books appointments by phone at 8am, and the line is engaged until they have gone.',
    effect: 'Nia ended up in A&E with a chest infection that could have been treated earlier.',
  },
  {
    person: 'person',
    by: 'coach',
    system: 'health',
    daysAgo: 150,
    what: 'The mental health team discharged Jordan after two missed appointments; the letters went to an old address.',
    effect: 'A new referral and a 14-week wait to start again.',
    next: ['challenged', 'Complaint made to the team manager.'],
  },
  {
    person: 'dev',
    by: 'self',
    system: 'health',
    daysAgo: 280,
    what: 'The pharmacy would not give my prescription to my brother without a form I had never heard of.',
    effect: 'Two days without my medication.',
    next: ['changed', 'The pharmacy now keeps a note that my brother can collect.'],
    consent: 'yes',
  },
  {
    person: 'peer',
    by: 'coach',
    system: 'justice',
    daysAgo: 90,
    what: 'The court letter gave a date but no time or room, and reception could not tell Tomasz either.',
    effect: 'Marked as late and told to come back another day.',
  },
  {
    person: 'sam',
    by: 'coach',
    system: 'justice',
    daysAgo: 220,
    what: 'A caution from years ago came up on a check for a volunteering role.',
    effect: 'The offer was withdrawn without a conversation.',
    next: ['challenged', 'Asked the charity to look again with a reference from us.'],
  },
  {
    person: 'nia',
    by: 'coach',
    system: 'education',
    daysAgo: 50,
    what: 'The school books parents’ meetings through an app that only works in English.',
    effect: 'Nia’s partner, who reads Polish best, could not book or join.',
  },
  {
    person: 'person',
    by: 'self',
    system: 'education',
    daysAgo: 190,
    what: 'The college course needed my maths GCSE certificate from 20 years ago; a copy costs £40 from the exam board.',
    effect: 'I missed the start of term.',
    next: ['changed', 'The college accepted a letter from the exam board instead.'],
  },
  {
    person: 'dev',
    by: 'coach',
    system: 'work',
    daysAgo: 15,
    what: 'The agency pays two weeks in arrears and the first pay day fell after the rent was due.',
    effect: 'Dev borrowed from a doorstep lender.',
  },
  {
    person: 'peer',
    by: 'self',
    system: 'work',
    daysAgo: 120,
    what: 'The employment course was only at 9am on weekdays, the same time as my volunteering shifts.',
    effect: 'I had to choose between them.',
    consent: 'yes',
  },
  {
    person: 'sam',
    by: 'coach',
    system: 'work',
    daysAgo: 340,
    what: 'An employer’s online application would not accept a gap of more than six months in work history.',
    effect: 'Sam could not apply for jobs he is qualified for.',
    next: ['challenged', 'Wrote to the employer’s HR team.'],
  },
  {
    person: 'person',
    by: 'coach',
    system: 'money',
    daysAgo: 35,
    what: 'The bank closed the local branch, and opening an account online needs photo ID Jordan does not have.',
    effect: 'Wages paid into a friend’s account.',
  },
  {
    person: 'nia',
    by: 'coach',
    system: 'money',
    daysAgo: 160,
    what: 'The energy supplier moved the household to a prepayment meter without a visit.',
    effect: 'A cold house, and no heating at weekends.',
    next: ['changed', 'The supplier removed the meter and refunded the difference after a complaint.'],
  },
  {
    person: 'dev',
    by: 'self',
    system: 'money',
    daysAgo: 260,
    what: 'Council tax arrears went straight to enforcement agents after one missed letter.',
    effect: 'The fees doubled what I owed.',
    next: ['challenged', 'Asked the council to take it back and agree a plan.'],
  },
  {
    person: 'sam',
    by: 'coach',
    system: 'other',
    daysAgo: 70,
    what: 'The library computers need a library card, and the card needs proof of address.',
    effect: 'Sam could not print the forms the other services asked for.',
  },
];

// Cwm Teg works in Welsh first; one barrier is in English, as a bilingual team's records are.
const cwmTeg: DemoBarrier[] = [
  {
    person: 'person',
    by: 'coach',
    system: 'housing',
    daysAgo: 12,
    what: 'Anfonodd y cyngor lythyrau am y cais am dŷ yn Saesneg yn unig, er i ni ofyn am Gymraeg.',
    effect: 'Collwyd dyddiad cau am nad oedd yn glir beth roedd y llythyr yn ei ofyn.',
    next: ['challenged', 'Mae Dafydd wedi ysgrifennu at swyddog y Gymraeg yn y cyngor.'],
    consent: 'yes',
  },
  {
    person: 'owain',
    by: 'self',
    system: 'benefits',
    daysAgo: 40,
    what: 'Dim ond ar-lein y gallaf roi gwybod am newid yn fy amgylchiadau, a does dim signal ffôn yn y pentref.',
    effect: 'Cafodd fy nhaliad ei atal am bythefnos.',
    consent: 'yes',
  },
  {
    person: 'person',
    by: 'coach',
    system: 'health',
    daysAgo: 75,
    what: "Mae'r clinig agosaf i'r plant ddwy awr i ffwrdd, a dim ond un bws y dydd sy'n mynd yno.",
    effect: 'Colli apwyntiad a mynd yn ôl i waelod y rhestr.',
  },
  {
    person: 'owain',
    by: 'coach',
    system: 'work',
    daysAgo: 100,
    what: "Roedd y cynllun hyfforddi'n gofyn am drwydded yrru, er nad oes angen gyrru yn y swydd.",
    effect: 'Ni chafodd Owain wneud cais.',
    next: ['changed', 'Newidiodd y cynllun ei reolau ar ôl i ni ofyn pam.'],
  },
  {
    person: 'person',
    by: 'self',
    system: 'education',
    daysAgo: 140,
    what: "Mae'r ffurflen cludiant ysgol yn Saesneg yn unig, ac mae'n gofyn am gopi o'r bil treth gyngor.",
    effect: 'Talais am dacsi am dair wythnos.',
    next: ['challenged', "Gofynnais i'r cyngor am ffurflen Gymraeg."],
    consent: 'yes',
  },
  {
    person: 'owain',
    by: 'coach',
    system: 'money',
    daysAgo: 180,
    what: "Caeodd y banc yn y dref, ac nid yw'r swyddfa bost yn derbyn arian parod i'r cyfrif.",
    effect: "Mae Owain yn teithio awr i dalu'r rhent.",
  },
  {
    person: 'person',
    by: 'coach',
    system: 'housing',
    daysAgo: 210,
    what: "Cymerodd y landlord chwe mis i drwsio'r boeler.",
    effect: 'Gaeaf heb ddŵr poeth; y plant yn ymolchi yn nhŷ eu mam-gu.',
    next: ['changed', "Boeler newydd wedi'i osod."],
  },
  {
    person: 'owain',
    by: 'self',
    system: 'justice',
    daysAgo: 240,
    what: 'Daeth llythyr y llys yn Saesneg, ac roedd y llinell gymorth Gymraeg ar gau ar ddydd Gwener.',
    effect: 'Doeddwn i ddim yn deall beth roedd rhaid i mi ei wneud.',
  },
  {
    person: 'person',
    by: 'coach',
    system: 'benefits',
    daysAgo: 290,
    what: "Gofynnodd y ganolfan waith am dderbynebau gofal plant, ond nid yw'r feithrinfa'n rhoi derbynebau.",
    effect: 'Chwe wythnos o oedi cyn cael help gyda chostau gofal plant.',
    next: ['changed', 'Derbyniodd y ganolfan waith lythyr gan y feithrinfa.'],
  },
  {
    person: 'owain',
    by: 'coach',
    system: 'housing',
    daysAgo: 330,
    what: "Mae'r rhestr aros am dai yn rhoi blaenoriaeth i bobl sydd wedi byw yn y sir ers pum mlynedd.",
    effect: 'Ni all Owain symud yn nes at ei waith.',
  },
  {
    person: 'person',
    by: 'coach',
    system: 'other',
    daysAgo: 55,
    what: "The leisure centre's reduced-price card needs a letter from the jobcentre, and the jobcentre says it does not write them.",
    effect: 'The children lost their swimming lessons.',
  },
  {
    person: 'owain',
    by: 'coach',
    system: 'health',
    daysAgo: 20,
    what: "Mae'r feddygfa'n gofyn am ffurflen ar-lein cyn rhoi apwyntiad, ac nid yw'r ffurflen ar gael yn Gymraeg.",
    effect: 'Aeth mis heibio cyn i Owain weld meddyg.',
  },
];

const day = 86_400_000;

/** A few dozen barriers over the past year in Riverside, a dozen in Cwm Teg (mostly in Welsh). */
export async function seedBarriers(scope: Scope, organisation: DemoOrganisation): Promise<void> {
  // Only the two community demo organisations have demo records here (not the ward's, say).
  if (!organisation.people.peer && !organisation.people.owain) return;
  const [existing] = await rowsOf<{ id: string }>(scope.tx.execute(sql`select id from barrier limit 1`));
  if (existing) return;
  const welsh = !organisation.people.peer;
  const coachId = organisation.people.coach!;
  const systems = new Map(
    (await listSystems({ ...scope, actorPersonId: coachId })).map((s) => [s.key, s.id]),
  );
  const now = Date.now();
  for (const entry of welsh ? cwmTeg : riverside) {
    const personId = organisation.people[entry.person];
    const systemId = systems.get(entry.system);
    if (!personId || !systemId) continue;
    const recordedAt = new Date(now - entry.daysAgo * day);
    const recorder = { ...scope, actorPersonId: entry.by === 'self' ? personId : coachId };
    const barrierId = await createBarrier(recorder, {
      personId,
      systemId,
      whatHappened: entry.what,
      effect: entry.effect,
      consent: entry.by === 'self' && entry.consent ? entry.consent : 'not-asked',
      createdAt: recordedAt,
    });
    const later = new Date(recordedAt.getTime() + Math.max(1, Math.floor(entry.daysAgo / 3)) * day);
    if (entry.consent && entry.by === 'coach') {
      const barrier = (await findBarrier(scope, barrierId))!;
      await setConsent({ ...scope, actorPersonId: personId }, barrier, entry.consent, later);
    }
    if (entry.next) {
      const barrier = (await findBarrier(scope, barrierId))!;
      await changeStatus({ ...scope, actorPersonId: coachId }, barrier, entry.next[0], entry.next[1], later);
    }
  }
}
