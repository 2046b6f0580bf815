-- A bridge lets two organisations on one installation do one agreed thing together (so far: link two
-- time banks). One organisation makes a code and gives it to the other by hand; the other enters it.
-- Nobody can browse other organisations or their bridges: a bridge is visible only to its two parties.
create table organisation_bridge (
  id uuid primary key default gen_random_uuid(),
  -- What the bridge is for, named by the module that uses it (e.g. 'time-bank-link').
  purpose text not null,
  asking_organisation_id uuid not null references organisation (id),
  answering_organisation_id uuid references organisation (id),
  -- What each side links (a bank's id, say); its meaning belongs to the purpose.
  asking_subject_id uuid not null,
  answering_subject_id uuid,
  -- A keyed hash of the code, never the code itself.
  code_hash text not null unique,
  code_expires_at timestamptz not null,
  asked_by_person_id uuid references person (id),
  answered_by_person_id uuid references person (id),
  asked_at timestamptz not null default now(),
  answered_at timestamptz,
  check (answering_organisation_id is null or answering_organisation_id <> asking_organisation_id),
  check ((answering_organisation_id is null) = (answered_at is null))
);
create index organisation_bridge_asking on organisation_bridge (asking_organisation_id, purpose);
create index organisation_bridge_answering on organisation_bridge (answering_organisation_id, purpose);
alter table organisation_bridge enable row level security;
create policy organisation_bridge_parties on organisation_bridge
  using (app_current_organisation() in (asking_organisation_id, answering_organisation_id))
  -- An organisation can only ask: a row it writes is never already answered. Answering goes through
  -- organisation_bridge_answer below, which needs the code.
  with check (asking_organisation_id = app_current_organisation() and answering_organisation_id is null
    and answering_subject_id is null and answered_by_person_id is null and answered_at is null);
grant select, insert on organisation_bridge to alongside_app;

-- Answering is the one step that touches a row the answering organisation cannot yet see, so it is a
-- function that only ever claims an unexpired, unanswered code for the organisation now in scope.
create function organisation_bridge_answer(code_hash_in text, purpose_in text, subject_in uuid, person_in uuid)
  returns uuid language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  answered uuid;
begin
  if app_current_organisation() is null then
    return null;
  end if;
  update organisation_bridge
     set answering_organisation_id = app_current_organisation(), answering_subject_id = subject_in,
         answered_by_person_id = person_in, answered_at = now()
   where code_hash = code_hash_in and purpose = purpose_in and answered_at is null
     and code_expires_at > now() and asking_organisation_id <> app_current_organisation()
  returning id into answered;
  return answered;
end
$$;
revoke all on function organisation_bridge_answer(text, text, uuid, uuid) from public;
grant execute on function organisation_bridge_answer(text, text, uuid, uuid) to alongside_app;
