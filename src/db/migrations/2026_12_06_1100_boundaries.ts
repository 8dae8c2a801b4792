import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Boundaries between unions and between roles on a ballot:
 * - partner_agreements: a partner union's members enter another union's ballot
 *   only under an agreement the partner accepted, for one ballot or one dispute,
 *   naming the fields shared;
 * - ballot_scrutineers: the scrutineer users appointed to a ballot, the only
 *   ballots a scrutineer sees.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table partner_agreements (
  id integer generated always as identity primary key,
  -- The union that runs the ballot and asks for the partner's members.
  union_id integer not null references unions(id),
  partner_union_id integer not null references unions(id),
  -- One ballot, or every ballot of one dispute.
  ballot_id integer references ballots(id) on delete cascade,
  dispute_id integer references disputes(id) on delete cascade,
  fields text[] not null,
  purpose text not null default '',
  state text not null default 'requested' check (state in ('requested','accepted','declined','withdrawn')),
  requested_by integer references users(id),
  requested_at timestamptz not null,
  decided_by integer references users(id),
  decided_by_union integer references unions(id),
  decided_at timestamptz,
  check (union_id <> partner_union_id),
  check ((ballot_id is null) <> (dispute_id is null))
);
create index partner_agreements_union_idx on partner_agreements(union_id);
create index partner_agreements_partner_idx on partner_agreements(partner_union_id);

create table ballot_scrutineers (
  ballot_id integer not null references ballots(id) on delete cascade,
  user_id integer not null references users(id),
  appointed_by integer references users(id),
  appointed_at timestamptz not null,
  primary key (ballot_id, user_id)
);
create index ballot_scrutineers_user_idx on ballot_scrutineers(user_id);
`,
  );
}
