import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The day of action (decisions/0034): the calendar of days and kinds of action per dispute; strike pay
 * and hardship claims, their days and the union's rules for them; the exports finance takes; reps'
 * reports of numbers out per workplace on the day.
 *
 * A member's day is paid once: `strike_pay_claim_days_once` is unique on (member, day) over every claim
 * day not rejected, so two claims for the same day, concurrent or re-imported, cannot both stand.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table action_days (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  dispute_id integer not null references disputes(id) on delete cascade,
  day date not null,
  kind text not null check (kind in ('strike', 'action_short_of_strike')),
  types text[] not null default '{}',
  note text not null default '',
  created_by integer references users(id),
  created_at timestamptz not null,
  unique (dispute_id, day, kind)
);
create index action_days_union_day_idx on action_days(union_id, day);

create table strike_pay_rules (
  dispute_id integer primary key references disputes(id) on delete cascade,
  union_id integer not null references unions(id),
  rate_pence integer not null check (rate_pence >= 0),
  unpaid_days integer not null default 0 check (unpaid_days >= 0),
  max_paid_days integer check (max_paid_days >= 0),
  max_pence_per_member integer check (max_pence_per_member >= 0),
  hardship_max_pence integer not null default 0 check (hardship_max_pence >= 0),
  hardship_criteria text[] not null default '{}',
  updated_by integer references users(id),
  updated_at timestamptz not null
);

create table strike_pay_exports (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  from_day date not null,
  to_day date not null,
  lines integer not null,
  -- Pence, as text-safe bigint: a national export can pass 2^31 pence.
  total_pence bigint not null,
  created_by integer references users(id),
  created_at timestamptz not null
);

create table strike_pay_claims (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  dispute_id integer not null references disputes(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  kind text not null check (kind in ('strike_pay', 'hardship')),
  state text not null default 'submitted' check (state in ('submitted', 'approved', 'rejected', 'paid')),
  requested_pence integer check (requested_pence >= 0),
  criteria_met text[] not null default '{}',
  amount_pence integer,
  evidence_note text not null default '',
  evidence_name text,
  evidence_type text,
  evidence bytea,
  -- A claim imported from a file carries the file's reference: importing the file again finds it.
  reference text,
  submitted_by integer references users(id),
  submitted_at timestamptz not null,
  decided_by integer references users(id),
  decided_at timestamptz,
  decision_note text not null default '',
  export_id integer references strike_pay_exports(id)
);
create unique index strike_pay_claims_reference_idx on strike_pay_claims(union_id, reference) where reference is not null;
create index strike_pay_claims_list_idx on strike_pay_claims(union_id, dispute_id, state);
create index strike_pay_claims_member_idx on strike_pay_claims(member_id);

create table strike_pay_claim_days (
  claim_id integer not null references strike_pay_claims(id) on delete cascade,
  union_id integer not null references unions(id),
  dispute_id integer not null,
  member_id integer not null references members(id) on delete cascade,
  day date not null,
  state text not null default 'submitted' check (state in ('submitted', 'approved', 'rejected', 'paid')),
  amount_pence integer,
  export_id integer references strike_pay_exports(id),
  primary key (claim_id, day)
);
create unique index strike_pay_claim_days_once on strike_pay_claim_days(member_id, day) where state <> 'rejected';
create index strike_pay_claim_days_due_idx on strike_pay_claim_days(union_id, state, day);

-- Reps' reports of numbers out, several a day per workplace. Append-only: a report is corrected by
-- a later one; the latest per workplace and day is the figure.
create table action_reports (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  day date not null,
  workplace_id integer not null references workplaces(id),
  region_id integer,
  reported_at timestamptz not null,
  out_count integer not null check (out_count >= 0),
  at_work_count integer check (at_work_count >= 0),
  exempt_count integer check (exempt_count >= 0),
  picket_up boolean not null default false,
  reported_by integer references users(id)
);
create index action_reports_day_idx on action_reports(union_id, day, workplace_id, reported_at desc);
create index action_reports_region_idx on action_reports(union_id, day, region_id, reported_at);
`,
  );
}
