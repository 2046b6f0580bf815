-- Personal budgets: a small fund per person, spent towards their goals. Money is integer pence; the
-- ledger is append-only (a correction is a reversing entry with a reason); receipts are stored here,
-- in the database, so row-level security isolates them and backups hold them.

-- The organisation's default amount for a new budget. One row per organisation; pounds sterling only.
create table personal_budget_setting (
  organisation_id uuid primary key references organisation (id),
  default_pence integer not null check (default_pence between 0 and 1000000),
  currency text not null default 'GBP' check (currency = 'GBP'),
  updated_by uuid references person (id),
  updated_at timestamptz not null default now()
);
alter table personal_budget_setting enable row level security;
create policy personal_budget_setting_isolation on personal_budget_setting
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on personal_budget_setting to alongside_app;

-- One budget per person. The balance is the sum of the entries, kept on this row and changed only after
-- locking it (select … for update), so two spends at once queue instead of both passing the check.
create table personal_budget_account (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  person_id uuid not null references person (id),
  balance_pence bigint not null default 0,
  opened_by uuid references person (id),
  opened_at timestamptz not null default now(),
  unique (organisation_id, person_id)
);
alter table personal_budget_account enable row level security;
create policy personal_budget_account_isolation on personal_budget_account
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on personal_budget_account to alongside_app;

-- Asking to spend: what it is for in the person's own words, how much, and (optionally) the goal it is
-- towards. goal_id names a coaching goal without a foreign key: one module never leans on another's tables.
create table personal_budget_request (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  account_id uuid not null references personal_budget_account (id),
  person_id uuid not null references person (id),
  words text not null check (length(words) between 1 and 1000),
  amount_pence integer not null check (amount_pence between 1 and 1000000),
  goal_id uuid,
  status text not null default 'asked'
    check (status in ('asked', 'question', 'approved', 'spent', 'withdrawn', 'declined')),
  asked_by uuid references person (id),
  asked_at timestamptz not null default now(),
  decided_by uuid references person (id),
  decided_at timestamptz,
  decision_words text not null default '',
  -- A lead agreed to go over the balance, with their words; every such approval is audited.
  override boolean not null default false,
  override_words text not null default '',
  spent_pence integer check (spent_pence between 1 and 1000000),
  spent_by uuid references person (id),
  spent_at timestamptz,
  check (not override or length(override_words) > 0),
  check ((status = 'spent') = (spent_pence is not null))
);
-- The leads' list of requests waiting reads this index in order, a page at a time.
create index personal_budget_request_waiting on personal_budget_request (organisation_id, status, asked_at, id);
create index personal_budget_request_account on personal_budget_request (account_id, asked_at desc, id);
alter table personal_budget_request enable row level security;
create policy personal_budget_request_isolation on personal_budget_request
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on personal_budget_request to alongside_app;

-- A lead's question about a request and the answer from the person (or their coach with them).
create table personal_budget_question (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  request_id uuid not null references personal_budget_request (id),
  question text not null check (length(question) between 1 and 1000),
  asked_by uuid references person (id),
  asked_at timestamptz not null default now(),
  answer text check (length(answer) between 1 and 1000),
  answered_by uuid references person (id),
  answered_at timestamptz
);
create index personal_budget_question_request on personal_budget_question (request_id, asked_at);
alter table personal_budget_question enable row level security;
create policy personal_budget_question_isolation on personal_budget_question
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on personal_budget_question to alongside_app;

-- The ledger. Allocations and top-ups add, spends take away, a correction reverses one earlier entry.
create table personal_budget_entry (
  id bigint generated always as identity primary key,
  organisation_id uuid not null references organisation (id),
  account_id uuid not null references personal_budget_account (id),
  kind text not null check (kind in ('allocation', 'top-up', 'spend', 'correction')),
  pence integer not null check (pence <> 0 and pence between -1000000 and 1000000),
  words text not null default '',
  request_id uuid references personal_budget_request (id),
  reverses_entry_id bigint unique references personal_budget_entry (id),
  override boolean not null default false,
  override_words text not null default '',
  recorded_by uuid references person (id),
  created_at timestamptz not null default now(),
  check ((kind = 'correction') = (reverses_entry_id is not null)),
  check (kind <> 'spend' or (request_id is not null and pence < 0)),
  check (kind not in ('allocation', 'top-up') or pence > 0)
);
create index personal_budget_entry_account on personal_budget_entry (account_id, created_at, id);
create index personal_budget_entry_request on personal_budget_entry (request_id);
alter table personal_budget_entry enable row level security;
create policy personal_budget_entry_isolation on personal_budget_entry
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on personal_budget_entry to alongside_app;

create function personal_budget_entry_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'personal_budget_entry is append-only: % is not allowed', tg_op;
end
$$;
create trigger personal_budget_entry_append_only before update or delete on personal_budget_entry
  for each row execute function personal_budget_entry_is_append_only();
create trigger personal_budget_entry_no_truncate before truncate on personal_budget_entry
  for each statement execute function personal_budget_entry_is_append_only();

-- A receipt photo for a spend: the bytes, the type found from the bytes themselves, and the size.
create table personal_budget_receipt (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  request_id uuid not null unique references personal_budget_request (id),
  content_type text not null
    check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif')),
  size_bytes integer not null check (size_bytes between 1 and 5242880),
  bytes bytea not null,
  uploaded_by uuid references person (id),
  uploaded_at timestamptz not null default now(),
  check (octet_length(bytes) = size_bytes)
);
alter table personal_budget_receipt enable row level security;
create policy personal_budget_receipt_isolation on personal_budget_receipt
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert on personal_budget_receipt to alongside_app;
