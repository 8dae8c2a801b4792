import { sql } from "kysely";
import type { Db } from "./database.js";

/**
 * Inserts many rows in one statement with one parameter: the rows as JSON,
 * expanded by json_populate_recordset. Binding tens of thousands of separate
 * parameters is what makes batch inserts slow, on PGlite above all; this runs
 * the same on both back ends and inside the caller's transaction.
 */
export async function insertRowsAsJson<R extends Record<string, unknown>>(
  db: Db,
  table:
    | "members"
    | "member_history"
    | "employers"
    | "workplaces"
    | "ballot_electorate"
    | "action_notice_members",
  rows: readonly R[],
  returning: "id" | null = "id",
): Promise<number[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]!).map((c) => sql.ref(c));
  const cols = sql.join(columns);
  const query = sql<{ id: number }>`insert into ${sql.table(table)} (${cols})
    select ${cols} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)
    ${returning ? sql`returning id` : sql``}`;
  const result = await query.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * Updates many rows by id in one statement: each row gives the id and the
 * columns to set (every row the same columns).
 */
export async function updateRowsAsJson<R extends { id: number } & Record<string, unknown>>(
  db: Db,
  table: "members" | "employers" | "workplaces" | "org_strings",
  rows: readonly R[],
): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!).filter((c) => c !== "id");
  if (!columns.length) return;
  const assignments = sql.join(columns.map((c) => sql`${sql.ref(c)} = j.${sql.ref(c)}`));
  await sql`update ${sql.table(table)} as t set ${assignments}
    from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json) as j
    where t.id = j.id`.execute(db);
}
