import { sql } from "kysely";
import { copyIn } from "./copy.js";
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

/** A value in COPY's text format: \N for null, backslash escapes for the few characters that need them. */
export function copyText(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number") return String(v);
  const s = String(v);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

/**
 * Appends rows to a table with COPY (copy.ts), in a transaction of its own
 * that commits before this returns, never inside the caller's: the caller's
 * later statements must be able to redo or drop what was copied (the member
 * import's staging table is keyed by job and batch, and cleared by the merge
 * that reads it).
 */
export async function copyRows(
  db: Db,
  table: "member_import_staging",
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (!rows.length) return;
  // Built in pieces: one string of a few hundred megabytes would be copied again by every join.
  const chunks: string[] = [];
  let chunk = "";
  for (const r of rows) {
    chunk += `${r.map(copyText).join("\t")}\n`;
    if (chunk.length > 1 << 20) {
      chunks.push(chunk);
      chunk = "";
    }
  }
  if (chunk) chunks.push(chunk);
  await db.transaction().execute((tx) => copyIn(tx, table, columns, chunks));
}
