import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The statutory result notice to members (s.231; decisions/0030): each round of a dispute's notice,
 * the constituencies it covered with the figures it merged, and its sends (one per channel) over the
 * send ledger, whose rows record per member when and by which channel they were told.
 *
 * Officer bulletins: digests of a region's (or the union's) ballots and sends, counts only, and
 * announcements from national officers to users by role and region, with a receipt per reader.
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

create table bulletins (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  kind text not null check (kind in ('digest','announcement')),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) <= 10000),
  -- Who it is for: these roles (empty: every role that reads bulletins), in these regions (empty: all).
  roles text[] not null default '{}',
  region_ids integer[] not null default '{}',
  -- A digest's counts, as computed (no member's personal data).
  figures jsonb,
  created_by integer references users(id),
  created_at timestamptz not null
);
create index bulletins_union_idx on bulletins(union_id, created_at desc);

create table bulletin_reads (
  bulletin_id integer not null references bulletins(id),
  user_id integer not null references users(id),
  read_at timestamptz not null,
  primary key (bulletin_id, user_id)
);
`,
  );
}
