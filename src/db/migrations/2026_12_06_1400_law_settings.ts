import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Commencement dates a national officer records on legal advice, per union, each with the legal source
 * (docs/decisions/0013). A null date records that the change is not in force. History is in the audit log.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table law_commencements (
  union_id integer not null references unions(id),
  switch_id text not null,
  commenced_on date,
  source text not null check (length(source) between 1 and 500),
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  primary key (union_id, switch_id)
);
`,
  );
}
