import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The audit chain becomes keyed: rows written from now on are chained with an
 * HMAC whose key is kept outside the database (see docs/decisions/0008), so
 * someone who can write to the database cannot recompute the chain after an
 * edit. Rows already written keep version 1 (plain SHA-256) and still verify;
 * a version-1 row after a keyed row is refused by verification, so the chain
 * cannot be downgraded.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table audit_log add column chain_version smallint not null default 1
  check (chain_version in (1, 2));
alter table audit_log alter column chain_version set default 2;
`,
  );
}
