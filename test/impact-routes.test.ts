import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/core/database/connect.ts';
import { rowsOf, withSystem } from '../src/core/database/tenancy.ts';
import { defineModule, type Statistic } from '../src/core/module.ts';
import { lastWholeMonths } from '../src/core/periods.ts';
import { modules } from '../src/modules/index.ts';
import { buildTestApp, Visitor } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';
import { readPdf } from './helpers/pdf.ts';

const riverside = '00000000-0000-4000-8000-000000000001';
const jordan = '00000000-0000-4000-8100-000000000006';

/**
 * A module of known figures, so the report's own rules (small numbers, secondary suppression, rates
 * from rounded figures, costs) are checked against hand-worked answers; every real module is loaded too.
 */
const fixture = defineModule({
  id: 'fixture-figures',
  catalogues: {
    en: {
      statistics: {
        supported: 'People in the fixture',
        new: 'New to the fixture',
        returning: 'Back in the fixture',
        bedDays: 'Fixture bed days',
        uses: 'Fixture uses',
        rate: 'Fixture uses per 1,000 bed days',
        forced: 'Fixture people with force',
        from: 'Worked out from {{records}} fixture records',
      },
    },
    cy: {
      statistics: {
        supported: 'Pobl yn y gosodiad',
        new: 'Newydd i’r gosodiad',
        returning: 'Yn ôl yn y gosodiad',
        bedDays: 'Diwrnodau gwely’r gosodiad',
        uses: 'Defnyddiau’r gosodiad',
        rate: 'Defnyddiau’r gosodiad fesul 1,000 diwrnod gwely',
        forced: 'Pobl y gosodiad y defnyddiwyd grym arnyn nhw',
        from: 'Wedi’i gyfrifo o {{records}} cofnod y gosodiad',
      },
    },
  },
  async statistics(_scope, period) {
    const three = (a: number, b: number, c: number) => [...period.months.slice(0, -3).map(() => 0), a, b, c];
    const derivation = { label: 'statistics.from', values: { records: 412 } };
    const figures: Statistic[] = [
      {
        key: 'supported',
        label: 'statistics.supported',
        section: 'reach',
        unit: 'people',
        value: 43,
        byMonth: three(20, 3, 20),
        derivation,
        countsPeople: true,
      },
      {
        key: 'new',
        label: 'statistics.new',
        section: 'reach',
        unit: 'people',
        value: 3,
        derivation,
        countsPeople: true,
        partOf: 'supported',
      },
      {
        key: 'returning',
        label: 'statistics.returning',
        section: 'reach',
        unit: 'people',
        value: 40,
        derivation,
        countsPeople: true,
        partOf: 'supported',
      },
      {
        key: 'bed-days',
        label: 'statistics.bedDays',
        section: 'restrictive-practice',
        unit: 'days',
        value: 1003,
        byMonth: three(300, 350, 353),
        derivation,
        countsPeople: false,
        costable: true,
      },
      {
        key: 'uses',
        label: 'statistics.uses',
        section: 'restrictive-practice',
        unit: 'count',
        value: 12,
        byMonth: three(4, 4, 4),
        derivation,
        countsPeople: false,
      },
      {
        key: 'rate',
        label: 'statistics.rate',
        section: 'restrictive-practice',
        unit: 'rate',
        value: 12,
        derivation,
        countsPeople: false,
        rate: { numerator: 'forced', denominator: 'bed-days', per: 1000 },
      },
      {
        key: 'forced',
        label: 'statistics.forced',
        section: 'restrictive-practice',
        unit: 'people',
        value: 12,
        derivation,
        countsPeople: true,
      },
      // A name an organisation typed (as a barrier system's is), which a spreadsheet must never run.
      {
        key: 'typed-name',
        label: '=HYPERLINK("http://evil.example")',
        section: 'barriers',
        unit: 'count',
        value: 5,
        derivation,
        countsPeople: false,
      },
    ];
    return figures;
  },
});

async function query<T>(database: Database, text: ReturnType<typeof sql>) {
  return withSystem(database, (tx) => rowsOf<T>(tx.execute(text)));
}

/** The words of a page without its markup, so figures can be found as a reader sees them. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The figure shown straight after a figure's heading. */
function figureAfter(html: string, label: string): string {
  const text = words(html);
  const at = text.indexOf(` ${label} `);
  assert.ok(at >= 0, `"${label}" is on the page`);
  return text
    .slice(at + label.length + 2)
    .split(' Worked out')[0]!
    .trim();
}

