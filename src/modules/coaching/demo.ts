import { sql } from 'drizzle-orm';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { type AboutMeHeading, writeAboutMe } from './about-me.ts';
import { addEntry, findEntry, type HiddenReason, respondToEntry } from './entries.ts';
import {
  addGoal,
  changeGoalWords,
  findGoal,
  type GoalTheme,
  rateGoal,
  setGoalScaling,
  setGoalStatus,
} from './goals.ts';
import { addScale, rateScales } from './scales.ts';
import { changeSupport, startSupporting, supportOf } from './support.ts';

/**
 * Fictional people with months of ordinary work behind them: About Me pages, goals, scales rated over
 * time, conversations (one hidden, with its reason), a comment and a disagreement. Riverside speaks
 * English; Cwm Teg mostly Welsh.
 */

interface DemoPerson {
  handle?: string;
  calledName?: string;
  coach: string;
  aboutMe: Partial<Record<AboutMeHeading, string>>;
  goals: {
    words: string;
    theme: GoalTheme;
    status?: 'reached' | 'let-go';
    statusWords?: string;
    steps?: string[];
    gas?: string[];
    /** What the goal first said, before the person changed its words (the earlier words are kept). */
    firstWords?: string;
  }[];
  scales: { name: string; low: string; high: string; start: number; drift: number }[];
  conversations: {
    talkedAbout: string;
    nextSteps: string;
    place: string;
    hidden?: { reason: HiddenReason; words: string };
  }[];
  own?: string;
  disagree?: string;
  comment?: string;
  status?: 'paused' | 'ended';
  statusWords?: string;
}

