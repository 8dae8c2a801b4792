/**
 * The board's aggregate (decisions/0036): the latest figures per workplace and day, and the change in
 * numbers out per half hour, both written in the report's transaction; the board reads only these.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import type { Db } from "../db/database.js";

/** The grant's rows over a board table aliased `b` (region_id, sector_id, workplace_id). */
function boardInScope(grant: Grant): RawBuilder<SqlBool> {
  const rows = grant.rows;
  if (rows.kind === "all") return sql<SqlBool>`true`;
  if (!rows.ids.length) return sql<SqlBool>`false`;
  const ids = sql.join(rows.ids.map((id) => sql.lit(Number(id))));
  switch (rows.kind) {
    case "regions":
      return sql<SqlBool>`b.region_id in (${ids})`;
    case "sectors":
      return sql<SqlBool>`b.sector_id in (${ids})`;
    case "workplaces":
      return sql<SqlBool>`b.workplace_id in (${ids})`;
  }
}

/**
 * The workplace a report or incident is for (with its region and sector, 0 for none), making sure its
 * board row for the day exists, in one round trip. The caller checks the scope and rolls back if it
 * fails. The row existing before the report's update is what lets `recordReportAggregate` lock it.
 */
export async function workplaceForBoard(db: Db, unionId: number, workplaceId: number, day: string) {
  const result = await sql<{ id: number; region_id: number; sector_id: number }>`
    with w as (
      select w.id, coalesce(w.region_id, 0) as region_id, coalesce(e.sector_id, 0) as sector_id
      from workplaces w join employers e on e.id = w.employer_id
      where w.union_id = ${unionId} and w.id = ${workplaceId}
    ), ensured as (
      insert into action_board_workplaces (union_id, day, workplace_id, region_id, sector_id)
      select ${unionId}, ${day}::date, w.id, w.region_id, w.sector_id from w
      on conflict (union_id, day, workplace_id) do nothing
    )
    select id, region_id, sector_id from w`.execute(db);
  return result.rows[0];
}

/** The half-hour slot (0-47) of the day, in UK time, that a moment falls in; clamped to the day. */
const SLOT_SQL = (at: Date, day: string) =>
  sql`least(47, greatest(0, floor(extract(epoch from ((${at}::timestamptz at time zone 'Europe/London') - ${day}::date::timestamp)) / 1800)))::smallint`;

/**
 * Appends the report and folds it into the board in one statement: locks the workplace's board row,
 * reads the figure it replaces, writes the new latest figures, and adds the change in numbers out to
 * the half hour it arrived in.
 */
export async function recordReportAggregate(
  db: Db,
  row: {
    union_id: number;
    day: string;
    workplace_id: number;
    region_id: number;
    sector_id: number;
    reported_at: Date;
    out_count: number;
    at_work_count: number | null;
    exempt_count: number | null;
    picket_up: boolean;
    reported_by: number | null;
  },
): Promise<number> {
  const result = await sql<{ id: number }>`
    with prev as (
      select out_count from action_board_workplaces
      where union_id = ${row.union_id} and day = ${row.day} and workplace_id = ${row.workplace_id}
      for update
    ), rep as (
      insert into action_reports (union_id, day, workplace_id, region_id, reported_at, out_count, at_work_count,
        exempt_count, picket_up, reported_by)
      values (${row.union_id}, ${row.day}, ${row.workplace_id}, ${row.region_id || null}, ${row.reported_at},
        ${row.out_count}, ${row.at_work_count}, ${row.exempt_count}, ${row.picket_up}, ${row.reported_by})
      returning id
    ), latest as (
      update action_board_workplaces set out_count = ${row.out_count}, at_work_count = ${row.at_work_count},
        exempt_count = ${row.exempt_count}, picket_up = ${row.picket_up}, reported_at = ${row.reported_at},
        reports = reports + 1
      where union_id = ${row.union_id} and day = ${row.day} and workplace_id = ${row.workplace_id}
    ), slot as (
      insert into action_board_slots (union_id, day, region_id, sector_id, slot, out_delta)
      values (${row.union_id}, ${row.day}, ${row.region_id}, ${row.sector_id}, ${SLOT_SQL(row.reported_at, row.day)},
        ${row.out_count} - coalesce((select out_count from prev), 0))
      on conflict (union_id, day, region_id, sector_id, slot)
      do update set out_delta = action_board_slots.out_delta + excluded.out_delta
    )
    select id from rep`.execute(db);
  return result.rows[0]!.id;
}

