import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Member links and indicative ballots (decision 0022).
 *
 * A member link is a personal, expiring link a member opens without signing
 * in: only the SHA-256 of its random 256-bit token is kept. An indicative
 * ballot is a consultative vote run through those links. Who may vote (the
 * roll, with each voter's constituency) and who has voted are kept apart from
 * the answers: `indicative_tally` holds counts per constituency, question and
 * answer, with no member, id, sequence or time, and every vote adds to every
 * answer's row of its constituency (0 or 1) so that all of them are written by
 * the voter's transaction alike.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table indicative_ballots (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id) on delete cascade,
  dispute_id integer not null references disputes(id) on delete cascade,
  title text not null,
  questions jsonb not null,
  constituency_kind text not null check (constituency_kind in ('workplace','ballot')),
  opens_on date not null,
  closes_on date not null,
  minimum_cell integer not null default 10 check (minimum_cell between 1 and 1000),
  state text not null default 'draft' check (state in ('draft','open','closed')),
  created_by integer references users(id),
  created_at timestamptz not null,
  opened_at timestamptz,
  closed_at timestamptz,
  check (opens_on <= closes_on)
);
create index indicative_ballots_dispute_idx on indicative_ballots(dispute_id);

-- Who may vote, and in which constituency ('workplace:<id>', 'workplace:none', 'ballot:<id>'): fixed on opening.
create table indicative_roll (
  indicative_ballot_id integer not null references indicative_ballots(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  constituency text not null,
  primary key (indicative_ballot_id, member_id)
);

-- Who has voted: one row per voter, refused a second time by the key. No answer, no time.
create table indicative_voted (
  indicative_ballot_id integer not null,
  member_id integer not null,
  primary key (indicative_ballot_id, member_id),
  foreign key (indicative_ballot_id, member_id)
    references indicative_roll(indicative_ballot_id, member_id) on delete cascade
);

-- The answers, as counts only: nothing here names, numbers or orders a voter.
create table indicative_tally (
  indicative_ballot_id integer not null references indicative_ballots(id) on delete cascade,
  constituency text not null,
  question integer not null,
  answer integer not null,
  votes integer not null default 0 check (votes >= 0),
  primary key (indicative_ballot_id, constituency, question, answer)
);

create table member_links (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  indicative_ballot_id integer references indicative_ballots(id) on delete cascade,
  token_hash text not null unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_by integer references users(id),
  created_at timestamptz not null,
  last_used_at timestamptz
);
create index member_links_member_idx on member_links(member_id);
create index member_links_ballot_idx on member_links(indicative_ballot_id);

-- Uses of member links per token and per source address in a fixed window (decision 0022).
create table member_link_throttle (
  key text primary key,
  window_start timestamptz not null,
  hits integer not null
);
`,
  );
}
