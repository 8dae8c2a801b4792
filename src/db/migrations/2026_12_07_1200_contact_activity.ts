import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Reps' logged contacts in the turnout dashboards' daily activity: each contact counted per ballot and
 * UK day under the kind `contact`, by a trigger beside the one that counts members' own reports (the
 * dashboards read a few thousand counted rows, never the contacts themselves).
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create function canvass_contact_activity_count() returns trigger language plpgsql as $fn$
begin
  insert into turnout_activity_daily as a (union_id, ballot_id, day, kind, reports)
  values (new.union_id, new.ballot_id, (new.occurred_at at time zone 'Europe/London')::date, 'contact', 1)
  on conflict (ballot_id, day, kind) do update set reports = a.reports + 1;
  return null;
end
$fn$;
create trigger canvass_contacts_activity after insert on canvass_contacts
  for each row execute function canvass_contact_activity_count();

insert into turnout_activity_daily (union_id, ballot_id, day, kind, reports)
  select union_id, ballot_id, (occurred_at at time zone 'Europe/London')::date, 'contact', count(*)
  from canvass_contacts group by 1, 2, 3;
`,
  );
}
