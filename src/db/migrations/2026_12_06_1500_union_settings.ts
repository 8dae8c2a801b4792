import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Documents fit to send (docs/decisions/0014):
 * - union_settings: who a notice of ballot comes from (the union's name as
 *   printed, its postal address and the officer who signs), one row per union;
 * - ballot_legal_signoffs: a national officer's recorded legal sign-off of a
 *   ballot's items needing legal review (who, when, what was reviewed); until
 *   one covers every item, documents are drafts;
 * - ballots.reballot: the voting paper asks whether members will "continue to
 *   take part" (s.229(2));
 * - ballot_documents.draft: the document was produced before legal sign-off.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table union_settings (
  union_id integer primary key references unions(id) on delete cascade,
  letter_name text not null default '',
  address text not null default '',
  signatory_name text not null default '',
  signatory_title text not null default '',
  contact text not null default '',
  updated_at timestamptz not null,
  updated_by integer references users(id)
);

create table ballot_legal_signoffs (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  -- The legal-review items signed off, as they stood (reasons), and who reviewed them.
  items jsonb not null,
  reviewer text not null,
  reviewed text not null,
  signed_at timestamptz not null,
  signed_by integer references users(id)
);
create index ballot_legal_signoffs_ballot_idx on ballot_legal_signoffs(ballot_id, signed_at);

alter table ballots add column reballot boolean not null default false;
alter table ballot_documents add column draft boolean not null default false;
`,
  );
}
