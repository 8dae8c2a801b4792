import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Member links for a statutory ballot (decision 0022): a link names either an
 * indicative ballot or a statutory ballot (a constituency with a frozen
 * electorate), never both. Through it the member reports having voted, asks
 * for a replacement paper (with the reason) or says their address is wrong:
 * members' own reports in turnout, whose replacement requests now keep why.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table member_links add column ballot_id integer references ballots(id) on delete cascade;
alter table member_links add constraint member_links_one_ballot
  check (indicative_ballot_id is null or ballot_id is null);
create index member_links_statutory_idx on member_links(ballot_id) where ballot_id is not null;

alter table turnout_self_reports add column reason text
  check (reason in ('lost','spoilt','not_received'));
alter table turnout_self_reports add constraint turnout_self_reports_reason_kind
  check (reason is null or kind = 'needs_replacement');
`,
  );
}
