-- Teams inside an organisation (decision 023): a coaching locality, a family-link team, a ward, a peer
-- team. Staff belong to teams with a role in each; people supported are with one or more teams. A coach
-- sees the people of their teams, a lead those of the teams they lead.

create table team (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  name text not null check (length(name) between 1 and 200),
  name_cy text check (name_cy is null or length(name_cy) between 1 and 200),
  kind text check (kind in ('coaching', 'family', 'ward', 'peer', 'other')),
  -- Only a ward has beds; its occupied bed days come from them later.
  beds integer check (beds is null or beds between 1 and 1000),
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create index team_organisation on team (organisation_id, name);
alter table team enable row level security;
create policy team_isolation on team
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on team to alongside_app;

-- Staff in a team, with their role there. A row ends (until) rather than goes, so history keeps who was.
create table team_member (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id) on delete cascade,
  role text not null check (role in ('coach', 'lead', 'peer')),
  since timestamptz not null default now(),
  until timestamptz,
  added_by_person_id uuid references person (id) on delete set null
);
create unique index team_member_now on team_member (team_id, person_id, role) where until is null;
create index team_member_person on team_member (person_id) where until is null;
alter table team_member enable row level security;
create policy team_member_isolation on team_member
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on team_member to alongside_app;

-- People supported by a team, since when, and who moved them there.
create table team_person (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisation (id),
  team_id uuid not null references team (id),
  person_id uuid not null references person (id) on delete cascade,
  since timestamptz not null default now(),
  until timestamptz,
  moved_by_person_id uuid references person (id) on delete set null
);
create unique index team_person_now on team_person (team_id, person_id) where until is null;
create index team_person_person on team_person (person_id) where until is null;
alter table team_person enable row level security;
create policy team_person_isolation on team_person
  using (organisation_id = app_current_organisation()) with check (organisation_id = app_current_organisation());
grant select, insert, update on team_person to alongside_app;

-- Every organisation that exists today gets one team holding everyone, so nothing changes for it
-- until it adds a second.
insert into team (organisation_id, name, name_cy)
  select id, name, name_cy from organisation;
insert into team_member (organisation_id, team_id, person_id, role)
  select m.organisation_id, t.id, m.person_id, m.role
  from membership m join team t on t.organisation_id = m.organisation_id
  where m.role in ('coach', 'lead', 'peer');
insert into team_person (organisation_id, team_id, person_id)
  select distinct m.organisation_id, t.id, m.person_id
  from membership m join team t on t.organisation_id = m.organisation_id
  where m.role = 'person';
