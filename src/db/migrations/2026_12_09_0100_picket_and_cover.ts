import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Picket plans and essential-service cover (decisions/0035): a plan per workplace and day of action of a
 * dispute (its lead and, where the law on the day requires one or as good practice, its picket
 * supervisor), its lines with expected and actual numbers, the supervisor's contacts with the police,
 * the rota of members on each line; cover agreed with an employer for a day (services, posts and
 * numbers, who agreed on each side and when), the members exempted to provide it (named only where the
 * agreement records that the employer and the member agreed to naming; otherwise numbers only), and the
 * employer's requests for more cover with their answers.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table picket_plans (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  dispute_id integer not null references disputes(id) on delete cascade,
  workplace_id integer not null references workplaces(id),
  day date not null,
  lead_member_id integer references members(id) on delete set null,
  lead_name text not null default '',
  supervisor_member_id integer references members(id) on delete set null,
  supervisor_name text not null default '',
  supervisor_contact text not null default '',
  updated_by integer references users(id),
  updated_at timestamptz not null,
  unique (dispute_id, workplace_id, day)
);
create index picket_plans_day_idx on picket_plans(union_id, day, workplace_id);

create table picket_lines (
  id integer generated always as identity primary key,
  plan_id integer not null references picket_plans(id) on delete cascade,
  union_id integer not null references unions(id),
  location text not null,
  entrance text not null default '',
  starts_at text not null check (starts_at ~ '^[0-2][0-9]:[0-5][0-9]$'),
  ends_at text not null check (ends_at ~ '^[0-2][0-9]:[0-5][0-9]$'),
  expected_count integer check (expected_count >= 0),
  actual_count integer check (actual_count >= 0),
  actual_recorded_by integer references users(id),
  actual_recorded_at timestamptz,
  created_by integer references users(id),
  created_at timestamptz not null
);
create index picket_lines_plan_idx on picket_lines(plan_id);

create table picket_police_contacts (
  id integer generated always as identity primary key,
  plan_id integer not null references picket_plans(id) on delete cascade,
  union_id integer not null references unions(id),
  contacted_at timestamptz not null,
  force text not null,
  officer text not null default '',
  method text not null check (method in ('phone', 'email', 'in_person', 'letter', 'other')),
  notes text not null default '',
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);
create index picket_police_contacts_plan_idx on picket_police_contacts(plan_id);

create table picket_rota (
  id integer generated always as identity primary key,
  line_id integer not null references picket_lines(id) on delete cascade,
  plan_id integer not null references picket_plans(id) on delete cascade,
  union_id integer not null references unions(id),
  member_id integer not null references members(id) on delete cascade,
  day date not null,
  starts_at text not null check (starts_at ~ '^[0-2][0-9]:[0-5][0-9]$'),
  ends_at text not null check (ends_at ~ '^[0-2][0-9]:[0-5][0-9]$'),
  added_by integer references users(id),
  added_at timestamptz not null,
  unique (line_id, member_id, starts_at)
);
create index picket_rota_plan_idx on picket_rota(plan_id);
create index picket_rota_member_day_idx on picket_rota(member_id, day);

create table cover_agreements (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  dispute_id integer not null references disputes(id) on delete cascade,
  employer_id integer not null references employers(id),
  day date not null,
  -- [{ service, post, number }]
  items jsonb not null,
  union_agreed_by integer references users(id),
  union_agreed_name text not null,
  employer_agreed_name text not null,
  employer_agreed_role text not null default '',
  agreed_at timestamptz not null,
  naming_agreed boolean not null default false,
  note text not null default '',
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);
create index cover_agreements_day_idx on cover_agreements(union_id, dispute_id, day, employer_id);

-- A member named (only where the agreement allows naming: member_id set, number 1), or a number of
-- members at a workplace, not named.
create table cover_exemptions (
  id integer generated always as identity primary key,
  agreement_id integer not null references cover_agreements(id) on delete cascade,
  union_id integer not null references unions(id),
  day date not null,
  workplace_id integer references workplaces(id),
  member_id integer references members(id) on delete cascade,
  number integer not null check (number > 0),
  post text not null default '',
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  check (member_id is null or number = 1)
);
create index cover_exemptions_agreement_idx on cover_exemptions(agreement_id);
create unique index cover_exemptions_member_day_idx on cover_exemptions(member_id, day) where member_id is not null;

create table cover_requests (
  id integer generated always as identity primary key,
  agreement_id integer not null references cover_agreements(id) on delete cascade,
  union_id integer not null references unions(id),
  requested_at timestamptz not null,
  requested_by_name text not null,
  details text not null,
  posts_requested integer check (posts_requested >= 0),
  -- The officer's decision on the request. Not named "answer": that name is kept for indicative
  -- ballots' tallies, which a privacy test watches.
  outcome text check (outcome in ('granted', 'refused', 'partly')),
  posts_granted integer check (posts_granted >= 0),
  answer_note text not null default '',
  answered_by integer references users(id),
  answered_at timestamptz,
  recorded_by integer references users(id),
  recorded_at timestamptz not null
);
create index cover_requests_agreement_idx on cover_requests(agreement_id);
`,
  );
}
