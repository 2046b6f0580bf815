import { sql } from 'drizzle-orm';
import type { AppServices } from '../../core/context.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import { addToDay, todayInUk } from '../../core/dates.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { createPerson } from '../../core/people.ts';
import { addToTeam, createTeam, findTeam } from '../../core/teams.ts';
import {
  addDebrief,
  createForceRecord,
  type ForceRecordInput,
  type ForceStaff,
  type ForceTypeUsed,
  findForceRecord,
  type Position,
  signOff,
} from './force.ts';
import { type HelpPlanWords, saveHelpPlan } from './help-plans.ts';
import { type ContinuumPoint, recordInteraction } from './interactions.ts';
import { ukMoment } from './moments.ts';
import { addMutualHelp, leaveMessage, type MutualHelpKind, setKnowEachOther } from './safewards.ts';
import { admit, calmItems, discharge, type Stay, setLeave } from './wards.ts';

/**
 * Willow ward at Glan Hafren: two years of admissions and discharges on a 16-bed ward, help plans in
 * people's own words, a year of the continuum, and uses of force falling as they did on the PROMISE
 * wards (physical interventions down by a third in the second year, prone by more than half), each
 * complete enough to sign off and most with debriefs. Everything is dated from the moment it is
 * seeded, and drawn from a seeded sequence so the demo is the same each time. Once only: a ward that
 * has any stay is left as it is.
 */

const glanHafren = '00000000-0000-4000-8000-000000000003';
export const demoWardId = '00000000-0000-4000-8300-a00000000001';
const beds = 16;
const dayMs = 86_400_000;
const hourMs = 3_600_000;
const minuteMs = 60_000;
const days = 730;

