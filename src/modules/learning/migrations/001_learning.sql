-- The learning organisation: challenges, wellbeing check-ins, the culture compass, reflective spaces,
-- change ideas and experiments. Every table carries organisation_id with row-level security.

create table learning_setting (
  organisation_id uuid primary key references organisation (id),
  -- An idea may go ahead without permission only when it costs less than this (whole pounds).
  idea_cost_limit_pounds integer not null default 100 check (idea_cost_limit_pounds between 0 and 1000000)
);
alter table learning_setting enable row level security;
create policy learning_setting_isolation on learning_setting
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_setting to alongside_app;

-- A challenge raised with a name keeps its author; an anonymous one has no author column filled and
-- keeps only a keyed hash of a private key shown once to its author, so nothing here points to them.
create table learning_challenge (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  author_person_id uuid references person (id),
  is_anonymous boolean not null,
  anonymous_key_hash text unique,
  addressed_to text not null check (addressed_to in ('leaders', 'system')),
  what_is_wrong text not null,
  suggestion text not null default '',
  who_it_affects text not null default '',
  status text not null default 'waiting' check (status in ('waiting', 'heard', 'acting', 'changed', 'cannot')),
  answer text not null default '',
  answered_by_person_id uuid references person (id),
  answered_at timestamptz,
  -- Taken to a reflective space: it waits on that series' next agenda.
  series_id uuid,
  raised_at timestamptz not null default now(),
  check (is_anonymous = (author_person_id is null)),
  check (is_anonymous = (anonymous_key_hash is not null)),
  check ((status = 'waiting') = (answered_at is null))
);
create index learning_challenge_raised on learning_challenge (organisation_id, raised_at desc);
alter table learning_challenge enable row level security;
create policy learning_challenge_isolation on learning_challenge
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_challenge to alongside_app;

-- A check-in belongs to the person who made it; only they read it. Figures for anyone else are
-- counted in SQL across at least five people and never carry a row out.
create table learning_check_in (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  position smallint not null check (position between 1 and 5),
  private_words text not null default '',
  checked_in_at timestamptz not null default now()
);
create index learning_check_in_person on learning_check_in (organisation_id, person_id, checked_in_at desc);
create index learning_check_in_time on learning_check_in (organisation_id, checked_in_at);
alter table learning_check_in enable row level security;
create policy learning_check_in_isolation on learning_check_in
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, delete on learning_check_in to alongside_app;

-- "I would like a conversation": seen only by the person chosen. Not linked to any check-in.
create table learning_conversation_request (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  from_person_id uuid not null references person (id),
  to_person_id uuid not null references person (id),
  asked_at timestamptz not null default now(),
  done_at timestamptz,
  check (from_person_id <> to_person_id)
);
create index learning_conversation_request_to on learning_conversation_request (organisation_id, to_person_id, done_at);
alter table learning_conversation_request enable row level security;
create policy learning_conversation_request_isolation on learning_conversation_request
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_conversation_request to alongside_app;

create table learning_culture_round (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null,
  opened_by_person_id uuid references person (id),
  opened_at timestamptz not null default now(),
  closed_at timestamptz
);
create index learning_culture_round_opened on learning_culture_round (organisation_id, opened_at);
alter table learning_culture_round enable row level security;
create policy learning_culture_round_isolation on learning_culture_round
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_culture_round to alongside_app;

-- Points as 6 aspects x 4 cultures, in the order collaborate, create, compete, control.
create table learning_culture_response (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  round_id uuid not null references learning_culture_round (id),
  person_id uuid not null references person (id),
  now_points smallint[] not null check (cardinality(now_points) = 24),
  preferred_points smallint[] not null check (cardinality(preferred_points) = 24),
  answered_at timestamptz not null default now(),
  unique (round_id, person_id)
);
alter table learning_culture_response enable row level security;
create policy learning_culture_response_isolation on learning_culture_response
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_culture_response to alongside_app;

create table learning_space_series (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null,
  every_days smallint not null default 14 check (every_days between 1 and 92),
  minutes smallint not null default 90 check (minutes between 15 and 480),
  place text not null default '',
  created_by_person_id uuid references person (id),
  created_at timestamptz not null default now()
);
alter table learning_space_series enable row level security;
create policy learning_space_series_isolation on learning_space_series
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_space_series to alongside_app;

alter table learning_challenge add foreign key (series_id) references learning_space_series (id);

