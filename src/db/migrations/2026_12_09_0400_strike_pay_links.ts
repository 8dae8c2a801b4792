import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Strike pay links (decision 0034): a member link may name a dispute instead of a ballot. Through it the
 * member claims strike pay or a hardship grant for themselves. A link names at most one of an indicative
 * ballot, a statutory ballot and a dispute.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table member_links add column dispute_id integer references disputes(id) on delete cascade;
alter table member_links drop constraint member_links_one_ballot;
alter table member_links add constraint member_links_one_purpose
  check (num_nonnulls(indicative_ballot_id, ballot_id, dispute_id) <= 1);
create index member_links_dispute_idx on member_links(dispute_id) where dispute_id is not null;
`,
  );
}
