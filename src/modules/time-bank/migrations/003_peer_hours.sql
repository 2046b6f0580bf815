-- Hours given as a peer: an organisation may choose (in peer support's settings) a bank that credits
-- the hours its peers log in link-ups. Each is an exchange of kind 'peer-hours' from the community
-- account to the peer's member account, the same double entry as welcome hours. `source_id` names
-- what was credited (a peer support session), and the unique index means one session can never be
-- credited twice, whatever races. The table keeps its row-level security and grants from 001.
alter table time_bank_exchange drop constraint time_bank_exchange_kind_check;
alter table time_bank_exchange
  add constraint time_bank_exchange_kind_check check (kind in ('exchange', 'welcome', 'peer-hours'));
alter table time_bank_exchange add column source_id uuid;
create unique index time_bank_exchange_source on time_bank_exchange (source_id) where source_id is not null;
