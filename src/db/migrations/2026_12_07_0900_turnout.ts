import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Turnout while a ballot runs: the scrutineer's periodic returns (papers returned so far, per
 * constituency and date) and members' own reports of whether they have voted or will vote, from reps'
 * conversations and the member link. Never how anyone voted: there is no column for it, and the kinds
 * of report a member can give are fixed here.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table turnout_returns (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  ballot_id integer not null references ballots(id) on delete cascade,
  as_of date not null,
  papers_returned integer not null check (papers_returned >= 0),
  source text not null check (source in ('scrutineer_csv','entered')),
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  unique (ballot_id, as_of)
);
-- A dispute's status reads every constituency's returns in date order.
create index turnout_returns_union_ballot_idx on turnout_returns(union_id, ballot_id, as_of);

-- Erasing a member erases their reports.
create table turnout_self_reports (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  ballot_id integer not null references ballots(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  kind text not null check (kind in ('voted','will_vote','wont_vote','needs_replacement','wrong_address')),
  source text not null check (source in ('rep_conversation','member_link')),
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);
-- Each member's latest report per ballot (counts by kind, "who has not yet voted").
create index turnout_self_reports_latest_idx on turnout_self_reports(ballot_id, member_id, recorded_at desc, id desc);
create index turnout_self_reports_member_idx on turnout_self_reports(member_id);
`,
  );
}