/** Adds to a workplace's incident counts on the board (the row exists: see `workplaceForBoard`). */
export async function bumpIncidents(
  db: Db,
  key: { unionId: number; day: string; workplaceId: number },
  delta: { all: number; open: number },
) {
  await db
    .updateTable("action_board_workplaces")
    .set((eb) => ({
      incidents: eb("incidents", "+", delta.all),
      open_incidents: sql<number>`greatest(0, open_incidents + ${delta.open})`,
    }))
    .where("union_id", "=", key.unionId)
    .where("day", "=", key.day)
    .where("workplace_id", "=", key.workplaceId)
    .execute();
}

export interface BoardRow {
  workplace_id: number;
  name: string;
  postcode: string | null;
  region_id: number;
  sector_id: number;
  out_count: number;
  at_work_count: number | null;
  exempt_count: number | null;
  picket_up: boolean;
  reported_at: Date | null;
  reports: number;
  open_incidents: number;
  /** Essential-service cover for the day is recorded as agreed with the workplace's employer. */
  cover_agreed: boolean;
}

/** Every board row of the day in the grant's scope, with the workplace's name and postcode (by id: readers sort). */
export async function boardRows(db: Db, grant: Grant, day: string): Promise<BoardRow[]> {
  const result = await sql<BoardRow>`
    select b.workplace_id, w.name, w.postcode, b.region_id, b.sector_id, b.out_count, b.at_work_count,
      b.exempt_count, b.picket_up, b.reported_at, b.reports, b.open_incidents,
      (ca.employer_id is not null) as cover_agreed
    from action_board_workplaces b
    join workplaces w on w.id = b.workplace_id
    left join (
      select distinct employer_id from cover_agreements where union_id = ${grant.unionId} and day = ${day}
    ) ca on ca.employer_id = w.employer_id
    where b.union_id = ${grant.unionId} and b.day = ${day} and ${boardInScope(grant)}
    order by b.workplace_id`.execute(db);
  return result.rows;
}

/**
 * The change in numbers out per half hour for the grant's scope. Region and sector scopes read the
 * slots; a rep's few workplaces are read from their reports (the slots do not hold workplaces).
 */
export async function outDeltasBySlot(db: Db, grant: Grant, day: string): Promise<Map<number, number>> {
  const rows = grant.rows;
  let result: { slot: number; delta: string | number }[];
  if (rows.kind === "workplaces") {
    if (!rows.ids.length) return new Map();
    const ids = sql.join(rows.ids.map((id) => sql.lit(Number(id))));
    result = (
      await sql<{ slot: number; delta: string }>`
        select slot, sum(delta) as delta from (
          select least(47, greatest(0, floor(extract(epoch from ((r.reported_at at time zone 'Europe/London') - r.day::timestamp)) / 1800)))::int as slot,
            r.out_count - coalesce(lag(r.out_count) over (partition by r.workplace_id order by r.reported_at, r.id), 0) as delta
          from action_reports r
          where r.union_id = ${grant.unionId} and r.day = ${day} and r.workplace_id in (${ids})
        ) d group by slot`.execute(db)
    ).rows;
  } else {
    result = (
      await sql<{ slot: number; delta: string }>`
        select b.slot, sum(b.out_delta) as delta from action_board_slots b
        where b.union_id = ${grant.unionId} and b.day = ${day} and ${boardInScope(grant)}
        group by b.slot`.execute(db)
    ).rows;
  }
  return new Map(result.map((r) => [Number(r.slot), Number(r.delta)]));
}

/** The names of the union, its regions and sectors. */
export async function boardNames(db: Db, unionId: number) {
  const [union, regions, sectors] = await Promise.all([
    db.selectFrom("unions").select(["id", "name"]).where("id", "=", unionId).executeTakeFirst(),
    db.selectFrom("regions").select(["id", "name"]).where("union_id", "=", unionId).execute(),
    db.selectFrom("sectors").select(["id", "name"]).where("union_id", "=", unionId).execute(),
  ]);
  return {
    union: union ?? { id: unionId, name: "Union" },
    regions: new Map(regions.map((r) => [r.id, r.name])),
    sectors: new Map(sectors.map((s) => [s.id, s.name])),
  };
}

/**
 * The reader's workplaces for the phone report screen (at most 200, by name), each with its active
 * members, those in a ballot of a dispute with action on the day, those opposed in principle (counts
 * only), and the board's latest figures.
 */