const riverside: DemoPerson[] = [
  {
    handle: 'person',
    coach: 'coach',
    aboutMe: {
      'please-call-me': 'Jordan. They/them.',
      'how-i-communicate': 'Text me first; I don’t pick up calls from numbers I don’t know.',
      'what-matters': 'Getting my own flat and keeping it. Seeing my little brother at weekends.',
      'good-day': 'A walk by the river, a proper breakfast, nobody chasing me for anything.',
      strengths: 'I’m good with my hands — I fixed half the bikes at the hostel. I cook for people.',
      'dont-talk-to-me-about': 'My dad, unless I bring him up.',
    },
    goals: [
      {
        words: 'Move into a place of my own',
        firstWords: 'Get out of the hostel',
        theme: 'home',
        steps: ['Look at the two flats on Mill Street', 'Ask about the deposit scheme', 'Sort out furniture'],
        gas: [
          'Still in the hostel, no viewings',
          'Viewed a flat',
          'Signed for a flat',
          'Moved in',
          'Moved in and settled for three months',
        ],
      },
      {
        words: 'Get my bike repair skills recognised',
        theme: 'work-and-learning',
        status: 'reached',
        statusWords: 'Got the certificate from the community workshop!',
      },
    ],
    scales: [
      { name: 'How settled I feel', low: 'on edge all the time', high: 'at home', start: 3, drift: 0.5 },
      { name: 'Sleep', low: 'hardly any', high: 'all night', start: 4, drift: 0.3 },
    ],
    conversations: [
      {
        talkedAbout:
          'Met at the café by the station. Jordan talked about the hostel being loud at night and wanting somewhere quiet.',
        nextSteps: 'Jordan will look at the housing list with me next week.',
        place: 'Station café',
      },
      {
        talkedAbout: 'Went through the housing list together. Two flats look possible.',
        nextSteps: 'Jordan is going to phone about Mill Street.',
        place: 'Library',
      },
      {
        talkedAbout:
          'Jordan talked about a friend at the hostel who is struggling; details kept out of Jordan’s own record.',
        nextSteps: '',
        place: 'Phone',
        hidden: { reason: 'someone-else', words: 'It is about another resident’s safety, not about Jordan.' },
      },
      {
        talkedAbout: 'Viewed the flat. Jordan liked the light and the bike shed. Deposit is the worry.',
        nextSteps: 'Jordan wants to ask about a personal budget for the deposit.',
        place: 'Mill Street',
      },
    ],
    own: 'I want it written down that I did the viewing on my own in the end.',
    disagree: 'I wasn’t worried about the deposit, I was worried about the landlord.',
  },
  {
    handle: 'sam',
    coach: 'coach',
    aboutMe: {
      'please-call-me': 'Sam',
      'what-matters': 'My dog, Biscuit. Staying out of hospital.',
      strengths: 'Patient. Good at listening. I used to run a five-a-side team.',
      adjustments: 'Meetings somewhere I can bring Biscuit.',
    },
    goals: [
      {
        words: 'Walk Biscuit every day, even on bad days',
        theme: 'health',
        gas: [
          'Not at all',
          'Once or twice a week',
          'Most days',
          'Every day',
          'Every day and joined the walking group',
        ],
      },
      {
        words: 'Start coaching five-a-side again',
        theme: 'people',
        status: 'let-go',
        statusWords: 'Not now. Maybe next summer — I’d rather put my energy into the walking group.',
      },
    ],
    scales: [{ name: 'Energy', low: 'can’t get up', high: 'ready for anything', start: 2, drift: 0.6 }],
    conversations: [
      {
        talkedAbout: 'Walked in the park with Biscuit. Sam talked about the winter being hard.',
        nextSteps: 'Sam will try the walking group on Thursday.',
        place: 'Victoria Park',
      },
      {
        talkedAbout: 'Sam went to the walking group twice. Enjoyed the chat more than the walk.',
        nextSteps: '',
        place: 'Victoria Park',
      },
    ],
    comment: 'Three times now, actually!',
  },
  {
    handle: 'nia',
    coach: 'lead',
    aboutMe: {
      'please-call-me': 'Nia',
      'how-i-communicate': 'Email is best. I like to think before I answer.',
      'people-who-matter': 'My sister Ffion — I’d like her told if I’m ever in hospital.',
      'talk-to-me-about': 'Music, my course, my plans.',
    },
    goals: [
      {
        words: 'Finish the first year of my access course',
        theme: 'work-and-learning',
        steps: ['Hand in the essay', 'Ask for extra time in exams'],
      },
    ],
    scales: [{ name: 'Confidence', low: 'none', high: 'I can do this', start: 5, drift: 0.2 }],
    conversations: [
      {
        talkedAbout: 'Talked about the course timetable clashing with work shifts.',
        nextSteps: 'Nia will ask the college about an evening group.',
        place: 'College',
      },
    ],
  },
  {
    handle: 'dev',
    coach: 'coach',
    aboutMe: { 'please-call-me': 'Dev', strengths: 'Cooking, fixing phones, making people laugh.' },
    goals: [
      {
        words: 'Sort out my debts so the letters stop',
        theme: 'money',
        status: 'reached',
        statusWords: 'Payment plan agreed with all three.',
      },
    ],
    scales: [],
    conversations: [
      {
        talkedAbout: 'Sat down with the letters together and sorted them into piles.',
        nextSteps: 'Dev will ring the advice line on Monday.',
        place: 'Dev’s flat',
      },
    ],
    status: 'ended',
    statusWords: 'I’m sorted for now. I know where you are.',
  },
  {
    calledName: 'Kez',
    coach: 'coach',
    aboutMe: { 'please-call-me': 'Kez', 'what-matters': 'Getting my kids back at weekends.' },
    goals: [{ words: 'Have the kids over every other weekend', theme: 'people' }],
    scales: [{ name: 'Hope', low: 'none', high: 'lots', start: 3, drift: 0.4 }],
    conversations: [
      {
        talkedAbout: 'First meeting. Kez chose to meet at the family centre.',
        nextSteps: '',
        place: 'Family centre',
      },
    ],
    status: 'paused',
    statusWords: 'Taking a break while I start the new job.',
  },
];

