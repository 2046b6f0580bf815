-- The language guard: an organisation's own labels to notice, each with the words it would rather see.
-- The built-in list lives in src/core/language-guard/phrases.json; these rows add to it.

create table language_guard_phrase (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  language text not null check (language in ('en', 'cy')),
  phrase text not null check (length(phrase) between 1 and 100),
  suggestion text not null check (length(suggestion) between 1 and 300),
  created_by uuid references person (id),
  created_at timestamptz not null default now()
);
-- One suggestion per phrase and language in an organisation, however it was capitalised.
create unique index language_guard_phrase_unique on language_guard_phrase (organisation_id, language, lower(phrase));
alter table language_guard_phrase enable row level security;
create policy language_guard_phrase_isolation on language_guard_phrase
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, delete on language_guard_phrase to alongside_app;
