import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Contact lists for reps (decisions/0023): every contact a rep makes with a member during a ballot
 * (append-only: a contact is corrected by logging another), officers' assignments of lists to reps, and
 * members' recorded positions (opposed in principle to industrial action), kept as history.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table canvass_assignments (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  ballot_id integer not null references ballots(id) on delete cascade,
  rep_user_id integer not null references users(id),
  -- A workplace's list, or (when null) the members named in canvass_assignment_members.
  workplace_id integer references workplaces(id),
  created_by integer references users(id),
  created_at timestamptz not null,
  ended_at timestamptz,
  ended_by integer references users(id)
);
create index canvass_assignments_ballot_idx on canvass_assignments(union_id, ballot_id);
create index canvass_assignments_rep_idx on canvass_assignments(rep_user_id) where ended_at is null;

create table canvass_assignment_members (
  assignment_id integer not null references canvass_assignments(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  primary key (assignment_id, member_id)
);
create index canvass_assignment_members_member_idx on canvass_assignment_members(member_id);

-- Append-only: two secondary indexes only, so a contact is logged in one short insert at any size.
-- Erasing a member erases their contacts (the cascade uses the member-led index).
create table canvass_contacts (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  ballot_id integer not null references ballots(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  workplace_id integer,
  rep_user_id integer references users(id),
  contact_type text not null check (contact_type in ('conversation','phone','text','email')),
  outcome text not null check (outcome in ('reached','not_in','wrong_number','refused','moved')),
  report_id integer references turnout_self_reports(id) on delete set null,
  occurred_at timestamptz not null
);
-- A member's last contact in a ballot (the list), and the erasure cascade.
create index canvass_contacts_member_idx on canvass_contacts(member_id, ballot_id, occurred_at desc);
-- A ballot's contacts by workplace (progress, call sheets, the OSDI export).
create index canvass_contacts_ballot_idx on canvass_contacts(ballot_id, workplace_id, occurred_at);

create function canvass_contacts_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'canvass_contacts is append-only';
end $$;
create trigger canvass_contacts_no_update before update on canvass_contacts
  for each row execute function canvass_contacts_append_only();

-- A member's position, as history: the latest row is the position now.
create table member_positions (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  member_id integer not null references members(id) on delete cascade,
  opposed_in_principle boolean not null,
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);
create index member_positions_member_idx on member_positions(member_id, recorded_at desc, id desc);

-- The lists read a ballot's frozen electorate by workplace.
create index ballot_electorate_workplace_idx on ballot_electorate(ballot_id, workplace_id);
`,
  );
}
