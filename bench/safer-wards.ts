/**
 * Safer wards figures (not a test), on a fresh database with the demo organisations loaded:
 *   filled set-based as the owner: 30 wards of 16 beds with 3 years of admissions and discharges, and
 *   20,000 uses of force with their types and staff, each within a stay;
 *   (a) the ward dashboard's figures, wardFigures(scope, wardId), for every ward, ROUNDS times round,
 *       and GET /wards/<id>/dashboard through the app (app.request, as bench:coaching does) signed in
 *       as a ward manager, when the module's routes are there;
 *   (b) the statutory export of all the records: forceRecordsBatch 500 at a time in key order, as the
 *       export route does, each row written with csvCell into a sink that only counts: time and peak
 *       resident memory (sampled every 20 ms).
 *   npm run bench:wards                                (PGlite, durable, as `npm start` opens it)
 *   BENCH_DATABASE_URL=postgres://… npm run bench:wards (a throwaway database on that server)
 * WARDS, FORCE and ROUNDS change the sizes.
 */

import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate } from '../src/core/database/migrate.ts';
import { rowsOf, withOrganisation, withSystem } from '../src/core/database/tenancy.ts';
import { addToDay, todayInUk } from '../src/core/dates.ts';
import { createTranslator } from '../src/core/i18n/index.ts';
import { migrationSources, modules } from '../src/modules/index.ts';
import { wardFigures } from '../src/modules/safer-wards/figures.ts';
import { exportBatch, writeForceCsv } from '../src/modules/safer-wards/statutory-export.ts';
import { buildTestApp, Visitor } from '../test/helpers/app.ts';
import { openBenchDatabase } from './bench-database.ts';
import { peakMemory, percentile } from './measure.ts';

const wards = Number(process.env.WARDS ?? 30);
const uses = Number(process.env.FORCE ?? 20_000);
const rounds = Number(process.env.ROUNDS ?? 2);
const beds = 16;
const years = 3;
const glanHafren = '00000000-0000-4000-8000-000000000003';
const owen = '00000000-0000-4000-8300-000000000002';

const ms = (value: number) => value.toFixed(1);

// The module's migration, whether or not the module is listed yet.
const wardsListed = modules.some((module) => module.id === 'safer-wards');
const sources = wardsListed
  ? migrationSources()
  : [
      ...migrationSources(),
      {
        source: 'safer-wards',
        directory: fileURLToPath(new URL('../src/modules/safer-wards/migrations', import.meta.url)),
      },
    ];

