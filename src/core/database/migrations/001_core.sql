-- The Alongside core: organisations (the tenants), people, accounts, roles, sessions, audit, outbox.
-- Every table that belongs to an organisation carries organisation_id and row-level security.

create or replace function app_current_organisation() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.organisation_id', true), '')::uuid $$;

-- The role the application switches to for every request: it owns nothing, so row-level security applies.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'alongside_app') then
    create role alongside_app nologin;
  end if;
  if not pg_has_role(current_user, 'alongside_app', 'member') then
    execute format('grant alongside_app to %I', current_user);
  end if;
end
$$;

create table organisation (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  name_cy text,
  default_language text not null default 'en' check (default_language in ('en', 'cy')),
  created_at timestamptz not null default now()
);
alter table organisation enable row level security;
create policy organisation_isolation on organisation
  using (id = app_current_organisation()) with check (id = app_current_organisation());
grant select, update on organisation to alongside_app;

-- A way to sign in. Global, because one human may be known to more than one organisation.
create table account (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text not null,
  language text check (language in ('en', 'cy')),
  created_at timestamptz not null default now(),
  password_changed_at timestamptz not null default now()
);
create unique index account_email_unique on account (lower(email));

-- Every human an organisation knows is one person; roles are memberships, never identities.
create table person (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  account_id uuid references account (id),
  called_name text not null,
  full_name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, account_id)
);
create index person_organisation on person (organisation_id, called_name);
alter table person enable row level security;
create policy person_isolation on person
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on person to alongside_app;

-- The application may see an account's address and language only when that account is someone in
-- the current organisation; it can never read a password hash.
alter table account enable row level security;
create policy account_in_organisation on account
  using (exists (select 1 from person where person.account_id = account.id));
grant select (id, email, language, created_at) on account to alongside_app;

create table membership (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  role text not null check (role in ('person', 'peer', 'coach', 'lead', 'partner', 'admin')),
  granted_by_person_id uuid references person (id),
  granted_at timestamptz not null default now(),
  unique (person_id, role)
);
create index membership_organisation on membership (organisation_id, role);
alter table membership enable row level security;
create policy membership_isolation on membership
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on membership to alongside_app;

-- A session is the account's, not an organisation's: it names where the person is working now, and so
-- carries no organisation_id (that column marks rows an organisation owns, under row-level security).
create table session (
  id_hash text primary key,
  account_id uuid references account (id) on delete cascade,
  person_id uuid references person (id) on delete cascade,
  working_organisation_id uuid references organisation (id) on delete cascade,
  csrf_token text not null,
  language text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index session_account on session (account_id);
create index session_expiry on session (expires_at);

create table sign_in_failure (
  id uuid primary key default gen_random_uuid(),
  throttle_key text not null,
  failed_at timestamptz not null default now()
);
create index sign_in_failure_key on sign_in_failure (throttle_key, failed_at);

create table invitation (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  email text not null,
  token_hash text not null unique,
  invited_by_person_id uuid references person (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
alter table invitation enable row level security;
create policy invitation_isolation on invitation
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on invitation to alongside_app;

create table password_reset (
  id uuid primary key default gen_random_uuid(),
  account_id uuid not null references account (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table outbox_message (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  to_address text not null,
  subject text not null,
  body_text text not null,
  created_at timestamptz not null default now(),
  delivery text not null check (delivery in ('outbox', 'smtp')),
  sent_at timestamptz,
  failure text
);
create index outbox_message_organisation on outbox_message (organisation_id, created_at desc);
alter table outbox_message enable row level security;
create policy outbox_message_isolation on outbox_message
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on outbox_message to alongside_app;

-- Who looked at or changed whose personal data. Append-only: no role may update or delete a row.
create table audit_event (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  occurred_at timestamptz not null default now(),
  actor_person_id uuid references person (id),
  action text not null,
  subject_type text not null,
  subject_id text,
  subject_person_id uuid references person (id),
  request_id text,
  detail jsonb not null default '{}'::jsonb
);
create index audit_event_subject_person on audit_event (organisation_id, subject_person_id, occurred_at desc);
create index audit_event_occurred on audit_event (organisation_id, occurred_at desc);
alter table audit_event enable row level security;
create policy audit_event_isolation on audit_event
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on audit_event to alongside_app;

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % is not allowed', tg_op;
end
$$;
create trigger audit_event_append_only before update or delete on audit_event
  for each row execute function audit_event_is_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_event_is_append_only();
