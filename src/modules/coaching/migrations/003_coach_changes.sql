-- Who walks alongside a person, since when, and who did before (decision 023): a lead can hand a
-- person, or a whole caseload, to another coach, and the history keeps who it was.
alter table coaching_support add column coach_since timestamptz;
update coaching_support set coach_since = started_at where coach_id is not null;

create table coaching_coach_change (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  support_id uuid not null references coaching_support (id) on delete cascade,
  coach_id uuid references person (id) on delete set null,
  previous_coach_id uuid references person (id) on delete set null,
  changed_by uuid references person (id) on delete set null,
  changed_at timestamptz not null default now()
);
create index coaching_coach_change_support on coaching_coach_change (support_id, changed_at);
alter table coaching_coach_change enable row level security;
create policy coaching_coach_change_isolation on coaching_coach_change
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on coaching_coach_change to alongside_app;
