import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Campaign coordination (decisions/0031): a national sector strategy per sector and a regional plan per
 * region, with objectives tied to constituencies (ballots), tasks, resources committed and meetings;
 * and requests for assistance to the union's central departments, with service levels per urgency.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
-- One plan per region and one strategy per sector: the scope of the plan is its region or sector.
create table plans (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  kind text not null check (kind in ('region','sector')),
  region_id integer references regions(id),
  sector_id integer references sectors(id),
  title text not null,
  summary text not null default '',
  created_by integer references users(id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((kind = 'region') = (region_id is not null) and (kind = 'sector') = (sector_id is not null))
);
create unique index plans_region_idx on plans(union_id, region_id) where region_id is not null;
create unique index plans_sector_idx on plans(union_id, sector_id) where sector_id is not null;

create table plan_objectives (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  plan_id integer not null references plans(id) on delete cascade,
  text text not null,
  created_at timestamptz not null
);
create index plan_objectives_plan_idx on plan_objectives(plan_id);

-- The constituencies (ballots) an objective is about.
create table plan_objective_ballots (
  objective_id integer not null references plan_objectives(id) on delete cascade,
  ballot_id integer not null references ballots(id) on delete cascade,
  primary key (objective_id, ballot_id)
);
create index plan_objective_ballots_ballot_idx on plan_objective_ballots(ballot_id);

create table plan_meetings (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  plan_id integer not null references plans(id) on delete cascade,
  held_on date not null,
  title text not null,
  attendees jsonb not null default '[]',
  decisions text not null default '',
  created_by integer references users(id),
  created_at timestamptz not null
);
create index plan_meetings_plan_idx on plan_meetings(plan_id, held_on);

create table plan_tasks (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  plan_id integer not null references plans(id) on delete cascade,
  objective_id integer references plan_objectives(id) on delete set null,
  -- A task may be about one constituency directly, as well as through its objective.
  ballot_id integer references ballots(id) on delete set null,
  -- An action agreed at a meeting.
  meeting_id integer references plan_meetings(id) on delete set null,
  title text not null,
  owner_user_id integer references users(id),
  due_on date,
  status text not null check (status in ('todo','doing','blocked','done')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  done_at timestamptz
);
create index plan_tasks_plan_idx on plan_tasks(plan_id);
create index plan_tasks_owner_idx on plan_tasks(owner_user_id) where status <> 'done';
create index plan_tasks_due_idx on plan_tasks(union_id, due_on) where status <> 'done';

create table plan_resources (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  plan_id integer not null references plans(id) on delete cascade,
  kind text not null check (kind in ('officer_days','reps','materials','budget')),
  quantity numeric(12,2) not null check (quantity >= 0),
  note text not null default '',
  created_at timestamptz not null
);
create index plan_resources_plan_idx on plan_resources(plan_id);

-- Central departments, as data per union (legal, communications, membership data, finance, IT...).
create table departments (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  code text not null,
  name text not null,
  created_at timestamptz not null,
  unique (union_id, code)
);

create table department_members (
  department_id integer not null references departments(id) on delete cascade,
  user_id integer not null references users(id) on delete cascade,
  primary key (department_id, user_id)
);
create index department_members_user_idx on department_members(user_id);

-- Time to a first answer per urgency; a union without a row uses the defaults in the code.
create table request_service_levels (
  union_id integer not null references unions(id),
  urgency text not null check (urgency in ('critical','high','normal','low')),
  amount integer not null check (amount > 0 and amount <= 1000),
  unit text not null check (unit in ('hours','working_days')),
  primary key (union_id, urgency)
);

create table assistance_requests (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  department_id integer not null references departments(id),
  -- Where the request comes from: the region or sector it is raised for (reads are scoped by them).
  region_id integer references regions(id),
  sector_id integer references sectors(id),
  raised_by integer references users(id),
  title text not null,
  body text not null,
  urgency text not null check (urgency in ('critical','high','normal','low')),
  status text not null check (status in ('new','triaged','answered','resolved')),
  owner_user_id integer references users(id),
  raised_at timestamptz not null,
  due_at timestamptz not null,
  first_answered_at timestamptz,
  resolved_at timestamptz,
  -- Set once, when the service level was found missed: the disputes unit is told.
  escalated_at timestamptz,
  updated_at timestamptz not null
);
create index assistance_requests_union_idx on assistance_requests(union_id, raised_at desc);
create index assistance_requests_department_idx on assistance_requests(department_id, status);
create index assistance_requests_due_idx on assistance_requests(due_at)
  where first_answered_at is null and escalated_at is null;

create table assistance_request_answers (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  request_id integer not null references assistance_requests(id) on delete cascade,
  author_user_id integer references users(id),
  body text not null,
  created_at timestamptz not null
);
create index assistance_request_answers_request_idx on assistance_request_answers(request_id, created_at);
`,
  );
}
