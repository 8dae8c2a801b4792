/** All SQL of the union's recorded commencement dates, each query bound to the union it is given. */
import type { Db } from "../db/database.js";

export interface UnionScope {
  unionId: number;
}

export interface CommencementRow {
  switch_id: string;
  commenced_on: string | null;
  source: string;
  recorded_at: Date;
  recorded_by: number | null;
}

export function selectCommencements(db: Db, scope: UnionScope): Promise<CommencementRow[]> {
  return db
    .selectFrom("law_commencements")
    .select(["switch_id", "commenced_on", "source", "recorded_at", "recorded_by"])
    .where("union_id", "=", scope.unionId)
    .execute();
}

export function selectCommencement(
  db: Db,
  scope: UnionScope,
  switchId: string,
): Promise<Pick<CommencementRow, "commenced_on" | "source"> | undefined> {
  return db
    .selectFrom("law_commencements")
    .select(["commenced_on", "source"])
    .where("union_id", "=", scope.unionId)
    .where("switch_id", "=", switchId)
    .executeTakeFirst();
}

export async function upsertCommencement(db: Db, scope: UnionScope, row: CommencementRow): Promise<void> {
  const values = { ...row, union_id: scope.unionId };
  await db
    .insertInto("law_commencements")
    .values(values)
    .onConflict((oc) =>
      oc.columns(["union_id", "switch_id"]).doUpdateSet({
        commenced_on: values.commenced_on,
        source: values.source,
        recorded_by: values.recorded_by,
        recorded_at: values.recorded_at,
      }),
    )
    .execute();
}
