-- Links with banks of other organisations, agreed through a core organisation bridge. Each
-- organisation keeps its own row for the link, its own account standing for the partner bank and its
-- own half of every exchange across the link, so each ledger balances on its own and nothing of one
-- organisation is stored in the other's rows beyond the name a member is called in the exchange.
create table time_bank_partner_link (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  bank_id uuid not null references time_bank (id),
  bridge_id uuid not null references organisation_bridge (id),
  -- The partner's bank is another organisation's: this side keeps its id and the names shown at linking.
  partner_bank_id uuid not null references time_bank (id),
  partner_bank_name text not null,
  partner_organisation_name text not null,
  link_account_id uuid not null references time_bank_account (id),
  agreed_at timestamptz not null default now(),
  unique (bank_id, partner_bank_id)
);
alter table time_bank_partner_link enable row level security;
create policy time_bank_partner_link_isolation on time_bank_partner_link
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on time_bank_partner_link to alongside_app;

-- A member chooses whether members of partner banks in other organisations may see them (name, area,
-- what they offer and would like). Off until they say so.
alter table time_bank_account add column shown_to_partners boolean not null default false;

-- One half of an exchange across organisations: the member here and the account standing for the
-- partner bank. The other half lives in the partner's ledger; `twin_exchange_id` names it there.
alter table time_bank_exchange
  add column bridge_id uuid references organisation_bridge (id),
  add column twin_exchange_id uuid,
  add column partner_account_id uuid,
  add column partner_name text,
  add check ((bridge_id is null) = (twin_exchange_id is null));
