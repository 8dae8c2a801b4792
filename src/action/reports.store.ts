/**
 * Reps' reports of numbers out (append-only). The read model is the latest
 * report per workplace and day (DISTINCT ON over the (union, day, workplace,
 * time) index), carrying the workplace's region so a board can group by region
 * without another join; earlier reports stay for charts over the day.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import type { Db } from "../db/database.js";

export async function selectWorkplace(db: Db, unionId: number, workplaceId: number) {
  return db
    .selectFrom("workplaces")
    .innerJoin("employers", "employers.id", "workplaces.employer_id")
    .select(["workplaces.id", "workplaces.region_id", "employers.sector_id"])
    .where("workplaces.union_id", "=", unionId)
    .where("workplaces.id", "=", workplaceId)
    .executeTakeFirst();
}

export async function insertReport(
  db: Db,
  row: {
    union_id: number;
    day: string;
    workplace_id: number;
    region_id: number | null;
    reported_at: Date;
    out_count: number;
    at_work_count: number | null;
    exempt_count: number | null;
    picket_up: boolean;
    reported_by: number | null;
  },
) {
  return (await db.insertInto("action_reports").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

function workplaceInScope(grant: Grant): RawBuilder<SqlBool> {
  const rows = grant.rows;
  if (rows.kind === "all") return sql<SqlBool>`true`;
  if (!rows.ids.length) return sql<SqlBool>`false`;
  const ids = sql.join(rows.ids.map((id) => sql.lit(Number(id))));
  switch (rows.kind) {
    case "regions":
      return sql<SqlBool>`w.region_id in (${ids})`;
    case "sectors":
      return sql<SqlBool>`e.sector_id in (${ids})`;
    case "workplaces":
      return sql<SqlBool>`w.id in (${ids})`;
  }
}

/** The latest report of each workplace in the grant's scope on the day, and how many reports it made. */
export async function latestReports(db: Db, grant: Grant, day: string) {
  const result = await sql<{
    workplace_id: number;
    workplace_name: string;
    region_id: number | null;
    out_count: number;
    at_work_count: number | null;
    exempt_count: number | null;
    picket_up: boolean;
    reported_at: Date;
    reports: number;
  }>`
    select distinct on (r.workplace_id)
      r.workplace_id, w.name as workplace_name, r.region_id, r.out_count, r.at_work_count, r.exempt_count,
      r.picket_up, r.reported_at,
      (count(*) over (partition by r.workplace_id))::int as reports
    from action_reports r
    join workplaces w on w.id = r.workplace_id
    join employers e on e.id = w.employer_id
    where r.union_id = ${grant.unionId} and r.day = ${day} and ${workplaceInScope(grant)}
    order by r.workplace_id, r.reported_at desc, r.id desc`.execute(db);
  return result.rows;
}