create table learning_space (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  series_id uuid not null references learning_space_series (id),
  starts_at timestamptz not null,
  unique (series_id, starts_at)
);
create index learning_space_series_start on learning_space (series_id, starts_at);
alter table learning_space enable row level security;
create policy learning_space_isolation on learning_space
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_space to alongside_app;

create table learning_attendance (
  organisation_id uuid not null references organisation (id),
  space_id uuid not null references learning_space (id),
  person_id uuid not null references person (id),
  primary key (space_id, person_id)
);
alter table learning_attendance enable row level security;
create policy learning_attendance_isolation on learning_attendance
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, delete on learning_attendance to alongside_app;

-- A topic someone would like to talk about at the next reflective space of a series.
create table learning_topic (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  series_id uuid not null references learning_space_series (id),
  raised_by_person_id uuid references person (id),
  words text not null,
  raised_at timestamptz not null default now()
);
alter table learning_topic enable row level security;
create policy learning_topic_isolation on learning_topic
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on learning_topic to alongside_app;

create table learning_change_idea (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  proposed_by_person_id uuid references person (id),
  what text not null,
  why text not null default '',
  who_it_helps text not null default '',
  -- proposed → (self-check) experiment, or with-lead → experiment or not-now; an experiment ends adopted or stopped.
  status text not null default 'proposed'
    check (status in ('proposed', 'with-lead', 'not-now', 'experiment', 'adopted', 'stopped')),
  -- The six self-check answers, in order: safe, legal, cost, undo, wanted, shared.
  self_check boolean[] check (self_check is null or cardinality(self_check) = 6),
  lead_reply text not null default '',
  lead_replied_by_person_id uuid references person (id),
  proposed_at timestamptz not null default now(),
  decided_at timestamptz
);
create index learning_change_idea_status on learning_change_idea (organisation_id, status, proposed_at desc);
alter table learning_change_idea enable row level security;
create policy learning_change_idea_isolation on learning_change_idea
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_change_idea to alongside_app;

create table learning_idea_support (
  organisation_id uuid not null references organisation (id),
  idea_id uuid not null references learning_change_idea (id),
  person_id uuid not null references person (id),
  primary key (idea_id, person_id)
);
alter table learning_idea_support enable row level security;
create policy learning_idea_support_isolation on learning_idea_support
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, delete on learning_idea_support to alongside_app;

create table learning_idea_comment (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  idea_id uuid not null references learning_change_idea (id),
  person_id uuid references person (id),
  words text not null,
  written_at timestamptz not null default now()
);
alter table learning_idea_comment enable row level security;
create policy learning_idea_comment_isolation on learning_idea_comment
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on learning_idea_comment to alongside_app;

-- One cycle of trying an idea; "adapt" closes a cycle and opens the next.
create table learning_experiment (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  idea_id uuid not null references learning_change_idea (id),
  cycle smallint not null default 1,
  will_try text not null default '',
  how_we_will_know text not null default '',
  what_happened text not null default '',
  what_we_learned text not null default '',
  decision text check (decision in ('adopt', 'adapt', 'stop')),
  decided_by_person_id uuid references person (id),
  started_at timestamptz not null default now(),
  decided_at timestamptz,
  unique (idea_id, cycle)
);
alter table learning_experiment enable row level security;
create policy learning_experiment_isolation on learning_experiment
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_experiment to alongside_app;

-- Learning in four ways of knowing, from a reflective space or on its own, linked to a challenge or idea.
create table learning_entry (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  kind text not null check (kind in ('idea', 'experience', 'practice', 'story')),
  space_id uuid references learning_space (id),
  challenge_id uuid references learning_challenge (id),
  idea_id uuid references learning_change_idea (id),
  written_by_person_id uuid references person (id),
  title text not null,
  words text not null default '',
  image bytea,
  image_type text check (image_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  image_description text not null default '',
  written_at timestamptz not null default now(),
  check ((image is null) = (image_type is null))
);
create index learning_entry_written on learning_entry (organisation_id, written_at desc);
alter table learning_entry enable row level security;
create policy learning_entry_isolation on learning_entry
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_entry to alongside_app;

-- Actions agreed at a reflective space, carried to each next one until done.
create table learning_action (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  series_id uuid not null references learning_space_series (id),
  agreed_at_space_id uuid references learning_space (id),
  what text not null,
  who_person_id uuid references person (id),
  due_on date,
  done_at timestamptz,
  created_at timestamptz not null default now()
);
create index learning_action_series on learning_action (series_id, done_at);
alter table learning_action enable row level security;
create policy learning_action_isolation on learning_action
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on learning_action to alongside_app;
