-- A funder or board member: reads the organisation's impact report and nothing else (decision 026).
alter table membership drop constraint membership_role_check;
alter table membership add constraint membership_role_check
  check (role in ('person', 'peer', 'coach', 'lead', 'partner', 'admin', 'funder'));
