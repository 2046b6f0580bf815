import { sql } from 'drizzle-orm';
import { audit } from '../../core/audit.ts';
import { acrossBridge, findBridge } from '../../core/bridges.ts';
import type { AppServices } from '../../core/context.ts';
import { rowsOf, type Scope, withOrganisation } from '../../core/database/tenancy.ts';
import type { DemoOrganisation } from '../../core/module.ts';
import { createPerson } from '../../core/people.ts';
import { confirmAcross, enterLinkCode, listPartnerLinks, makeLinkCode, proposeAcross } from './across.ts';
import {
  agreeLink,
  askLink,
  auditSubject,
  communityAccount,
  createBank,
  findExchange,
  findMemberAccount,
  joinBank,
  listBanks,
} from './ledger.ts';
import { createCategory, createListing } from './listings.ts';

const categories: [string, string][] = [
  ['Gardening', 'Garddio'],
  ['Lifts', 'Lifftiau'],
  ['Company', 'Cwmni'],
  ['Cooking', 'Coginio'],
  ['Form-filling', 'Llenwi ffurflenni'],
  ['Odd jobs', 'Mân swyddi'],
  ['Shopping', 'Siopa'],
];

const extraNames = {
  en: [
    'Aisha',
    'Bill',
    'Chloe',
    'Dennis',
    'Eve',
    'Faisal',
    'Grace',
    'Harry',
    'Imran',
    'Joan',
    'Kofi',
    'Lily',
    'Mo',
    'Norah',
    'Olu',
    'Pat',
    'Rosa',
    'Stan',
    'Tess',
    'Uma',
  ],
  cy: [
    'Alaw',
    'Bethan',
    'Cai',
    'Dylan',
    'Eirlys',
    'Ffion',
    'Gethin',
    'Hefin',
    'Iolo',
    'Llinos',
    'Mared',
    'Nia',
    'Osian',
    'Pedr',
    'Rhodri',
    'Siân',
    'Tomos',
    'Wyn',
    'Lowri',
    'Huw',
  ],
};

const doneWords: Record<string, [string, string]> = {
  Gardening: ['Weeded the front garden', 'Chwynnu’r ardd flaen'],
  Lifts: ['A lift to the surgery', 'Lifft i’r feddygfa'],
  Company: ['A cup of tea and a chat', 'Paned a sgwrs'],
  Cooking: ['Cooked a meal for the week', 'Coginio pryd am yr wythnos'],
  'Form-filling': ['Helped with a benefits form', 'Help gyda ffurflen fudd-daliadau'],
  'Odd jobs': ['Put up a shelf', 'Gosod silff'],
  Shopping: ['Did the weekly shop', 'Gwneud y siopa wythnosol'],
};

const welcomeWords: [string, string] = ['Welcome hours', 'Oriau croeso'];

/** A small fixed random sequence, so the demo looks the same every time. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * A community time bank with a few dozen members and a year of exchanges. Written in batches so
 * start-up stays quick; balances are set from the same figures as the entries.
 */
