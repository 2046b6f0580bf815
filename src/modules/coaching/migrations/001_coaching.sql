-- Person-led coaching: the support a person has chosen, their About Me, goals (with optional Goal
-- Attainment Scaling), the scales they name themselves, and everything written about them.
-- What the person or a coach wrote is never overwritten: About Me keeps every version, and entries
-- are answered (comment, disagree), not edited away.

-- One row per person supported: support starts, pauses, ends and restarts on the same row, so coming
-- back needs no re-telling. There is no move-on date.
create table coaching_support (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  coach_id uuid references person (id),
  status text not null default 'active' check (status in ('asked', 'active', 'paused', 'ended')),
  -- When a coach last recorded a conversation with the person; "My people" starts with the longest ago.
  last_conversation_at timestamptz,
  started_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  unique (organisation_id, person_id)
);
create index coaching_support_coach on coaching_support (organisation_id, coach_id, last_conversation_at nulls first, id);
create index coaching_support_waiting on coaching_support (organisation_id, last_conversation_at nulls first, id);
alter table coaching_support enable row level security;
create policy coaching_support_isolation on coaching_support
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on coaching_support to alongside_app;

-- Each start, pause, end and restart with the person's words about why.
create table coaching_support_change (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  support_id uuid not null references coaching_support (id),
  status text not null check (status in ('asked', 'active', 'paused', 'ended')),
  words text not null default '',
  changed_by uuid references person (id),
  changed_at timestamptz not null default now()
);
create index coaching_support_change_support on coaching_support_change (support_id, changed_at);
alter table coaching_support_change enable row level security;
create policy coaching_support_change_isolation on coaching_support_change
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on coaching_support_change to alongside_app;

-- About Me: every version of every heading is a row; the newest is what shows.
create table about_me_version (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  heading text not null,
  words text not null,
  written_by uuid references person (id),
  -- A coach wrote this with the person, in their words.
  with_coach boolean not null default false,
  written_at timestamptz not null default now()
);
create index about_me_version_person on about_me_version (organisation_id, person_id, heading, written_at desc);
alter table about_me_version enable row level security;
create policy about_me_version_isolation on about_me_version
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on about_me_version to alongside_app;

create table coaching_goal (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  words text not null,
  theme text,
  status text not null default 'working-on' check (status in ('working-on', 'reached', 'let-go')),
  status_words text not null default '',
  status_changed_at timestamptz,
  written_by uuid references person (id),
  with_coach boolean not null default false,
  -- Goal Attainment Scaling, when the person chooses it: five levels in their words and two weights.
  gas_levels jsonb,
  gas_importance smallint check (gas_importance between 0 and 3),
  gas_difficulty smallint check (gas_difficulty between 0 and 3),
  created_at timestamptz not null default now()
);
create index coaching_goal_person on coaching_goal (organisation_id, person_id, created_at);
alter table coaching_goal enable row level security;
create policy coaching_goal_isolation on coaching_goal
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on coaching_goal to alongside_app;

create table coaching_goal_step (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  goal_id uuid not null references coaching_goal (id),
  words text not null,
  -- Steps keep the order the person wrote them in; timestamps can tie within one request.
  position integer not null,
  done_at timestamptz,
  created_at timestamptz not null default now(),
  unique (goal_id, position)
);
alter table coaching_goal_step enable row level security;
create policy coaching_goal_step_isolation on coaching_goal_step
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on coaching_goal_step to alongside_app;

-- Where the person is on a goal's five levels, each time they look at it together.
create table coaching_goal_rating (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  goal_id uuid not null references coaching_goal (id),
  person_id uuid not null references person (id),
  level smallint not null check (level between -2 and 2),
  rated_by uuid references person (id),
  rated_at timestamptz not null default now()
);
create index coaching_goal_rating_person on coaching_goal_rating (organisation_id, person_id, rated_at);
alter table coaching_goal_rating enable row level security;
create policy coaching_goal_rating_isolation on coaching_goal_rating
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on coaching_goal_rating to alongside_app;

-- "Where I am now": scales the person names, with their own words for each end.
create table where_i_am_scale (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  name text not null,
  low_words text not null default '',
  high_words text not null default '',
  created_at timestamptz not null default now()
);
create index where_i_am_scale_person on where_i_am_scale (organisation_id, person_id, created_at);
alter table where_i_am_scale enable row level security;
create policy where_i_am_scale_isolation on where_i_am_scale
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on where_i_am_scale to alongside_app;

create table where_i_am_rating (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  scale_id uuid not null references where_i_am_scale (id),
  person_id uuid not null references person (id),
  value smallint not null check (value between 0 and 10),
  rated_by uuid references person (id),
  rated_at timestamptz not null default now()
);
create index where_i_am_rating_person on where_i_am_rating (organisation_id, person_id, rated_at);
alter table where_i_am_rating enable row level security;
create policy where_i_am_rating_isolation on where_i_am_rating
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on where_i_am_rating to alongside_app;

-- Everything written about a person: conversations a coach recorded, notes, and the person's own entries.
create table coaching_entry (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  kind text not null check (kind in ('conversation', 'own')),
  written_by uuid references person (id),
  talked_about text not null,
  next_steps text not null default '',
  happened_on date,
  place text not null default '',
  -- Hidden from the person only with a reason from a short list plus words; see decision 008.
  hidden_reason text check (hidden_reason in ('someone-else', 'talk-first', 'serious-harm', 'police-or-court')),
  hidden_words text,
  hidden_by uuid references person (id),
  hidden_at timestamptz,
  created_at timestamptz not null default now(),
  check ((hidden_reason is null) = (hidden_words is null))
);
create index coaching_entry_person on coaching_entry (organisation_id, person_id, created_at desc, id);
alter table coaching_entry enable row level security;
create policy coaching_entry_isolation on coaching_entry
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on coaching_entry to alongside_app;

-- A comment on an entry, or the person saying they disagree and why; kept beside the entry.
create table coaching_entry_response (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  entry_id uuid not null references coaching_entry (id),
  kind text not null check (kind in ('comment', 'disagree')),
  words text not null,
  written_by uuid references person (id),
  written_at timestamptz not null default now()
);
create index coaching_entry_response_entry on coaching_entry_response (entry_id, written_at);
alter table coaching_entry_response enable row level security;
create policy coaching_entry_response_isolation on coaching_entry_response
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on coaching_entry_response to alongside_app;

-- Someone who asked for a coach on the public page: their words and the consent wording they agreed to.
create table coaching_self_introduction (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  how_to_reach text not null,
  words text not null default '',
  consent_wording text not null,
  language text not null check (language in ('en', 'cy')),
  created_at timestamptz not null default now()
);
create index coaching_self_introduction_organisation on coaching_self_introduction (organisation_id, created_at desc);
alter table coaching_self_introduction enable row level security;
create policy coaching_self_introduction_isolation on coaching_self_introduction
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on coaching_self_introduction to alongside_app;
