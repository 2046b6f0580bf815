-- Peer support: households, peers (profiles, training, levels, journey, references), requests for
-- support, link-ups with their agreement, sessions and coach notes, and the matching settings.
-- Lists of words (tags, languages, slots, kinds of support) are jsonb arrays of keys.

create table peer_household (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null check (length(name) between 1 and 100),
  created_at timestamptz not null default now()
);
alter table peer_household enable row level security;
create policy peer_household_isolation on peer_household
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_household to alongside_app;

create table peer_household_member (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  household_id uuid not null references peer_household (id),
  person_id uuid not null references person (id),
  is_child boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index peer_household_member_once on peer_household_member (household_id, person_id);
alter table peer_household_member enable row level security;
create policy peer_household_member_isolation on peer_household_member
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on peer_household_member to alongside_app;

create table peer_experience_tag (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  -- The organisation's own list; `key` never changes on a rename, so matching and figures keep it.
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]*$' and length(key) <= 60),
  name text not null check (length(name) between 1 and 80),
  name_cy text check (length(name_cy) between 1 and 80),
  position integer not null default 100
);
create unique index peer_experience_tag_key on peer_experience_tag (organisation_id, key);
alter table peer_experience_tag enable row level security;
create policy peer_experience_tag_isolation on peer_experience_tag
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_experience_tag to alongside_app;

create table peer_training_module (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]*$' and length(key) <= 60),
  name text not null check (length(name) between 1 and 80),
  name_cy text check (length(name_cy) between 1 and 80),
  sessions_needed integer not null default 1 check (sessions_needed between 1 and 50),
  position integer not null default 100
);
create unique index peer_training_module_key on peer_training_module (organisation_id, key);
alter table peer_training_module enable row level security;
create policy peer_training_module_isolation on peer_training_module
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_training_module to alongside_app;

create table peer_level (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]*$' and length(key) <= 60),
  name text not null check (length(name) between 1 and 80),
  name_cy text check (length(name_cy) between 1 and 80),
  -- Levels go up in this order; a peer moves one step at a time.
  rank integer not null check (rank between 1 and 20),
  -- Kinds of support the level suits, or ["everything"].
  suits jsonb not null default '[]',
  -- Training module keys the level needs.
  needs_training jsonb not null default '[]'
);
create unique index peer_level_key on peer_level (organisation_id, key);
create unique index peer_level_rank on peer_level (organisation_id, rank);
alter table peer_level enable row level security;
create policy peer_level_isolation on peer_level
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_level to alongside_app;

create table peer_place (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  -- A postcode district (CF10) or a place name, with its centre, so distances can be worked out.
  name text not null check (length(name) between 1 and 80),
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180)
);
create unique index peer_place_name on peer_place (organisation_id, lower(name));
alter table peer_place enable row level security;
create policy peer_place_isolation on peer_place
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on peer_place to alongside_app;

