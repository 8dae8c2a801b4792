import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Disputes and their ballots (constituencies), the frozen electorate of each
 * ballot with every member's reason for inclusion or exclusion, the
 * documents generated from it (stored immutably with their hash), proof of
 * receipt of each notice, results and notices of industrial action.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table disputes (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  title text not null check (length(title) between 1 and 200),
  matters_in_issue text not null default '',
  -- Other unions balloting in the same dispute on a shared timetable (names, for the coalition view).
  coalition text not null default '',
  created_by integer references users(id),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index disputes_union_idx on disputes(union_id);

create table dispute_employers (
  dispute_id integer not null references disputes(id) on delete cascade,
  employer_id integer not null references employers(id),
  primary key (dispute_id, employer_id)
);
create index dispute_employers_employer_idx on dispute_employers(employer_id);

create table ballots (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  dispute_id integer not null references disputes(id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('workplace','aggregated')),
  aggregation_test text check (aggregation_test in ('common_dispute','occupation','employer')),
  aggregation_reason text not null default '',
  questions text[] not null,
  action_short_types text[] not null default '{}',
  expected_periods text not null default '',
  voting_method text not null default 'postal' check (voting_method in ('postal','electronic','hybrid','workplace')),
  opening_date date not null,
  closing_date date not null,
  planned_action_from date,
  job_categories text[],
  include_arrears boolean not null default false,
  partner_union_ids integer[] not null default '{}',
  scrutineer_name text not null default '',
  scrutineer_address text not null default '',
  return_address text not null default '',
  authorised_person text not null default '',
  ips_belief boolean not null default false,
  ips_evidence text not null default '',
  wales_devolved boolean not null default false,
  check_off_route boolean not null default false,
  dismissal_statement_reviewed text,
  dismissal_statement_reviewed_by integer references users(id),
  state text not null default 'draft'
    check (state in ('draft','frozen','notices_issued','open','closed','result_declared')),
  electorate_hash text,
  electorate_entitled integer,
  electorate_as_at date,
  frozen_at timestamptz,
  frozen_by integer references users(id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (closing_date >= opening_date),
  check (kind = 'workplace' or aggregation_test is not null)
);
create index ballots_dispute_idx on ballots(dispute_id);
create index ballots_union_idx on ballots(union_id);

-- What the ballot covers: an employer as a whole (workplace_id null) or one of its workplaces.
create table ballot_scope (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  employer_id integer not null references employers(id),
  workplace_id integer references workplaces(id),
  unique nulls not distinct (ballot_id, employer_id, workplace_id)
);
create index ballot_scope_ballot_idx on ballot_scope(ballot_id);

-- The frozen electorate: every member the scope reached, with why they are in
-- or out. Names and postal addresses are copied at freezing so the voter file
-- and every notice regenerate identically from the snapshot.
--
-- No foreign keys to members, employers or workplaces: the snapshot is the
-- record of what the union believed at the time, and must outlive a later
-- erasure or register change (it is kept for the defence of legal claims).
create table ballot_electorate (
  ballot_id integer not null references ballots(id) on delete cascade,
  member_id integer not null,
  member_union_id integer not null,
  membership_number text not null,
  included boolean not null,
  reason text not null,
  employer_id integer not null,
  workplace_id integer,
  job_category text,
  check_off boolean not null,
  left_on date,
  paper_number integer,
  name text not null,
  address_lines text[] not null,
  postcode text,
  primary key (ballot_id, member_id)
);
create index ballot_electorate_member_idx on ballot_electorate(member_id);
create index ballot_electorate_employer_idx on ballot_electorate(ballot_id, employer_id);

create table ballot_documents (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  employer_id integer references employers(id),
  kind text not null check (kind in
    ('ballot_notice','ballot_notice_annex','sample_paper','voter_file','result_members','result_employer','action_notice','action_notice_annex')),
  filename text not null,
  content_type text not null,
  content bytea not null,
  sha256 text not null,
  -- The exact input the document was rendered from, so it can be re-rendered and compared.
  input jsonb not null,
  electorate_hash text not null,
  created_at timestamptz not null,
  created_by integer references users(id)
);
create index ballot_documents_ballot_idx on ballot_documents(ballot_id, kind);

-- Proof the employer received a notice: a court asks when it was received, not sent.
create table notice_receipts (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  employer_id integer not null references employers(id),
  kind text not null check (kind in ('ballot_notice','sample_paper','result_employer','action_notice')),
  sent_on date,
  received_on date not null,
  method text not null default '',
  evidence text not null default '',
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  unique (ballot_id, employer_id, kind)
);

create table ballot_results (
  ballot_id integer primary key references ballots(id) on delete cascade,
  entitled integer not null check (entitled >= 0),
  votes_cast integer not null check (votes_cast >= 0),
  questions jsonb not null,
  source text not null check (source in ('entered','scrutineer_csv')),
  evaluation jsonb not null,
  declared_on date not null,
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);

create table action_notices (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  continuous boolean not null,
  start_date date,
  dates jsonb not null default '[]'::jsonb,
  kinds text[] not null,
  given_on date not null,
  shorter_notice_agreed boolean not null default false,
  agreement_evidence text not null default '',
  created_at timestamptz not null,
  created_by integer references users(id)
);
create index action_notices_ballot_idx on action_notices(ballot_id);
`,
  );
}
