-- Stories (decision 025): a person's story in their own words, who may read it (their consent, every
-- change kept with the words they were shown), an anonymised version they edit themselves, and booklets
-- a lead makes from stories whose consent allows the booklet's audience.

create table story (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  -- Whose story it is: only they decide who reads it.
  author_person_id uuid not null references person (id),
  -- A coach who helped write it ("written with Amara"), shown beside it.
  helped_by_person_id uuid references person (id),
  -- The author's own version now; every saved text of both versions is in story_version.
  title text not null check (length(title) between 1 and 200),
  words text not null check (length(words) between 1 and 20000),
  language text not null check (language in ('en', 'cy')),
  -- The name readers see; null when the author chose to be anonymous.
  shown_name text check (length(shown_name) between 1 and 100),
  picture bytea,
  picture_type text check (picture_type in ('image/png', 'image/jpeg', 'image/webp')),
  picture_description text check (length(picture_description) between 1 and 1000),
  scope text not null default 'me' check (scope in ('me', 'team', 'organisation', 'public')),
  shown_version text not null default 'own' check (shown_version in ('own', 'anonymised')),
  withdrawn_at timestamptz,
  created_by_person_id uuid references person (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((picture is null) = (picture_type is null)),
  check (picture is null or picture_description is not null),
  check (picture is null or octet_length(picture) between 1 and 5242880),
  -- Withdrawn consent reaches nobody but the author.
  check (withdrawn_at is null or scope = 'me')
);
create index story_author on story (organisation_id, author_person_id, created_at desc);
create index story_shared on story (organisation_id, scope, created_at desc) where withdrawn_at is null;
alter table story enable row level security;
create policy story_isolation on story
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on story to alongside_app;

-- Every saved text of the author's own version and of the anonymised one, numbered within its kind.
-- A booklet names the row it printed, so what was shared is known exactly, whatever is written later.
create table story_version (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  story_id uuid not null references story (id),
  kind text not null check (kind in ('own', 'anonymised')),
  number integer not null check (number >= 1),
  title text not null check (length(title) between 1 and 200),
  words text not null check (length(words) between 1 and 20000),
  saved_by_person_id uuid references person (id),
  saved_at timestamptz not null default now(),
  unique (story_id, kind, number)
);
alter table story_version enable row level security;
create policy story_version_isolation on story_version
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on story_version to alongside_app;

-- Every consent change: who may read the story, the exact words the author was shown, in which
-- language, when and by whom. Never changed or removed.
create table story_consent (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  story_id uuid not null references story (id),
  scope text not null check (scope in ('me', 'team', 'organisation', 'public')),
  withdrawn boolean not null default false,
  wording text not null check (length(wording) between 1 and 2000),
  language text not null check (language in ('en', 'cy')),
  given_by_person_id uuid references person (id),
  given_at timestamptz not null default now()
);
create index story_consent_story on story_consent (story_id, given_at);
alter table story_consent enable row level security;
create policy story_consent_isolation on story_consent
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on story_consent to alongside_app;

create table story_booklet (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  title text not null check (length(title) between 1 and 200),
  introduction text not null default '' check (length(introduction) <= 5000),
  audience text not null check (audience in ('organisation', 'public')),
  -- The language of the booklet's own words (cover, contents); each story keeps its own.
  language text not null check (language in ('en', 'cy')),
  made_by_person_id uuid references person (id),
  made_at timestamptz not null default now()
);
create index story_booklet_made on story_booklet (organisation_id, made_at desc);
alter table story_booklet enable row level security;
create policy story_booklet_isolation on story_booklet
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on story_booklet to alongside_app;

-- The stories in a booklet, in order, each with the version of the text it used.
create table story_booklet_story (
  organisation_id uuid not null references organisation (id),
  booklet_id uuid not null references story_booklet (id),
  story_id uuid not null references story (id),
  story_version_id uuid not null references story_version (id),
  position integer not null check (position >= 1),
  primary key (booklet_id, story_id)
);
create index story_booklet_story_story on story_booklet_story (story_id);
alter table story_booklet_story enable row level security;
create policy story_booklet_story_isolation on story_booklet_story
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on story_booklet_story to alongside_app;
