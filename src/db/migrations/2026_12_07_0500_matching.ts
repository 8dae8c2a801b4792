import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * What the employer matcher needs to know the member's date (decision 0019):
 * which employers took over a closed one (a council abolished in a
 * reorganisation: one successor, or several when it was split), and the town
 * of a site, which members add to a site's name ("St James's, Leeds").
 * Employers and workplaces already carry opened_on.
 *
 * A string's match can now depend on the date (before or after a council was
 * abolished): such a string is kept once per period, its match_key suffixed
 * with the date the period starts, and text_key holds the string's key
 * without it, so the periods of one string are found together.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table employer_successors (
  union_id integer not null references unions(id) on delete cascade,
  employer_id integer not null references employers(id) on delete cascade,
  successor_id integer not null references employers(id) on delete cascade,
  from_date date,
  source text not null,
  primary key (employer_id, successor_id),
  check (employer_id <> successor_id)
);
create index employer_successors_union_idx on employer_successors(union_id);
alter table workplaces add column town text;
alter table org_strings add column text_key text;
update org_strings set text_key = match_key;
create index org_strings_text_key_idx on org_strings(union_id, text_key);
`,
  );
}
