/**
 * All the SQL of campaign plans. Every function takes the union (from the grant) and, for reads of plans,
 * the reader's PlanReach, so a plan outside the reader's regions or sectors is never read.
 */
import { type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Database, Db } from "../db/database.js";

/**
 * Which plans a reader reaches: all (national), or the regional plans of some regions and the sector
 * strategies of some sectors (or of every sector: the national strategies are read by the regions that
 * carry them out).
 */
export type PlanReach =
  | { all: true }
  | { all: false; regionIds: readonly number[]; sectorIds: readonly number[]; allSectors: boolean };

function planInReach(unionId: number, reach: PlanReach) {
  return (eb: ExpressionBuilder<Database, "plans">) => {
    const union = eb("plans.union_id", "=", unionId);
    if (reach.all) return union;
    const either = [
      ...(reach.regionIds.length ? [eb("plans.region_id", "in", reach.regionIds)] : []),
      ...(reach.allSectors
        ? [eb("plans.kind", "=", "sector")]
        : reach.sectorIds.length
          ? [eb("plans.sector_id", "in", reach.sectorIds)]
          : []),
    ];
    return either.length ? eb.and([union, eb.or(either)]) : sql<SqlBool>`false`;
  };
}

/** The regions of a rep's workplaces: a rep reads their region's plan. */
export async function selectWorkplaceRegions(
  db: Db,
  unionId: number,
  workplaceIds: readonly number[],
): Promise<number[]> {
  if (!workplaceIds.length) return [];
  const rows = await db
    .selectFrom("workplaces")
    .select("region_id")
    .distinct()
    .where("union_id", "=", unionId)
    .where("id", "in", workplaceIds)
    .where("region_id", "is not", null)
    .execute();
  return rows.map((r) => r.region_id!);
}

export interface PlanRow {
  id: number;
  kind: string;
  region_id: number | null;
  sector_id: number | null;
  scope_name: string;
  title: string;
  summary: string;
  updated_at: Date;
}

export async function selectPlans(
  db: Db,
  unionId: number,
  reach: PlanReach,
  ids: readonly number[] | null,
): Promise<PlanRow[]> {
  let q = db
    .selectFrom("plans")
    .leftJoin("regions", "regions.id", "plans.region_id")
    .leftJoin("sectors", "sectors.id", "plans.sector_id")
    .select([
      "plans.id",
      "plans.kind",
      "plans.region_id",
      "plans.sector_id",
      "plans.title",
      "plans.summary",
      "plans.updated_at",
      sql<string>`coalesce(regions.name, sectors.name, '')`.as("scope_name"),
    ])
    .where(planInReach(unionId, reach))
    .orderBy("plans.kind")
    .orderBy(sql`coalesce(regions.name, sectors.name)`);
  if (ids) {
    if (!ids.length) return [];
    q = q.where("plans.id", "in", ids);
  }
  return q.execute();
}

export async function insertPlan(
  db: Db,
  unionId: number,
  p: {
    kind: string;
    regionId: number | null;
    sectorId: number | null;
    title: string;
    summary: string;
    by: number | null;
    at: Date;
  },
): Promise<number | null> {
  const row = await db
    .insertInto("plans")
    .values({
      union_id: unionId,
      kind: p.kind,
      region_id: p.regionId,
      sector_id: p.sectorId,
      title: p.title,
      summary: p.summary,
      created_by: p.by,
      created_at: p.at,
      updated_at: p.at,
    })
    // One plan per region or sector: a second is refused by the unique index, answered as "exists".
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function updatePlanRow(
  db: Db,
  unionId: number,
  id: number,
  patch: { title?: string | undefined; summary?: string | undefined },
  at: Date,
): Promise<void> {
  await db
    .updateTable("plans")
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.summary !== undefined ? { summary: patch.summary } : {}),
      updated_at: at,
    })
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .execute();
}

export async function touchPlan(db: Db, unionId: number, id: number, at: Date): Promise<void> {
  await db
    .updateTable("plans")
    .set({ updated_at: at })
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .execute();
}

export async function selectObjectives(db: Db, unionId: number, planId: number) {
  const [objectives, ballots] = await Promise.all([
    db
      .selectFrom("plan_objectives")
      .select(["id", "text"])
      .where("union_id", "=", unionId)
      .where("plan_id", "=", planId)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("plan_objective_ballots as ob")
      .innerJoin("plan_objectives as o", "o.id", "ob.objective_id")
      .innerJoin("ballots", "ballots.id", "ob.ballot_id")
      .select(["ob.objective_id", "ob.ballot_id", "ballots.name"])
      .where("o.union_id", "=", unionId)
      .where("o.plan_id", "=", planId)
      .orderBy("ballots.name")
      .execute(),
  ]);
  return { objectives, ballots };
}

export interface TaskRow {
  id: number;
  plan_id: number;
  title: string;
  objective_id: number | null;
  ballot_id: number | null;
  ballot_name: string | null;
  meeting_id: number | null;
  owner_user_id: number | null;
  owner_name: string | null;
  due_on: string | null;
  status: string;
  updated_at: Date;
}

