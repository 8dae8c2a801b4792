/**
 * All the SQL of requests for assistance, departments and service levels. Reads take the RequestReach
 * the service built from the grant, so a request outside it is never read.
 */
import { type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Database, Db } from "../db/database.js";

/**
 * Which requests a reader reaches: all (national officers: the disputes unit), or those they raised,
 * those of their departments, and those raised for their regions or sectors.
 */
export type RequestReach =
  | { all: true }
  | { all: false; userId: number | null; regionIds: readonly number[]; sectorIds: readonly number[] };

function requestInReach(unionId: number, reach: RequestReach) {
  return (eb: ExpressionBuilder<Database, "assistance_requests">) => {
    const union = eb("assistance_requests.union_id", "=", unionId);
    if (reach.all) return union;
    const any = [
      ...(reach.userId !== null
        ? [
            eb("assistance_requests.raised_by", "=", reach.userId),
            eb(
              "assistance_requests.department_id",
              "in",
              eb.selectFrom("department_members").select("department_id").where("user_id", "=", reach.userId),
            ),
          ]
        : []),
      ...(reach.regionIds.length ? [eb("assistance_requests.region_id", "in", reach.regionIds)] : []),
      ...(reach.sectorIds.length ? [eb("assistance_requests.sector_id", "in", reach.sectorIds)] : []),
    ];
    return any.length ? eb.and([union, eb.or(any)]) : sql<SqlBool>`false`;
  };
}

export interface RequestRow {
  id: number;
  department_id: number;
  department_name: string;
  region_id: number | null;
  region_name: string | null;
  sector_id: number | null;
  sector_name: string | null;
  raised_by: number | null;
  raiser_name: string | null;
  title: string;
  body: string;
  urgency: string;
  status: string;
  owner_user_id: number | null;
  owner_name: string | null;
  raised_at: Date;
  due_at: Date;
  first_answered_at: Date | null;
  resolved_at: Date | null;
  escalated_at: Date | null;
}

function requestsQuery(db: Db, unionId: number, reach: RequestReach) {
  return db
    .selectFrom("assistance_requests")
    .innerJoin("departments as d", "d.id", "assistance_requests.department_id")
    .leftJoin("regions as rg", "rg.id", "assistance_requests.region_id")
    .leftJoin("sectors as s", "s.id", "assistance_requests.sector_id")
    .leftJoin("users as rb", "rb.id", "assistance_requests.raised_by")
    .leftJoin("users as o", "o.id", "assistance_requests.owner_user_id")
    .select([
      "assistance_requests.id",
      "assistance_requests.department_id",
      "d.name as department_name",
      "assistance_requests.region_id",
      "rg.name as region_name",
      "assistance_requests.sector_id",
      "s.name as sector_name",
      "assistance_requests.raised_by",
      "rb.display_name as raiser_name",
      "assistance_requests.title",
      "assistance_requests.body",
      "assistance_requests.urgency",
      "assistance_requests.status",
      "assistance_requests.owner_user_id",
      "o.display_name as owner_name",
      "assistance_requests.raised_at",
      "assistance_requests.due_at",
      "assistance_requests.first_answered_at",
      "assistance_requests.resolved_at",
      "assistance_requests.escalated_at",
    ])
    .where(requestInReach(unionId, reach));
}

export async function selectRequests(
  db: Db,
  unionId: number,
  reach: RequestReach,
  filter: { open?: boolean; departmentId?: number | undefined; escalated?: boolean },
  limit: number,
): Promise<RequestRow[]> {
  let q = requestsQuery(db, unionId, reach);
  if (filter.open) q = q.where("assistance_requests.status", "<>", "resolved");
  if (filter.departmentId !== undefined)
    q = q.where("assistance_requests.department_id", "=", filter.departmentId);
  if (filter.escalated) q = q.where("assistance_requests.escalated_at", "is not", null);
  return q
    .orderBy("assistance_requests.raised_at", "desc")
    .orderBy("assistance_requests.id", "desc")
    .limit(limit)
    .execute();
}

