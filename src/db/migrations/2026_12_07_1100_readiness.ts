import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Readiness and the turnout dashboards: members' own reports counted per ballot, UK day and kind, kept
 * by a trigger (counts are maintained, not scanned: a dashboard over two million reports reads a few
 * thousand rows); an index for "contacted in the last 30 days"; reps found by their workplaces.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table turnout_activity_daily (
  union_id integer not null references unions(id),
  ballot_id integer not null references ballots(id) on delete cascade,
  day date not null,
  kind text not null,
  reports integer not null default 0,
  primary key (ballot_id, day, kind)
);
create index turnout_activity_daily_union_idx on turnout_activity_daily(union_id, day);

create function turnout_activity_count() returns trigger language plpgsql as $fn$
begin
  insert into turnout_activity_daily as a (union_id, ballot_id, day, kind, reports)
  values (new.union_id, new.ballot_id, (new.recorded_at at time zone 'Europe/London')::date, new.kind, 1)
  on conflict (ballot_id, day, kind) do update set reports = a.reports + 1;
  return null;
end
$fn$;
create trigger turnout_self_reports_activity after insert on turnout_self_reports
  for each row execute function turnout_activity_count();

insert into turnout_activity_daily (union_id, ballot_id, day, kind, reports)
  select union_id, ballot_id, (recorded_at at time zone 'Europe/London')::date, kind, count(*)
  from turnout_self_reports group by 1, 2, 3, 4;

-- A member's reports in the last 30 days, whatever the ballot.
create index turnout_self_reports_member_recent_idx on turnout_self_reports(member_id, recorded_at desc);
create index user_scopes_workplace_idx on user_scopes(workplace_id) where workplace_id is not null;
`,
  );
}
