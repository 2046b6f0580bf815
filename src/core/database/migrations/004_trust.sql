-- Closing the ways round the permissions that testing found (decision 016), and one record per intention.

-- A reset an admin started names them and where, so the account holder and the leads can be told.
-- (started_in_organisation_id, not organisation_id: this table is the account's, outside any tenant.)
alter table password_reset
  add column started_by_person_id uuid references person (id),
  add column started_in_organisation_id uuid references organisation (id);

-- Which messages carry a one-time link, and who caused each, so the outbox shows a live link only to the
-- admin who sent that invitation.
alter table outbox_message
  add column link_kind text check (link_kind in ('invitation', 'password-reset')),
  add column caused_by_person_id uuid references person (id);

-- Things a person must be told at their next sign-in (an admin reset their password; an admin reset
-- someone's). Kept once seen, so the account page can list them.
create table security_notice (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id) on delete cascade,
  kind text not null check (kind in ('password-reset-by-admin', 'admin-reset-someone')),
  about_person_id uuid references person (id) on delete set null,
  by_person_id uuid references person (id) on delete set null,
  created_at timestamptz not null default now(),
  seen_at timestamptz
);
create index security_notice_person on security_notice (person_id, created_at desc);
alter table security_notice enable row level security;
create policy security_notice_isolation on security_notice
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on security_notice to alongside_app;

-- Addresses an account has signed in from (a keyed hash, never the address): the shared office whose
-- people sign in every day is not locked out by one stranger's guessing there.
create table sign_in_address (
  account_id uuid not null references account (id) on delete cascade,
  address_hash text not null,
  last_success_at timestamptz not null default now(),
  primary key (account_id, address_hash)
);

-- What each session is, in a few words ("Firefox on Windows"), for the list of places signed in.
alter table session add column device text;

-- A form's one-time token, spent by its first submission; a repeat shows where the first one went.
create table form_submission (
  key_hash text primary key,
  location text,
  created_at timestamptz not null default now()
);
create index form_submission_age on form_submission (created_at);
