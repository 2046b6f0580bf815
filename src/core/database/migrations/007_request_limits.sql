-- How many times something was done in the current hour, per key (a keyed hash of an address, an
-- organisation or a feed: never the address itself). Counted in the database so that every server of
-- one installation counts together. Outside any tenant, like sign_in_failure: a public page must be
-- counted before anyone knows who is asking.
create table request_count (
  key_hash text not null,
  window_start timestamptz not null,
  count integer not null,
  primary key (key_hash, window_start)
);
create index request_count_window on request_count (window_start);
