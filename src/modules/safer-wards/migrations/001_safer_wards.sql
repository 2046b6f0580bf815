-- Safer wards (decision 024). A ward is a core team of kind 'ward' with beds; everything here hangs off
-- that team's id and the person record of the patient. Nothing about force is ever deleted within three
-- years of the incident: the trigger at the end refuses it, whoever asks.

-- Admissions and discharges: occupied bed days are derived from these by the midnight census.
create table ward_stay (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id),
  admitted_at timestamptz not null,
  discharged_at timestamptz,
  admitted_by_person_id uuid references person (id) on delete set null,
  discharged_by_person_id uuid references person (id) on delete set null,
  check (discharged_at is null or discharged_at > admitted_at)
);
create index ward_stay_ward on ward_stay (organisation_id, team_id, admitted_at);
create index ward_stay_open on ward_stay (organisation_id, team_id) where discharged_at is null;
create index ward_stay_person on ward_stay (organisation_id, person_id, admitted_at desc);
-- One open stay per person: someone is on one ward at a time.
create unique index ward_stay_one_open on ward_stay (organisation_id, person_id) where discharged_at is null;
alter table ward_stay enable row level security;
create policy ward_stay_isolation on ward_stay
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on ward_stay to alongside_app;

-- Leave from the ward during a stay: a night on leave is not an occupied bed day.
create table ward_leave (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  stay_id uuid not null references ward_stay (id),
  starts_at timestamptz not null,
  ends_at timestamptz,
  recorded_by_person_id uuid references person (id) on delete set null,
  check (ends_at is null or ends_at > starts_at)
);
create index ward_leave_stay on ward_leave (stay_id, starts_at);
alter table ward_leave enable row level security;
create policy ward_leave_isolation on ward_leave
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on ward_leave to alongside_app;

-- The ward's calm-down box: things a patient can pick in their help plan.
create table ward_calm_item (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  name text not null check (length(name) between 1 and 80),
  name_cy text check (name_cy is null or length(name_cy) between 1 and 80),
  created_at timestamptz not null default now()
);
create index ward_calm_item_ward on ward_calm_item (organisation_id, team_id, lower(name));
alter table ward_calm_item enable row level security;
create policy ward_calm_item_isolation on ward_calm_item
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on ward_calm_item to alongside_app;

-- The person's help plan, in their words: every version kept, the newest shown. It belongs to the
-- person, not to a ward, so coming back to any ward brings it back.
create table help_plan_version (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  version integer not null check (version >= 1),
  upsets text not null default '' check (length(upsets) <= 2000),
  early_signs text not null default '' check (length(early_signs) <= 2000),
  calms text not null default '' check (length(calms) <= 2000),
  calm_items text[] not null default '{}',
  staff_do text not null default '' check (length(staff_do) <= 2000),
  staff_not_do text not null default '' check (length(staff_not_do) <= 2000),
  ask_for_help text not null default '' check (length(ask_for_help) <= 2000),
  if_held text not null default '' check (length(if_held) <= 2000),
  people_to_tell text not null default '' check (length(people_to_tell) <= 2000),
  -- What the person chose to share for the Use of Force record (s.6(5)(j)-(l)); blank means not known.
  shared_disorder text not null default '' check (length(shared_disorder) <= 300),
  shared_ld_autism text not null default '' check (shared_ld_autism in ('', 'yes', 'no', 'rather-not-say')),
  shared_characteristics text not null default '' check (length(shared_characteristics) <= 1000),
  written_by_person_id uuid references person (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (person_id, version)
);
create index help_plan_person on help_plan_version (organisation_id, person_id, version desc);
alter table help_plan_version enable row level security;
create policy help_plan_version_isolation on help_plan_version
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on help_plan_version to alongside_app;

-- Every interaction on the continuum, the helpful end as much as force.
create table ward_interaction (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id),
  happened_at timestamptz not null,
  kind text not null check (kind in ('asked-for-help', 'talked-through', 'plan-helped', 'talk-down',
    'prn-by-choice', 'use-of-force')),
  words text not null default '' check (length(words) <= 2000),
  force_record_id uuid,
  recorded_by_person_id uuid references person (id) on delete set null,
  created_at timestamptz not null default now()
);
create index ward_interaction_ward on ward_interaction (organisation_id, team_id, happened_at desc);
create index ward_interaction_person on ward_interaction (organisation_id, person_id, happened_at desc);
alter table ward_interaction enable row level security;
create policy ward_interaction_isolation on ward_interaction
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on ward_interaction to alongside_app;

-- A use of force (Mental Health Units (Use of Force) Act 2018, s.6(5)). The row holds the record now;
-- force_record_version keeps each saved version whole. Signed off, it changes only by amendment.
create table force_record (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id) on delete restrict,
  status text not null default 'draft' check (status in ('draft', 'signed-off')),
  version integer not null default 1,
  place text not null default '' check (length(place) <= 200),
  started_at timestamptz,
  ended_at timestamptz,
  reason text not null default '' check (length(reason) <= 2000),
  description text not null default '' check (length(description) <= 4000),
  in_care_plan text not null default '' check (in_care_plan in ('', 'yes', 'no')),
  plan_items_tried text[] not null default '{}',
  efforts text not null default '' check (length(efforts) <= 2000),
  -- (i): whether anyone not on the ward's staff took part (police, security), and why.
  non_staff text not null default '' check (non_staff in ('', 'none', 'yes')),
  others_involved text not null default '' check (length(others_involved) <= 1000),
  outcome text not null default '' check (length(outcome) <= 2000),
  harm text not null default '' check (harm in ('', 'none', 'injury', 'serious-injury', 'died')),
  people_told text not null default '' check (people_told in ('', 'yes', 'no', 'none-named')),
  people_told_details text not null default '' check (length(people_told_details) <= 1000),
  -- Taken from what the person shared at the moment of sign-off; blank is "not known".
  mental_disorder text not null default '' check (length(mental_disorder) <= 300),
  ld_autism text not null default '' check (ld_autism in ('', 'yes', 'no', 'rather-not-say')),
  characteristics text not null default '' check (length(characteristics) <= 1000),
  -- A reason, audited, for not showing the staff account to the patient; empty means they see it all.
  withheld_reason text not null default '' check (length(withheld_reason) <= 1000),
  recorded_by_person_id uuid references person (id) on delete set null,
  signed_off_by_person_id uuid references person (id) on delete set null,
  signed_off_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ended_at is null or started_at is null or ended_at >= started_at)
);
create index force_record_ward on force_record (organisation_id, team_id, started_at desc);
create index force_record_person on force_record (organisation_id, person_id, started_at desc);
create index force_record_drafts on force_record (organisation_id, team_id, created_at) where status = 'draft';
create index force_record_started on force_record (organisation_id, started_at);
alter table force_record enable row level security;
create policy force_record_isolation on force_record
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on force_record to alongside_app;
alter table ward_interaction add foreign key (force_record_id) references force_record (id);

