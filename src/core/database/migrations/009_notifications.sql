-- Notifications (decision 021): something a person should know about, written in the same transaction
-- as the change. A row holds the kind, where it leads and a few words for the page, never record text.
-- How it reaches the person (the page, an email at once, a daily digest) is their choice per kind,
-- taken when it is written, so changing a choice later never re-sends anything.
create table notification (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  recipient_person_id uuid not null references person (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z-]*\.[a-z][a-z-]*$'),
  link text not null check (link ~ '^/[^/\\]' and length(link) <= 500),
  params jsonb not null default '{}',
  delivery text not null check (delivery in ('page', 'email', 'digest')),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  -- When the email or the digest holding it went to the outbox.
  sent_at timestamptz
);
-- The page (newest first) and the header's unread count read only these.
create index notification_recipient on notification (recipient_person_id, created_at desc, id desc);
create index notification_unread on notification (recipient_person_id) where read_at is null;
-- The daily digest finds what is waiting for it without reading what is not.
create index notification_digest on notification (organisation_id, recipient_person_id)
  where delivery = 'digest' and sent_at is null;
alter table notification enable row level security;
create policy notification_isolation on notification
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on notification to alongside_app;

-- A person's choice for one kind; without a row the kind's own default holds.
create table notification_choice (
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id) on delete cascade,
  kind text not null,
  delivery text not null check (delivery in ('page', 'email', 'digest', 'none')),
  changed_at timestamptz not null default now(),
  primary key (person_id, kind)
);
alter table notification_choice enable row level security;
create policy notification_choice_isolation on notification_choice
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update, delete on notification_choice to alongside_app;
