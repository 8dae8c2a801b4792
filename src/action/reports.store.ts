/**
 * Reps' reports of numbers out (append-only). The read model is the latest
 * report per workplace and day (DISTINCT ON over the (union, day, workplace,
 * time) index), carrying the workplace's region so a board can group by region
 * without another join; earlier reports stay for charts over the day.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import type { Db } from "../db/database.js";

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

/**
 * Per workplace of the dispute's constituencies in the grant's scope: active members, and those whose
 * latest recorded position is opposed in principle (respected: never pressed, never listed for the line).
 * Counts only, never names.
 */
export async function disputeWorkplaceMembers(db: Db, grant: Grant, disputeId: number) {
  const result = await sql<{
    workplace_id: number;
    workplace_name: string;
    region_id: number | null;
    members: number;
    opposed: number;
  }>`
    with places as (
      select distinct w.id
      from ballots b
      join ballot_scope s on s.ballot_id = b.id
      join workplaces w on w.employer_id = s.employer_id and (s.workplace_id is null or s.workplace_id = w.id)
      where b.union_id = ${grant.unionId} and b.dispute_id = ${disputeId}
    )
    select w.id as workplace_id, w.name as workplace_name, w.region_id,
      count(m.id)::int as members,
      count(m.id) filter (where lp.opposed_in_principle)::int as opposed
    from places
    join workplaces w on w.id = places.id
    join employers e on e.id = w.employer_id
    left join members m on m.workplace_id = w.id and m.union_id = ${grant.unionId} and m.status = 'active'
    left join lateral (
      select p.opposed_in_principle from member_positions p
      where p.member_id = m.id order by p.recorded_at desc, p.id desc limit 1
    ) lp on true
    where ${workplaceInScope(grant)}
    group by w.id, w.name, w.region_id
    order by w.name`.execute(db);
  return result.rows;
}
