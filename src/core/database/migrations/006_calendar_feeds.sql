-- A person's calendar feed: a secret address a calendar app reads without signing in (decision 022).
-- The row belongs to the person's organisation, under row-level security like every tenant table;
-- only the lookup by the address's keyed hash runs outside it, because a calendar app's request
-- names no organisation until the address is found.
create table calendar_feed (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id) on delete cascade,
  -- A random value the address is worked out from with the server's secret key (never the address
  -- itself), so the person can see their address again; a copy of this table alone opens nothing.
  seed text not null,
  -- A keyed hash of the address's secret part, to find the feed by.
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
-- One working address per person: making a new one stops the old one in the same transaction.
create unique index calendar_feed_one_open on calendar_feed (person_id) where revoked_at is null;
alter table calendar_feed enable row level security;
create policy calendar_feed_isolation on calendar_feed
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on calendar_feed to alongside_app;
