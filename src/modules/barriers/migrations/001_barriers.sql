-- The barriers log: what services and systems put in people's way, which system it was, what it did to
-- the person, and what was done about it. Never a person's problems: always a system's.

-- Each organisation's own list of systems, in English and Welsh. The defaults are added the first time an
-- organisation's list is read (see barriers.ts); `key` never changes on a rename, so figures keep their name.
create table barrier_system (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]*$' and length(key) <= 60),
  name text not null check (length(name) between 1 and 80),
  name_cy text check (length(name_cy) between 1 and 80),
  is_hidden boolean not null default false,
  position integer not null default 100,
  created_at timestamptz not null default now()
);
create unique index barrier_system_key on barrier_system (organisation_id, key);
alter table barrier_system enable row level security;
create policy barrier_system_isolation on barrier_system
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
-- Delete only for a system nobody's barrier uses: the foreign key below refuses the rest.
grant select, insert, update, delete on barrier_system to alongside_app;

create table barrier (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  -- Whom the barrier got in the way of: a barrier is always about what happened to someone.
  person_id uuid not null references person (id),
  recorded_by_person_id uuid references person (id),
  system_id uuid not null references barrier_system (id) on delete restrict,
  what_happened text not null check (length(what_happened) between 1 and 2000),
  effect text not null default '' check (length(effect) <= 2000),
  status text not null default 'open' check (status in ('open', 'challenged', 'changed')),
  -- Whether the person's words may be shown, without their name, as an example. Only they answer it;
  -- a barrier a coach records starts as not asked.
  consent text not null default 'not-asked' check (consent in ('not-asked', 'yes', 'no')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- The team's list (newest first, a page at a time), filtered by status or system, and a person's own.
create index barrier_recent on barrier (organisation_id, created_at desc, id desc);
create index barrier_status on barrier (organisation_id, status, created_at desc, id desc);
create index barrier_by_system on barrier (organisation_id, system_id, created_at desc, id desc);
create index barrier_person on barrier (organisation_id, person_id, created_at desc, id desc);
-- Examples for the report: only those the person agreed to.
create index barrier_consented on barrier (organisation_id, created_at desc) where consent = 'yes';
alter table barrier enable row level security;
create policy barrier_isolation on barrier
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on barrier to alongside_app;

-- What happened next, in order: each change of status with the words said about it, and each time the
-- person gave or withdrew consent. Never changed afterwards.
create table barrier_update (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  barrier_id uuid not null references barrier (id),
  kind text not null check (kind in ('status', 'consent')),
  status text check (status in ('open', 'challenged', 'changed')),
  consent text check (consent in ('not-asked', 'yes', 'no')),
  words text not null default '' check (length(words) <= 1000),
  by_person_id uuid references person (id),
  created_at timestamptz not null default now(),
  check ((kind = 'status') = (status is not null)),
  check ((kind = 'consent') = (consent is not null))
);
create index barrier_update_barrier on barrier_update (barrier_id, created_at, id);
alter table barrier_update enable row level security;
create policy barrier_update_isolation on barrier_update
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on barrier_update to alongside_app;
