import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The live board of a day of action (decisions/0036): a small aggregate kept current as reports
 * arrive, so the board never reads every report of the day.
 *
 * - `action_board_workplaces`: one row per (union, day, workplace), the latest report's figures
 *   (upserted in the report's transaction), how many reports, and the open and all incidents.
 * - `action_board_slots`: per (union, day, region, sector, half-hour slot) the change in numbers out
 *   that reports made in that slot; the running sum over the slots is the numbers out over the day.
 *   Region and sector are 0 when the workplace has none.
 * - `action_incidents` and `action_incident_followups`: the officers' incident log (police, employer,
 *   media, safety, other) per workplace and day, with follow-ups (who, what, due, done).
 *
 * Existing reports are folded into the aggregate once, here.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table action_board_workplaces (
  union_id integer not null references unions(id),
  day date not null,
  workplace_id integer not null references workplaces(id),
  region_id integer not null default 0,
  sector_id integer not null default 0,
  out_count integer not null default 0 check (out_count >= 0),
  at_work_count integer check (at_work_count >= 0),
  exempt_count integer check (exempt_count >= 0),
  picket_up boolean not null default false,
  reported_at timestamptz,
  reports integer not null default 0,
  incidents integer not null default 0,
  open_incidents integer not null default 0,
  primary key (union_id, day, workplace_id)
);

create table action_board_slots (
  union_id integer not null references unions(id),
  day date not null,
  region_id integer not null default 0,
  sector_id integer not null default 0,
  slot smallint not null check (slot between 0 and 47),
  out_delta bigint not null default 0,
  primary key (union_id, day, region_id, sector_id, slot)
);

create table action_incidents (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  day date not null,
  workplace_id integer not null references workplaces(id),
  region_id integer not null default 0,
  sector_id integer not null default 0,
  kind text not null check (kind in ('police', 'employer', 'media', 'safety', 'other')),
  severity text not null check (severity in ('low', 'medium', 'high')),
  occurred_at timestamptz not null,
  description text not null check (length(description) between 1 and 2000),
  state text not null default 'open' check (state in ('open', 'closed')),
  recorded_by integer references users(id),
  recorded_at timestamptz not null,
  closed_by integer references users(id),
  closed_at timestamptz
);
create index action_incidents_day_idx on action_incidents(union_id, day, occurred_at desc);

create table action_incident_followups (
  id integer generated always as identity primary key,
  incident_id integer not null references action_incidents(id) on delete cascade,
  who text not null check (length(who) between 1 and 200),
  what text not null check (length(what) between 1 and 1000),
  due_on date,
  done_at timestamptz,
  done_by integer references users(id),
  created_by integer references users(id),
  created_at timestamptz not null
);
create index action_incident_followups_incident_idx on action_incident_followups(incident_id, id);

insert into action_board_workplaces (union_id, day, workplace_id, region_id, sector_id, out_count, at_work_count,
  exempt_count, picket_up, reported_at, reports)
select distinct on (r.union_id, r.day, r.workplace_id)
  r.union_id, r.day, r.workplace_id, coalesce(w.region_id, 0), coalesce(e.sector_id, 0), r.out_count,
  r.at_work_count, r.exempt_count, r.picket_up, r.reported_at,
  (count(*) over (partition by r.union_id, r.day, r.workplace_id))::int
from action_reports r
join workplaces w on w.id = r.workplace_id
join employers e on e.id = w.employer_id
order by r.union_id, r.day, r.workplace_id, r.reported_at desc, r.id desc;

insert into action_board_slots (union_id, day, region_id, sector_id, slot, out_delta)
select union_id, day, region_id, sector_id, slot, sum(delta)
from (
  select r.union_id, r.day, coalesce(w.region_id, 0) as region_id, coalesce(e.sector_id, 0) as sector_id,
    least(47, greatest(0, floor(extract(epoch from ((r.reported_at at time zone 'Europe/London') - r.day::timestamp)) / 1800)))::smallint as slot,
    r.out_count - coalesce(lag(r.out_count) over (partition by r.union_id, r.day, r.workplace_id order by r.reported_at, r.id), 0) as delta
  from action_reports r
  join workplaces w on w.id = r.workplace_id
  join employers e on e.id = w.employer_id
) d
group by union_id, day, region_id, sector_id, slot;
`,
  );
}