export async function reportingWorkplaces(db: Db, grant: Grant, day: string, q: string | undefined) {
  const rows = grant.rows;
  let scope: RawBuilder<SqlBool> = sql<SqlBool>`true`;
  if (rows.kind !== "all") {
    const ids = rows.ids.length ? sql.join(rows.ids.map((id) => sql.lit(Number(id)))) : null;
    if (!ids) scope = sql<SqlBool>`false`;
    else if (rows.kind === "regions") scope = sql<SqlBool>`w.region_id in (${ids})`;
    else if (rows.kind === "sectors") scope = sql<SqlBool>`e.sector_id in (${ids})`;
    else scope = sql<SqlBool>`w.id in (${ids})`;
  }
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const result = await sql<{
    workplace_id: number;
    workplace_name: string;
    members: number;
    in_dispute: number;
    opposed: number;
    out_count: number | null;
    at_work_count: number | null;
    exempt_count: number | null;
    picket_up: boolean | null;
    reported_at: Date | null;
    reports: number | null;
  }>`
    with places as (
      select w.id, w.name from workplaces w join employers e on e.id = w.employer_id
      where w.union_id = ${grant.unionId} and w.closed_on is null and ${scope}
        and (${like}::text is null or w.name ilike ${like})
      order by w.name, w.id limit 200
    ), striking as (
      select distinct be.member_id from ballot_electorate be
      join ballots bl on bl.id = be.ballot_id
      join action_days d on d.dispute_id = bl.dispute_id and d.day = ${day}
      where bl.union_id = ${grant.unionId} and be.included and be.workplace_id in (select id from places)
    )
    select p.id as workplace_id, p.name as workplace_name,
      count(m.id)::int as members,
      count(m.id) filter (where s.member_id is not null)::int as in_dispute,
      count(m.id) filter (where lp.opposed_in_principle)::int as opposed,
      b.out_count, b.at_work_count, b.exempt_count, b.picket_up, b.reported_at, b.reports
    from places p
    left join members m on m.workplace_id = p.id and m.union_id = ${grant.unionId} and m.status = 'active'
    left join striking s on s.member_id = m.id
    left join lateral (
      select mp.opposed_in_principle from member_positions mp
      where mp.member_id = m.id order by mp.recorded_at desc, mp.id desc limit 1
    ) lp on true
    left join action_board_workplaces b on b.union_id = ${grant.unionId} and b.day = ${day} and b.workplace_id = p.id
    group by p.id, p.name, b.out_count, b.at_work_count, b.exempt_count, b.picket_up, b.reported_at, b.reports
    order by p.name, p.id`.execute(db);
  return result.rows;
}

/**
 * A union's whole-board totals per day (the coalition's shared figures): counts only, no workplace. For
 * the days listed, or for every day from `from` to `to` on which the board has figures.
 */
export async function unionDayTotalRows(
  db: Db,
  unionId: number,
  days: readonly string[] | { from: string; to: string },
) {
  if (Array.isArray(days) && !days.length) return [];
  const on = (column: RawBuilder<unknown>) =>
    "from" in days
      ? sql<SqlBool>`${column} between ${days.from}::date and ${days.to}::date`
      : sql<SqlBool>`${column} in (${sql.join(days.map((d) => sql`${d}::date`))})`;
  const result = await sql<{
    day: string;
    workplaces: string | number;
    picket_up: string | number;
    out: string | number;
    at_work: string | number;
    exempt: string | number;
    cover: string | number;
    open_incidents: string | number;
  }>`
    select b.day::text as day, count(*) as workplaces, count(*) filter (where b.picket_up) as picket_up,
      coalesce(sum(b.out_count), 0) as out, coalesce(sum(b.at_work_count), 0) as at_work,
      coalesce(sum(b.exempt_count), 0) as exempt,
      count(*) filter (where ca.employer_id is not null or coalesce(b.exempt_count, 0) > 0) as cover,
      coalesce(sum(b.open_incidents), 0) as open_incidents
    from action_board_workplaces b
    join workplaces w on w.id = b.workplace_id
    left join (
      select distinct employer_id, day from cover_agreements
      where union_id = ${unionId} and ${on(sql`day`)}
    ) ca on ca.employer_id = w.employer_id and ca.day = b.day
    where b.union_id = ${unionId} and ${on(sql`b.day`)}
    group by b.day
    order by b.day`.execute(db);
  return result.rows;
}
