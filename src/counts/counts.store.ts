/** All SQL of the member counts version: one row per union, moved by the members trigger and by these. */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

export async function countsVersion(db: Db, unionId: number): Promise<number> {
  const row = await db
    .selectFrom("member_counts_version")
    .select("version")
    .where("union_id", "=", unionId)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Marks the union's summaries stale after a change the members trigger does not see (workplaces, employers). */
export async function bumpCountsVersion(db: Db, unionId: number): Promise<void> {
  await sql`insert into member_counts_version as v (union_id, version) values (${unionId}, 1)
    on conflict (union_id) do update set version = v.version + 1`.execute(db);
}
