import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { AppServices } from '../../core/context.ts';
import { rowsOf, type Scope } from '../../core/database/tenancy.ts';
import type { Language } from '../../core/i18n/index.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { findOrganisation } from '../../core/people.ts';
import { makeBooklet } from './booklets.ts';
import { consentWording } from './routes/shared.tsx';
import {
  createStory,
  findStory,
  giveConsent,
  type StoryScope,
  saveAnonymised,
  withdrawConsent,
} from './stories.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

/** A small picture of hills by a river, drawn as a colour PNG here so the demo needs no files. */
export function storyPicture(width = 120, height = 80): Uint8Array {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // no filter
    for (let x = 0; x < width; x++) {
      const hill = y > height * 0.45 + Math.sin(x / 14) * 8;
      const river = Math.abs(y - (height * 0.8 + Math.sin(x / 9) * 3)) < 3;
      const [r, g, b] = river ? [70, 120, 190] : hill ? [70, 140, 80] : [200, 225, 245];
      rows.push(r, g, b);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits a channel, red green blue
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

interface DemoStory {
  key: string;
  author: string;
  helper?: string;
  title: string;
  words: string;
  language: Language;
  shownName: string | null;
  picture?: string;
  daysAgo: number;
  share?: StoryScope;
  anonymised?: { title: string; words: string };
  /** Withdrawn this many days ago, after the booklet was made. */
  withdrawnDaysAgo?: number;
}

const riversideStories: DemoStory[] = [
  {
    key: 'jordan',
    author: 'person',
    title: 'Walking again',
    words:
      'A year ago I did not leave the flat. Amara came round on a Tuesday and we just talked about the river, because I used to fish there with my grandad.\n\nNow I walk by the river every morning with the Riverside walking group. Some days it is only ten minutes. That still counts.\n\nI wanted to write this so someone who is where I was knows that the first step can be really small.',
    language: 'en',
    shownName: null,
    picture: 'The river in the morning, with green hills behind it.',
    daysAgo: 150,
    share: 'public',
    anonymised: {
      title: 'Walking again',
      words:
        'A year ago I did not leave the flat. My coach came round on a Tuesday and we just talked about the river, because I used to fish there with my grandad.\n\nNow I walk by the river every morning with a walking group. Some days it is only ten minutes. That still counts.\n\nI wanted to write this so someone who is where I was knows that the first step can be really small.',
    },
  },
  {
    key: 'dev',
    author: 'dev',
    helper: 'coach',
    title: 'What the peer group gave me',
    words:
      'I did not want to sit in a circle and talk. I came for the tea. After a few weeks I noticed I was the one putting the kettle on for the new people.\n\nNow I am a peer myself. I tell people you do not have to say anything the first time. Just come.',
    language: 'en',
    shownName: 'Dev',
    daysAgo: 75,
    share: 'public',
  },
  {
    key: 'nia',
    author: 'nia',
    title: 'Yn ôl yn y gwaith',
    words:
      'Ar ôl dwy flynedd gartref, dechreuais weithio dwy awr yr wythnos yn y caffi ar y stryd fawr. Roeddwn i’n ofnus iawn ar y diwrnod cyntaf.\n\nErbyn hyn rwy’n gweithio tri bore. Mae’r perchennog yn gofyn i mi am syniadau ar gyfer y fwydlen. Dydw i ddim yn teimlo fel rhywun sy’n cael help yn unig; rydw i’n helpu hefyd.',
    language: 'cy',
    shownName: 'Nia',
    daysAgo: 95,
    share: 'organisation',
  },
  {
    key: 'sam',
    author: 'sam',
    title: 'The allotment',
    words:
      'I got a half plot at the allotments in spring. The first thing I grew was radishes because they are quick. I gave most of them away.\n\nThe people on the next plots know my name now.',
    language: 'en',
    shownName: 'Sam',
    daysAgo: 120,
    share: 'public',
    withdrawnDaysAgo: 20,
  },
  {
    key: 'tomasz',
    author: 'peer',
    title: 'Why I became a peer',
    words:
      'Someone sat with me when I needed it. I wanted to be that person for someone else. The training was good, but the best thing I learned was to wait and listen.',
    language: 'en',
    shownName: 'Tomasz',
    daysAgo: 40,
    share: 'team',
  },
];

const cwmTegStories: DemoStory[] = [
  {
    key: 'elin',
    author: 'person',
    title: 'Y llwybr ar hyd yr afon',
    words:
      'Pan ddechreuais i gyda Cwm Teg, doeddwn i ddim yn gallu cerdded i ben y stryd heb deimlo’n sâl. Fe wnaethon ni gytuno ar un nod bach: cerdded at y bont.\n\nErbyn yr haf roeddwn i’n cerdded y llwybr i gyd, bob dydd Sadwrn, gyda’r ŵyr bach yn y bygi. Mae’r dŵr yn dawel yno, ac mae’r plentyn yn chwerthin ar yr hwyaid.',
    language: 'cy',
    shownName: 'Elin',
    picture: 'Yr afon yn y bore, gyda bryniau gwyrdd y tu ôl iddi.',
    daysAgo: 130,
    share: 'public',
  },
  {
    key: 'owain',
    author: 'owain',
    helper: 'coach',
    title: 'Dysgu gyrru eto',
    words:
      'Roedd gen i ofn gyrru ar ôl y ddamwain. Dafydd a fi wnaeth ysgrifennu’r stori hon gyda’n gilydd, achos dydw i ddim yn hoffi ysgrifennu.\n\nDechreuais i gyda thaith fer i’r siop. Nawr rwy’n gyrru fy mam i’r ysbyty bob mis, ac rwy’n falch o hynny.',
    language: 'cy',
    shownName: 'Owain',
    daysAgo: 60,
    share: 'organisation',
  },
  {
    key: 'elin-private',
    author: 'person',
    title: 'Notes for myself',
    words:
      'Things that help on a bad day: the river, a phone call to my sister, not looking at my phone after nine.',
    language: 'en',
    shownName: 'Elin',
    daysAgo: 20,
  },
];

/**
 * Stories for the two community organisations: English and Welsh, some public, one shown in its
 * anonymised version, one written with a coach, one withdrawn after it went into a booklet, and a
 * booklet each (Riverside's public, Cwm Teg's for the organisation, in Welsh).
 */
export async function seedStories(scope: Scope, organisation: DemoOrganisation, services: AppServices) {
  const list =
    organisation.id === riverside ? riversideStories : organisation.id === cwmTeg ? cwmTegStories : null;
  if (!list) return;
  const [already] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from story where organisation_id = ${organisation.id}`),
  );
  if (Number(already?.n ?? 0) > 0) return;
  const people = organisation.people;
  const as = (personId: string): Scope => ({ ...scope, actorPersonId: personId });
  const found = await findOrganisation(scope);
  const ids = new Map<string, string>();
  for (const demo of list) {
    const author = people[demo.author];
    if (!author) continue;
    const writer = as(demo.helper ? (people[demo.helper] ?? author) : author);
    const written = daysAgo(demo.daysAgo);
    const id = await createStory(writer, author, {
      title: demo.title,
      words: demo.words,
      language: demo.language,
      shownName: demo.shownName,
      picture: demo.picture ? { type: 'image/png', bytes: storyPicture(), description: demo.picture } : null,
      createdAt: written,
    });
    ids.set(demo.key, id);
    if (demo.anonymised) {
      const story = (await findStory(scope, id))!;
      await saveAnonymised(as(author), story, demo.anonymised, daysAgo(demo.daysAgo - 1));
    }
    if (demo.share) {
      const story = (await findStory(scope, id))!;
      const t = services.translate(demo.language);
      const name = (demo.language === 'cy' && found?.nameCy) || found?.name || '';
      await giveConsent(as(author), story, {
        scope: demo.share,
        shownVersion: demo.anonymised ? 'anonymised' : 'own',
        wording: consentWording(t, demo.share, name),
        language: demo.language,
        at: daysAgo(demo.daysAgo - 2),
      });
    }
  }

  const lead = people.lead && organisation.id === riverside ? people.lead : people.admin;
  if (!lead) return;
  const riversideBooklet = organisation.id === riverside;
  await makeBooklet(as(lead), {
    title: riversideBooklet ? 'Walking alongside: stories from Riverside' : 'Ein straeon ni',
    introduction: riversideBooklet
      ? 'These stories were written by people Riverside walks alongside, in their own words. Each of them chose to share their story with anyone who reads this booklet.'
      : 'Straeon gan bobl Cwm Teg, yn eu geiriau eu hunain, i’w rhannu o fewn y sefydliad.',
    audience: riversideBooklet ? 'public' : 'organisation',
    language: riversideBooklet ? 'en' : 'cy',
    storyIds: [...ids.values()],
    madeAt: daysAgo(30),
  });
  for (const demo of list) {
    const id = ids.get(demo.key);
    const author = people[demo.author];
    if (!id || !author || demo.withdrawnDaysAgo === undefined) continue;
    const story = (await findStory(scope, id))!;
    const t = services.translate(demo.language);
    await withdrawConsent(as(author), story, {
      wording: `${t('stories.withdraw.what')} ${t('stories.withdraw.printed')}`,
      language: demo.language,
      at: daysAgo(demo.withdrawnDaysAgo),
    });
  }
}
