import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The scrutineer's artwork specification (docs/decisions/0014): a ballot
 * document kind `artwork_spec`, generated with the sample voting paper.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table ballot_documents drop constraint ballot_documents_kind_check;
alter table ballot_documents add constraint ballot_documents_kind_check check (kind in
  ('ballot_notice','ballot_notice_annex','sample_paper','artwork_spec','voter_file','result_members','result_employer','action_notice','action_notice_annex'));
`,
  );
}