const cwmTeg: DemoPerson[] = [
  {
    handle: 'person',
    coach: 'coach',
    aboutMe: {
      'please-call-me': 'Elin',
      'how-i-communicate': 'Cymraeg os gwelwch yn dda. Neges destun sydd orau.',
      'what-matters': 'Bod yn fam dda i Osian. Cael trefn ar y tŷ a chael dŵr poeth eto.',
      'good-day': 'Mynd â Osian i’r parc, paned gyda Mam, noson dawel.',
      strengths: 'Dw i’n drefnus pan dw i’n cael cyfle. Dw i’n canu yn y côr.',
    },
    goals: [
      {
        words: 'Mynd yn ôl i’r côr bob wythnos',
        theme: 'people',
        gas: ['Dim o gwbl', 'Unwaith y mis', 'Bob pythefnos', 'Bob wythnos', 'Bob wythnos ac yn canu unawd'],
      },
      {
        words: 'Cael trefn ar y biliau',
        firstWords: 'Talu’r biliau',
        theme: 'money',
        steps: ['Casglu’r llythyrau i gyd', 'Ffonio’r cyngor'],
      },
    ],
    scales: [{ name: 'Pa mor dawel ydw i', low: 'pryderus', high: 'tawel fy meddwl', start: 4, drift: 0.4 }],
    conversations: [
      {
        talkedAbout: 'Cwrdd yn y ganolfan deulu. Soniodd Elin am y côr a faint mae’n ei golli.',
        nextSteps: 'Elin am ffonio arweinydd y côr.',
        place: 'Canolfan deulu',
      },
      { talkedAbout: 'Aeth Elin i’r côr ddwywaith. Teimlo’n well.', nextSteps: '', place: 'Ffôn' },
    ],
    comment: 'Diolch — roedd hyn yn help mawr.',
  },
  {
    handle: 'owain',
    coach: 'coach',
    aboutMe: { 'please-call-me': 'Owain', strengths: 'Garddio, gwaith coed, helpu pobl eraill.' },
    goals: [
      {
        words: 'Cael gwaith rhan-amser yn y ganolfan arddio',
        theme: 'work-and-learning',
        status: 'reached',
        statusWords: 'Dechrau ddydd Llun!',
      },
    ],
    scales: [{ name: 'Hyder', low: 'dim', high: 'llawn', start: 5, drift: 0.3 }],
    conversations: [
      {
        talkedAbout: 'Buom yn edrych ar swyddi gyda’n gilydd.',
        nextSteps: 'Owain am ysgrifennu llythyr.',
        place: 'Llyfrgell',
      },
    ],
  },
  {
    calledName: 'Gwen',
    coach: 'coach',
    aboutMe: { 'please-call-me': 'Gwen', 'what-matters': 'Aros yn fy nghartref.' },
    goals: [{ words: 'Trwsio’r to cyn y gaeaf', theme: 'home' }],
    scales: [],
    conversations: [
      {
        talkedAbout: 'Gwen wedi cael llythyr gan y landlord. Darllen e gyda’n gilydd.',
        nextSteps: 'Gwen am ateb erbyn dydd Gwener.',
        place: 'Cartref Gwen',
      },
    ],
  },
];

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

