import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The frozen electorate as a table partitioned by ballot (decisions/0026):
 * every snapshot frozen so far, and every small one from now on, stays in one
 * default partition, `ballot_electorate_shared` (the table as it was, renamed,
 * with its rows and indexes); a large electorate is written by its freeze into
 * a table of its own, indexed once loaded, and attached as the ballot's
 * partition. Readers read `ballot_electorate` as before.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table ballot_electorate rename to ballot_electorate_shared;
alter table ballot_electorate_shared rename constraint ballot_electorate_pkey to ballot_electorate_shared_pkey;
alter index ballot_electorate_member_idx rename to ballot_electorate_shared_member_idx;
alter index ballot_electorate_employer_idx rename to ballot_electorate_shared_employer_idx;
alter index ballot_electorate_workplace_idx rename to ballot_electorate_shared_workplace_idx;
alter table ballot_electorate_shared rename constraint ballot_electorate_ballot_id_fkey to ballot_electorate_shared_ballot_id_fkey;

-- No foreign keys to members, employers or workplaces: the snapshot is the
-- record of what the union believed at the time, and must outlive a later
-- erasure or register change (it is kept for the defence of legal claims).
create table ballot_electorate (
  ballot_id integer not null references ballots(id) on delete cascade,
  member_id integer not null,
  member_union_id integer not null,
  membership_number text not null,
  included boolean not null,
  reason text not null,
  employer_id integer not null,
  workplace_id integer,
  job_category text,
  check_off boolean not null,
  left_on date,
  paper_number integer,
  name text not null,
  address_lines text[] not null,
  postcode text,
  primary key (ballot_id, member_id)
) partition by list (ballot_id);
create index ballot_electorate_member_idx on ballot_electorate(member_id);
create index ballot_electorate_employer_idx on ballot_electorate(ballot_id, employer_id);
create index ballot_electorate_workplace_idx on ballot_electorate(ballot_id, workplace_id);

-- The table's rows, indexes and foreign key become the default partition's: nothing is copied.
alter table ballot_electorate attach partition ballot_electorate_shared default;
`,
  );
}
