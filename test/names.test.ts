import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createTranslator } from '../src/core/i18n/index.ts';
import { createPerson, namesToTellApart, sortByName } from '../src/core/people.ts';
import { formatDate } from '../src/core/web/format.ts';
import { joinBank } from '../src/modules/time-bank/ledger.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const translator = createTranslator();

describe('telling apart people of the same name', () => {
  const t = translator.forLanguage('en');
  const at = (day: string) => new Date(`${day}T10:00:00Z`);

  it('leaves a name alone when nobody else in the list has it', () => {
    const names = namesToTellApart(
      [
        { id: 'a', calledName: 'Isla', fullName: 'Isla Roberts', joinedAt: at('2025-01-01') },
        { id: 'b', calledName: 'Sam', fullName: null, joinedAt: at('2025-01-01') },
      ],
      t,
    );
    assert.deepEqual([...names.values()], ['Isla', 'Sam']);
  });

  it('uses the first letter of the surname, then when they joined, then the order they joined', () => {
    const names = namesToTellApart(
      [
        { id: 'a', calledName: 'Isla', fullName: 'Isla Roberts', joinedAt: at('2025-01-01') },
        { id: 'b', calledName: 'isla ', fullName: 'Isla Jones', joinedAt: at('2025-01-02') },
        { id: 'c', calledName: 'Isla', fullName: 'Isla Rhys', joinedAt: at('2025-03-04') },
        { id: 'd', calledName: 'Ísla', fullName: null, joinedAt: at('2025-05-06') },
        { id: 'e', calledName: 'Isla', fullName: 'Isla', joinedAt: at('2025-05-06') },
      ],
      t,
    );
    assert.equal(names.get('b'), 'isla  J.', 'the called name as they wrote it');
    assert.equal(names.get('a'), 'Isla R., joined 1 January 2025');
    assert.equal(names.get('c'), 'Isla R., joined 4 March 2025');
    assert.equal(names.get('d'), 'Ísla, joined 6 May 2025 (1 of 2)', 'an accent does not make another name');
    assert.equal(names.get('e'), 'Isla, joined 6 May 2025 (2 of 2)', 'a one-word full name has no surname');
    assert.equal(new Set(names.values()).size, 5);
  });

  it('says it in Welsh, and sorts as a Welsh reader does', () => {
    const cy = translator.forLanguage('cy');
    const names = namesToTellApart(
      [
        { id: 'a', calledName: 'Llinos', fullName: null, joinedAt: at('2025-01-01') },
        { id: 'b', calledName: 'Llinos', fullName: null, joinedAt: at('2025-02-01') },
      ],
      cy,
    );
    assert.equal(names.get('a'), 'Llinos, ymunodd 1 Ionawr 2025');
    const list = ['Llinos', 'Lowri', 'Chris', 'Cerys', 'Lyn'];
    assert.deepEqual(
      sortByName(list, (x) => x, 'cy'),
      ['Cerys', 'Chris', 'Lowri', 'Lyn', 'Llinos'],
    );
    assert.deepEqual(
      sortByName(list, (x) => x, 'en'),
      ['Cerys', 'Chris', 'Llinos', 'Lowri', 'Lyn'],
    );
  });
});

