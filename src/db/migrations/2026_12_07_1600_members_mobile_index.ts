import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * A member's reply to the union's SMS number (STOP, START) names only the number: members are found by
 * their mobile with spaces, brackets and hyphens taken out (decisions/0027), through this index rather
 * than a scan of every member.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create index members_mobile_digits_idx on members ((regexp_replace(mobile, '[\\s()-]', '', 'g')))
  where mobile is not null;
`,
  );
}
