-- What an exchange is: an exchange between people, or welcome hours the community account gives a member
-- (the member's balance goes up, the community account's down). Only the wording differs; the ledger
-- entries are the same double entry. The table keeps its row-level security and grants from 001.
alter table time_bank_exchange
  add column kind text not null default 'exchange' check (kind in ('exchange', 'welcome'));
