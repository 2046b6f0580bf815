-- A goal's words can be changed after saving. Each earlier wording is kept: the words, who wrote them
-- and when, and who changed them and when, so the person's own record shows how the goal grew.
create table coaching_goal_earlier_words (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  goal_id uuid not null references coaching_goal (id),
  words text not null,
  written_by uuid references person (id),
  written_at timestamptz not null,
  changed_by uuid references person (id),
  changed_at timestamptz not null default now()
);
create index coaching_goal_earlier_words_goal on coaching_goal_earlier_words (organisation_id, goal_id, changed_at);
alter table coaching_goal_earlier_words enable row level security;
create policy coaching_goal_earlier_words_isolation on coaching_goal_earlier_words
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
-- Kept as written: the application may add earlier words, never change or remove them.
grant select, insert on coaching_goal_earlier_words to alongside_app;
