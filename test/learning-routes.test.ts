import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withOrganisation } from '../src/core/database/tenancy.ts';
import { createPerson } from '../src/core/people.ts';
import { periodOf } from '../src/core/periods.ts';
import { learning } from '../src/modules/learning/index.tsx';
import { buildTestApp, recordWriter, testOrigin, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const cwmTeg = '00000000-0000-4000-8000-000000000002';
const amaraId = '00000000-0000-4000-8100-000000000003';
const garethId = '00000000-0000-4000-8100-000000000002';

async function query<T>(database: Database, organisationId: string, text: ReturnType<typeof sql>) {
  return withOrganisation(database, { organisationId }, (scope) => rowsOf<T>(scope.tx.execute(text)));
}

const found = (body: string, pattern: RegExp) => {
  const match = pattern.exec(body);
  assert.ok(match, `nothing matches ${pattern}`);
  return match[1]!;
};

/** The text of the page's main part, without markup, for plain assertions about what a person reads. */
const mainText = (body: string) =>
  (/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

for (const kind of databaseKinds()) {
  describe(`learning organisation on ${kind.name}`, () => {
    let database: Database;
    let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
    let amara: Visitor;
    let tomasz: Visitor;
    let gareth: Visitor;
    let priya: Visitor;
    let jordan: Visitor;
    let rhian: Visitor;

    /** Someone new on the team, invited by the admin through the real pages, signed in. */
    async function newTeamMember(calledName: string, email: string, address: string): Promise<Visitor> {
      await priya.get('/admin/people/new');
      const added = await priya.post('/admin/people', { calledName, email, roles: ['coach'] });
      assert.equal(added.status, 303);
      await priya.get('/admin/outbox');
      const link = found(priya.lastBody, new RegExp(`${testOrigin}(/invitation/[A-Za-z0-9_-]+)`));
      const visitor = new Visitor(app, address);
      await visitor.get(link);
      const joined = await visitor.post(link, {
        password: 'a-good-long-password',
        confirm: 'a-good-long-password',
      });
      assert.equal(joined.status, 303);
      await visitor.get('/');
      return visitor;
    }

    before(async () => {
      database = await kind.open();
      ({ app } = await buildTestApp(database));
      amara = new Visitor(app, '203.0.113.20');
      await amara.signIn('coach@riverside.example');
      tomasz = new Visitor(app, '203.0.113.21');
      await tomasz.signIn('peer@riverside.example');
      priya = new Visitor(app, '203.0.113.22');
      await priya.signIn('admin@riverside.example');
      jordan = new Visitor(app, '203.0.113.23');
      await jordan.signIn('person@riverside.example');
      gareth = new Visitor(app, '203.0.113.24');
      await gareth.signIn('lead@riverside.example');
      await gareth.get('/choose-organisation');
      await gareth.post('/choose-organisation', { organisation: riverside });
      rhian = new Visitor(app, '203.0.113.25');
      await rhian.signIn('admin@cwmteg.example');
    });
    after(() => database.close());

    it('seeds a year of learning in both organisations', async () => {
      for (const organisationId of [riverside, cwmTeg]) {
        const [row] = await query<Record<string, number>>(
          database,
          organisationId,
          sql`select (select count(*)::int from learning_space where starts_at < now()) as spaces,
            (select count(distinct kind)::int from learning_entry) as kinds,
            (select count(*)::int from learning_challenge where answered_at is not null) as answered,
            (select count(*)::int from learning_challenge where is_anonymous) as anonymous,
            (select count(distinct decision)::int from learning_experiment where decision is not null) as decisions,
            (select count(*)::int from learning_culture_round) as rounds,
            (select count(distinct person_id)::int from learning_check_in) as checkers`,
        );
        assert.ok(row!.spaces! >= 26, `${row!.spaces} spaces`);
        assert.equal(row!.kinds, 4);
        assert.ok(row!.answered! >= 5);
        assert.ok(row!.anonymous! >= 2);
        assert.equal(row!.decisions, 3);
        assert.equal(row!.rounds, 2);
        assert.equal(row!.checkers, 8);
      }
    });

    describe('challenges', () => {
      let challengePath = '';
      let key = '';

      it('keeps what was typed and says what is missing', async () => {
        await amara.get('/learning/challenges/new');
        const response = await amara.post('/learning/challenges', {
          addressedTo: 'leaders',
          whatIsWrong: '',
          suggestion: 'A kinder rota',
          whoItAffects: '',
        });
        assert.equal(response.status, 400);
        assert.match(amara.lastBody, /id="whatIsWrong-error"[\s\S]*Say what isn&#39;t working/);
        assert.match(amara.lastBody, /Choose whether to put your name on it/);
        assert.match(amara.lastBody, />A kinder rota<\/textarea>/);
      });

      it('raises an anonymous challenge that stores no author anywhere, not even in the audit trail', async () => {
        const before = await query<{ n: number }>(
          database,
          riverside,
          sql`select count(*)::int as n from audit_event`,
        );
        const response = await amara.post('/learning/challenges', {
          addressedTo: 'leaders',
          whatIsWrong: 'The night rota leaves one coach alone on Fridays',
          suggestion: 'Pair people up',
          whoItAffects: 'Coaches on nights',
          anonymity: 'anonymous',
        });
        assert.equal(response.status, 200);
        key = found(amara.lastBody, /<code id="anonymous-key">([\s\S]*?)<\/code>/).replace(/<wbr\/?>/g, '');
        const [row] = await query<Record<string, unknown>>(
          database,
          riverside,
          sql`select * from learning_challenge where what_is_wrong like 'The night rota%'`,
        );
        assert.equal(row!.author_person_id, null);
        assert.equal(row!.is_anonymous, true);
        assert.ok(!JSON.stringify(row).includes(amaraId));
        assert.ok(!JSON.stringify(row).includes(key), 'the key itself is not kept, only its keyed hash');
        challengePath = `/learning/challenges/${row!.id}`;
        // Everything this request wrote to the trail: one anonymous act, with no actor and no request id.
        const events = await query<Record<string, unknown>>(
          database,
          riverside,
          sql`select * from audit_event order by occurred_at desc, id limit 100`,
        );
        const forChallenge = events.filter((event) => event.subject_id === row!.id);
        assert.equal(forChallenge.length, 1);
        assert.equal(forChallenge[0]!.actor_person_id, null);
        assert.equal(forChallenge[0]!.request_id, null);
        assert.equal(forChallenge[0]!.subject_person_id, null);
        assert.equal(forChallenge[0]!.action, 'learning:raise-anonymously');
        const [after] = await query<{ n: number }>(
          database,
          riverside,
          sql`select count(*)::int as n from audit_event`,
        );
        assert.equal(
          after!.n - before[0]!.n,
          1,
          'raising anonymously records nothing else that could name the author',
        );

        await gareth.get(challengePath);
        const text = mainText(gareth.lastBody);
        assert.match(text, /Raised without a name on/);
        assert.doesNotMatch(text, /Raised by/);
        // The author's own export cannot hold it: nothing links it to them.
        const exported = await withOrganisation(database, { organisationId: riverside }, (scope) =>
          learning.exportPerson!(scope, amaraId, recordWriter()),
        );
        assert.ok(!JSON.stringify(exported).includes('night rota'));
      });

      it('lets the key open the challenge to change its words, and never to put a name on it', async () => {
        await amara.get('/learning/challenges/anonymous');
        let response = await amara.post('/learning/challenges/anonymous', {
          key: 'not-the-right-key-at-all-000000',
        });
        assert.equal(response.status, 400);
        assert.match(amara.lastBody, /That key does not open a challenge/);
        response = await amara.post('/learning/challenges/anonymous', { key });
        assert.equal(response.status, 200);
        assert.match(amara.lastBody, /stays without a name/);
        // Trying to reveal themselves by editing: refused, nothing changed, nothing revealed.
        response = await amara.post('/learning/challenges/anonymous/save', {
          key,
          addressedTo: 'leaders',
          whatIsWrong: 'It was me, Amara',
          suggestion: '',
          whoItAffects: '',
          anonymity: 'named',
        });
        assert.equal(response.status, 400);
        assert.match(amara.lastBody, /stays without one\. Nothing was changed/);
        let [row] = await query<{ words: string; author: string | null }>(
          database,
          riverside,
          sql`select what_is_wrong as words, author_person_id as author from learning_challenge where id = ${challengePath.split('/').pop()}`,
        );
        assert.equal(row!.words, 'The night rota leaves one coach alone on Fridays');
        response = await amara.post('/learning/challenges/anonymous/save', {
          key,
          addressedTo: 'leaders',
          whatIsWrong: 'The night rota leaves one coach alone on Fridays and Saturdays',
          suggestion: 'Pair people up',
          whoItAffects: 'Coaches on nights',
        });
        assert.equal(response.status, 200);
        [row] = await query<{ words: string; author: string | null }>(
          database,
          riverside,
          sql`select what_is_wrong as words, author_person_id as author from learning_challenge where id = ${challengePath.split('/').pop()}`,
        );
        assert.equal(row!.words, 'The night rota leaves one coach alone on Fridays and Saturdays');
        assert.equal(row!.author, null);
        const changes = await query<{ actor: string | null; request: string | null }>(
          database,
          riverside,
          sql`select actor_person_id as actor, request_id as request from audit_event
            where subject_id = ${challengePath.split('/').pop()} and action = 'learning:change-anonymously'`,
        );
        assert.deepEqual(changes, [{ actor: null, request: null }]);
      });

      it('lets a lead answer for everyone to see, with how long it waited; others cannot answer', async () => {
        let response = await amara.post(`${challengePath}/answer`, { status: 'changed', answer: 'Done' });
        assert.equal(response.status, 403);
        await gareth.get(challengePath);
        response = await gareth.post(`${challengePath}/answer`, { status: '', answer: 'We will pair' });
        assert.equal(response.status, 400);
        assert.match(gareth.lastBody, /Choose where this challenge is now/);
        assert.match(gareth.lastBody, />We will pair<\/textarea>/);
        response = await gareth.post(`${challengePath}/answer`, {
          status: 'changed',
          answer: 'You said, we did: nobody works a night alone from next week.',
        });
        assert.equal(response.status, 303);
        await jordan.get('/learning/challenges');
        const board = mainText(jordan.lastBody);
        assert.match(board, /nobody works a night alone/);
        assert.match(board, /Changed Answered after 0 days/);
        assert.match(board, /Usual time to an answer \(median\) \d+ days?/);
        assert.match(board, /Waiting \d+ days? for an answer/);
        // Once answered, the key still opens it, but its words stay as answered.
        response = await amara.post('/learning/challenges/anonymous', { key });
        assert.match(amara.lastBody, /has been answered, so its words stay/);
        response = await amara.post('/learning/challenges/anonymous/save', {
          key,
          addressedTo: 'system',
          whatIsWrong: 'Changed after the answer',
          suggestion: '',
          whoItAffects: '',
        });
        const [row] = await query<{ words: string }>(
          database,
          riverside,
          sql`select what_is_wrong as words from learning_challenge where id = ${challengePath.split('/').pop()}`,
        );
        assert.match(row!.words, /Fridays and Saturdays$/);
      });

      it('shows a named challenge with its author, who may change its words while it waits', async () => {
        await jordan.get('/learning/challenges/new');
        const response = await jordan.post('/learning/challenges', {
          addressedTo: 'system',
          whatIsWrong: 'The bus pass form is only online',
          suggestion: '',
          whoItAffects: '',
          anonymity: 'named',
        });
        assert.equal(response.status, 303);
        const path = response.headers.get('location')!.replace(/\?.*/, '');
        await gareth.get(path);
        assert.match(mainText(gareth.lastBody), /Raised by Jordan on/);
        await jordan.get(`${path}/edit`);
        assert.equal(
          (
            await jordan.post(`${path}/edit`, {
              addressedTo: 'system',
              whatIsWrong: 'The bus pass form is only online, with no paper copy',
              suggestion: '',
              whoItAffects: '',
            })
          ).status,
          303,
        );
        assert.equal((await amara.get(`${path}/edit`)).status, 404, 'only the author changes it');
      });

      it("answers another organisation's challenge ids with 404 and changes nothing", async () => {
        const [other] = await query<{ id: string; answer: string }>(
          database,
          cwmTeg,
          sql`select id, answer from learning_challenge order by raised_at limit 1`,
        );
        assert.equal((await gareth.get(`/learning/challenges/${other!.id}`)).status, 404);
        await gareth.get('/learning/challenges');
        const response = await gareth.post(`/learning/challenges/${other!.id}/answer`, {
          status: 'cannot',
          answer: 'Overwritten',
        });
        assert.equal(response.status, 404);
        const [still] = await query<{ answer: string }>(
          database,
          cwmTeg,
          sql`select answer from learning_challenge where id = ${other!.id}`,
        );
        assert.equal(still!.answer, other!.answer);
      });
    });

    describe('wellbeing check-ins', () => {
      const privateWords = 'Private words only Amara sees: xq-7731';
      let checkInPath = '';

      it('refuses a place off the continuum, keeping the words typed', async () => {
        const count = () =>
          query<{ n: number }>(
            database,
            riverside,
            sql`select count(*)::int as n from learning_check_in where person_id = ${amaraId}`,
          );
        const [before] = await count();
        await amara.get('/learning/wellbeing');
        const response = await amara.post('/learning/wellbeing', {
          position: '7',
          privateWords: 'kept words',
          talkTo: '',
        });
        assert.equal(response.status, 400);
        assert.match(amara.lastBody, /Choose the place that is closest to how you are/);
        assert.match(amara.lastBody, />kept words<\/textarea>/);
        const [after] = await count();
        assert.equal(after!.n, before!.n);
      });

      it('holds back the team figure below five people and shows it from five', async () => {
        await amara.get('/learning/wellbeing');
        assert.match(mainText(amara.lastBody), /Fewer than 5 Too few people checked in/);
        const response = await amara.post('/learning/wellbeing', {
          position: '2',
          privateWords,
          talkTo: garethId,
        });
        assert.equal(response.status, 303);
        await amara.get('/learning/wellbeing/mine');
        assert.ok(amara.lastBody.includes(privateWords), 'the author sees their own words');
        checkInPath = found(amara.lastBody, /href="(\/learning\/wellbeing\/[0-9a-f-]{36})"/);
        await amara.get('/learning/wellbeing');
        const four = mainText(amara.lastBody);
        assert.match(
          four,
          /Fewer than 5 Too few people checked in/,
          'four people this month: still held back',
        );
        await tomasz.get('/learning/wellbeing');
        await tomasz.post('/learning/wellbeing', { position: '4', privateWords: '', talkTo: '' });
        await tomasz.get('/learning/wellbeing');
        const five = mainText(tomasz.lastBody);
        const month = new Intl.DateTimeFormat('en-GB', {
          month: 'long',
          year: 'numeric',
          timeZone: 'Europe/London',
        }).format(new Date());
        assert.match(five, new RegExp(`${month} 5 \\d(\\.\\d)? out of 5`));
      });

      it('tells only the chosen person that someone would like to talk, and nothing of the check-in', async () => {
        await gareth.get('/learning');
        const text = mainText(gareth.lastBody);
        assert.match(text, /Amara asked for a conversation with you/);
        assert.ok(!gareth.lastBody.includes(privateWords));
        assert.doesNotMatch(text, /Strained/);
        await priya.get('/learning');
        assert.doesNotMatch(mainText(priya.lastBody), /asked for a conversation/);
        const done = found(gareth.lastBody, /action="(\/learning\/conversations\/[0-9a-f-]{36}\/done)"/);
        assert.equal((await priya.post(done, {})).status, 404, 'nobody else can mark it done');
        assert.equal((await gareth.post(done, {})).status, 303);
      });

      it("gives leads and admins a 404 for someone's check-in by address, and removes nothing", async () => {
        for (const visitor of [gareth, priya, tomasz]) {
          assert.equal((await visitor.get(checkInPath)).status, 404);
          await visitor.get('/learning/wellbeing');
          assert.equal((await visitor.post(`${checkInPath}/remove`, {})).status, 404);
        }
        assert.equal((await amara.get(checkInPath)).status, 200);
        assert.ok(amara.lastBody.includes(privateWords));
      });

      it('never shows an individual check-in, or who raised an anonymous challenge, on any page of the module', async () => {
        const [checkIn] = await query<{ id: string }>(
          database,
          riverside,
          sql`select id from learning_check_in where person_id = ${amaraId} and private_words = ${privateWords}`,
        );
        const owners = new Map(
          (
            await query<{ id: string; person: string }>(
              database,
              riverside,
              sql`select id, person_id as person from learning_check_in`,
            )
          ).map((row) => [row.id, row.person]),
        );
        const ids = await query<Record<string, string>>(
          database,
          riverside,
          sql`select (select id::text from learning_challenge where is_anonymous order by raised_at desc limit 1) as "challengeId",
            (select id::text from learning_culture_round order by opened_at limit 1) as "roundId",
            (select id::text from learning_space_series limit 1) as "seriesId",
            (select s.id::text from learning_space s where s.starts_at > now() order by starts_at limit 1) as "spaceId",
            (select id::text from learning_entry limit 1) as "entryId",
            (select id::text from learning_change_idea limit 1) as "ideaId"`,
        );
        const params: Record<string, string> = {
          ...ids[0]!,
          checkInId: checkIn!.id,
          requestId: crypto.randomUUID(),
          actionId: crypto.randomUUID(),
        };
        const paths = [
          ...new Set(
            app.routes
              .filter(
                (route) =>
                  route.method === 'GET' && route.path.startsWith('/learning') && !route.path.includes('*'),
              )
              .map((route) =>
                route.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? crypto.randomUUID()),
              ),
          ),
        ];
        assert.ok(paths.length >= 20, `${paths.length} pages walked`);
        // Positive control: the walk finds the words where they belong, on the author's own pages.
        let seenByAuthor = 0;
        for (const path of paths) {
          await amara.get(path);
          if (amara.lastBody.includes(privateWords)) seenByAuthor++;
        }
        assert.equal(seenByAuthor, 2, 'the author sees them on their list and on the check-in itself');
        const slug = (name: string) => name.replace(/[^a-z]+/gi, '');
        for (const [name, visitor, personId] of [
          ['lead', gareth, garethId],
          ['admin', priya, '00000000-0000-4000-8100-000000000001'],
          ['peer', tomasz, '00000000-0000-4000-8100-000000000004'],
        ] as const) {
          for (const path of [
            ...paths,
            '/admin/audit',
            `/admin/audit?actor=${amaraId}`,
            `/admin/audit?person=${amaraId}`,
          ]) {
            const response = await visitor.get(path);
            const body = visitor.lastBody;
            assert.ok(!body.includes(privateWords), `${slug(name)} read the private words at ${path}`);
            // (The address typed comes back in the language switch link, so only the page's own content counts.)
            assert.ok(
              !mainText(body).includes(checkIn!.id),
              `${slug(name)} was shown the check-in id at ${path}`,
            );
            if (path === `/learning/wellbeing/${checkIn!.id}`) assert.equal(response.status, 404);
            // Every check-in a page links to is the visitor's own.
            for (const [, shown] of body.matchAll(/href="\/learning\/wellbeing\/([0-9a-f-]{36})"/g))
              assert.equal(
                owners.get(shown!),
                personId,
                `${slug(name)} was shown someone else's check-in at ${path}`,
              );
          }
        }
        // The audit trail keeps field names for check-ins, never the place or the words.
        const trail = await query<{ detail: Record<string, unknown> }>(
          database,
          riverside,
          sql`select detail from audit_event where subject_type = 'learning:check-in'`,
        );
        assert.ok(trail.length > 0);
        for (const event of trail) {
          assert.ok(!JSON.stringify(event.detail).includes('xq-7731'));
          assert.equal((event.detail as { position?: unknown }).position, undefined);
        }
        // And the anonymous challenge's act, filtered by Amara as the actor, is not hers.
        await priya.get(`/admin/audit?actor=${amaraId}`);
        assert.doesNotMatch(mainText(priya.lastBody), /Raised without a name/);
      });
    });

    describe('culture compass', () => {
      let round = '';
      const even = () => {
        const form: Record<string, string> = {};
        for (const time of ['now', 'preferred'])
          for (let a = 0; a < 6; a++)
            for (const [k, culture] of ['collaborate', 'create', 'compete', 'control'].entries())
              form[`${time}-${a}-${culture}`] = String(
                time === 'now' ? [10, 20, 30, 40][k] : [40, 30, 20, 10][k],
              );
        return form;
      };

      it('is opened by a lead only, and kept from people outside the team', async () => {
        await amara.get('/learning/compass');
        assert.equal((await amara.post('/learning/compass', { name: 'Sneaky' })).status, 403);
        assert.equal((await jordan.get('/learning/compass')).status, 403);
        await gareth.get('/learning/compass');
        assert.equal((await gareth.post('/learning/compass', { name: '' })).status, 400);
        const response = await gareth.post('/learning/compass', { name: 'Winter round' });
        assert.equal(response.status, 303);
        await gareth.get('/learning/compass');
        round = found(
          gareth.lastBody,
          /href="\/learning\/compass\/([0-9a-f-]{36})\/answer">Answer Winter round/,
        );
      });

      it('says kindly when points do not make 100, keeps them, and saves nothing', async () => {
        const form = even();
        form['now-0-control'] = '30';
        form['preferred-2-create'] = '-5';
        await amara.get(`/learning/compass/${round}/answer`);
        const response = await amara.post(`/learning/compass/${round}/answer`, form);
        assert.equal(response.status, 400);
        const text = mainText(amara.lastBody);
        assert.match(
          text,
          /What it feels like here: how it is now: these add up to 90\. Share out 10 more so they make 100/,
        );
        assert.match(
          text,
          /How people are treated: how you would like it to be: use whole numbers from 0 to 100/,
        );
        assert.match(amara.lastBody, /name="preferred-2-create"[^>]*value="-5"/);
        form['now-0-control'] = '60';
        form['preferred-2-create'] = '30';
        await amara.post(`/learning/compass/${round}/answer`, form);
        assert.match(mainText(amara.lastBody), /add up to 120\. Take away 20/);
        const [row] = await query<{ n: number }>(
          database,
          riverside,
          sql`select count(*)::int as n from learning_culture_response where round_id = ${round}`,
        );
        assert.equal(row!.n, 0);
      });

      it('shows results only from five answers: a chart with a table, the gaps, the change since before', async () => {
        const kai = await newTeamMember('Kai', 'kai@example.org', '203.0.113.30');
        const team = [amara, tomasz, gareth, priya, kai];
        for (const [index, visitor] of team.entries()) {
          await visitor.get(`/learning/compass/${round}/answer`);
          const response = await visitor.post(`/learning/compass/${round}/answer`, even());
          assert.equal(response.status, 303);
          await visitor.get(`/learning/compass/${round}`);
          if (index < 4) {
            assert.doesNotMatch(visitor.lastBody, /<svg/);
            assert.match(mainText(visitor.lastBody), /only when at least 5 people have answered/);
          }
        }
        await jordan.get(`/learning/compass/${round}`);
        await amara.get(`/learning/compass/${round}`);
        const text = mainText(amara.lastBody);
        assert.match(amara.lastBody, /<svg[^>]*role="img"/);
        assert.match(text, /Collaborate 10 40 \+30/);
        assert.match(text, /People would like more Collaborate .*30 points more than now/);
        assert.match(text, /Compared with .* how things are now has moved/);
        // Answering again changes the person's own answer, it does not add a sixth.
        await amara.get(`/learning/compass/${round}/answer`);
        assert.match(amara.lastBody, /name="now-0-control"[^>]*value="40"/);
        await amara.post(`/learning/compass/${round}/answer`, even());
        const [row] = await query<{ n: number }>(
          database,
          riverside,
          sql`select count(*)::int as n from learning_culture_response where round_id = ${round}`,
        );
        assert.equal(row!.n, 5);
      });
    });

    describe('reflective spaces', () => {
      let series = '';
      let space = '';

      it('sets up a series every two weeks, with the new challenge on the first agenda', async () => {
        await amara.get('/learning/spaces');
        assert.match(amara.lastBody, /name="everyDays"[^>]*value="14"/);
        let response = await amara.post('/learning/spaces', {
          name: 'Peer space',
          firstDate: '2026-02-30',
          time: '14:00',
          everyDays: '14',
          minutes: '90',
          place: 'Room 2',
        });
        assert.equal(response.status, 400);
        assert.match(amara.lastBody, /Enter a real date/);
        assert.match(amara.lastBody, /value="Peer space"/);
        const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
        response = await amara.post('/learning/spaces', {
          name: 'Peer space',
          firstDate: soon,
          time: '10:30',
          everyDays: '14',
          minutes: '60',
          place: 'Room 2, the annexe',
        });
        assert.equal(response.status, 303);
        series = found(response.headers.get('location')!, /\/learning\/spaces\/([0-9a-f-]{36})/);
        await amara.get(`/learning/spaces/${series}`);
        const spaces = [
          ...amara.lastBody.matchAll(/href="\/learning\/spaces\/[0-9a-f-]{36}\/([0-9a-f-]{36})"/g),
        ];
        assert.equal(spaces.length, 6);
        space = spaces[0]![1]!;
        await amara.get(`/learning/spaces/${series}/${space}`);
        assert.match(mainText(amara.lastBody), /Challenges raised .*The bus pass form is only online/);
      });

      it('downloads a calendar file for the series and for one date', async () => {
        let response = await amara.get(`/learning/spaces/${series}/calendar.ics`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type')!, /^text\/calendar/);
        const feed = await response.text();
        assert.equal(feed.match(/BEGIN:VEVENT/g)?.length, 6);
        assert.match(feed, /LOCATION:Room 2\\, the annexe\r\n/);
        assert.match(feed, /DTSTART:\d{8}T\d{4}00Z\r\nDTEND:/);
        response = await amara.get(`/learning/spaces/${series}/${space}/calendar.ics`);
        assert.match(
          response.headers.get('content-disposition')!,
          /attachment; filename="reflective-space-\d{4}-\d{2}-\d{2}\.ics"/,
        );
        assert.equal((await response.text()).match(/BEGIN:VEVENT/g)?.length, 1);
        // A date of this series under another series' address is not found.
        const [other] = await query<{ id: string }>(
          database,
          riverside,
          sql`select id from learning_space_series where id <> ${series} limit 1`,
        );
        assert.equal((await amara.get(`/learning/spaces/${other!.id}/${space}/calendar.ics`)).status, 404);
      });

      it('records who came, learning of two kinds (one a picture), and carries an action until done', async () => {
        await amara.get(`/learning/spaces/${series}/${space}`);
        await amara.post(`/learning/spaces/${series}/${space}/attendance`, {
          came: [amaraId, garethId, crypto.randomUUID()],
        });
        const came = await query<{ person_id: string }>(
          database,
          riverside,
          sql`select person_id from learning_attendance where space_id = ${space} order by person_id`,
        );
        assert.deepEqual(
          came.map((row) => row.person_id),
          [garethId, amaraId].sort(),
        );
        await amara.get(`/learning/entries/new?space=${space}`);
        const png = new Uint8Array([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82,
        ]);
        const post = (fields: Record<string, string>, file: Blob | null) => {
          const body = new FormData();
          body.append('_csrf', amara.csrfToken);
          for (const [name, value] of Object.entries(fields)) body.append(name, value);
          if (file) body.append('image', file, 'drawing.png');
          return app.request('/learning/entries', {
            method: 'POST',
            body,
            headers: {
              cookie: (amara as unknown as { cookieHeader(): string }).cookieHeader(),
              origin: testOrigin,
              'x-forwarded-for': amara.address,
            },
          });
        };
        const fields = {
          kind: 'story',
          title: 'Our drawing of the week',
          words: 'We drew the rota.',
          imageDescription: 'Stick figures holding hands',
          space,
        };
        let response = await post(
          fields,
          new Blob([new TextEncoder().encode('<svg>not a picture</svg>')], { type: 'image/png' }),
        );
        assert.equal(response.status, 400);
        const body = await response.text();
        assert.match(body, /not a PNG, JPEG, GIF or WebP picture/);
        assert.match(body, /value="Our drawing of the week"/);
        response = await post(fields, new Blob([png], { type: 'image/png' }));
        assert.equal(response.status, 303);
        response = await post(
          {
            kind: 'practice',
            title: 'Pairing on nights',
            words: 'Nobody works alone.',
            imageDescription: '',
            space,
          },
          null,
        );
        assert.equal(response.status, 303);
        await amara.get(`/learning/spaces/${series}/${space}`);
        const entry = found(amara.lastBody, /href="\/learning\/entries\/([0-9a-f-]{36})">Our drawing/);
        assert.match(mainText(amara.lastBody), /Pairing on nights \(Know-how\)/);
        const image = await amara.get(`/learning/entries/${entry}/image`);
        assert.equal(image.headers.get('content-type'), 'image/png');
        assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png);
        await amara.get(`/learning/entries?kind=story&q=drawing`);
        assert.match(mainText(amara.lastBody), /Our drawing of the week/);

        await amara.get(`/learning/spaces/${series}/${space}`);
        assert.equal(
          (await amara.post(`/learning/spaces/${series}/${space}/actions`, { what: '', who: '', dueOn: '' }))
            .status,
          400,
        );
        await amara.post(`/learning/spaces/${series}/${space}/actions`, {
          what: 'Draft the paired rota',
          who: garethId,
          dueOn: '',
        });
        await amara.get(`/learning/spaces/${series}`);
        const second = [
          ...amara.lastBody.matchAll(/href="\/learning\/spaces\/[0-9a-f-]{36}\/([0-9a-f-]{36})"/g),
        ][1]![1]!;
        await amara.get(`/learning/spaces/${series}/${second}`);
        assert.match(
          mainText(amara.lastBody),
          /Draft the paired rota Who: Gareth · carried from an earlier date/,
        );
        const done = found(amara.lastBody, /action="(\/learning\/actions\/[0-9a-f-]{36}\/done)"/);
        await amara.post(done, { back: `/learning/spaces/${series}/${second}` });
        await amara.get(`/learning/spaces/${series}`);
        const third = [
          ...amara.lastBody.matchAll(/href="\/learning\/spaces\/[0-9a-f-]{36}\/([0-9a-f-]{36})"/g),
        ][2]![1]!;
        await amara.get(`/learning/spaces/${series}/${third}`);
        assert.doesNotMatch(mainText(amara.lastBody), /Draft the paired rota/);
      });

      it('is for the team: a person is turned away', async () => {
        assert.equal((await jordan.get('/learning/spaces')).status, 403);
        assert.equal((await jordan.get(`/learning/spaces/${series}/calendar.ics`)).status, 403);
      });
    });

    describe('change ideas', () => {
      it('goes ahead without permission when every answer is yes, and a lead keeps it on the wall', async () => {
        await tomasz.get('/learning/ideas/new');
        assert.equal(
          (await tomasz.post('/learning/ideas', { what: '', why: 'x', whoItHelps: '' })).status,
          400,
        );
        let response = await tomasz.post('/learning/ideas', {
          what: 'Walk-and-talk meetings by the river',
          why: 'Easier to talk side by side',
          whoItHelps: 'People who find rooms hard',
        });
        const idea = found(response.headers.get('location')!, /\/learning\/ideas\/([0-9a-f-]{36})/);
        await tomasz.get(`/learning/ideas/${idea}`);
        const yes = { safe: 'yes', legal: 'yes', cost: 'yes', undo: 'yes', wanted: 'yes', shared: 'yes' };
        response = await tomasz.post(`/learning/ideas/${idea}/check`, { ...yes, shared: '' });
        assert.equal(response.status, 400);
        assert.match(tomasz.lastBody, /id="shared-error"[\s\S]*Answer yes or no/);
        assert.match(tomasz.lastBody, /name="safe" type="radio" value="yes" checked/);
        assert.equal(
          (await amara.post(`/learning/ideas/${idea}/check`, yes)).status,
          404,
          'only the proposer checks it',
        );
        response = await tomasz.post(`/learning/ideas/${idea}/check`, yes);
        assert.match(response.headers.get('location')!, /done=goAhead/);
        await tomasz.get(`/learning/ideas/${idea}`);
        await tomasz.post(`/learning/ideas/${idea}/experiment`, {
          willTry: 'Three walks in May',
          howWeWillKnow: 'People ask for another',
          whatHappened: 'All three asked for another',
          whatWeLearned: 'Walking helps',
        });
        await amara.get(`/learning/ideas/${idea}`);
        await amara.post(`/learning/ideas/${idea}/support`, { on: 'yes' });
        await amara.post(`/learning/ideas/${idea}/comments`, { words: 'Lovely idea' });
        assert.equal((await amara.post(`/learning/ideas/${idea}/decide`, { decision: 'adopt' })).status, 404);
        await gareth.get(`/learning/ideas/${idea}`);
        assert.match(mainText(gareth.lastBody), /1 person supports this/);
        assert.match(mainText(gareth.lastBody), /Lovely idea/);
        assert.equal((await gareth.post(`/learning/ideas/${idea}/decide`, { decision: '' })).status, 400);
        assert.equal(
          (await gareth.post(`/learning/ideas/${idea}/decide`, { decision: 'adopt' })).status,
          303,
        );
        await jordan.get('/learning/ideas/wall');
        assert.match(mainText(jordan.lastBody), /Walk-and-talk meetings by the river By Tomasz on/);
      });

      it('goes to a lead when any answer is no; the lead replies in the app', async () => {
        await jordan.get('/learning/ideas/new');
        const response = await jordan.post('/learning/ideas', {
          what: 'Free lunches on Fridays',
          why: '',
          whoItHelps: '',
        });
        const idea = found(response.headers.get('location')!, /\/learning\/ideas\/([0-9a-f-]{36})/);
        await jordan.get(`/learning/ideas/${idea}`);
        const answer = await jordan.post(`/learning/ideas/${idea}/check`, {
          safe: 'yes',
          legal: 'yes',
          cost: 'no',
          undo: 'yes',
          wanted: 'yes',
          shared: 'yes',
        });
        assert.match(answer.headers.get('location')!, /done=withLead/);
        await gareth.get(`/learning/ideas/${idea}`);
        assert.match(mainText(gareth.lastBody), /Will it cost less than £100\? No/);
        await gareth.post(`/learning/ideas/${idea}/reply`, {
          goAhead: 'no',
          words: 'Not this year: the budget is spent.',
        });
        await jordan.get(`/learning/ideas/${idea}`);
        assert.match(mainText(jordan.lastBody), /Not now .*Not this year: the budget is spent/);
        const [other] = await query<{ id: string }>(
          database,
          cwmTeg,
          sql`select id from learning_change_idea limit 1`,
        );
        assert.equal((await gareth.get(`/learning/ideas/${other!.id}`)).status, 404);
        assert.equal((await gareth.post(`/learning/ideas/${other!.id}/support`, { on: 'yes' })).status, 404);
      });
    });

    it("keeps every other organisation's learning out of reach", async () => {
      const [ids] = await query<Record<string, string>>(
        database,
        cwmTeg,
        sql`select (select id::text from learning_culture_round limit 1) as round,
          (select id::text from learning_space_series limit 1) as series,
          (select id::text from learning_entry limit 1) as entry`,
      );
      for (const path of [
        `/learning/compass/${ids!.round}`,
        `/learning/spaces/${ids!.series}`,
        `/learning/entries/${ids!.entry}`,
        `/learning/entries/${ids!.entry}/image`,
      ])
        assert.equal((await amara.get(path)).status, 404, path);
      await rhian.get('/learning/challenges');
      assert.match(mainText(rhian.lastBody), /Heriau/);
      assert.doesNotMatch(rhian.lastBody, /night rota/);
    });

    it('gives the impact report figures that equal what is worked out by hand', async () => {
      const organisationId = crypto.randomUUID();
      await database.db.execute(
        sql`insert into organisation (id, slug, name) values (${organisationId}, ${`figures-${organisationId.slice(0, 8)}`}, 'Figures')`,
      );
      const [quarter, january] = await withOrganisation(database, { organisationId }, async (scope) => {
        const run = (text: ReturnType<typeof sql>) => scope.tx.execute(text);
        const one = async (text: ReturnType<typeof sql>) => (await rowsOf<{ id: string }>(run(text)))[0]!.id;
        const staff: string[] = [];
        for (const name of ['Ana', 'Ben', 'Cat', 'Dai', 'Eve', 'Fin'])
          staff.push(await createPerson(scope, { calledName: name, roles: ['coach'] }));
        const challenge = (raisedAt: string, answeredAt: string | null) =>
          run(sql`insert into learning_challenge (organisation_id, author_person_id, is_anonymous, addressed_to,
              what_is_wrong, status, answered_at, raised_at)
            values (${organisationId}, ${staff[0]}, false, 'leaders', 'The rota', ${answeredAt ? 'heard' : 'waiting'},
              ${answeredAt}, ${raisedAt})`);
        // Raised in the period: two in January, one in February, two in March (one at 23:30 on 31 March
        // in the UK). Answered in it: two in January (one raised in December), two in February.
        await challenge('2025-01-05T10:00:00Z', '2025-01-08T09:00:00Z'); // 2 whole days
        await challenge('2025-01-20T10:00:00Z', '2025-02-19T10:00:00Z'); // 30
        await challenge('2025-02-01T10:00:00Z', '2025-02-06T10:00:00Z'); // 5
        await challenge('2024-12-20T10:00:00Z', '2025-01-10T10:00:00Z'); // 21
        await challenge('2025-03-31T22:30:00Z', null);
        await challenge('2025-03-31T23:30:00Z', null); // 00:30 on 1 April in the UK
        await challenge('2025-03-01T10:00:00Z', '2025-03-31T23:30:00Z'); // answered in April

        const experiment = async (cycles: [string | null, string | null][]) => {
          const idea = await one(sql`insert into learning_change_idea (organisation_id, what, status)
            values (${organisationId}, 'Try a quiet hour', 'experiment') returning id`);
          for (const [index, [decision, at]] of cycles.entries())
            await run(sql`insert into learning_experiment (organisation_id, idea_id, cycle, decision, decided_at)
              values (${organisationId}, ${idea}, ${index + 1}, ${decision}, ${at})`);
        };
        await experiment([['adopt', '2025-01-15T10:00:00Z']]);
        await experiment([
          ['adapt', '2025-02-10T10:00:00Z'],
          ['adopt', '2025-03-31T22:30:00Z'],
        ]);
        await experiment([['stop', '2025-03-31T23:30:00Z']]);
        await experiment([[null, null]]);
        await experiment([['adopt', '2024-12-31T23:30:00Z']]);

        const series = await one(sql`insert into learning_space_series (organisation_id, name)
          values (${organisationId}, 'Reflective practice') returning id`);
        const space = async (startsAt: string, came: number) => {
          const id = await one(sql`insert into learning_space (organisation_id, series_id, starts_at)
            values (${organisationId}, ${series}, ${startsAt}) returning id`);
          for (const personId of staff.slice(0, came))
            await run(sql`insert into learning_attendance (organisation_id, space_id, person_id)
              values (${organisationId}, ${id}, ${personId})`);
        };
        await space('2025-01-10T10:00:00Z', 3);
        await space('2025-02-14T10:00:00Z', 0); // nobody came: not held
        await space('2025-03-31T22:30:00Z', 2);
        await space('2025-03-31T23:30:00Z', 4); // April in the UK

        const points = (aspect: number[]) =>
          `{${Array.from({ length: 6 }, () => aspect.join(',')).join(',')}}`;
        const round = async (openedAt: string, answers: number[][]) => {
          const id = await one(sql`insert into learning_culture_round (organisation_id, name, opened_at)
            values (${organisationId}, 'Round', ${openedAt}) returning id`);
          for (const [index, aspect] of answers.entries())
            await run(sql`insert into learning_culture_response (organisation_id, round_id, person_id, now_points,
                preferred_points)
              values (${organisationId}, ${id}, ${staff[index]}, ${points(aspect)}::smallint[],
                ${points([25, 25, 25, 25])}::smallint[])`);
        };
        const fiveTimes = (aspect: number[]) => Array.from({ length: 5 }, () => aspect);
        await round('2024-12-01T10:00:00Z', fiveTimes([10, 10, 40, 40])); // before the period
        await round('2025-01-10T10:00:00Z', fiveTimes([40, 30, 20, 10]));
        await round('2025-02-10T10:00:00Z', fiveTimes([0, 0, 0, 100]).slice(0, 4)); // four answers: left out
        await round('2025-03-20T10:00:00Z', [
          [55, 25, 10, 10],
          [55, 25, 10, 10],
          [55, 25, 10, 10],
          [31, 29, 30, 10],
          [31, 29, 30, 10],
        ]);

        const checkIn = (personId: string, at: string) =>
          run(sql`insert into learning_check_in (organisation_id, person_id, position, checked_in_at)
            values (${organisationId}, ${personId}, 3, ${at})`);
        for (const personId of staff.slice(0, 4)) await checkIn(personId, '2025-01-12T10:00:00Z');
        await checkIn(staff[0]!, '2025-02-12T10:00:00Z');
        await checkIn(staff[4]!, '2025-03-12T10:00:00Z');
        await checkIn(staff[5]!, '2025-03-31T23:30:00Z'); // April in the UK

        return [
          await learning.statistics!(scope, periodOf('2025-01', '2025-03')!),
          await learning.statistics!(scope, periodOf('2025-01', '2025-01')!),
        ];
      });
      const figure = (key: string) => quarter.find((f) => f.key === key)!;
      assert.deepEqual(
        { ...figure('challenges-raised') },
        {
          key: 'challenges-raised',
          label: 'statistics.challengesRaised',
          section: 'learning',
          unit: 'count',
          value: 5,
          byMonth: [2, 1, 2],
          derivation: { label: 'statistics.from.challengesRaised', values: { challenges: 5 } },
          countsPeople: false,
        },
      );
      assert.equal(figure('challenges-answered').value, 4);
      assert.deepEqual(figure('challenges-answered').byMonth, [2, 2, 0]);
      // Days to answer 2, 5, 21 and 30: the middle value 5, the middle half from 2 to 21.
      assert.equal(figure('challenge-median-days').value, 5);
      assert.equal(figure('challenge-median-days').unit, 'days');
      assert.deepEqual(figure('challenge-median-days').spread, { lower: 2, upper: 21 });
      assert.equal(figure('challenge-median-days').byMonth, undefined);
      assert.equal(figure('experiments-adopted').value, 2);
      assert.deepEqual(figure('experiments-adopted').byMonth, [1, 0, 1]);
      assert.equal(figure('experiments-adapted').value, 1);
      assert.deepEqual(figure('experiments-adapted').byMonth, [0, 1, 0]);
      assert.equal(figure('experiments-stopped').value, 0);
      assert.equal(figure('spaces-held').value, 2);
      assert.deepEqual(figure('spaces-held').byMonth, [1, 0, 1]);
      assert.equal(figure('space-attendance').value, 5);
      assert.deepEqual(figure('space-attendance').byMonth, [3, 0, 2]);
      // The January round (40/30/20/10) against the March one (45.4/26.6/18/10); February's four left out.
      assert.deepEqual(
        ['collaborate', 'create', 'compete', 'control'].map(
          (culture) => figure(`culture-shift-${culture}`).value,
        ),
        [5.4, -3.4, -2, 0],
      );
      assert.equal(figure('culture-shift-create').unit, 'rate');
      assert.equal(figure('culture-shift-create').section, 'culture');
      assert.deepEqual(figure('culture-shift-create').derivation.values, {
        rounds: 2,
        firstAnswers: 5,
        lastAnswers: 5,
      });
      // Five people checked in (six check-ins); a sixth person's was in April.
      assert.equal(figure('check-in-people').value, 5);
      assert.equal(figure('check-in-people').countsPeople, true);
      assert.deepEqual(figure('check-in-people').derivation.values, { checkIns: 6 });
      assert.equal(quarter.filter((f) => f.countsPeople).length, 1);

      // January alone: four people checked in and one round was answered, so neither is a figure.
      const keys = january.map((f) => f.key);
      assert.ok(!keys.includes('check-in-people'));
      assert.ok(!keys.some((key) => key.startsWith('culture-shift')));
      // Two answers in January (2 and 21 days): the middle value taken is the lower, a wait one really had.
      assert.equal(january.find((f) => f.key === 'challenge-median-days')?.value, 2);
    });

    it('gives a person their own export', async () => {
      const exported = (await withOrganisation(database, { organisationId: riverside }, (scope) =>
        learning.exportPerson!(scope, amaraId, recordWriter()),
      )) as { wellbeingCheckIns: unknown[]; challenges: unknown[] };
      assert.ok(exported.wellbeingCheckIns.length > 1);
      assert.ok(JSON.stringify(exported).includes('xq-7731'), 'their own private words are theirs to take');
    });
  });
}