export async function seedCoaching(scope: Scope, organisation: DemoOrganisation): Promise<void> {
  // Only the two community demo organisations have demo records here (not the ward's, say).
  if (!organisation.people.peer && !organisation.people.owain) return;
  const [existing] = await rowsOf<{ count: number }>(
    scope.tx.execute(
      sql`select count(*) as count from coaching_support where organisation_id = ${scope.organisationId}`,
    ),
  );
  if (Number(existing?.count ?? 0) > 0) return;
  const welsh = !organisation.people.peer;
  const people = welsh ? cwmTeg : riverside;
  for (const [index, someone] of people.entries()) {
    const coachId = organisation.people[someone.coach] ?? null;
    const as = { ...scope, actorPersonId: coachId };
    const started = await startSupporting(as, {
      personId: someone.handle ? organisation.people[someone.handle] : undefined,
      calledName: someone.calledName,
      coachId,
      at: daysAgo(200 - index * 15),
    });
    const personId = started.personId;
    const start = 200 - index * 15;
    const self = { ...scope, actorPersonId: personId };
    await writeAboutMe(index % 2 ? as : self, personId, someone.aboutMe, index % 2 === 1, daysAgo(start - 5));
    for (const goal of someone.goals) {
      const goalId = await addGoal(self, {
        personId,
        words: goal.firstWords ?? goal.words,
        theme: goal.theme,
        steps: goal.steps ?? [],
        withCoach: false,
        at: daysAgo(start - 7),
      });
      if (goal.firstWords) await changeGoalWords(self, (await findGoal(scope, goalId))!, goal.words);
      if (goal.gas) {
        await setGoalScaling(as, (await findGoal(scope, goalId))!, {
          levels: goal.gas,
          importance: 3,
          difficulty: 2,
        });
        for (const [step, level] of [-1, -1, 0, 0, 1].entries()) {
          await rateGoal(self, (await findGoal(scope, goalId))!, level, daysAgo(start - 20 - step * 30));
        }
      }
      if (goal.status)
        await setGoalStatus(self, (await findGoal(scope, goalId))!, goal.status, goal.statusWords ?? '');
    }
    const scaleIds: string[] = [];
    for (const scale of someone.scales)
      scaleIds.push(
        await addScale(self, {
          personId,
          name: scale.name,
          lowWords: scale.low,
          highWords: scale.high,
          firstValue: null,
        }),
      );
    for (let month = 0; month < 6; month++) {
      const values = new Map(
        someone.scales.map((scale, i) => [
          scaleIds[i]!,
          Math.max(
            0,
            Math.min(10, Math.round(scale.start + scale.drift * month + ((month * 7 + i) % 3) - 1)),
          ),
        ]),
      );
      if (values.size)
        await rateScales(self, personId, values, daysAgo(Math.max(1, start - 10 - month * 30)));
    }
    let firstEntry: string | null = null;
    for (const [n, conversation] of someone.conversations.entries()) {
      const on = daysAgo(Math.max(1, start - 3 - n * 25));
      const entryId = await addEntry(as, {
        personId,
        kind: 'conversation',
        talkedAbout: conversation.talkedAbout,
        nextSteps: conversation.nextSteps,
        happenedOn: on.toISOString().slice(0, 10),
        place: conversation.place,
        hidden: conversation.hidden ?? null,
        at: on,
      });
      if (!conversation.hidden) firstEntry = entryId;
    }
    if (someone.own)
      await addEntry(self, {
        personId,
        kind: 'own',
        talkedAbout: someone.own,
        nextSteps: '',
        happenedOn: null,
        place: '',
      });
    const entry = firstEntry ? await findEntry(scope, firstEntry) : null;
    if (entry && someone.disagree) await respondToEntry(self, entry, 'disagree', someone.disagree);
    if (entry && someone.comment) await respondToEntry(self, entry, 'comment', someone.comment);
    if (someone.status) {
      const support = (await supportOf(scope, personId))!;
      await changeSupport(self, support, someone.status, someone.statusWords ?? '');
    }
  }
  // Someone who asked for a coach on the public page and is waiting to hear back.
  await startSupporting(
    { ...scope, actorPersonId: null },
    {
      calledName: welsh ? 'Mali' : 'Robin',
      coachId: null,
      status: 'asked',
    },
  );
  const [asked] = await rowsOf<{ personId: string }>(
    scope.tx.execute(
      sql`select person_id as "personId" from coaching_support where organisation_id = ${scope.organisationId} and status = 'asked' limit 1`,
    ),
  );
  await scope.tx.execute(sql`insert into coaching_self_introduction (organisation_id, person_id, how_to_reach, words, consent_wording, language)
    values (${scope.organisationId}, ${asked!.personId}, ${welsh ? 'Neges destun i 07700 900123' : 'Text 07700 900456'},
      ${welsh ? 'Hoffwn i siarad â rhywun.' : 'I’d like someone to talk to.'}, ${welsh ? 'Rwy’n cytuno i chi gadw’r hyn a ysgrifennais.' : 'I agree you can keep what I wrote.'}, ${welsh ? 'cy' : 'en'})`);
}
