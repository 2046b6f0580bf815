-- Optional per organisation: the time bank (if any) that credits peers for the hours they log in
-- link-ups. Null, the default, gives no time credits. The bank is the time bank module's; peer support
-- only keeps its id (no foreign key into another module's table) and checks it against the
-- organisation's banks through the time bank's exported functions when a lead chooses it.
alter table peer_settings add column time_credit_bank_id uuid;