function tasksQuery(db: Db, unionId: number) {
  return db
    .selectFrom("plan_tasks as t")
    .leftJoin("users as u", "u.id", "t.owner_user_id")
    .leftJoin("ballots as b", "b.id", "t.ballot_id")
    .select([
      "t.id",
      "t.plan_id",
      "t.title",
      "t.objective_id",
      "t.ballot_id",
      "b.name as ballot_name",
      "t.meeting_id",
      "t.owner_user_id",
      "u.display_name as owner_name",
      sql<string | null>`to_char(t.due_on, 'YYYY-MM-DD')`.as("due_on"),
      "t.status",
      "t.updated_at",
    ])
    .where("t.union_id", "=", unionId);
}

export function selectTasks(db: Db, unionId: number, planIds: readonly number[]): Promise<TaskRow[]> {
  if (!planIds.length) return Promise.resolve([]);
  return tasksQuery(db, unionId)
    .where("t.plan_id", "in", planIds)
    .orderBy(sql`t.status = 'done'`)
    .orderBy(sql`t.due_on nulls last`)
    .orderBy("t.id")
    .execute();
}

/** Open tasks given to a user, in the plans given. */
export function selectOwnOpenTasks(
  db: Db,
  unionId: number,
  planIds: readonly number[],
  userId: number,
): Promise<TaskRow[]> {
  if (!planIds.length) return Promise.resolve([]);
  return tasksQuery(db, unionId)
    .where("t.plan_id", "in", planIds)
    .where("t.owner_user_id", "=", userId)
    .where("t.status", "<>", "done")
    .orderBy(sql`t.due_on nulls last`)
    .orderBy("t.id")
    .limit(200)
    .execute();
}

/** Open tasks due before today, in the plans given, oldest first. */
export function selectOverdueTasks(
  db: Db,
  unionId: number,
  planIds: readonly number[],
  today: string,
): Promise<TaskRow[]> {
  if (!planIds.length) return Promise.resolve([]);
  return tasksQuery(db, unionId)
    .where("t.plan_id", "in", planIds)
    .where("t.status", "<>", "done")
    .where("t.due_on", "<", today)
    .orderBy("t.due_on")
    .orderBy("t.id")
    .limit(1000)
    .execute();
}

export function selectTask(db: Db, unionId: number, id: number): Promise<TaskRow | undefined> {
  return tasksQuery(db, unionId).where("t.id", "=", id).executeTakeFirst();
}

export async function selectTaskCounts(db: Db, unionId: number, planIds: readonly number[], today: string) {
  if (!planIds.length) return [];
  return db
    .selectFrom("plan_tasks")
    .select([
      "plan_id",
      sql<number>`count(*) filter (where status <> 'done')::int`.as("open"),
      sql<number>`count(*) filter (where status <> 'done' and due_on < ${today})::int`.as("overdue"),
      sql<number>`count(*) filter (where status = 'done')::int`.as("done"),
    ])
    .where("union_id", "=", unionId)
    .where("plan_id", "in", planIds)
    .groupBy("plan_id")
    .execute();
}

export async function selectObjectiveCounts(db: Db, unionId: number, planIds: readonly number[]) {
  if (!planIds.length) return [];
  return db
    .selectFrom("plan_objectives")
    .select(["plan_id", sql<number>`count(*)::int`.as("n")])
    .where("union_id", "=", unionId)
    .where("plan_id", "in", planIds)
    .groupBy("plan_id")
    .execute();
}

export function selectResources(db: Db, unionId: number, planId: number) {
  return db
    .selectFrom("plan_resources")
    .select(["id", "kind", sql<number>`quantity::float8`.as("quantity"), "note", "created_at"])
    .where("union_id", "=", unionId)
    .where("plan_id", "=", planId)
    .orderBy("id")
    .execute();
}

