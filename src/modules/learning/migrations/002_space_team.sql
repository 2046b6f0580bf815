-- A reflective space belongs to a team (decision 023): the team is who it is for, who can come and who
-- it reminds. A series made before teams, or by someone in no team, is the whole organisation's.
alter table learning_space_series add column team_id uuid references team (id);
create index learning_space_series_team on learning_space_series (team_id);