-- Each type of force used, with its own start and end; a physical restraint names its position.
create table force_type_used (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  force_record_id uuid not null references force_record (id),
  type text not null check (type in ('physical', 'mechanical', 'chemical', 'seclusion', 'segregation')),
  position text not null default '' check (position in ('', 'standing', 'seated', 'kneeling', 'supine',
    'prone', 'side')),
  started_at timestamptz not null,
  ended_at timestamptz not null,
  ordinal integer not null,
  check (ended_at >= started_at)
);
create index force_type_record on force_type_used (force_record_id, ordinal);
alter table force_type_used enable row level security;
create policy force_type_used_isolation on force_type_used
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, delete on force_type_used to alongside_app;

-- The staff involved, picked from the ward's staff, with the job title they held.
create table force_staff (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  force_record_id uuid not null references force_record (id),
  person_id uuid not null references person (id),
  job_title text not null check (length(job_title) between 1 and 120)
);
create index force_staff_record on force_staff (force_record_id);
alter table force_staff enable row level security;
create policy force_staff_isolation on force_staff
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, delete on force_staff to alongside_app;

-- Every saved version, whole, with who, when and (after sign-off) why it was amended.
create table force_record_version (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  force_record_id uuid not null references force_record (id),
  version integer not null,
  status text not null,
  content jsonb not null,
  amendment_reason text not null default '' check (length(amendment_reason) <= 1000),
  saved_by_person_id uuid references person (id) on delete set null,
  saved_at timestamptz not null default now(),
  unique (force_record_id, version)
);
alter table force_record_version enable row level security;
create policy force_record_version_isolation on force_record_version
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on force_record_version to alongside_app;

-- Debriefs: the patient's own account (or their answer to the offer) and the staff debrief. Both are
-- kept, each addition a new row; nothing is overwritten.
create table force_debrief (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  force_record_id uuid not null references force_record (id),
  side text not null check (side in ('patient', 'staff')),
  -- For the patient: offered, given, declined, later. For staff: given.
  state text not null check (state in ('offered', 'given', 'declined', 'later')),
  words text not null default '' check (length(words) <= 4000),
  before_words text not null default '' check (length(before_words) <= 2000),
  chances text not null default '' check (length(chances) <= 2000),
  differently text not null default '' check (length(differently) <= 2000),
  by_person_id uuid references person (id) on delete set null,
  created_at timestamptz not null default now()
);
create index force_debrief_record on force_debrief (force_record_id, created_at);
alter table force_debrief enable row level security;
create policy force_debrief_isolation on force_debrief
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on force_debrief to alongside_app;

-- Safewards-style tools: the mutual help meeting, know each other, discharge messages.
create table ward_mutual_help (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  day date not null,
  kind text not null check (kind in ('thanks', 'news', 'suggestion', 'request', 'offer')),
  words text not null check (length(words) between 1 and 1000),
  by_person_id uuid references person (id) on delete set null,
  created_at timestamptz not null default now()
);
create index ward_mutual_help_day on ward_mutual_help (organisation_id, team_id, day desc, created_at);
alter table ward_mutual_help enable row level security;
create policy ward_mutual_help_isolation on ward_mutual_help
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on ward_mutual_help to alongside_app;

create table ward_know_each_other (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id) on delete cascade,
  words text not null check (length(words) between 1 and 1000),
  updated_at timestamptz not null default now(),
  unique (team_id, person_id)
);
alter table ward_know_each_other enable row level security;
create policy ward_know_each_other_isolation on ward_know_each_other
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on ward_know_each_other to alongside_app;

create table ward_discharge_message (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id) on delete cascade,
  words text not null check (length(words) between 1 and 1000),
  -- Shown on the board only while the writer agrees; withdrawing hides it at once.
  shown boolean not null,
  created_at timestamptz not null default now()
);
create index ward_discharge_message_ward on ward_discharge_message (organisation_id, team_id, created_at desc)
  where shown;
alter table ward_discharge_message enable row level security;
create policy ward_discharge_message_isolation on ward_discharge_message
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on ward_discharge_message to alongside_app;

-- Three years from the incident, whoever asks: the Act's retention, kept by the database itself.
create function force_record_kept() returns trigger language plpgsql as $$
begin
  if coalesce(old.started_at, old.created_at) > now() - interval '3 years' then
    raise exception 'a use of force record is kept for three years from the incident'
      using errcode = 'P0001', hint = 'force-record-retention';
  end if;
  return old;
end $$;
create trigger force_record_retention before delete on force_record
  for each row execute function force_record_kept();