const { database, drop } = await openBenchDatabase();
const kind = database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
const table: [string, string][] = [];
try {
  await migrate(database, sources);
  const { app } = await buildTestApp(database);
  const filling = performance.now();
  // Straight in as the owner, set-based: the figures are about reading, not about admitting one by one.
  const wardIds = await withSystem(database, async (tx) => {
    await tx.execute(sql`insert into team (id, organisation_id, name, kind, beds)
      select md5('bench-ward-' || w)::uuid, ${glanHafren}::uuid, 'Bench ward ' || w, 'ward', ${beds}
      from generate_series(1, ${wards}) w`);
    // Twenty staff, and Owen (the demo's ward manager) leading every ward.
    await tx.execute(sql`insert into person (id, organisation_id, called_name)
      select md5('bench-staff-' || n)::uuid, ${glanHafren}::uuid, 'Staff ' || n from generate_series(1, 20) n`);
    await tx.execute(sql`insert into team_member (organisation_id, team_id, person_id, role)
      select ${glanHafren}::uuid, md5('bench-ward-' || w)::uuid, ${owen}, 'lead' from generate_series(1, ${wards}) w
      union all
      select ${glanHafren}::uuid, md5('bench-ward-' || w)::uuid, md5('bench-staff-' || n)::uuid, 'coach'
      from generate_series(1, ${wards}) w, generate_series(1, 20) n`);
    // Each bed: stays of 20 to 49 days (its own length) one after another, a day empty between, the
    // last still open; one person each.
    await tx.execute(sql`create temporary table bench_stay on commit drop as
      select md5('bench-stay-' || w || '-' || b || '-' || k)::uuid as id,
        md5('bench-ward-' || w)::uuid as team_id,
        md5('bench-patient-' || w || '-' || b || '-' || k)::uuid as person_id,
        now() - interval '${sql.raw(String(years * 365))} days' + (k * (len + 1) || ' days')::interval
          + ((b * 37 + k * 11) % 480 || ' minutes')::interval as admitted_at,
        len
      from generate_series(1, ${wards}) w, generate_series(1, ${beds}) b,
        lateral (select 20 + (w * 7 + b * 13) % 30 as len) l,
        lateral generate_series(0, (${years * 365} / (len + 1))) k`);
    await tx.execute(sql`insert into person (id, organisation_id, called_name)
      select person_id, ${glanHafren}::uuid, 'Patient ' || left(person_id::text, 8) from bench_stay`);
    await tx.execute(sql`insert into ward_stay (id, organisation_id, team_id, person_id, admitted_at, discharged_at)
      select id, ${glanHafren}::uuid, team_id, person_id, admitted_at,
        case when admitted_at + (len || ' days')::interval < now() then admitted_at + (len || ' days')::interval end
      from bench_stay where admitted_at < now()`);
    // Uses of force spread over the stays, each inside its stay: physical (every fourth face down),
    // seclusion after every seventh, rapid tranquillisation after every tenth; two or three staff.
    await tx.execute(sql`create temporary table bench_force on commit drop as
      with s as (
        select id, team_id, person_id, admitted_at, coalesce(discharged_at, now()) as until,
          row_number() over (order by id) as n, count(*) over () as total
        from ward_stay where organisation_id = ${glanHafren} and team_id in (
          select md5('bench-ward-' || w)::uuid from generate_series(1, ${wards}) w))
      select md5('bench-force-' || g)::uuid as id, g, s.team_id, s.person_id,
        -- To the millisecond, as the app writes times (a JavaScript Date holds no finer).
        date_trunc('milliseconds',
          s.admitted_at + (s.until - s.admitted_at) * (0.05 + 0.9 * ((g * 7919) % 1000) / 1000.0)) as started_at
      from generate_series(1, ${uses}) g
      join s on s.n = 1 + (g::bigint * 104729) % s.total`);
    await tx.execute(sql`insert into force_record (id, organisation_id, team_id, person_id, status, version, place,
        started_at, ended_at, reason, description, in_care_plan, plan_items_tried, efforts, non_staff, outcome,
        harm, people_told, people_told_details, signed_off_by_person_id, signed_off_at, created_at)
      select id, ${glanHafren}::uuid, team_id, person_id, case when g % 50 = 0 then 'draft' else 'signed-off' end, 2,
        'Lounge', started_at, started_at + interval '12 minutes',
        'To keep them safe: they were hitting their head against the wall and could not stop when asked.',
        'Two staff held their arms while a third talked with them throughout; released after a few minutes.',
        'yes', array['Music and headphones', 'The quiet room'],
        'We offered the quiet room and a warm drink, and their named nurse talked with them first.', 'none',
        'They settled in the quiet room and later had tea with staff.', 'none', 'yes',
        'Their sister was phoned the same day.', case when g % 50 = 0 then null else ${owen}::uuid end,
        case when g % 50 = 0 then null else started_at + interval '1 day' end, started_at + interval '2 hours'
      from bench_force`);
    await tx.execute(sql`insert into force_type_used (organisation_id, force_record_id, type, position, started_at,
        ended_at, ordinal)
      select ${glanHafren}::uuid, id, 'physical', case when g % 4 = 0 then 'prone' else 'seated' end, started_at,
        started_at + interval '6 minutes', 0 from bench_force
      union all
      select ${glanHafren}::uuid, id, 'seclusion', '', started_at + interval '6 minutes', started_at + interval '3 hours', 1
      from bench_force where g % 7 = 0
      union all
      select ${glanHafren}::uuid, id, 'chemical', '', started_at + interval '6 minutes', started_at + interval '8 minutes', 2
      from bench_force where g % 10 = 0`);
    await tx.execute(sql`insert into force_staff (organisation_id, force_record_id, person_id, job_title)
      select ${glanHafren}::uuid, id, md5('bench-staff-' || (1 + (g + i * 7) % 20))::uuid,
        case i when 0 then 'Staff nurse' when 1 then 'Healthcare support worker' else 'Ward manager' end
      from bench_force, generate_series(0, 2) i where i < 2 + g % 2`);
    await tx.execute(sql`analyze`);
    return (
      await rowsOf<{ id: string }>(
        tx.execute(sql`select md5('bench-ward-' || w)::uuid as id from generate_series(1, ${wards}) w`),
      )
    ).map((row) => row.id);
  });
  const [filled] = await withSystem(database, (tx) =>
    rowsOf<{ stays: number; records: number; types: number; staff: number }>(
      tx.execute(sql`select (select count(*)::int from ward_stay) as stays,
        (select count(*)::int from force_record) as records, (select count(*)::int from force_type_used) as types,
        (select count(*)::int from force_staff) as staff`),
    ),
  );
  const fillSeconds = (performance.now() - filling) / 1000;
  console.log(
    `${kind}: filled ${wards} wards, ${filled!.stays} stays, ${filled!.records} uses of force (${filled!.types} types, ${filled!.staff} staff) in ${fillSeconds.toFixed(1)} s`,
  );
  table.push(['fill (set-based)', `${fillSeconds.toFixed(1)} s`]);

  // (a) The dashboard's figures, each call its own transaction as a request's would be.
  const times: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    for (const wardId of wardIds) {
      const started = performance.now();
      await withOrganisation(database, { organisationId: glanHafren, actorPersonId: owen }, (scope) =>
        wardFigures(scope, wardId),
      );
      if (round > 0) times.push(performance.now() - started); // the first round warms the caches
    }
  }
  times.sort((a, b) => a - b);
  table.push([
    `wardFigures, ${times.length} calls`,
    `median ${ms(percentile(times, 0.5))} ms, 95th percentile ${ms(percentile(times, 0.95))} ms`,
  ]);

  // …and the page itself, when the routes are there.
  const manager = new Visitor(app, '198.51.100.1');
  await manager.signIn('lead@glanhafren.example');
  const first = await manager.get(`/wards/${wardIds[0]}/dashboard`);
  if (first.status === 200) {
    const pages: number[] = [];
    for (let round = 0; round < rounds + 1; round++) {
      for (const wardId of wardIds) {
        const started = performance.now();
        const response = await manager.get(`/wards/${wardId}/dashboard`);
        const took = performance.now() - started;
        if (response.status !== 200)
          throw new Error(`/wards/${wardId}/dashboard answered ${response.status}`);
        if (round > 0) pages.push(took);
      }
    }
    pages.sort((a, b) => a - b);
    table.push([
      `GET /wards/<id>/dashboard, ${pages.length} requests`,
      `median ${ms(percentile(pages, 0.5))} ms, 95th percentile ${ms(percentile(pages, 0.95))} ms`,
    ]);
  } else {
    table.push([
      'GET /wards/<id>/dashboard',
      `not measured: answered ${first.status} (the figures above only)`,
    ]);
  }

  // (b) The statutory export of every record, batch by batch.
  const from = addToDay(todayInUk(), { days: -(years * 365 + 1) });
  const to = todayInUk();
  let bytes = 0;
  let rows = 0;
  let records = 0;
  const rssBefore = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const exportStarted = performance.now();
  // The route's own writer, into a sink that only counts what it is given.
  const t = createTranslator(
    Object.fromEntries(
      modules.flatMap((module) => (module.catalogues ? [[module.id, module.catalogues]] : [])),
    ),
  ).forLanguage('en');
  const { peakMiB } = await peakMemory(async () => {
    const written = await writeForceCsv({
      inScope: (work) =>
        withOrganisation(database, { organisationId: glanHafren, actorPersonId: owen }, work),
      wardId: null,
      from,
      to,
      t,
      wardName: (wardId) => wardId,
      write: (chunk) => {
        bytes += Buffer.byteLength(chunk);
      },
    });
    rows = written.rows;
    records = written.records;
  });
  const exportSeconds = (performance.now() - exportStarted) / 1000;
  const [inRange] = await withOrganisation(database, { organisationId: glanHafren }, (scope) =>
    rowsOf<{ n: number }>(
      scope.tx.execute(sql`select count(*)::int as n from force_record where organisation_id = ${glanHafren}
        and started_at >= (${from}::date::timestamp at time zone 'Europe/London')`),
    ),
  );
  if (records !== inRange!.n)
    console.log(`The export wrote ${records} records for ${inRange!.n} in its range.`);
  table.push([
    `export, ${records} records (${rows} rows, one per type used) in batches of ${exportBatch}`,
    `${exportSeconds.toFixed(2)} s, ${(bytes / 1024 / 1024).toFixed(1)} MiB of CSV, peak RSS ${peakMiB} MiB (${rssBefore} MiB before)`,
  ]);

  console.log(`\n| ${kind}: ${wards} wards × ${years} years, ${uses} uses of force | |\n| --- | --- |`);
  for (const [what, figure] of table) console.log(`| ${what} | ${figure} |`);
} finally {
  await drop();
}
