import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Coalitions of unions (decisions/0032). A coalition is held by its coordinator's installation
 * (`kind = 'coordinated'`); a union on another installation that agreed to join holds a row of its own
 * (`kind = 'remote'`) with the coordinator's address and its Ed25519 signing key. Membership is the
 * agreement to share aggregates: who agreed and when. Reports hold counts only, never members; the
 * disclosure key (one per union) seeds the cell-key noise and never leaves this installation.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table coalitions (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  kind text not null check (kind in ('coordinated','remote')),
  name text not null check (length(name) between 1 and 200),
  coordinator_name text not null check (length(coordinator_name) between 1 and 200),
  coordinator_url text check (coordinator_url is null or length(coordinator_url) <= 500),
  remote_coalition_id integer,
  member_key text,
  signing_public_key text,
  signing_private_key text,
  last_sequence_sent integer not null default 0,
  days_of_action text[] not null default '{}',
  publish_daily boolean not null default false,
  agreed_by integer references users(id),
  agreed_at timestamptz,
  created_by integer references users(id),
  created_at timestamptz not null,
  constraint coalitions_remote_ck check (kind = 'coordinated' or (coordinator_url is not null
    and remote_coalition_id is not null and member_key is not null and signing_private_key is not null))
);
create index coalitions_union_idx on coalitions(union_id);

create table coalition_members (
  id integer generated always as identity primary key,
  coalition_id integer not null references coalitions(id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name text not null check (length(name) between 1 and 200),
  local_union_id integer references unions(id),
  public_key text,
  partner_of text,
  brand_colour text check (brand_colour is null or brand_colour ~ '^#[0-9a-f]{6}$'),
  state text not null default 'invited' check (state in ('invited','agreed')),
  agreed_by_user integer references users(id),
  agreed_by_label text,
  agreed_at timestamptz,
  last_sequence integer not null default 0,
  publish_daily boolean not null default false,
  added_by integer references users(id),
  added_at timestamptz not null,
  constraint coalition_members_key_uq unique (coalition_id, key),
  constraint coalition_members_union_uq unique (coalition_id, local_union_id),
  constraint coalition_members_where_ck check ((local_union_id is null) <> (public_key is null))
);
create index coalition_members_union_idx on coalition_members(local_union_id);

create table coalition_ballots (
  coalition_id integer not null references coalitions(id) on delete cascade,
  union_id integer not null references unions(id),
  ballot_id integer not null references ballots(id),
  primary key (coalition_id, ballot_id)
);

create table coalition_reports (
  id integer generated always as identity primary key,
  coalition_id integer not null references coalitions(id) on delete cascade,
  member_id integer not null references coalition_members(id) on delete cascade,
  sequence integer not null check (sequence > 0),
  as_of date not null,
  issued_at timestamptz not null,
  source text not null check (source in ('local','remote')),
  trigger text not null check (trigger in ('hand','schedule','remote')),
  payload jsonb not null,
  signature text,
  received_at timestamptz not null,
  constraint coalition_reports_seq_uq unique (member_id, sequence)
);
create index coalition_reports_latest_idx on coalition_reports(coalition_id, member_id, sequence desc);

create table disclosure_keys (
  union_id integer primary key references unions(id),
  key bytea not null,
  created_at timestamptz not null
);
`,
  );
}
