import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The scrutineer's per-member feed of papers returned: a third source of members' reports of having
 * voted (`scrutineer`), beside reps' conversations and the member link. A returned paper is evidence,
 * not campaign activity: the dashboards' daily activity counts leave it out (the trigger skips it), so
 * a feed of thousands of papers neither swells the contact chart nor costs a counter update per row.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table turnout_self_reports drop constraint turnout_self_reports_source_check;
alter table turnout_self_reports add constraint turnout_self_reports_source_check
  check (source in ('rep_conversation','member_link','scrutineer'));
alter table turnout_self_reports add constraint turnout_self_reports_scrutineer_voted
  check (source <> 'scrutineer' or kind = 'voted');

drop trigger turnout_self_reports_activity on turnout_self_reports;
create trigger turnout_self_reports_activity after insert on turnout_self_reports
  for each row when (new.source <> 'scrutineer') execute function turnout_activity_count();
`,
  );
}