create table peer_profile (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  household_id uuid references peer_household (id),
  words text not null default '' check (length(words) <= 2000),
  tags jsonb not null default '[]',
  languages jsonb not null default '[]',
  area text not null default '' check (length(area) <= 80),
  -- Weekly availability as the peer gave it: [{"day":"tue","from":9,"to":12}], never overlapping.
  availability jsonb not null default '[]',
  capacity integer not null default 1 check (capacity between 0 and 10),
  supports jsonb not null default '[]',
  level_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index peer_profile_person on peer_profile (organisation_id, person_id);
alter table peer_profile enable row level security;
create policy peer_profile_isolation on peer_profile
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_profile to alongside_app;

create table peer_training (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  profile_id uuid not null references peer_profile (id),
  module_key text not null,
  sessions_attended integer not null default 0 check (sessions_attended between 0 and 100),
  completed_at timestamptz,
  recorded_by uuid references person (id),
  updated_at timestamptz not null default now()
);
create unique index peer_training_once on peer_training (profile_id, module_key);
alter table peer_training enable row level security;
create policy peer_training_isolation on peer_training
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_training to alongside_app;

create table peer_level_change (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  profile_id uuid not null references peer_profile (id),
  level_key text not null,
  confirmed_by uuid references person (id),
  confirmed_at timestamptz not null default now()
);
create index peer_level_change_profile on peer_level_change (profile_id, confirmed_at);
alter table peer_level_change enable row level security;
create policy peer_level_change_isolation on peer_level_change
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on peer_level_change to alongside_app;

create table peer_journey_step (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  profile_id uuid not null references peer_profile (id),
  kind text not null check (kind in ('work', 'study', 'volunteering', 'other')),
  words text not null check (length(words) between 1 and 500),
  -- Recorded by the peer, never inferred: null until they say they got there.
  reached_on date,
  created_at timestamptz not null default now()
);
create index peer_journey_step_profile on peer_journey_step (profile_id);
alter table peer_journey_step enable row level security;
create policy peer_journey_step_isolation on peer_journey_step
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_journey_step to alongside_app;

create table peer_reference (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  profile_id uuid not null references peer_profile (id),
  from_name text not null check (length(from_name) between 1 and 100),
  words text not null check (length(words) between 1 and 2000),
  in_cv boolean not null default true,
  created_at timestamptz not null default now()
);
create index peer_reference_profile on peer_reference (profile_id);
alter table peer_reference enable row level security;
create policy peer_reference_isolation on peer_reference
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_reference to alongside_app;

create table peer_request (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  household_id uuid references peer_household (id),
  words text not null check (length(words) between 1 and 2000),
  tags jsonb not null default '[]',
  language text,
  language_must boolean not null default false,
  area text not null default '' check (length(area) <= 80),
  slots jsonb not null default '[]',
  support_wanted text not null default 'first-meeting',
  status text not null default 'waiting' check (status in ('waiting', 'linked', 'closed')),
  -- A partner's introduction: who made it, the consent words shown to the family, how to reach them.
  introduced_by uuid references person (id),
  consent_wording text,
  how_to_reach text not null default '' check (length(how_to_reach) <= 300),
  seen_by_team_at timestamptz,
  created_at timestamptz not null default now()
);
create index peer_request_status on peer_request (organisation_id, status, created_at);
alter table peer_request enable row level security;
create policy peer_request_isolation on peer_request
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_request to alongside_app;

create table peer_rejected_pair (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  request_id uuid not null references peer_request (id),
  profile_id uuid not null references peer_profile (id),
  rejected_by uuid references person (id),
  rejected_at timestamptz not null default now()
);
create unique index peer_rejected_pair_once on peer_rejected_pair (request_id, profile_id);
alter table peer_rejected_pair enable row level security;
create policy peer_rejected_pair_isolation on peer_rejected_pair
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on peer_rejected_pair to alongside_app;

create table peer_link_up (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  request_id uuid not null references peer_request (id),
  profile_id uuid not null references peer_profile (id),
  stage text not null default 'suggested'
    check (stage in ('suggested', 'introduced', 'active', 'reviewed', 'paused', 'ended')),
  score numeric(8, 2) not null default 0,
  reasons jsonb not null default '[]',
  supports jsonb not null default '[]',
  agreed_words text not null default '' check (length(agreed_words) <= 2000),
  meeting text not null default '' check (length(meeting) <= 300),
  peer_agreed_at timestamptz,
  seeker_agreed_at timestamptz,
  seeker_agreement_recorded_by uuid references person (id),
  review_every_weeks integer not null default 10 check (review_every_weeks between 1 and 52),
  next_review_on date,
  ended_kind text check (ended_kind in ('celebration', 'reason')),
  ended_words text check (length(ended_words) <= 1000),
  accepted_by uuid references person (id),
  created_at timestamptz not null default now(),
  active_at timestamptz,
  ended_at timestamptz
);
create index peer_link_up_stage on peer_link_up (organisation_id, stage);
create index peer_link_up_profile on peer_link_up (profile_id);
create index peer_link_up_request on peer_link_up (request_id);
alter table peer_link_up enable row level security;
create policy peer_link_up_isolation on peer_link_up
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_link_up to alongside_app;

create table peer_link_up_change (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  link_up_id uuid not null references peer_link_up (id),
  stage text not null,
  words text not null default '' check (length(words) <= 1000),
  changed_by uuid references person (id),
  changed_at timestamptz not null default now()
);
create index peer_link_up_change_link_up on peer_link_up_change (link_up_id, changed_at);
alter table peer_link_up_change enable row level security;
create policy peer_link_up_change_isolation on peer_link_up_change
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on peer_link_up_change to alongside_app;

create table peer_session (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  link_up_id uuid not null references peer_link_up (id),
  happened_on date not null,
  -- Whole minutes; more than 12 hours in one session is not a session.
  minutes integer not null check (minutes between 1 and 720),
  what_we_did text not null check (length(what_we_did) between 1 and 1000),
  how_it_felt text not null default '' check (length(how_it_felt) <= 500),
  logged_by uuid references person (id),
  created_at timestamptz not null default now()
);
create index peer_session_link_up on peer_session (link_up_id, happened_on);
alter table peer_session enable row level security;
create policy peer_session_isolation on peer_session
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on peer_session to alongside_app;

create table peer_coach_note (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  link_up_id uuid not null references peer_link_up (id),
  words text not null check (length(words) between 1 and 2000),
  written_by uuid references person (id),
  written_at timestamptz not null default now(),
  -- Hidden from both sides only with a reason from the foundation's short list plus words.
  hidden_reason text check (hidden_reason in ('someone-else', 'talk-first', 'serious-harm', 'police-or-court')),
  hidden_words text,
  hidden_by uuid references person (id),
  hidden_at timestamptz,
  check ((hidden_reason is null) = (hidden_words is null))
);
create index peer_coach_note_link_up on peer_coach_note (link_up_id, written_at);
alter table peer_coach_note enable row level security;
create policy peer_coach_note_isolation on peer_coach_note
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_coach_note to alongside_app;

create table peer_settings (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  -- Matching weights (points for each part); missing parts take the engine's defaults.
  weights jsonb not null default '{}',
  review_every_weeks integer not null default 10 check (review_every_weeks between 1 and 52),
  updated_at timestamptz not null default now()
);
create unique index peer_settings_once on peer_settings (organisation_id);
alter table peer_settings enable row level security;
create policy peer_settings_isolation on peer_settings
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on peer_settings to alongside_app;
