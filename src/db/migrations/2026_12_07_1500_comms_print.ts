import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Letters printed by a mailing house (decisions/0027): a letter send's claimed messages are stored as
 * batches, each one PDF (a letter per page group) and its address file (CSV), written in the same
 * transaction that marks the batch's ledger rows sent, so no batch is made twice or lost.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table comms_print_batches (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  send_id integer not null references comms_sends(id) on delete cascade,
  batch_no integer not null check (batch_no > 0),
  letters integer not null check (letters > 0),
  pages integer not null check (pages >= letters),
  pdf bytea not null,
  pdf_sha256 text not null,
  csv bytea not null,
  csv_sha256 text not null,
  created_at timestamptz not null,
  constraint comms_print_batches_uq unique (send_id, batch_no)
);
create index comms_print_batches_union_idx on comms_print_batches(union_id);
`,
  );
}
