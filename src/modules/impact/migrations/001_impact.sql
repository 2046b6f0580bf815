-- The impact report (decision 026) is derived from every module's ordinary work; these tables hold
-- only how an organisation wants it shown and shared, never a figure typed for a report.

-- The small-number threshold: NHS Digital's "fewer than 8" or stricter, never looser.
create table impact_setting (
  organisation_id uuid primary key references organisation (id),
  fewer_than integer not null default 8 check (fewer_than between 8 and 30),
  updated_by_person_id uuid references person (id),
  updated_at timestamptz not null default now()
);
alter table impact_setting enable row level security;
create policy impact_setting_isolation on impact_setting
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on impact_setting to alongside_app;

-- A unit cost the organisation trusts, with its source and year, set against one derived figure.
-- Nothing is shipped as fact: every row was entered by someone here.
create table impact_unit_cost (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null check (length(name) between 1 and 200),
  -- Which figure it applies to: "<module id>:<figure key>", a figure its module marks costable.
  figure text not null check (figure ~ '^[a-z][a-z-]*:[a-z0-9][a-z0-9-]*$'),
  pence bigint not null check (pence > 0 and pence < 100000000000),
  source text not null check (length(source) between 1 and 500),
  year integer not null check (year between 1990 and 2100),
  created_by_person_id uuid references person (id),
  created_at timestamptz not null default now(),
  removed_at timestamptz
);
create index impact_unit_cost_organisation on impact_unit_cost (organisation_id) where removed_at is null;
alter table impact_unit_cost enable row level security;
create policy impact_unit_cost_isolation on impact_unit_cost
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on impact_unit_cost to alongside_app;

-- A link a funder opens without signing in: the report for a fixed period, as shared outside the team.
-- Only a keyed hash of the secret is kept; it expires and can be revoked.
create table impact_share (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  token_hash text not null unique,
  label text not null check (length(label) between 1 and 200),
  first_month text not null check (first_month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  last_month text not null check (last_month ~ '^\d{4}-(0[1-9]|1[0-2])$' and last_month >= first_month),
  made_by_person_id uuid references person (id),
  made_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by_person_id uuid references person (id),
  opened_count integer not null default 0,
  last_opened_at timestamptz
);
create index impact_share_organisation on impact_share (organisation_id, made_at desc);
alter table impact_share enable row level security;
create policy impact_share_isolation on impact_share
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on impact_share to alongside_app;