export function selectMeetings(db: Db, unionId: number, planId: number) {
  return db
    .selectFrom("plan_meetings")
    .select([
      "id",
      sql<string>`to_char(held_on, 'YYYY-MM-DD')`.as("held_on"),
      "title",
      "attendees",
      "decisions",
    ])
    .where("union_id", "=", unionId)
    .where("plan_id", "=", planId)
    .orderBy("held_on", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** How many rows of a kind a plan holds (each kind is capped). */
export async function countPlanRows(
  db: Db,
  unionId: number,
  planId: number,
  table: "plan_objectives" | "plan_tasks" | "plan_resources" | "plan_meetings",
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as("n"))
    .where("union_id", "=", unionId)
    .where("plan_id", "=", planId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function selectObjectiveOfPlan(db: Db, unionId: number, planId: number, id: number) {
  return db
    .selectFrom("plan_objectives")
    .select("id")
    .where("union_id", "=", unionId)
    .where("plan_id", "=", planId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function insertObjective(
  db: Db,
  unionId: number,
  planId: number,
  text: string,
  ballotIds: readonly number[],
  at: Date,
): Promise<number> {
  const { id } = await db
    .insertInto("plan_objectives")
    .values({ union_id: unionId, plan_id: planId, text, created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (ballotIds.length)
    await db
      .insertInto("plan_objective_ballots")
      .values(ballotIds.map((ballot_id) => ({ objective_id: id, ballot_id })))
      .execute();
  return id;
}

export async function insertTask(
  db: Db,
  unionId: number,
  planId: number,
  t: {
    title: string;
    objectiveId: number | null;
    ballotId: number | null;
    meetingId: number | null;
    ownerUserId: number | null;
    dueOn: string | null;
    status: string;
  },
  at: Date,
): Promise<number> {
  const { id } = await db
    .insertInto("plan_tasks")
    .values({
      union_id: unionId,
      plan_id: planId,
      title: t.title,
      objective_id: t.objectiveId,
      ballot_id: t.ballotId,
      meeting_id: t.meetingId,
      owner_user_id: t.ownerUserId,
      due_on: t.dueOn,
      status: t.status,
      created_at: at,
      updated_at: at,
      done_at: t.status === "done" ? at : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateTaskRow(
  db: Db,
  unionId: number,
  id: number,
  patch: {
    status?: string | undefined;
    ownerUserId?: number | null | undefined;
    dueOn?: string | null | undefined;
  },
  at: Date,
): Promise<void> {
  await db
    .updateTable("plan_tasks")
    .set({
      ...(patch.status !== undefined
        ? { status: patch.status, done_at: patch.status === "done" ? at : null }
        : {}),
      ...(patch.ownerUserId !== undefined ? { owner_user_id: patch.ownerUserId } : {}),
      ...(patch.dueOn !== undefined ? { due_on: patch.dueOn } : {}),
      updated_at: at,
    })
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .execute();
}

export async function insertResource(
  db: Db,
  unionId: number,
  planId: number,
  r: { kind: string; quantity: number; note: string },
  at: Date,
): Promise<number> {
  const { id } = await db
    .insertInto("plan_resources")
    .values({
      union_id: unionId,
      plan_id: planId,
      kind: r.kind,
      quantity: r.quantity,
      note: r.note,
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertMeeting(
  db: Db,
  unionId: number,
  planId: number,
  m: { heldOn: string; title: string; attendees: string[]; decisions: string; by: number | null },
  at: Date,
): Promise<number> {
  const { id } = await db
    .insertInto("plan_meetings")
    .values({
      union_id: unionId,
      plan_id: planId,
      held_on: m.heldOn,
      title: m.title,
      attendees: JSON.stringify(m.attendees),
      decisions: m.decisions,
      created_by: m.by,
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** The union's officers and reps, not disabled: who a task may be given to. */
export function selectPeople(db: Db, unionId: number) {
  return db
    .selectFrom("users")
    .select(["id", "display_name as name", "role"])
    .where("union_id", "=", unionId)
    .where("disabled_at", "is", null)
    .where("role", "in", ["national", "regional", "sector", "rep"])
    .orderBy("display_name")
    .limit(5000)
    .execute();
}

export async function selectPersonInUnion(db: Db, unionId: number, userId: number) {
  return db
    .selectFrom("users")
    .select("id")
    .where("union_id", "=", unionId)
    .where("id", "=", userId)
    .where("disabled_at", "is", null)
    .where("role", "in", ["national", "regional", "sector", "rep"])
    .executeTakeFirst();
}

export function selectRegions(db: Db, unionId: number) {
  return db
    .selectFrom("regions")
    .select(["id", "name"])
    .where("union_id", "=", unionId)
    .orderBy("name")
    .execute();
}

export function selectSectors(db: Db, unionId: number) {
  return db
    .selectFrom("sectors")
    .select(["id", "name"])
    .where("union_id", "=", unionId)
    .orderBy("name")
    .execute();
}

/** Of the ballots given, those an open task of any plan of the union is about (directly or through an objective). */
export async function selectCoveredBallots(
  db: Db,
  unionId: number,
  ballotIds: readonly number[],
): Promise<Set<number>> {
  if (!ballotIds.length) return new Set();
  const [direct, viaObjective] = await Promise.all([
    db
      .selectFrom("plan_tasks")
      .select("ballot_id")
      .distinct()
      .where("union_id", "=", unionId)
      .where("status", "<>", "done")
      .where("ballot_id", "in", ballotIds)
      .execute(),
    db
      .selectFrom("plan_tasks as t")
      .innerJoin("plan_objective_ballots as ob", "ob.objective_id", "t.objective_id")
      .select("ob.ballot_id")
      .distinct()
      .where("t.union_id", "=", unionId)
      .where("t.status", "<>", "done")
      .where("ob.ballot_id", "in", ballotIds)
      .execute(),
  ]);
  return new Set([...direct.map((r) => r.ballot_id!), ...viaObjective.map((r) => r.ballot_id)]);
}
