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
  table: "members" | "member_history" | "employers" | "workplaces",
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
