import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The records a legal officer asks for about a ballot after its electorate is
 * fixed: each notice of industrial action with the members it covered on the
 * day it was given (s.234A(3): the affected employees, which are not the
 * ballot's electorate) and its suspensions and resumptions by agreement
 * (s.234A(7A)-(7B)); the scrutineer's report and requests for copies of it
 * (s.231B); replacement voting papers and late joiners (ss.227, 230); mandate
 * extensions agreed with an employer under regime B (s.234(1)); and the
 * employers' objections and other correspondence.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
-- Per employer: the ballot's figure, the notice's figure and the difference by reason.
alter table action_notices add column figures jsonb not null default '[]'::jsonb;
alter table action_notices add column document_ids integer[] not null default '{}';
alter table action_notices add column employer_ids integer[];

-- Who each notice covered, and who it did not, with why: the record s.232A asks of every person called out.
-- No foreign key to members: the record outlives an erasure, as the frozen electorate does.
create table action_notice_members (
  action_notice_id integer not null references action_notices(id) on delete cascade,
  member_id integer not null,
  employer_id integer not null,
  workplace_id integer,
  outcome text not null check (outcome in
    ('affected','left','lapsed','deceased','moved_out','leaving_before_action','joined_since','not_balloted')),
  primary key (action_notice_id, member_id)
);
create index action_notice_members_member_idx on action_notice_members(member_id);

create table action_suspensions (
  id integer generated always as identity primary key,
  action_notice_id integer not null references action_notices(id) on delete cascade,
  ballot_id integer not null references ballots(id) on delete cascade,
  agreed_on date not null,
  suspended_from date not null,
  resume_from date not null,
  evidence text not null,
  resumed_on date,
  resumption_evidence text not null default '',
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  resumption_recorded_by integer references users(id),
  resumption_recorded_at timestamptz,
  check (agreed_on <= suspended_from and suspended_from <= resume_from),
  check (resumed_on is null or resumed_on >= resume_from)
);
create index action_suspensions_notice_idx on action_suspensions(action_notice_id);

create table scrutineer_reports (
  ballot_id integer primary key references ballots(id) on delete cascade,
  received_on date not null,
  no_contravention boolean not null,
  security_arrangements boolean not null,
  no_interference boolean not null,
  particulars text not null default '',
  reviewed_on date,
  review_note text not null default '',
  reviewed_by integer references users(id),
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);

create table scrutineer_report_requests (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  requested_on date not null,
  requester_type text not null check (requester_type in ('member','employer')),
  -- A membership number or an employer's name or reference: never a person's name or address.
  reference text not null default '',
  employer_id integer references employers(id),
  supplied_on date,
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  check (supplied_on is null or supplied_on >= requested_on)
);
create index scrutineer_report_requests_ballot_idx on scrutineer_report_requests(ballot_id);

create table ballot_paper_changes (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  kind text not null check (kind in ('replacement','late_joiner','late_joiner_not_entitled')),
  recorded_on date not null,
  paper_number integer,
  replaces_paper integer,
  member_id integer,
  employer_id integer references employers(id),
  workplace_id integer references workplaces(id),
  job_category text,
  reason text not null,
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  unique (ballot_id, paper_number)
);
create index ballot_paper_changes_ballot_idx on ballot_paper_changes(ballot_id);

create table mandate_extensions (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  employer_id integer not null references employers(id),
  agreed_on date not null,
  last_day date not null,
  evidence text not null,
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  unique (ballot_id, employer_id)
);

create table employer_correspondence (
  id integer generated always as identity primary key,
  ballot_id integer not null references ballots(id) on delete cascade,
  employer_id integer not null references employers(id),
  dated date not null,
  direction text not null check (direction in ('received','sent')),
  kind text not null check (kind in ('objection','information_request','legal_threat','reply','other')),
  summary text not null,
  document_reference text not null default '',
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);
create index employer_correspondence_ballot_idx on employer_correspondence(ballot_id, employer_id);
`,
  );
}