export async function seedTimeBank(scope: Scope, organisation: DemoOrganisation): Promise<void> {
  // Only the two community demo organisations have demo records here (not the ward's, say).
  if (!organisation.people.peer && !organisation.people.owain) return;
  if ((await listBanks(scope)).length > 0) return;
  const welsh = !organisation.people.peer;
  const coordinatorId =
    organisation.people.lead && !welsh ? organisation.people.lead : organisation.people.admin!;
  const demoScope = { ...scope, actorPersonId: coordinatorId };
  const bankId = await createBank(demoScope, { name: welsh ? 'Banc Amser Cwm Teg' : 'Riverside Time Bank' });
  const categoryIds: { id: string; name: string }[] = [];
  for (const [name, nameCy] of categories)
    categoryIds.push({ id: await createCategory(demoScope, name, nameCy), name });

  const accounts: { id: string; personId: string }[] = [];
  const handles = welsh
    ? ['admin', 'person', 'owain', 'coach']
    : ['lead', 'peer', 'person', 'sam', 'nia', 'dev', 'marcus', 'coach'];
  const next = random(welsh ? 7 : 3);
  const areas = welsh ? ['Cwm Teg', 'Pentre Isaf', 'Tan y Bryn'] : ['Riverside', 'Northfield', 'Old Town'];
  for (const handle of handles) {
    const personId = organisation.people[handle];
    if (!personId) continue;
    const accountId = await joinBank(
      demoScope,
      bankId,
      personId,
      {
        canOffer: welsh ? 'Garddio a phaned' : 'Gardening, a cup of tea and a chat',
        wouldLike: welsh ? 'Lifft i’r dref' : 'A lift into town now and then',
        area: areas[accounts.length % areas.length]!,
        contact: welsh ? 'Ffoniwch 01234 567890' : 'Phone 01234 567890',
      },
      { isCoordinator: personId === coordinatorId, recordedByCoordinator: handle === 'sam' },
    );
    accounts.push({ id: accountId, personId });
  }
  for (const [index, calledName] of (welsh ? extraNames.cy : extraNames.en).entries()) {
    const personId = await createPerson(demoScope, { calledName, roles: ['person'] });
    const [category] = categoryIds.slice(index % categoryIds.length);
    const accountId = await joinBank(demoScope, bankId, personId, {
      canOffer: category!.name,
      wouldLike: categoryIds[(index + 3) % categoryIds.length]!.name,
      area: areas[index % areas.length]!,
      contact: '',
    });
    accounts.push({ id: accountId, personId });
    if (index % 3 === 0)
      await createListing(demoScope, {
        bankId,
        accountId,
        personId,
        kind: index % 2 === 0 ? 'offer' : 'request',
        categoryId: category!.id,
        title: (welsh ? doneWords[category!.name]![1] : doneWords[category!.name]![0]) ?? category!.name,
        description: '',
        availability: welsh ? 'Bore dydd Sadwrn' : 'Saturday mornings',
      });
  }

  // A year of exchanges, mostly between members, some welcome hours from the community account.
  const community = (await communityAccount(demoScope, bankId)).id;
  const balance = new Map<string, number>();
  const exchanges: ReturnType<typeof sql>[] = [];
  const parts: ReturnType<typeof sql>[] = [];
  const entries: ReturnType<typeof sql>[] = [];
  const today = Date.now();
  const count = 360;
  for (let i = 0; i < count; i++) {
    const day = new Date(today - Math.floor((count - i) * (365 / count)) * 86_400_000);
    const category = categoryIds[Math.floor(next() * categoryIds.length)]!;
    const giver = i % 25 === 0 ? { id: community } : accounts[Math.floor(next() * accounts.length)]!;
    let receiver = accounts[Math.floor(next() * accounts.length)]!;
    if (receiver.id === giver.id) receiver = accounts[(accounts.indexOf(receiver) + 1) % accounts.length]!;
    const minutes = [30, 60, 60, 90, 120, 180][Math.floor(next() * 6)]!;
    // Nobody goes past the usual limit in the demo.
    if ((balance.get(receiver.id) ?? 0) - minutes < -600 && giver.id !== community) continue;
    const exchangeId = crypto.randomUUID();
    const on = day.toISOString().slice(0, 10);
    const welcome = giver.id === community;
    const words = welcome ? welcomeWords : doneWords[category.name]!;
    exchanges.push(
      sql`(${exchangeId}, ${scope.organisationId}, ${bankId}, ${welcome ? 'welcome' : 'exchange'}, 'counted', ${welcome ? null : category.id}, ${welsh ? words[1] : words[0]}, ${on}::date, ${coordinatorId}, true, true, true, ${day.toISOString()}::timestamptz, ${day.toISOString()}::timestamptz)`,
    );
    // Welcome hours, as the ledger and the welcome-hours page write them: the member's side goes up
    // (+minutes) and the community account's down, on an exchange marked as welcome hours so it
    // reads "received … of welcome hours from the community account".
    const [from, to] = welcome ? [receiver.id, community] : [giver.id, receiver.id];
    parts.push(sql`(${scope.organisationId}, ${exchangeId}, ${from}, ${to}, ${minutes})`);
    entries.push(
      sql`(${scope.organisationId}, ${bankId}, ${exchangeId}, ${from}, ${to}, ${minutes}, ${day.toISOString()}::timestamptz)`,
      sql`(${scope.organisationId}, ${bankId}, ${exchangeId}, ${to}, ${from}, ${-minutes}, ${day.toISOString()}::timestamptz)`,
    );
    balance.set(from, (balance.get(from) ?? 0) + minutes);
    balance.set(to, (balance.get(to) ?? 0) - minutes);
  }
  const batch = async (
    rows: ReturnType<typeof sql>[],
    insert: (values: ReturnType<typeof sql>) => ReturnType<typeof sql>,
  ) => {
    for (let start = 0; start < rows.length; start += 500)
      await scope.tx.execute(insert(sql.join(rows.slice(start, start + 500), sql`, `)));
  };
  await batch(
    exchanges,
    (
      values,
    ) => sql`insert into time_bank_exchange (id, organisation_id, bank_id, kind, status, category_id, what_was_done,
      happened_on, proposed_by_person_id, recorded_by_coordinator, giver_confirmed, receiver_confirmed, created_at, counted_at)
      values ${values}`,
  );
  await batch(
    parts,
    (values) =>
      sql`insert into time_bank_exchange_part (organisation_id, exchange_id, giver_account_id, receiver_account_id, minutes) values ${values}`,
  );
  await batch(
    entries,
    (values) =>
      sql`insert into time_bank_entry (organisation_id, bank_id, exchange_id, account_id, counterparty_account_id, minutes, created_at) values ${values}`,
  );
  const changes = [...balance].map(([account, minutes]) => sql`(${account}::uuid, ${minutes}::int)`);
  if (changes.length > 0)
    await scope.tx.execute(sql`update time_bank_account a set balance_minutes = a.balance_minutes + v.minutes
      from (values ${sql.join(changes, sql`, `)}) as v(id, minutes) where a.id = v.id`);

  // A second, smaller bank linked to the first, so exchanges between banks can be tried. It has its own
  // coordinator (the coach), who agrees to the link the first bank's coordinator asked for: two people.
  {
    const area = welsh ? 'Pentre Isaf' : 'Northfield';
    const secondCoordinatorId = organisation.people.coach ?? coordinatorId;
    const secondScope = { ...scope, actorPersonId: secondCoordinatorId };
    const second = await createBank(demoScope, {
      name: welsh ? 'Banc Amser Pentre Isaf' : 'Northfield Time Bank',
    });
    await joinBank(
      demoScope,
      second,
      secondCoordinatorId,
      { canOffer: '', wouldLike: '', area, contact: '' },
      { isCoordinator: true },
    );
    for (const calledName of welsh ? ['Gwenllian', 'Ieuan', 'Menna'] : ['Yusuf', 'Zara', 'Vic']) {
      const personId = await createPerson(demoScope, { calledName, roles: ['person'] });
      const [offer, like] = [categories[2]!, categories[1]!].map((pair) => pair[welsh ? 1 : 0]);
      await joinBank(demoScope, second, personId, { canOffer: offer!, wouldLike: like!, area, contact: '' });
    }
    const link = await askLink(demoScope, bankId, second);
    if (link.ok) await agreeLink(secondScope, link.value, second);
  }
  const [total] = await rowsOf<{ n: number }>(
    scope.tx.execute(sql`select count(*)::int as n from time_bank_entry where bank_id = ${bankId}`),
  );
  await audit(demoScope, {
    action: 'create',
    subjectType: auditSubject.bank,
    subjectId: bankId,
    detail: { demoEntries: total?.n ?? 0 },
  });
}

