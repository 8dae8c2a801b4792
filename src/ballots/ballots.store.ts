/**
 * The ballots domain's SQL: the ballot's scope and its snapshot's size (the
 * freeze's own statements are in freeze.store.ts). Rows become domain values
 * before they leave.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

export interface ScopeRow {
  employerId: number;
  workplaceId: number | null;
}

/** The employers and workplaces the ballot covers, as stored (the one read of a ballot's scope). */
export async function ballotScopeEntries(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_scope")
    .select(["employer_id", "workplace_id"])
    .where("ballot_id", "=", ballotId)
    .execute();
}

/** The employers and workplaces the ballot covers, as domain values. */
export async function ballotScopeRows(db: Db, ballotId: number): Promise<ScopeRow[]> {
  const rows = await ballotScopeEntries(db, ballotId);
  return rows.map((r) => ({ employerId: r.employer_id, workplaceId: r.workplace_id }));
}

/** How many snapshot rows a ballot holds (a freeze's outcome, for its job's result). */
export async function snapshotCount(db: Db, ballotId: number): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from ballot_electorate where ballot_id = ${ballotId}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
