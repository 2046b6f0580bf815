import { deflateSync } from 'node:zlib';
import type { Scope } from '../../core/database/tenancy.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { goalsOf } from '../coaching/goals.ts';
import {
  approveRequest,
  askQuestion,
  askToSpend,
  defaultPence,
  findBudget,
  openBudget,
  recordSpend,
  saveDefault,
} from './budget.ts';

const riverside = '00000000-0000-4000-8000-000000000001';

interface DemoRequest {
  words: string;
  pence: number;
  /** Who asks: the person themselves, or their coach with them. */
  withCoach?: boolean;
  next?: { spend: number; receipt?: boolean } | { question: string } | 'waiting';
}

interface DemoBudget {
  handle: string;
  requests: DemoRequest[];
}

const plans: Record<'en' | 'cy', { defaultPence: number; lead: string; budgets: DemoBudget[] }> = {
  en: {
    defaultPence: 25_000,
    lead: 'lead',
    budgets: [
      {
        handle: 'person',
        requests: [
          {
            words: 'A bus pass for the month, so I can get to my college course',
            pence: 4500,
            next: { spend: 4500, receipt: true },
          },
          {
            words: 'Walking boots for the Saturday walking group',
            pence: 3850,
            withCoach: true,
            next: { spend: 3699 },
          },
          { words: 'A second-hand laptop for my course work', pence: 12_000, next: 'waiting' },
        ],
      },
      {
        handle: 'sam',
        requests: [
          {
            words: 'Paint and brushes to make my room feel like mine',
            pence: 3000,
            withCoach: true,
            next: { question: 'Do you know roughly how much paint you will need?' },
          },
        ],
      },
    ],
  },
  cy: {
    defaultPence: 20_000,
    lead: 'admin',
    budgets: [
      {
        handle: 'person',
        requests: [
          {
            words: 'Gwersi nofio i’r plant yn y ganolfan hamdden',
            pence: 3200,
            next: { spend: 3200, receipt: true },
          },
          { words: 'Tocyn trên i weld fy chwaer yng Nghaerdydd', pence: 2460, next: { spend: 2460 } },
          { words: 'Cot aeaf i fy mab', pence: 4000, withCoach: true, next: 'waiting' },
        ],
      },
      {
        handle: 'owain',
        requests: [
          {
            words: 'Cwrs cymorth cyntaf yn y coleg',
            pence: 6500,
            next: { question: 'Wyt ti’n gwybod pryd mae’r cwrs yn dechrau?' },
          },
        ],
      },
    ],
  },
};

/** A few budgets, requests and spends in each demo organisation, one spend with a receipt photo. */
export async function seedPersonalBudgets(scope: Scope, organisation: DemoOrganisation): Promise<void> {
  // Only the two community demo organisations have demo records here (not the ward's, say).
  if (!organisation.people.peer && !organisation.people.owain) return;
  // Run once: a second seeding leaves what is there as it is.
  if ((await defaultPence(scope)) !== null) return;
  const plan = plans[organisation.id === riverside ? 'en' : 'cy'];
  const as = (handle: string): Scope => ({ ...scope, actorPersonId: organisation.people[handle] ?? null });
  const lead = as(plan.lead);
  await saveDefault(as('admin'), plan.defaultPence);
  for (const spec of plan.budgets) {
    const personId = organisation.people[spec.handle]!;
    await openBudget(lead, personId, plan.defaultPence, '');
    const budget = (await findBudget(scope, personId))!;
    // Towards a goal when the person has one (coaching's demo data is seeded first, when there is any).
    const goal = (await goalsOf(scope, personId)).find((g) => g.status === 'working-on');
    for (const [index, request] of spec.requests.entries()) {
      const asker = as(request.withCoach ? 'coach' : spec.handle);
      const asked = await askToSpend(asker, budget, {
        words: request.words,
        pence: request.pence,
        goalId: index === 0 ? (goal?.id ?? null) : null,
      });
      if (!asked.ok) continue;
      const next = request.next;
      if (!next || next === 'waiting') continue;
      if ('question' in next) {
        await askQuestion(lead, asked.value, next.question);
        continue;
      }
      await approveRequest(lead, asked.value, { override: false, overrideWords: '' });
      await recordSpend(as(spec.handle), asked.value, {
        pence: next.spend,
        receipt: next.receipt ? { contentType: 'image/png', bytes: receiptImage() } : null,
        lead: false,
        override: false,
        overrideWords: '',
      });
    }
  }
}

/** A small grey-and-white picture of a till receipt, drawn as a PNG here so the demo needs no files. */
export function receiptImage(width = 60, height = 90): Uint8Array {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // no filter
    for (let x = 0; x < width; x++) {
      const margin = x < 6 || x >= width - 6;
      const line = y % 8 === 4 && !margin && x < ((y * 7) % (width - 12)) + 12;
      rows.push(line ? 90 : 250);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
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

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