for (const kind of databaseKinds()) {
  describe(`lists where two people share a name, on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let bank = '';
    let jordan: Visitor;
    let gareth: Visitor;
    let priya: Visitor;

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      // Demo-like members, made as the demo makes them: two Ceris with surnames, two Bryns without,
      // and a Lowri and a Llinos whose order differs in Welsh.
      await withOrganisation(database, { organisationId: riverside }, async (scope) => {
        const [row] = await rowsOf<{ id: string }>(
          scope.tx.execute(sql`select id from time_bank where name = 'Riverside Time Bank'`),
        );
        bank = row!.id;
        for (const [calledName, fullName] of [
          ['Ceri', 'Ceri Lloyd'],
          ['Ceri', 'Ceri Jones'],
          ['Bryn', null],
          ['Bryn', null],
          ['Lowri', null],
          ['Llinos', null],
        ] as const) {
          const personId = await createPerson(scope, { calledName, fullName, roles: ['person'] });
          await joinBank(scope, bank, personId, {
            canOffer: 'Gardening',
            wouldLike: '',
            area: '',
            contact: '',
          });
        }
        const [bryn] = await rowsOf<{ joined: Date }>(
          scope.tx.execute(sql`select created_at as joined from person where called_name = 'Bryn' limit 1`),
        );
        today = formatDate(new Date(bryn!.joined), 'en');
      });
      jordan = new Visitor(app, '203.0.113.60');
      await jordan.signIn('person@riverside.example');
      gareth = new Visitor(app, '203.0.113.61');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
      priya = new Visitor(app, '203.0.113.62');
      await priya.signIn('admin@riverside.example');
    });
    after(() => database.close());

    /** The labels of one select's options, in the order shown. */
    const options = (body: string, name: string) => {
      const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(body);
      assert.ok(select, `a select named ${name}`);
      return [...select[1]!.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]!);
    };
    /** The day the two Bryns joined, as the page writes it. */
    let today = '';
    const ours = (labels: string[]) => labels.filter((label) => /^(Ceri|Bryn|Lowri|Llinos)\b/.test(label));

    it('tells them apart in a member’s "who with", sorted by name', async () => {
      await jordan.get(`/time-bank/${bank}/exchanges/new`);
      const labels = options(jordan.lastBody, 'other');
      assert.deepEqual(ours(labels), [
        `Bryn, joined ${today} (1 of 2)`,
        `Bryn, joined ${today} (2 of 2)`,
        'Ceri J.',
        'Ceri L.',
        'Llinos',
        'Lowri',
      ]);
      const members = labels.slice(1);
      assert.deepEqual(
        members,
        sortByName(members, (x) => x, 'en'),
        'the whole list is in order',
      );
    });

    it('in Welsh, with Welsh words and Welsh order', async () => {
      const welsh = new Visitor(app, '203.0.113.63');
      await welsh.signIn('person@riverside.example');
      await welsh.get('/language/cy');
      await welsh.get(`/time-bank/${bank}/exchanges/new`);
      const labels = ours(options(welsh.lastBody, 'other'));
      assert.match(labels[0]!, /^Bryn, ymunodd .* \(1 o 2\)$/);
      assert.deepEqual(labels.slice(2), ['Ceri J.', 'Ceri L.', 'Lowri', 'Llinos']);
    });

    it('in the coordinator’s forms and the members list', async () => {
      await gareth.get(`/time-bank/${bank}/record`);
      const giver = ours(options(gareth.lastBody, 'giver'));
      assert.deepEqual(giver.slice(2, 4), ['Ceri J.', 'Ceri L.']);
      await gareth.get(`/time-bank/${bank}/welcome`);
      assert.deepEqual(ours(options(gareth.lastBody, 'member')).slice(2, 4), ['Ceri J.', 'Ceri L.']);
      await gareth.get(`/time-bank/${bank}/members`);
      const listed = [...gareth.lastBody.matchAll(/href="\/time-bank\/[^"]+\/members\/[^"]+">([^<]*)</g)].map(
        (m) => m[1]!,
      );
      assert.deepEqual(ours(listed).slice(0, 4), [
        `Bryn, joined ${today} (1 of 2)`,
        `Bryn, joined ${today} (2 of 2)`,
        'Ceri J.',
        'Ceri L.',
      ]);
      assert.deepEqual(
        listed,
        sortByName(listed, (x) => x, 'en'),
      );
    });

    it('in the admin’s list of people and the audit trail’s choice of person', async () => {
      await priya.get('/admin/people?q=Ceri');
      const listed = [...priya.lastBody.matchAll(/href="\/admin\/people\/[0-9a-f-]{36}"><bdi>([^<]*)</g)].map(
        (m) => m[1]!,
      );
      assert.deepEqual(listed, ['Ceri J.', 'Ceri L.']);
      await priya.get('/admin/people');
      const everyone = [
        ...priya.lastBody.matchAll(/href="\/admin\/people\/[0-9a-f-]{36}"><bdi>([^<]*)</g),
      ].map((m) => m[1]!);
      assert.equal(
        new Set(everyone).size,
        everyone.length,
        'nobody in the list reads the same as anyone else',
      );
      assert.deepEqual(
        everyone,
        sortByName(everyone, (x) => x, 'en'),
      );
      await priya.get('/admin/audit');
      const people = options(priya.lastBody, 'person');
      assert.ok(people.includes('Ceri J. (Ceri Jones)'));
      assert.equal(new Set(people).size, people.length, 'every choice of person can be told apart');
    });
  });
}
