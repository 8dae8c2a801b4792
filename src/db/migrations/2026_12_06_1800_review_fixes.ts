import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Fixes from a security review:
 * - signin_known_sources: the (source, account) pairs that signed in with the
 *   right password, so a source's throttle does not keep out an account's owner
 *   at a shared address, and only such a source gets the account's short wait
 *   (docs/decisions/0010);
 * - partner_agreements.employer_ids: the partner's employers an agreement
 *   covers, fixed when the partner accepts, so widening a ballot's scope
 *   afterwards does not widen what is copied (docs/decisions/0009);
 * - audit_head.key_id: which audit key the chain is keyed with (an HMAC, not
 *   the key), so a process with another key is refused (docs/decisions/0008).
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table signin_known_sources (
  -- sha-256 of '<ip> <lower-cased email>': never the email itself.
  key text primary key,
  last_success_at timestamptz not null
);
create index signin_known_sources_last_idx on signin_known_sources(last_success_at);

-- Null until accepted; an agreement accepted before this column covers no employer.
alter table partner_agreements add column employer_ids integer[];

-- Set by the first keyed append after this migration.
alter table audit_head add column key_id text;
`,
  );
}
