-- Background jobs (decision 020): digests, reminders and later imports and exports. A job is claimed
-- with FOR UPDATE SKIP LOCKED and held by a lease, so two app servers never run one job at once and a
-- job whose server died is taken up again once its lease runs out. A scheduled job has a slot (its
-- day); one row per kind, organisation and slot makes it fire once however many servers tick.
create table job (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid references organisation (id),
  kind text not null,
  payload jsonb not null default '{}',
  state text not null default 'waiting' check (state in ('waiting', 'running', 'failed', 'done')),
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  locked_by text,
  locked_until timestamptz,
  last_error text,
  progress_done integer,
  progress_total integer,
  slot text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create unique index job_once_per_slot on job (kind, organisation_id, slot) nulls not distinct
  where slot is not null;
create index job_ready on job (run_at) where state in ('waiting', 'running');
create index job_organisation on job (organisation_id, created_at desc);
alter table job enable row level security;
create policy job_isolation on job
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on job to alongside_app;
