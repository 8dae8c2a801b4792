import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Failed sign-ins counted per source (IP address) and per account (a hash
 * of the email), one row each, so that counting is a single atomic upsert on
 * either database and across server processes (docs/decisions/0010).
 *
 * With it, the count of an import job's problems beyond those it keeps
 * (resource limits, same review).
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table signin_throttle (
  -- 'source:<ip>' or 'account:<sha-256 of the lower-cased email>': never the email itself.
  key text primary key,
  failures integer not null check (failures >= 0),
  last_failure_at timestamptz not null
);
create index signin_throttle_last_idx on signin_throttle(last_failure_at);

-- An import keeps its first problems (rejects and warnings) and counts the rest here.
alter table import_jobs add column problems_not_kept integer not null default 0;
`,
  );
}
