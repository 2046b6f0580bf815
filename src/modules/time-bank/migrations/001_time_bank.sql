-- The time bank: banks, accounts (members, the community account, links to other banks), categories,
-- offers and requests, exchanges and an append-only double-entry ledger in integer minutes.

create table time_bank (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null,
  -- How far below zero a member may go, in minutes (12 hours by default).
  overdraft_limit_minutes integer not null default 720 check (overdraft_limit_minutes between 0 and 60000),
  created_at timestamptz not null default now()
);
create index time_bank_organisation on time_bank (organisation_id);
alter table time_bank enable row level security;
create policy time_bank_isolation on time_bank
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on time_bank to alongside_app;

-- One row per account in a bank's ledger. A member's account carries their profile; the community account
-- and the accounts that stand for linked banks have no person.
create table time_bank_account (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  bank_id uuid not null references time_bank (id),
  kind text not null check (kind in ('member', 'community', 'link')),
  person_id uuid references person (id),
  linked_bank_id uuid references time_bank (id),
  can_offer text not null default '',
  would_like text not null default '',
  area text not null default '',
  contact text not null default '',
  is_coordinator boolean not null default false,
  recorded_by_coordinator boolean not null default false,
  balance_minutes integer not null default 0,
  joined_at timestamptz not null default now(),
  check ((kind = 'member') = (person_id is not null)),
  check ((kind = 'link') = (linked_bank_id is not null))
);
create unique index time_bank_account_member on time_bank_account (bank_id, person_id) where kind = 'member';
create unique index time_bank_account_community on time_bank_account (bank_id) where kind = 'community';
create unique index time_bank_account_link on time_bank_account (bank_id, linked_bank_id) where kind = 'link';
create index time_bank_account_person on time_bank_account (organisation_id, person_id);
alter table time_bank_account enable row level security;
create policy time_bank_account_isolation on time_bank_account
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on time_bank_account to alongside_app;

create table time_bank_category (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null,
  name_cy text,
  created_at timestamptz not null default now()
);
create index time_bank_category_organisation on time_bank_category (organisation_id, name);
alter table time_bank_category enable row level security;
create policy time_bank_category_isolation on time_bank_category
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on time_bank_category to alongside_app;

create table time_bank_listing (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  bank_id uuid not null references time_bank (id),
  account_id uuid not null references time_bank_account (id),
  kind text not null check (kind in ('offer', 'request')),
  category_id uuid references time_bank_category (id),
  title text not null,
  description text not null default '',
  availability text not null default '',
  is_open boolean not null default true,
  created_at timestamptz not null default now()
);
create index time_bank_listing_bank on time_bank_listing (bank_id, kind, created_at desc);
alter table time_bank_listing enable row level security;
create policy time_bank_listing_isolation on time_bank_listing
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on time_bank_listing to alongside_app;

-- Two coordinators agree to link their banks: one asks, the other agrees.
create table time_bank_link (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  from_bank_id uuid not null references time_bank (id),
  to_bank_id uuid not null references time_bank (id),
  asked_by_person_id uuid references person (id),
  agreed_by_person_id uuid references person (id),
  asked_at timestamptz not null default now(),
  agreed_at timestamptz,
  check (from_bank_id <> to_bank_id)
);
create unique index time_bank_link_pair on time_bank_link (least(from_bank_id, to_bank_id), greatest(from_bank_id, to_bank_id));
alter table time_bank_link enable row level security;
create policy time_bank_link_isolation on time_bank_link
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on time_bank_link to alongside_app;

-- An exchange counts when both sides confirm, or when a coordinator records it. A group exchange has
-- one part per giver and receiver pair; a reversal is a later state with a reason, never an edit.
create table time_bank_exchange (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  bank_id uuid not null references time_bank (id),
  status text not null check (status in ('proposed', 'counted', 'declined', 'reversed')),
  is_group boolean not null default false,
  listing_id uuid references time_bank_listing (id),
  category_id uuid references time_bank_category (id),
  what_was_done text not null,
  happened_on date not null default current_date,
  proposed_by_person_id uuid references person (id),
  recorded_by_coordinator boolean not null default false,
  giver_confirmed boolean not null default false,
  receiver_confirmed boolean not null default false,
  overdraft_allowed boolean not null default false,
  declined_by_person_id uuid references person (id),
  decline_reason text,
  reversed_by_person_id uuid references person (id),
  reversal_reason text,
  created_at timestamptz not null default now(),
  counted_at timestamptz
);
create index time_bank_exchange_bank on time_bank_exchange (bank_id, status, happened_on);
alter table time_bank_exchange enable row level security;
create policy time_bank_exchange_isolation on time_bank_exchange
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on time_bank_exchange to alongside_app;

create table time_bank_exchange_part (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  exchange_id uuid not null references time_bank_exchange (id),
  giver_account_id uuid not null references time_bank_account (id),
  receiver_account_id uuid not null references time_bank_account (id),
  minutes integer not null check (minutes > 0 and minutes <= 6000),
  check (giver_account_id <> receiver_account_id)
);
create index time_bank_exchange_part_exchange on time_bank_exchange_part (exchange_id);
create index time_bank_exchange_part_giver on time_bank_exchange_part (giver_account_id);
create index time_bank_exchange_part_receiver on time_bank_exchange_part (receiver_account_id);
alter table time_bank_exchange_part enable row level security;
create policy time_bank_exchange_part_isolation on time_bank_exchange_part
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on time_bank_exchange_part to alongside_app;

-- The ledger. Every counted exchange writes entries that sum to zero in each bank; nothing is ever
-- changed or removed, so a correction is a reversing entry.
create table time_bank_entry (
  id bigint generated always as identity primary key,
  organisation_id uuid not null references organisation (id),
  bank_id uuid not null references time_bank (id),
  exchange_id uuid not null references time_bank_exchange (id),
  account_id uuid not null references time_bank_account (id),
  counterparty_account_id uuid references time_bank_account (id),
  minutes integer not null check (minutes <> 0),
  is_reversal boolean not null default false,
  created_at timestamptz not null default now()
);
create index time_bank_entry_account on time_bank_entry (account_id, created_at, id);
create index time_bank_entry_bank on time_bank_entry (bank_id, created_at);
create index time_bank_entry_exchange on time_bank_entry (exchange_id);
alter table time_bank_entry enable row level security;
create policy time_bank_entry_isolation on time_bank_entry
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on time_bank_entry to alongside_app;

create function time_bank_entry_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'time_bank_entry is append-only: % is not allowed', tg_op;
end
$$;
create trigger time_bank_entry_append_only before update or delete on time_bank_entry
  for each row execute function time_bank_entry_is_append_only();
create trigger time_bank_entry_no_truncate before truncate on time_bank_entry
  for each statement execute function time_bank_entry_is_append_only();