for (const kind of databaseKinds()) {
  describe(`impact report on ${kind.name}`, () => {
    let database: Database;
    let built: Awaited<ReturnType<typeof buildTestApp>>;
    let lead: Visitor;
    let funder: Visitor;
    const period = lastWholeMonths(3);
    const from = period.months[0]!;
    const to = period.months.at(-1)!;

    before(async () => {
      database = await kind.open();
      built = await buildTestApp(database, { modules: [...modules, fixture] });
      lead = new Visitor(built.app, '203.0.113.30');
      await lead.signIn('admin@riverside.example');
      funder = new Visitor(built.app, '203.0.113.31');
      await funder.signIn('funder@riverside.example');
    });
    after(async () => {
      await database.close();
    });

    it('shows the team its own figures exactly, and the version for outside with small numbers hidden', async () => {
      const exact = await lead.get(`/impact?from=${from}&to=${to}`);
      assert.equal(exact.status, 200);
      const team = await exact.text();
      assert.equal(figureAfter(team, 'People in the fixture'), '43');
      assert.equal(figureAfter(team, 'New to the fixture'), '3');
      assert.equal(figureAfter(team, 'Fixture people with force'), '12');
      // 12 people per 1,003 bed days, exactly.
      assert.equal(figureAfter(team, 'Fixture uses per 1,000 bed days'), '12');
      assert.match(words(team), /These are the team's own figures/);

      const shared = await (await lead.get(`/impact?from=${from}&to=${to}&view=outside`)).text();
      assert.equal(figureAfter(shared, 'New to the fixture'), 'fewer than 8');
      assert.equal(figureAfter(shared, 'Back in the fixture'), '40');
      // One part hidden: the total would give it away by subtraction, so it is hidden too.
      assert.equal(
        figureAfter(shared, 'People in the fixture'),
        'not shown (it would give a small number away)',
      );
      assert.equal(figureAfter(shared, 'Fixture people with force'), '10');
      // The rate is worked out from the rounded 10, not the real 12: 10 × 1,000 ÷ 1,003.
      assert.equal(figureAfter(shared, 'Fixture uses per 1,000 bed days'), '10');
      // Bed days are not people: shown as they are.
      assert.equal(figureAfter(shared, 'Fixture bed days'), '1,003 days');
      assert.match(words(shared), /any count of people from 1 to 7 is shown as "fewer than 8"/);
      // The month with 3 people is "fewer than 8", and the smallest other month is hidden with it.
      const table = words(shared.slice(shared.indexOf('People in the fixture: the figures by month')));
      assert.match(table, /fewer than 8/);
      assert.match(table, /not shown/);
      assert.ok(team.includes('Worked out from 412 fixture records'));
    });

    it('gives a funder only the version for outside, whatever they ask for', async () => {
      const page = await (await funder.get(`/impact?from=${from}&to=${to}&view=team`)).text();
      assert.equal(figureAfter(page, 'New to the fixture'), 'fewer than 8');
      assert.doesNotMatch(page, /name="view"/);
      assert.equal((await funder.get('/impact/settings')).status, 403);
      assert.equal((await funder.get('/impact/shares')).status, 403);
      const csv = await (await funder.get(`/impact/report.csv?from=${from}&to=${to}&view=team`)).text();
      assert.match(csv, /New to the fixture/);
      assert.doesNotMatch(csv, /New to the fixture,[^\r\n]*,3,/);
    });

    it('reaches no personal data as a funder on any page the app has', async () => {
      // A name an author chose to show on a public story is theirs to publish; every other name is not.
      const published = new Set(
        (
          await query<{ name: string }>(
            database,
            sql`select shown_name as name from story where scope = 'public' and withdrawn_at is null and shown_name is not null`,
          )
        ).map((row) => row.name),
      );
      const names = [
        'Jordan',
        'Amara',
        'Tomasz',
        'Helen Morgan',
        'Nia Williams',
        'Marcus',
        'Dev',
        'Gareth',
        'Sam',
      ].filter((name) => !published.has(name.split(' ')[0]!));
      assert.ok(names.length >= 4, names.join(', '));
      const ids: Record<string, string> = {};
      const [someone] = await query<{ id: string }>(
        database,
        sql`select id from person where id = ${jordan}`,
      );
      const fill = (path: string) =>
        path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_match, name: string) => {
          ids[name] ??= someone!.id;
          return ids[name]!;
        });
      const paths = [
        ...new Set(
          built.app.routes
            .filter((route) => route.method === 'GET' && !route.path.includes('*'))
            .map((route) => fill(route.path)),
        ),
      ];
      assert.ok(paths.length > 60, `walked ${paths.length} pages`);
      let opened = 0;
      for (const path of paths) {
        const response = await funder.get(path);
        assert.ok(response.status < 500, `${path} answered ${response.status}`);
        if (response.status !== 200) continue;
        opened += 1;
        const body = await response.text();
        for (const name of names)
          assert.ok(!new RegExp(`\\b${name}\\b`).test(body), `${path} shows ${name} to a funder`);
      }
      assert.ok(opened > 0);
      // A person's record pages by their id are not found, exactly as for anyone who may not see them.
      for (const path of [`/coaching/people/${jordan}`, `/admin/people/${jordan}`])
        assert.ok([403, 404].includes((await funder.get(path)).status), path);
      assert.equal((await funder.get(`/coaching/people/${jordan}`)).status, 404);
    });

    it('keeps what was typed when a unit cost is wrong, and labels a cost comparison as an estimate', async () => {
      await lead.get('/impact/settings');
      const wrong = await lead.post('/impact/settings/costs', {
        name: 'A bed day',
        figure: 'fixture-figures:bed-days',
        pounds: 'five hundred',
        source: 'Our finance team, 2025 budget',
        year: '2025',
      });
      assert.equal(wrong.status, 400);
      const body = await wrong.text();
      assert.match(body, /Enter an amount in pounds/);
      assert.match(body, /value="five hundred"/);
      assert.match(body, /value="Our finance team, 2025 budget"/);

      const notCostable = await lead.post('/impact/settings/costs', {
        name: 'A person',
        figure: 'fixture-figures:forced',
        pounds: '10',
        source: 'x',
        year: '2025',
      });
      assert.equal(notCostable.status, 400);
      assert.match(await notCostable.text(), /Choose the figure this cost applies to/);

      const added = await lead.post('/impact/settings/costs', {
        name: 'A bed day',
        figure: 'fixture-figures:bed-days',
        pounds: '500',
        source: 'Our finance team, 2025 budget',
        year: '2025',
      });
      assert.equal(added.status, 303);
      const report = words(await (await lead.get(`/impact?from=${from}&to=${to}`)).text());
      assert.match(
        report,
        /An estimate, not a saving proved: 1,003 days at £500.00 for A bed day is £501,500.00\. Unit cost from Our finance team, 2025 budget, 2025\./,
      );
      const [cost] = await query<{ id: string }>(
        database,
        sql`select id from impact_unit_cost where name = 'A bed day'`,
      );
      await lead.get('/impact/settings');
      assert.equal((await lead.post(`/impact/settings/costs/${cost!.id}/remove`, {})).status, 303);
      assert.doesNotMatch(
        words(await (await lead.get(`/impact?from=${from}&to=${to}`)).text()),
        /A bed day is/,
      );
    });

    it('lets an organisation make the threshold stricter, never looser', async () => {
      await lead.get('/impact/settings');
      const looser = await lead.post('/impact/settings/threshold', { fewerThan: '5' });
      assert.equal(looser.status, 400);
      assert.match(await looser.text(), /Enter a whole number from 8 to 30/);
      await lead.get('/impact/settings');
      assert.equal((await lead.post('/impact/settings/threshold', { fewerThan: '13' })).status, 303);
      const page = await (await funder.get(`/impact?from=${from}&to=${to}`)).text();
      assert.equal(figureAfter(page, 'Fixture people with force'), 'fewer than 13');
      assert.match(words(page), /from 1 to 12 is shown as "fewer than 13"/);
      await lead.get('/impact/settings');
      await lead.post('/impact/settings/threshold', { fewerThan: '8' });
    });

    it('says kindly what is wrong with a period and keeps the months chosen', async () => {
      const response = await lead.get(`/impact?from=${to}&to=${from}`);
      if (from === to) return;
      assert.equal(response.status, 400);
      const body = await response.text();
      assert.match(body, /The last month must be the same as or after the first/);
      assert.match(body, new RegExp(`<option value="${to}" selected`));
      assert.equal((await lead.get('/impact?from=1999-01&to=2999-01')).status, 400);
    });

    it('downloads a formula-safe CSV, one row per figure and month, and a tagged PDF', async () => {
      const raw = Buffer.from(
        await (await lead.get(`/impact/report.csv?from=${from}&to=${to}&view=outside`)).arrayBuffer(),
      );
      // A byte order mark first, so a spreadsheet reads Welsh letters as UTF-8.
      assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const csv = raw.subarray(3).toString('utf8');
      assert.ok(csv.startsWith('Period,'));
      assert.match(csv, /'=HYPERLINK/);
      assert.doesNotMatch(csv, /,=HYPERLINK/);
      const supportedRows = csv.split('\r\n').filter((line) => line.includes('fixture-figures:supported'));
      assert.equal(supportedRows.length, 1 + period.months.length);
      assert.match(csv, /fixture-figures:new,whole period,,fewer than 8,people/);
      const pdfResponse = await lead.get(`/impact/report.pdf?from=${from}&to=${to}&view=outside`);
      assert.equal(pdfResponse.headers.get('content-type'), 'application/pdf');
      const bytes = new Uint8Array(await pdfResponse.arrayBuffer());
      const pdf = readPdf(bytes);
      assert.match(pdf.text, /fewer than 8/);
      assert.match(pdf.text, /People in the fixture/);
      assert.ok(pdf.marked.some((piece) => piece.tag === 'H2'));
      assert.match(Buffer.from(bytes).toString('latin1'), /\/Lang \(en-GB\)/);
      const welsh = await lead.get(`/impact/report.pdf?from=${from}&to=${to}&view=outside`);
      assert.equal(welsh.status, 200);
    });

    it('opens a share link without signing in, counts every opening, and opens nothing once revoked', async () => {
      await lead.get('/impact/shares');
      const wrong = await lead.post('/impact/shares', { label: '', from, to, days: '400' });
      assert.equal(wrong.status, 400);
      await lead.get('/impact/shares');
      const made = await lead.post('/impact/shares', {
        label: 'The Lottery grant officer',
        from,
        to,
        days: '30',
      });
      assert.equal(made.status, 200);
      const link = /\/impact\/shared\/([A-Za-z0-9_-]+)/.exec(await made.text());
      assert.ok(link, 'the link is shown once');
      const stranger = new Visitor(built.app, '203.0.113.32');
      const opened = await stranger.get(`/impact/shared/${link[1]}`);
      assert.equal(opened.status, 200);
      const page = await opened.text();
      assert.equal(figureAfter(page, 'New to the fixture'), 'fewer than 8');
      assert.match(page, /Shared with The Lottery grant officer/);
      assert.equal((await stranger.get(`/impact/shared/${link[1]}/report.csv`)).status, 200);
      const [share] = await query<{ id: string; opened: number }>(
        database,
        sql`select id, opened_count as opened from impact_share where label = 'The Lottery grant officer'`,
      );
      assert.equal(share!.opened, 2);
      const [audited] = await query<{ n: number }>(
        database,
        sql`select count(*)::int as n from audit_event where subject_type = 'impact-share' and action = 'read'
          and subject_id = ${share!.id}`,
      );
      assert.equal(audited!.n, 2);

      // Another organisation's lead cannot revoke it.
      const other = new Visitor(built.app, '203.0.113.33');
      await other.signIn('admin@cwmteg.example');
      await other.get('/impact/shares');
      assert.equal((await other.post(`/impact/shares/${share!.id}/revoke`, {})).status, 404);
      assert.equal((await stranger.get(`/impact/shared/${link[1]}`)).status, 200);

      await lead.get('/impact/shares');
      assert.equal((await lead.post(`/impact/shares/${share!.id}/revoke`, {})).status, 303);
      assert.equal((await stranger.get(`/impact/shared/${link[1]}`)).status, 404);
      assert.equal((await stranger.get(`/impact/shared/${link[1]}/report.pdf`)).status, 404);
      assert.equal((await stranger.get('/impact/shared/not-a-real-secret-at-all-000000')).status, 404);
    });

    it('opens nothing once a share link has run out', async () => {
      await lead.get('/impact/shares');
      const made = await lead.post('/impact/shares', { label: 'The board', from, to, days: '1' });
      const token = /\/impact\/shared\/([A-Za-z0-9_-]+)/.exec(await made.text())![1]!;
      const stranger = new Visitor(built.app, '203.0.113.34');
      assert.equal((await stranger.get(`/impact/shared/${token}`)).status, 200);
      await withSystem(database, (tx) =>
        tx.execute(
          sql`update impact_share set expires_at = now() - interval '1 minute' where label = 'The board'`,
        ),
      );
      assert.equal((await stranger.get(`/impact/shared/${token}`)).status, 404);
    });

    it('shows every real module’s figures in English and Welsh, with no record for another organisation', async () => {
      const english = await lead.get('/impact');
      assert.equal(english.status, 200);
      const welshVisitor = new Visitor(built.app, '203.0.113.35');
      await welshVisitor.signIn('admin@cwmteg.example');
      await welshVisitor.get('/language/cy?next=/impact');
      const welsh = await welshVisitor.get('/impact');
      assert.equal(welsh.status, 200);
      const text = await welsh.text();
      assert.match(text, /Pa wahaniaeth mae&#39;r gwaith yn ei wneud|Pa wahaniaeth mae'r gwaith yn ei wneud/);
      assert.doesNotMatch(text, /People in the fixture/);
      // Riverside's unit costs are not Cwm Teg's.
      const [cost] = await query<{ id: string }>(
        database,
        sql`insert into impact_unit_cost (organisation_id, name, figure, pence, source, year)
          values (${riverside}, 'Riverside only', 'fixture-figures:bed-days', 100, 'x', 2025) returning id`,
      );
      await welshVisitor.get('/impact/settings');
      assert.equal((await welshVisitor.post(`/impact/settings/costs/${cost!.id}/remove`, {})).status, 404);
    });
  });
}