export function selectRequest(db: Db, unionId: number, reach: RequestReach, id: number) {
  return requestsQuery(db, unionId, reach).where("assistance_requests.id", "=", id).executeTakeFirst();
}

export function selectAnswers(db: Db, unionId: number, requestId: number) {
  return db
    .selectFrom("assistance_request_answers as a")
    .leftJoin("users as u", "u.id", "a.author_user_id")
    .select(["a.id", "u.display_name as author", "a.body", "a.created_at"])
    .where("a.union_id", "=", unionId)
    .where("a.request_id", "=", requestId)
    .orderBy("a.created_at")
    .orderBy("a.id")
    .limit(200)
    .execute();
}

export async function countAnswers(db: Db, unionId: number, requestId: number): Promise<number> {
  const row = await db
    .selectFrom("assistance_request_answers")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("union_id", "=", unionId)
    .where("request_id", "=", requestId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertRequest(
  db: Db,
  unionId: number,
  r: {
    departmentId: number;
    regionId: number | null;
    sectorId: number | null;
    raisedBy: number | null;
    title: string;
    body: string;
    urgency: string;
    raisedAt: Date;
    dueAt: Date;
  },
): Promise<number> {
  const { id } = await db
    .insertInto("assistance_requests")
    .values({
      union_id: unionId,
      department_id: r.departmentId,
      region_id: r.regionId,
      sector_id: r.sectorId,
      raised_by: r.raisedBy,
      title: r.title,
      body: r.body,
      urgency: r.urgency,
      status: "new",
      raised_at: r.raisedAt,
      due_at: r.dueAt,
      updated_at: r.raisedAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateRequestRow(
  db: Db,
  unionId: number,
  id: number,
  patch: {
    urgency?: string;
    dueAt?: Date;
    ownerUserId?: number | null;
    status?: string;
    firstAnsweredAt?: Date;
    resolvedAt?: Date;
  },
  at: Date,
): Promise<void> {
  await db
    .updateTable("assistance_requests")
    .set({
      ...(patch.urgency !== undefined ? { urgency: patch.urgency } : {}),
      ...(patch.dueAt !== undefined ? { due_at: patch.dueAt } : {}),
      ...(patch.ownerUserId !== undefined ? { owner_user_id: patch.ownerUserId } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.resolvedAt !== undefined ? { resolved_at: patch.resolvedAt } : {}),
      updated_at: at,
    })
    .$if(patch.firstAnsweredAt !== undefined, (q) =>
      // The first answer only: later answers keep it.
      q.set({ first_answered_at: sql`coalesce(first_answered_at, ${patch.firstAnsweredAt!})` }),
    )
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .execute();
}

export async function insertAnswer(
  db: Db,
  unionId: number,
  requestId: number,
  authorUserId: number | null,
  body: string,
  at: Date,
): Promise<number> {
  const { id } = await db
    .insertInto("assistance_request_answers")
    .values({ union_id: unionId, request_id: requestId, author_user_id: authorUserId, body, created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Marks every request of the union whose first answer is overdue and not yet escalated, and returns them:
 * the `escalated_at is null` condition makes each escalation happen once, whoever reads first.
 */
export async function markEscalations(db: Db, unionId: number, now: Date) {
  return db
    .updateTable("assistance_requests")
    .set({ escalated_at: now })
    .where("union_id", "=", unionId)
    .where("first_answered_at", "is", null)
    .where("escalated_at", "is", null)
    .where("status", "<>", "resolved")
    .where("due_at", "<", now)
    .returning(["id", "department_id", "urgency", "due_at"])
    .execute();
}

// --- departments and service levels -------------------------------------------------------------

export function selectDepartments(db: Db, unionId: number) {
  return db
    .selectFrom("departments")
    .select(["id", "code", "name"])
    .where("union_id", "=", unionId)
    .orderBy("name")
    .limit(100)
    .execute();
}

export function selectDepartment(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("departments")
    .select(["id", "code", "name"])
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function selectDepartmentMembers(db: Db, unionId: number) {
  return db
    .selectFrom("department_members as m")
    .innerJoin("departments as d", "d.id", "m.department_id")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.department_id", "u.id", "u.display_name as name"])
    .where("d.union_id", "=", unionId)
    .orderBy("u.display_name")
    .execute();
}

export async function isDepartmentMember(
  db: Db,
  departmentId: number,
  userId: number | null,
): Promise<boolean> {
  if (userId === null) return false;
  const row = await db
    .selectFrom("department_members")
    .select("user_id")
    .where("department_id", "=", departmentId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function myDepartmentIds(db: Db, unionId: number, userId: number | null): Promise<number[]> {
  if (userId === null) return [];
  const rows = await db
    .selectFrom("department_members as m")
    .innerJoin("departments as d", "d.id", "m.department_id")
    .select("m.department_id")
    .where("d.union_id", "=", unionId)
    .where("m.user_id", "=", userId)
    .execute();
  return rows.map((r) => r.department_id);
}

export async function countDepartments(db: Db, unionId: number): Promise<number> {
  const row = await db
    .selectFrom("departments")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("union_id", "=", unionId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertDepartment(
  db: Db,
  unionId: number,
  code: string,
  name: string,
  at: Date,
): Promise<number | null> {
  const row = await db
    .insertInto("departments")
    .values({ union_id: unionId, code, name, created_at: at })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function replaceDepartmentMembers(db: Db, departmentId: number, userIds: readonly number[]) {
  await db.deleteFrom("department_members").where("department_id", "=", departmentId).execute();
  if (userIds.length)
    await db
      .insertInto("department_members")
      .values(userIds.map((user_id) => ({ department_id: departmentId, user_id })))
      .execute();
}

export async function selectUsersInUnion(db: Db, unionId: number, ids: readonly number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("union_id", "=", unionId)
    .where("id", "in", ids)
    .where("disabled_at", "is", null)
    .execute();
  return rows.map((r) => r.id);
}

export function selectServiceLevels(db: Db, unionId: number) {
  return db
    .selectFrom("request_service_levels")
    .select(["urgency", "amount", "unit"])
    .where("union_id", "=", unionId)
    .execute();
}

export async function upsertServiceLevel(
  db: Db,
  unionId: number,
  l: { urgency: string; amount: number; unit: string },
): Promise<void> {
  await db
    .insertInto("request_service_levels")
    .values({ union_id: unionId, ...l })
    .onConflict((oc) => oc.columns(["union_id", "urgency"]).doUpdateSet({ amount: l.amount, unit: l.unit }))
    .execute();
}

/** Requests raised since an instant, for the reports: times only, capped. */
export function selectRequestTimes(db: Db, unionId: number, since: Date, until: Date) {
  return db
    .selectFrom("assistance_requests")
    .select(["department_id", "status", "raised_at", "due_at", "first_answered_at", "resolved_at"])
    .where("union_id", "=", unionId)
    .where("raised_at", ">=", since)
    .where("raised_at", "<", until)
    .limit(100_000)
    .execute();
}

/** The regions of a rep's workplaces: the region a rep's request is raised for. */
export async function selectWorkplaceRegions(db: Db, unionId: number, workplaceIds: readonly number[]) {
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

export async function regionExists(db: Db, unionId: number, id: number) {
  return (
    (await db
      .selectFrom("regions")
      .select("id")
      .where("union_id", "=", unionId)
      .where("id", "=", id)
      .executeTakeFirst()) !== undefined
  );
}

export async function sectorExists(db: Db, unionId: number, id: number) {
  return (
    (await db
      .selectFrom("sectors")
      .select("id")
      .where("union_id", "=", unionId)
      .where("id", "=", id)
      .executeTakeFirst()) !== undefined
  );
}
