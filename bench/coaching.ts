/**
 * Coaching figures (not a test): an organisation with 5,000 people supported and 100,000
 * conversations, then the median and 95th-percentile time of the pages people use most, through
 * `app.request()`: the coach's list, a person's page for the coach, and the person's own view.
 * PGlite by default (PGLITE=memory for no disk); BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL with a pool.
 *   npm run bench:coaching            (PEOPLE=5000 CONVERSATIONS=100000 ROUNDS=200 by default)
 */
import { sql } from 'drizzle-orm';
import { migrate } from '../src/core/database/migrate.ts';
import { withSystem } from '../src/core/database/tenancy.ts';
import { migrationSources } from '../src/modules/index.ts';
import { buildTestApp, Visitor } from '../test/helpers/app.ts';
import { openBenchDatabase } from './bench-database.ts';

const people = Number(process.env.PEOPLE ?? 5_000);
const conversations = Number(process.env.CONVERSATIONS ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 200);
const riverside = '00000000-0000-4000-8000-000000000001';
const amara = '00000000-0000-4000-8100-000000000003';
const gareth = '00000000-0000-4000-8100-000000000002';
const jordan = '00000000-0000-4000-8100-000000000006';

const { database, drop } = await openBenchDatabase();
const kind = database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
try {
  await migrate(database, migrationSources());
  const { app } = await buildTestApp(database);
  const filling = performance.now();
  // Bulk rows straight in as the owner: the figures are about reading, and filling one by one would take hours.
  await withSystem(database, async (tx) => {
    await tx.execute(sql`insert into person (id, organisation_id, called_name)
      select ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, ${riverside}, 'Person ' || g
      from generate_series(1, ${people}) g`);
    await tx.execute(sql`insert into membership (organisation_id, person_id, role)
      select ${riverside}, ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, 'person' from generate_series(1, ${people}) g`);
    // With Jordan, in the team Amara and Gareth coach (the demo's one team), as a real caseload would be.
    await tx.execute(sql`insert into team_person (organisation_id, team_id, person_id)
      select ${riverside}, (select team_id from team_person where person_id = ${jordan} and until is null limit 1),
        ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid from generate_series(1, ${people}) g`);
    await tx.execute(sql`insert into coaching_support (organisation_id, person_id, coach_id, status, started_at)
      select ${riverside}, ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
        case when g % 5 = 0 then ${amara}::uuid else ${gareth}::uuid end, 'active', now() - interval '1 year'
      from generate_series(1, ${people}) g`);
    await tx.execute(sql`insert into coaching_entry (organisation_id, person_id, kind, written_by, talked_about, next_steps, created_at)
      select ${riverside}, case when g % 250 = 0 then ${jordan}::uuid
          else ('00000000-0000-4000-9000-' || lpad((1 + g % ${people})::text, 12, '0'))::uuid end,
        'conversation', ${amara}, 'We talked about the week, the flat and what comes next. ' || g, 'Phone the council.',
        now() - (g || ' minutes')::interval
      from generate_series(1, ${conversations}) g`);
    await tx.execute(sql`update coaching_support s set last_conversation_at = e.at
      from (select person_id, max(created_at) as at from coaching_entry group by person_id) e
      where e.person_id = s.person_id`);
    await tx.execute(sql`analyze`);
  });
  console.log(
    `${kind}: filled ${people} people and ${conversations} conversations in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
  );

  const coach = new Visitor(app, '198.51.100.1');
  await coach.signIn('coach@riverside.example');
  const person = new Visitor(app, '198.51.100.2');
  await person.signIn('person@riverside.example');
  const someone = '00000000-0000-4000-9000-000000002500';
  const pages: [string, Visitor, string][] = [
    ["coach's list (my people)", coach, '/coaching'],
    ["coach's list, page 20", coach, '/coaching?page=20'],
    ["coach's list (everyone)", coach, '/coaching?everyone=yes'],
    ["coach's list, a search", coach, '/coaching?search=Person%2025&everyone=yes'],
    ["a person's page for the coach", coach, `/coaching/people/${someone}`],
    ["a person's conversations for the coach", coach, `/coaching/people/${someone}/everything`],
    ["the person's own space", person, '/me'],
    ["the person's own 'everything about me'", person, '/me/everything'],
  ];
  for (const [name, visitor, path] of pages) {
    const times: number[] = [];
    for (let round = 0; round < rounds + 10; round++) {
      const started = performance.now();
      const response = await visitor.get(path);
      const took = performance.now() - started;
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      if (round >= 10) times.push(took); // the first few warm the caches
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(
      `${kind}: ${name.padEnd(42)} median ${at(0.5).padStart(6)} ms   95th percentile ${at(0.95).padStart(6)} ms`,
    );
  }
} finally {
  await drop();
}