/**
 * The two demo organisations' main banks become partners through a bridge, as two coordinators
 * would: one makes a code, the other enters it. A few members on each side choose to be seen; one
 * exchange across has counted and one waits for Jordan to confirm it.
 */
export async function seedPartnerBanks(
  organisations: DemoOrganisation[],
  services: AppServices,
): Promise<void> {
  const [riverside, cwmTeg] = organisations;
  if (!riverside || !cwmTeg) return;
  const { database, config } = services;
  const mainBank = async (scope: Scope, name: string) =>
    (await listBanks(scope)).find((b) => b.name === name);
  const asPerson = (organisationId: string, personId: string | undefined) => ({
    organisationId,
    actorPersonId: personId ?? null,
    requestId: 'demo-data',
  });
  const code = await withOrganisation(
    database,
    asPerson(riverside.id, riverside.people.lead),
    async (scope) => {
      const bank = await mainBank(scope, 'Riverside Time Bank');
      if (!bank || (await listPartnerLinks(scope, bank.id)).length > 0) return null;
      await scope.tx.execute(sql`update time_bank_account set shown_to_partners = true
      where bank_id = ${bank.id} and kind = 'member' and not recorded_by_coordinator
        and (person_id in (${riverside.people.person}, ${riverside.people.nia}, ${riverside.people.dev})
          or can_offer in ('Company', 'Cooking'))`);
      return (await makeLinkCode(scope, bank, config.secretKey)).code;
    },
  );
  if (!code) return;
  const linkId = await withOrganisation(database, asPerson(cwmTeg.id, cwmTeg.people.admin), async (scope) => {
    const bank = await mainBank(scope, 'Banc Amser Cwm Teg');
    if (!bank) return null;
    await scope.tx.execute(sql`update time_bank_account set shown_to_partners = true
      where bank_id = ${bank.id} and kind = 'member' and not recorded_by_coordinator
        and (person_id in (${cwmTeg.people.person}, ${cwmTeg.people.owain}) or can_offer in ('Gardening', 'Lifts'))`);
    const linked = await enterLinkCode(scope, bank, code, config.secretKey);
    return linked.ok ? linked.value.id : null;
  });
  if (!linkId) return;
  // Jordan helped Elin with a form in English; Elin confirmed it.
  const counted = await withOrganisation(
    database,
    asPerson(riverside.id, riverside.people.person),
    async (scope) => {
      const link = (await listPartnerLinks(scope))[0]!;
      const jordan = await findMemberAccount(scope, link.bankId, riverside.people.person!);
      const bridge = (await findBridge(scope, link.bridgeId))!;
      const elin = await acrossBridge(scope, bridge, 'demo data', (partner) =>
        findMemberAccount(partner, link.partnerBankId, cwmTeg.people.person!),
      );
      if (!jordan || !elin) return null;
      const proposed = await proposeAcross(scope, {
        link,
        me: jordan,
        partnerAccountId: elin.id,
        direction: 'gave',
        minutes: 60,
        whatWasDone: 'Helped fill in a form in English',
      });
      return proposed.ok ? proposed.value : null;
    },
  );
  if (!counted) return;
  await withOrganisation(database, asPerson(cwmTeg.id, cwmTeg.people.person), async (scope) => {
    const [half] = await rowsOf<{ id: string }>(
      scope.tx.execute(sql`select id from time_bank_exchange where twin_exchange_id = ${counted}`),
    );
    const exchange = half ? await findExchange(scope, half.id) : null;
    if (exchange) await confirmAcross(scope, exchange, cwmTeg.people.person!);
    // Owain gave Jordan some Welsh conversation practice; it waits for Jordan to confirm.
    const link = (await listPartnerLinks(scope))[0]!;
    const owain = await findMemberAccount(scope, link.bankId, cwmTeg.people.owain!);
    const jordanAccountId = await rowsOf<{ id: string }>(
      scope.tx.execute(
        sql`select partner_account_id as id from time_bank_exchange where twin_exchange_id = ${counted}`,
      ),
    );
    if (owain && jordanAccountId[0])
      await proposeAcross(
        { ...scope, actorPersonId: cwmTeg.people.owain! },
        {
          link,
          me: owain,
          partnerAccountId: jordanAccountId[0].id,
          direction: 'gave',
          minutes: 30,
          whatWasDone: 'Sgwrs Gymraeg – Welsh conversation practice',
        },
      );
  });
}