/** A small seeded generator (mulberry32): the same demo every time, no Math.random. */
function sequence(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (from: number, to: number) => from + Math.floor(next() * (to - from + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const some = <T>(list: readonly T[], count: number): T[] => {
    const copy = [...list];
    const chosen: T[] = [];
    while (chosen.length < count && copy.length > 0)
      chosen.push(copy.splice(Math.floor(next() * copy.length), 1)[0]!);
    return chosen;
  };
  return { next, int, pick, some };
}

const staffTitles: [handle: string, jobTitle: string][] = [
  ['lead', 'Ward manager'],
  ['coach', 'Staff nurse'],
  ['kofi', 'Staff nurse'],
  ['sian', 'Healthcare support worker'],
  ['marek', 'Healthcare support worker'],
];

const firstNames = [
  'Aled',
  'Ffion',
  'Gethin',
  'Megan',
  'Rhys',
  'Cerys',
  'Dylan',
  'Lowri',
  'Iwan',
  'Seren',
  'Tom',
  'Emma',
  'Jamal',
  'Aisha',
  'Liam',
  'Chloe',
  'Zofia',
  'Piotr',
  'Grace',
  'Daniel',
  'Hannah',
  'Mohammed',
  'Yusuf',
  'Leah',
  'Callum',
  'Sophie',
  'Ryan',
  'Mia',
  'Nathan',
  'Ellie',
  'Kai',
  'Tegan',
  'Rhiannon',
  'Huw',
  'Bryn',
  'Catrin',
  'Ifan',
  'Joe',
  'Katie',
  'Ravi',
  'Amira',
  'Sean',
  'Nadia',
  'Efa',
  'Jac',
  'Lily',
  'Osian',
  'Ruth',
];
const lastNames = [
  'Jones',
  'Williams',
  'Davies',
  'Evans',
  'Thomas',
  'Roberts',
  'Lewis',
  'Hughes',
  'Morgan',
  'Griffiths',
  'Price',
  'Edwards',
  'Kaur',
  'Ahmed',
  'Kowalski',
  'Smith',
  'Taylor',
  'Walker',
  'Begum',
  'Owusu',
  'Novak',
  'Pritchard',
  'Jenkins',
  'Powell',
  'Khan',
  'Murphy',
  'Bevan',
  'Watkins',
];

// Help plans, in the first person: what the person wants staff to know.
const planWords = {
  upsets: [
    'Loud noise at night, and doors banging.',
    'Being told no without a reason.',
    'When people talk about me as if I am not in the room.',
    'Being woken for checks just after I have got to sleep.',
    'Crowded rooms, especially at mealtimes.',
    'Phone calls that were promised and do not come.',
    'Being touched without warning.',
    'Not knowing what is happening with my leave.',
  ],
  earlySigns: [
    'I go quiet and stay in my room.',
    'I pace the corridor and cannot sit down.',
    'My voice gets louder and faster.',
    'I stop eating and say I am fine.',
    'I ask the same question again and again.',
    'I pull my hood up and stop making eye contact.',
  ],
  calms: [
    'Sitting outside with a cup of tea.',
    'Music with my headphones on.',
    'Someone sitting with me without lots of questions.',
    'A shower and clean clothes.',
    'Drawing, or colouring in.',
    'Phoning my mum.',
    'Going for a walk round the garden with someone.',
  ],
  staffDo: [
    'Tell me what is happening and why, in plain words.',
    'Give me some space, then come back after ten minutes.',
    'Use my name and speak slowly.',
    'Offer me a walk in the garden.',
    'Let me choose where we talk.',
    'Remind me of the things in my plan that have helped before.',
  ],
  staffNotDo: [
    'Please do not crowd me: one person talking is enough.',
    'Do not stand in the doorway of my room.',
    'Please do not raise your voice.',
    'Do not tell me to calm down; ask me what would help.',
    'Please do not talk about me in front of other patients.',
  ],
  askForHelp: [
    'I will come to the office and say I need a minute.',
    'I will turn my door sign to “talk to me”.',
    'I might just say “it is getting bad”.',
    'I will ask for my named nurse, or whoever is on.',
    'I will sit in the chair by the nurses’ station.',
  ],
  ifHeld: [
    'If I have to be held, please never face down. Tell me what you are doing.',
    'If possible, let a woman on the staff be with me.',
    'Keep talking to me and tell me when it will stop.',
    'Afterwards, give me time on my own and then a drink.',
    'Hold me seated if you can; lying down frightens me.',
  ],
  peopleToTell: [
    'My sister, Ffion.',
    'My partner, Jo.',
    'My dad: he worries, so please ring him the same day.',
    'Nobody, please.',
    'My care coordinator in the community team.',
    'My mum, but not after 9 at night.',
  ],
};
const sharedDisorders = [
  '',
  '',
  '',
  'Depression',
  'Bipolar disorder',
  'Psychosis',
  'Anxiety',
  'Schizophrenia',
];
const sharedCharacteristics = [
  '',
  '',
  '',
  'Woman, in my thirties',
  'Man, in my twenties',
  'Non-binary',
  'Welsh speaker',
];
const ldAutismAnswers = ['', '', 'no', 'no', 'yes', 'rather-not-say'] as const;

const alexPlan = (items: string[]): HelpPlanWords => ({
  upsets:
    'Being woken suddenly, and people standing over me. Not knowing when I will see the doctor. Arguments in the lounge.',
  earlySigns:
    'I stop talking and go to my room. If it gets worse I walk up and down the corridor and I cannot follow what people say.',
  calms: 'Music with my headphones. A walk in the garden. A cup of tea with someone who does not rush me.',
  calmItems: items,
  staffDo:
    'Say my name, tell me who you are and what is happening. Give me a choice, even a small one. Remind me of the garden.',
  staffNotDo: 'Please do not crowd round me, and do not touch me without saying first.',
  askForHelp:
    'I will come to the office door and say “I need a minute”. If I cannot say it I will show you this plan.',
  ifHeld:
    'Please never face down. Keep talking to me, tell me when it will stop, and let me have my headphones straight after.',
  peopleToTell: 'My brother, Sam. Ring him the same day, please.',
  sharedDisorder: 'Bipolar disorder',
  sharedLdAutism: 'no',
  sharedCharacteristics: '',
});

const interactionWords: Record<Exclude<ContinuumPoint, 'use-of-force'>, string[]> = {
  'asked-for-help': [
    'Asked for help with a letter about benefits; we went through it together.',
    'Came to the office and said they needed a minute; we sat in the quiet room.',
    'Asked for help phoning home; we found a quiet phone.',
    'Asked to talk about their leave; we looked at the plan together.',
    'Said they could not sleep and asked for company; we had a drink in the lounge.',
  ],
  'talked-through': [
    'Upset after a phone call; talked it through over a cup of tea.',
    'Worried about the ward round; we wrote down questions to ask.',
    'Frustrated about a cancelled visit; talked it through and rearranged it.',
    'Disagreement in the lounge; each talked it through with a member of staff.',
  ],
  'plan-helped': [
    'Used the weighted blanket from their plan and felt calmer.',
    'Their plan says the garden helps: we went out together and it did.',
    'Music and headphones, as their plan says; settled within twenty minutes.',
    'Followed their plan: space first, then a check-in. It worked.',
  ],
  'talk-down': [
    'Distressed and shouting in the corridor; talked with them calmly and it passed.',
    'Very frightened and wanting to leave; we talked at the door and they chose to stay and sit with us.',
    'Angry after an argument; talked down in the garden, no one hurt.',
  ],
  'prn-by-choice': [
    'Chose to take their as-needed medicine after we talked through the options.',
    'Asked for their as-needed medicine before it got worse, as their plan says.',
  ],
};
const interactionWeights: [Exclude<ContinuumPoint, 'use-of-force'>, number][] = [
  ['asked-for-help', 0.32],
  ['talked-through', 0.28],
  ['plan-helped', 0.18],
  ['talk-down', 0.12],
  ['prn-by-choice', 0.1],
];

const places = [
  'Lounge',
  'Corridor by the nurses’ station',
  'Their bedroom',
  'Dining room',
  'Garden',
  'Quiet room',
  'Ward entrance',
];
const reasons = [
  'To keep them safe: they were hitting their head against the wall and could not stop when we asked.',
  'To prevent harm to another patient after an argument in the lounge became physical.',
  'To keep them safe: they were trying to tie something around their neck.',
  'To give prescribed medicine that the responsible clinician judged necessary, after it was refused.',
  'To prevent harm to a member of staff who was being hit.',
  'To keep them safe: they were trying to climb the garden fence and had said they wanted to end their life.',
  'To keep them and others safe while they were throwing chairs in the dining room.',
];
const descriptions = [
  'Two staff held their arms while a third spoke with them throughout. They were guided to sit down and held for a few minutes until they said they felt safer.',
  'Staff stepped between the two patients. They were held standing by two staff and walked to the quiet room, talking with them all the way.',
  'Three staff held them. After a short time on the floor they were helped onto their side and then to sit up. One nurse talked with them throughout and told them each step.',
  'They were held by three staff in the corridor and walked to their bedroom. The hold was eased as soon as they said they would stay in the room.',
  'Two staff held them seated on the sofa. The nurse in charge explained what was happening and the hold was released as soon as it was safe.',
];
const efforts = [
  'We offered the quiet room and a warm drink, and their named nurse talked with them for twenty minutes first.',
  'We tried the things in their plan: music and headphones, then the garden. We gave them space and checked back.',
  'Staff asked what would help and offered as-needed medicine, which they declined. We moved other patients away to make more space.',
  'We talked with them calmly, offered a choice of where to go, and asked the other patient to come away.',
  'Their plan says space first: we stepped back and waited, then one nurse spoke with them quietly.',
];
const outcomes = [
  'They settled in the quiet room and later had tea with staff.',
  'They slept for a few hours and afterwards talked with their named nurse about what had happened.',
  'They calmed within the hour and joined the evening meal.',
  'They were seen by the doctor that evening and asked for their plan to be reviewed.',
  'They went to their room by choice and a member of staff sat outside, checking in every fifteen minutes.',
];
const patientAccounts = [
  'I was scared and did not want anyone near me. I know you were trying to keep me safe, but being held made it worse at first. What helped was Bethan talking to me the whole time and telling me when it would stop. Next time please offer me the quiet room sooner.',
  'I had just had bad news on the phone and no one knew. I felt ashamed afterwards. Thank you for sitting with me later and not making a big thing of it. If I go quiet after a call, please check on me.',
  'It hurt my arm and I was frightened. I would like to be held sitting down, not on the floor. I did feel listened to in the debrief, and I want that written in my plan.',
  'I do not remember all of it. I remember Kofi saying my name and that it would be over soon, and that helped. I would like music straight afterwards next time.',
  'I was angry because my leave was cancelled and nobody told me why. I still think that was unfair. But I understand why you stepped in, and I am sorry someone got hurt.',
  'I felt like everyone was against me. Afterwards Siân made me a tea and we talked, and that made a difference. Please tell me what is going on before it gets to that point.',
];
const staffBefore = [
  'They had an upsetting phone call in the afternoon and the ward was busy with a new admission.',
  'There had been a disagreement at lunch that we did not follow up, and the lounge was crowded.',
  'They had been waiting all day to see the doctor and the ward round ran late.',
  'It was a night shift with one agency nurse who did not know them yet.',
  'Their leave had been postponed that morning and they had not been told why.',
];
const staffChances = [
  'We could have offered the garden earlier, when they first started pacing.',
  'Their plan says to sit with them after phone calls; we missed that on a busy shift.',
  'Someone could have explained the delay to the ward round sooner.',
  'We could have moved the other patients out of the lounge before it got physical.',
];
const staffDifferently = [
  'A named nurse checks in after every difficult call, and we handover who has had one.',
  'Explain changes to leave in person, the same morning, with the reason.',
  'Put the early signs from their plan on the handover sheet so agency staff see them.',
  'Use a seated hold, as their plan asks, and move away from the floor as soon as possible.',
];
const mutualHelp: [MutualHelpKind, string][] = [
  ['thanks', 'Thank you to whoever made the bara brith for Sunday.'],
  ['news', 'The garden is open from 10 every morning now, not just afternoons.'],
  ['suggestion', 'Could we have a film night on Fridays? We can vote on the film.'],
  ['request', 'Please keep the lounge television quieter after 10 at night.'],
  ['offer', 'I can show anyone who wants to learn how to crochet. Ask me at breakfast.'],
  ['thanks', 'Thanks to Marek for fixing the table football.'],
  ['news', 'The chaplain is visiting on Wednesday, for anyone who would like to talk.'],
  ['suggestion', 'Can we put a list of the activities on the board by the dining room?'],
  ['request', 'Could the kitchen keep some fruit back for people who miss breakfast?'],
  ['offer', 'I have spare puzzle books if anyone wants one.'],
  ['thanks', 'Thank you for the birthday card, it made my day.'],
  ['news', 'The gym is open to us on Tuesday and Thursday mornings with a member of staff.'],
];
const knowEachOtherWords: [string, string][] = [
  [
    'lead',
    'I have been a nurse for eighteen years and on Willow for five. I grow far too many tomatoes, and I am always happy to talk about rugby.',
  ],
  [
    'coach',
    'I am one of the staff nurses. I speak Welsh and English, I love walking my dog on the beach at Aberdyfi, and I make a good cup of tea.',
  ],
  [
    'kofi',
    'I trained in Leeds and came to Wales in 2019. I play the guitar: ask me and I will bring it in on a quiet evening.',
  ],
];
const dischargeMessages = [
  'It did not feel like it when I arrived, but it does get better. Ask for the garden and ask for help: they really do listen.',
  'Thank you, everyone on Willow. To whoever is in my room now: the window sticks, push it hard! Look after yourselves.',
];

interface SimStay {
  stay: Stay;
  startIndex: number; // the day index of the admission
  plannedEnd: number; // a day index, when the stay is due to end
  leave: { start: Date; end: Date } | null;
}

export async function seedSaferWards(
  scope: Scope,
  organisation: DemoOrganisation,
  _services: AppServices,
): Promise<void> {
  if (organisation.id !== glanHafren) return;
  const people = organisation.people;
  const leadId = people.lead;
  const patientAlex = people.person;
  if (!leadId || !patientAlex) return;
  const as = (personId: string): Scope => ({ ...scope, actorPersonId: personId });
  const lead = as(leadId);

  if (!(await findTeam(scope, demoWardId))) {
    await createTeam(lead, { id: demoWardId, name: 'Willow', nameCy: 'Helygen', kind: 'ward', beds });
  }
  const [seeded] = await rowsOf<{ found: boolean }>(
    scope.tx.execute(sql`select exists (select 1 from ward_stay where organisation_id = ${scope.organisationId}
      and team_id = ${demoWardId}) as found`),
  );
  if (seeded?.found) return;

  const staff: ForceStaff[] = [];
  for (const [handle, jobTitle] of staffTitles) {
    const personId = people[handle];
    if (!personId) continue;
    staff.push({ personId, jobTitle });
    if (handle === 'lead') await addToTeam(lead, demoWardId, personId, 'lead');
    await addToTeam(lead, demoWardId, personId, 'coach');
  }
  const nurses = staff.filter((s) => s.jobTitle === 'Staff nurse');
  const items = (await calmItems(lead, demoWardId)).map((item) => item.name);

  const random = sequence(24);
  const now = new Date();
  const today = todayInUk(now);
  const start = addToDay(today, { days: -days });
  /** A moment on the ward clock, `index` days after the start. */
  const at = (index: number, hour: number, minute = random.int(0, 59)) =>
    ukMoment(
      addToDay(start, { days: index }),
      `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    );

  // ---- Patients and their help plans ----
  const plans = new Map<string, HelpPlanWords>();
  const newPatient = async (): Promise<string> => {
    const calledName = random.pick(firstNames);
    const personId = await createPerson(lead, {
      calledName,
      fullName: `${calledName} ${random.pick(lastNames)}`,
      roles: ['person'],
    });
    if (random.next() < 0.8) {
      const words: HelpPlanWords = {
        upsets: random.pick(planWords.upsets),
        earlySigns: random.pick(planWords.earlySigns),
        calms: random.pick(planWords.calms),
        calmItems: random.some(items, random.int(0, 3)),
        staffDo: random.pick(planWords.staffDo),
        staffNotDo: random.next() < 0.7 ? random.pick(planWords.staffNotDo) : '',
        askForHelp: random.pick(planWords.askForHelp),
        ifHeld: random.next() < 0.8 ? random.pick(planWords.ifHeld) : '',
        peopleToTell: random.pick(planWords.peopleToTell),
        sharedDisorder: random.pick(sharedDisorders),
        sharedLdAutism: random.pick(ldAutismAnswers),
        sharedCharacteristics: random.pick(sharedCharacteristics),
      };
      // Most write their own; some with a nurse, who types what they say.
      const writer = random.next() < 0.7 || nurses.length === 0 ? personId : random.pick(nurses).personId;
      await saveHelpPlan(as(writer), personId, words);
      if (random.next() < 0.15) {
        const changed = { ...words, calms: `${words.calms} ${random.pick(planWords.calms)}` };
        await saveHelpPlan(as(personId), personId, changed);
        plans.set(personId, changed);
      } else plans.set(personId, words);
    }
    return personId;
  };

  // ---- Two years of admissions, leave and discharges, in order, as the ward lived them ----
  const open: SimStay[] = [];
  const all: SimStay[] = [];
  const lastDischarged = new Map<string, number>();
  const stayLength = () => {
    const roll = random.next();
    if (roll < 0.12) return random.int(4, 9);
    if (roll < 0.92) return 10 + Math.floor(random.next() ** 1.4 * 50);
    return random.int(61, 100);
  };
  const admitOne = async (personId: string, admittedAt: Date, startIndex: number, plannedEnd: number) => {
    const admitted = await admit(lead, demoWardId, personId, admittedAt);
    if (!admitted.ok) throw new Error(`The ward demo could not admit: ${admitted.reason}`);
    const sim: SimStay = {
      stay: {
        id: admitted.stayId,
        wardId: demoWardId,
        personId,
        admittedAt,
        dischargedAt: null,
        onLeaveSince: null,
      },
      startIndex,
      plannedEnd,
      leave: null,
    };
    open.push(sim);
    all.push(sim);
    return sim;
  };
  const takeLeave = async (sim: SimStay, startAt: Date, endAt: Date | null) => {
    const by = as(random.pick(staff).personId);
    await setLeave(by, sim.stay, startAt);
    if (endAt) {
      await setLeave(by, { ...sim.stay, onLeaveSince: startAt }, endAt);
      sim.leave = { start: startAt, end: endAt };
    } else sim.leave = { start: startAt, end: new Date(8_640_000_000_000_000) };
  };
  const dischargeOne = async (sim: SimStay, index: number) => {
    const dischargedAt = at(index, random.int(10, 15));
    await discharge(as(random.pick(staff).personId), sim.stay, dischargedAt);
    sim.stay = { ...sim.stay, dischargedAt };
    open.splice(open.indexOf(sim), 1);
    lastDischarged.set(sim.stay.personId, index);
  };
  /** A night or two at home half-way through a longer stay. */
  const maybeLeave = async (sim: SimStay, endIndex: number) => {
    if (endIndex - sim.startIndex < 12 || random.next() > 0.25) return;
    const leaveStart = Math.floor((sim.startIndex + endIndex) / 2);
    await takeLeave(sim, at(leaveStart, 10), at(leaveStart + random.int(1, 2), 17));
  };

  const alexStays = [
    { from: days - 380, to: days - 352 },
    { from: days - 21, to: Number.POSITIVE_INFINITY },
  ];
  // The ward is already open: fourteen people were admitted in the weeks before the two years began.
  for (let n = 0; n < 14; n++) {
    const before = random.int(1, 40);
    const admittedAt = new Date(at(0, random.int(11, 18)).getTime() - before * dayMs);
    await admitOne(await newPatient(), admittedAt, -before, random.int(1, 50));
  }
  for (let index = 0; index < days; index++) {
    for (const sim of open.filter((s) => s.plannedEnd <= index)) {
      await maybeLeave(sim, index);
      await dischargeOne(sim, index);
    }
    for (const stay of alexStays) {
      if (stay.from === index) await admitOne(patientAlex, at(index, 15, 20), index, stay.to);
      if (stay.to === index) {
        const sim = open.find((s) => s.stay.personId === patientAlex);
        if (sim) await dischargeOne(sim, index);
      }
    }
    const target = random.int(13, 15);
    let admittedToday = 0;
    while (open.length < Math.min(target, beds) && admittedToday < 2) {
      // Now and then someone comes back a while after they left.
      const returning = [...lastDischarged]
        .filter(
          ([personId, left]) =>
            personId !== patientAlex && index - left > 45 && !open.some((s) => s.stay.personId === personId),
        )
        .map(([personId]) => personId);
      const personId =
        returning.length > 0 && random.next() < 0.12 ? random.pick(returning) : await newPatient();
      await admitOne(personId, at(index, random.int(11, 19)), index, index + stayLength());
      admittedToday++;
    }
  }
  // Those still on the ward: leave taken so far, and one person at home tonight.
  const lastIndex = days - 1;
  for (const sim of open) if (sim.stay.personId !== patientAlex) await maybeLeave(sim, lastIndex - 1);
  const homeTonight = open.find((s) => s.stay.personId !== patientAlex && !s.leave);
  if (homeTonight) await takeLeave(homeTonight, at(lastIndex, 14, 0), null);

  // Alex's plan, in their own words, written on this admission.
  await saveHelpPlan(
    as(patientAlex),
    patientAlex,
    alexPlan(items.filter((i) => /Music|garden|warm/i.test(i))),
  );
  plans.set(patientAlex, alexPlan([]));

  const onWardAt = (moment: Date, margin = 0) =>
    all.filter(
      (s) =>
        s.stay.admittedAt.getTime() < moment.getTime() - hourMs &&
        (s.stay.dischargedAt?.getTime() ?? Number.POSITIVE_INFINITY) > moment.getTime() + margin &&
        // Not away on leave, nor going on leave before the force could have ended.
        !(s.leave && s.leave.start.getTime() <= moment.getTime() + margin && s.leave.end > moment),
    );

  // ---- Uses of force: fewer in the second year, and far fewer face down ----
  const forceAt: { moment: Date; year: 1 | 2 }[] = [];
  const within = (from: number, to: number, count: number, year: 1 | 2) => {
    while (forceAt.filter((f) => f.year === year).length < count) {
      const index = random.int(from, to);
      // A gentle fall through the first year, then a steeper one as the ward's work took hold: the
      // last months of the second year have the fewest, some none at all.
      const fall = year === 1 ? 0.35 * (index / days) : 0.2 + 0.75 * ((index - 365) / (days - 365));
      if (random.next() > 1 - fall) continue;
      forceAt.push({ moment: at(index, random.int(8, 22)), year });
    }
  };
  within(0, 364, 63, 1);
  within(365, days - 20, 38, 2); // and below: Alex's, and two drafts of the last days
  forceAt.sort((a, b) => a.moment.getTime() - b.moment.getTime());
  const interactionsOfForce: { personId: string; moment: Date; recordId: string; by: string }[] = [];

  const buildRecord = (personId: string, moment: Date, year: 1 | 2, i: number): ForceRecordInput => {
    const plan = plans.get(personId);
    const types: ForceTypeUsed[] = [];
    const minutes = (from: Date, n: number) => new Date(from.getTime() + n * minuteMs);
    const seclusionOnly = i % 12 === 5;
    if (!seclusionOnly) {
      const prone = year === 1 ? i % 3 === 0 : i % 8 === 0;
      let end = moment;
      if (prone) {
        end = minutes(moment, random.int(1, 3));
        types.push({ type: 'physical', position: 'prone', startedAt: moment, endedAt: end });
        const next: Position = random.pick(['side', 'supine', 'seated'] as const);
        const after = minutes(end, random.int(3, 8));
        types.push({ type: 'physical', position: next, startedAt: end, endedAt: after });
        end = after;
      } else {
        end = minutes(moment, random.int(3, 12));
        const position: Position = random.pick([
          'standing',
          'seated',
          'seated',
          'side',
          'supine',
          'kneeling',
        ] as const);
        types.push({ type: 'physical', position, startedAt: moment, endedAt: end });
      }
      if (i % 10 === 7)
        types.push({ type: 'chemical', position: '', startedAt: end, endedAt: minutes(end, 2) });
      if (i % 7 === 3)
        types.push({
          type: 'seclusion',
          position: '',
          startedAt: end,
          endedAt: minutes(end, random.int(60, 300)),
        });
    } else {
      types.push({
        type: 'seclusion',
        position: '',
        startedAt: moment,
        endedAt: minutes(moment, random.int(45, 240)),
      });
    }
    const involved = random.some(staff, seclusionOnly ? 2 : random.int(2, 4));
    if (!involved.some((s) => s.jobTitle !== 'Healthcare support worker') && nurses[0])
      involved.push(nurses[0]);
    const told = random.next();
    const nonStaff = i % 15 === 4;
    return {
      place: random.pick(places),
      reason: random.pick(reasons),
      description: random.pick(descriptions),
      inCarePlan: plan?.ifHeld ? 'yes' : 'no',
      planItemsTried: plan ? plan.calmItems.slice(0, 2) : [],
      efforts: random.pick(efforts),
      nonStaff: nonStaff ? 'yes' : 'none',
      othersInvolved: nonStaff
        ? 'Two members of the hospital security team kept the corridor clear and held doors, at the nurse in charge’s request.'
        : '',
      outcome: random.pick(outcomes),
      harm: i % 9 === 2 ? 'injury' : 'none',
      peopleTold: told < 0.7 ? 'yes' : told < 0.9 ? 'none-named' : 'no',
      peopleToldDetails:
        told < 0.7
          ? 'The person they named in their plan was phoned the same day.'
          : told < 0.9
            ? ''
            : 'They asked us not to tell anyone, and we respected that.',
      types,
      staff: involved.map(({ personId: id, jobTitle }) => ({ personId: id, jobTitle })),
    };
  };

  /** Dated as the ward wrote it: the record started after the event, signed off a day or two later. */
  const dateRecord = async (recordId: string, moment: Date, signedOff: boolean) => {
    const created = new Date(
      Math.min(now.getTime() - minuteMs, moment.getTime() + random.int(1, 4) * hourMs),
    );
    const signed = new Date(
      Math.min(now.getTime() - minuteMs, created.getTime() + random.int(6, 48) * hourMs),
    );
    await scope.tx.execute(sql`update force_record set created_at = ${created.toISOString()},
        updated_at = ${(signedOff ? signed : created).toISOString()},
        signed_off_at = ${signedOff ? signed.toISOString() : null}
      where id = ${recordId}`);
  };

  let recordIndex = 0;
  for (const { moment, year } of forceAt) {
    const i = recordIndex++;
    let when = moment;
    let candidates = onWardAt(when, dayMs).filter((s) => s.stay.personId !== patientAlex);
    for (let tries = 0; candidates.length === 0 && tries < 10; tries++) {
      when = new Date(when.getTime() + dayMs);
      candidates = onWardAt(when, dayMs).filter((s) => s.stay.personId !== patientAlex);
    }
    const sim = random.pick(candidates);
    const personId = sim.stay.personId;
    const input = buildRecord(personId, when, year, i);
    const recorder = input.staff[0]!.personId;
    const recordId = await createForceRecord(as(recorder), demoWardId, personId, input);
    const record = (await findForceRecord(scope, recordId))!;
    const result = await signOff(lead, record);
    if (result !== 'done') throw new Error(`A demo use of force is missing ${result.join(', ')}`);
    await dateRecord(recordId, when, true);
    interactionsOfForce.push({ personId, moment: when, recordId, by: recorder });
    // The person is offered a debrief; some give their account, some say no, some want to later.
    const offer = i % 5;
    if (offer === 0 || offer === 2)
      await addDebrief(as(personId), record, {
        side: 'patient',
        state: 'given',
        words: patientAccounts[i % patientAccounts.length]!,
      });
    else if (offer === 1) await addDebrief(as(personId), record, { side: 'patient', state: 'declined' });
    else if (offer === 3) await addDebrief(as(personId), record, { side: 'patient', state: 'later' });
    if (i % 4 !== 3)
      await addDebrief(as(recorder), record, {
        side: 'staff',
        state: 'given',
        beforeWords: random.pick(staffBefore),
        chances: random.pick(staffChances),
        differently: random.pick(staffDifferently),
      });
  }

  // Alex, nine days ago: held seated for a few minutes, signed off, the staff debrief written, and their
  // own account still to give.
  {
    const moment = new Date(now.getTime() - 9 * dayMs - 3 * hourMs);
    const input: ForceRecordInput = {
      place: 'Lounge',
      reason:
        'To keep Alex safe: they were hitting their head against the window and could not stop when we asked.',
      description:
        'Bethan and Kofi held Alex’s arms and guided them to sit on the sofa. Bethan talked with Alex throughout, told them each step, and the hold was released after four minutes when Alex said they felt safer.',
      inCarePlan: 'yes',
      planItemsTried: items.filter((item) => /Music/i.test(item)),
      efforts:
        'We offered music and headphones and a walk in the garden, as Alex’s plan says, and gave them space in the lounge for ten minutes first.',
      nonStaff: 'none',
      othersInvolved: '',
      outcome:
        'Alex listened to music in the quiet room, then had tea with Bethan and talked about what had happened.',
      harm: 'none',
      peopleTold: 'yes',
      peopleToldDetails: 'Their brother Sam was phoned that evening, as Alex’s plan asks.',
      types: [
        {
          type: 'physical',
          position: 'seated',
          startedAt: moment,
          endedAt: new Date(moment.getTime() + 4 * minuteMs),
        },
      ],
      staff: staff.filter((s) => [people.coach, people.kofi].includes(s.personId)),
    };
    if (input.staff.length === 0) input.staff = staff.slice(0, 2);
    const recorder = input.staff[0]!.personId;
    const recordId = await createForceRecord(as(recorder), demoWardId, patientAlex, input);
    const record = (await findForceRecord(scope, recordId))!;
    const result = await signOff(lead, record);
    if (result !== 'done') throw new Error(`Alex's demo use of force is missing ${result.join(', ')}`);
    await dateRecord(recordId, moment, true);
    await addDebrief(as(recorder), record, {
      side: 'staff',
      state: 'given',
      beforeWords: 'Alex had waited all afternoon to see the doctor, and the lounge was noisy with visitors.',
      chances: 'We could have offered the garden when Alex first went quiet, before it got worse.',
      differently: 'Tell Alex when the doctor is running late, and offer the garden at the first early sign.',
    });
    interactionsOfForce.push({ personId: patientAlex, moment, recordId, by: recorder });
  }

  // Two drafts of the last days: one waiting more than 72 hours, on the ward manager's list.
  for (const hoursAgo of [5 * 24 + 2, 20]) {
    const moment = new Date(now.getTime() - hoursAgo * hourMs);
    const candidates = onWardAt(moment).filter((s) => s.stay.personId !== patientAlex);
    if (candidates.length === 0) continue;
    const personId = random.pick(candidates).stay.personId;
    const input = buildRecord(personId, moment, 2, recordIndex++);
    const recorder = input.staff[0]!.personId;
    const recordId = await createForceRecord(
      as(recorder),
      demoWardId,
      personId,
      // Not finished yet: what happened afterwards is still to be written.
      hoursAgo > 72 ? input : { ...input, outcome: '', peopleTold: '' },
    );
    await dateRecord(recordId, moment, false);
  }

  // ---- A year of the continuum, a few a day, mostly the helpful end ----
  const pickKind = () => {
    let roll = random.next();
    for (const [kind, weight] of interactionWeights) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return 'asked-for-help' as const;
  };
  for (let index = days - 365; index < days; index++) {
    const count = random.int(1, 3);
    for (let n = 0; n < count; n++) {
      const moment = at(index, random.int(8, 22));
      if (moment > now) continue;
      const candidates = onWardAt(moment);
      if (candidates.length === 0) continue;
      const kind = pickKind();
      await recordInteraction(as(random.pick(staff).personId), {
        wardId: demoWardId,
        personId: random.pick(candidates).stay.personId,
        happenedAt: moment,
        kind,
        words: random.pick(interactionWords[kind]),
      });
    }
  }
  // Alex's own: asking for help works, and the plan helps.
  for (const [daysAgo, kind] of [
    [18, 'asked-for-help'],
    [14, 'plan-helped'],
    [6, 'talked-through'],
    [2, 'asked-for-help'],
  ] as const) {
    await recordInteraction(as(people.coach ?? leadId), {
      wardId: demoWardId,
      personId: patientAlex,
      happenedAt: new Date(now.getTime() - daysAgo * dayMs - 5 * hourMs),
      kind,
      words: interactionWords[kind][0]!,
    });
  }
  const yearAgo = now.getTime() - 365 * dayMs;
  for (const force of interactionsOfForce.filter((f) => f.moment.getTime() > yearAgo)) {
    await recordInteraction(as(force.by), {
      wardId: demoWardId,
      personId: force.personId,
      happenedAt: force.moment,
      kind: 'use-of-force',
      words: 'A use of force: see the record.',
      forceRecordId: force.recordId,
    });
  }

  // ---- Safewards: a week of mutual help meetings, staff lines, two messages from people who left ----
  const onWardNow = open.map((s) => s.stay.personId);
  let note = 0;
  for (let daysAgo = 6; daysAgo >= 0; daysAgo--) {
    const day = addToDay(today, { days: -daysAgo });
    const count = random.int(2, 4);
    for (let n = 0; n < count; n++) {
      const [kind, words] = mutualHelp[note++ % mutualHelp.length]!;
      const by = random.next() < 0.7 ? random.pick(onWardNow) : random.pick(staff).personId;
      await addMutualHelp(as(by), demoWardId, day, kind, words);
    }
  }
  for (const [handle, words] of knowEachOtherWords) {
    const personId = people[handle];
    if (personId) await setKnowEachOther(as(personId), demoWardId, words);
  }
  const leftLately = all
    .filter((s) => s.stay.dischargedAt && s.stay.personId !== patientAlex)
    .sort((a, b) => b.stay.dischargedAt!.getTime() - a.stay.dischargedAt!.getTime())
    .slice(0, dischargeMessages.length);
  for (const [n, sim] of leftLately.entries())
    await leaveMessage(as(sim.stay.personId), demoWardId, sim.stay.personId, dischargeMessages[n]!, true);
}
