import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The statutory result notice to members (s.231; decisions/0030): each round of a dispute's notice,
 * the constituencies it covered with the figures it merged, and its sends (one per channel) over the
 * send ledger, whose rows record per member when and by which channel they were told.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table result_notices (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  dispute_id integer not null references disputes(id),
  round integer not null check (round > 0),
  ballot_ids integer[] not null,
  -- The merge fields of each constituency's result, as sent (keyed by ballot id).
  figures jsonb not null,
  created_by integer references users(id),
  created_at timestamptz not null,
  constraint result_notices_round_uq unique (dispute_id, round)
);

create table result_notice_sends (
  notice_id integer not null references result_notices(id),
  send_id integer not null references comms_sends(id),
  channel text not null check (channel in ('email','sms','letter')),
  primary key (notice_id, send_id)
);
create index result_notice_sends_send_idx on result_notice_sends(send_id);
`,
  );
}
