/**
 * All SQL of picket plans and essential-service cover (decisions/0035). Every read is narrowed to the
 * union, and lists to the reader's row scope in SQL; single rows come back with their workplace's
 * region and sector so the service checks them with rowInScope before any change.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import type { CoverItem, Db } from "../db/database.js";

/** The workplace's region, sector or id as the grant's row scope reads them. */
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

export interface DisputeWorkplace {
  workplace_id: number;
  workplace_name: string;
  employer_id: number;
  employer_name: string;
  nation: string;
  region_id: number | null;
  sector_id: number | null;
}

/** The workplaces of the dispute's constituencies (a workplace's ballot, or its employer's as a whole). */
export async function selectDisputeWorkplaces(
  db: Db,
  grant: Grant,
  disputeId: number,
  only?: { workplaceId?: number; employerId?: number },
): Promise<DisputeWorkplace[]> {
  const result = await sql<DisputeWorkplace>`
    select distinct w.id as workplace_id, w.name as workplace_name, e.id as employer_id,
      e.name as employer_name, e.nation, w.region_id, e.sector_id
    from ballots b
    join ballot_scope s on s.ballot_id = b.id
    join workplaces w on w.employer_id = s.employer_id and (s.workplace_id is null or s.workplace_id = w.id)
    join employers e on e.id = w.employer_id
    where b.union_id = ${grant.unionId} and b.dispute_id = ${disputeId} and w.union_id = ${grant.unionId}
      and ${only?.workplaceId ? sql<SqlBool>`w.id = ${only.workplaceId}` : sql<SqlBool>`true`}
      and ${only?.employerId ? sql<SqlBool>`e.id = ${only.employerId}` : sql<SqlBool>`true`}
      and ${workplaceInScope(grant)}
    order by w.name, w.id`.execute(db);
  return result.rows;
}

export async function actionDayExists(db: Db, unionId: number, disputeId: number, day: string) {
  const row = await db
    .selectFrom("action_days")
    .select("id")
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId)
    .where("day", "=", day)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------
// Plans

const planColumns = [
  "picket_plans.id",
  "picket_plans.dispute_id",
  "picket_plans.workplace_id",
  "picket_plans.day",
  "picket_plans.lead_member_id",
  "picket_plans.lead_name",
  "picket_plans.supervisor_member_id",
  "picket_plans.supervisor_name",
  "picket_plans.supervisor_contact",
] as const;

export async function selectPlans(
  db: Db,
  unionId: number,
  disputeId: number,
  day: string,
  workplaceIds: number[],
) {
  if (!workplaceIds.length) return [];
  return db
    .selectFrom("picket_plans")
    .select(planColumns)
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId)
    .where("day", "=", day)
    .where("workplace_id", "in", workplaceIds)
    .execute();
}

/** A plan with its workplace's place in the union (for rowInScope) and the facts its letter prints. */
export async function selectPlan(db: Db, unionId: number, planId: number, lock = false) {
  let q = db
    .selectFrom("picket_plans")
    .innerJoin("workplaces as w", "w.id", "picket_plans.workplace_id")
    .innerJoin("employers as e", "e.id", "w.employer_id")
    .select([
      ...planColumns,
      "w.name as workplace_name",
      "w.address as workplace_address",
      "w.postcode as workplace_postcode",
      "w.region_id",
      "e.sector_id",
      "e.name as employer_name",
      "e.nation",
    ])
    .where("picket_plans.union_id", "=", unionId)
    .where("picket_plans.id", "=", planId);
  if (lock) q = q.forUpdate("picket_plans");
  return q.executeTakeFirst();
}

export async function upsertPlan(
  db: Db,
  row: {
    union_id: number;
    dispute_id: number;
    workplace_id: number;
    day: string;
    lead_member_id: number | null;
    lead_name: string;
    supervisor_member_id: number | null;
    supervisor_name: string;
    supervisor_contact: string;
    updated_by: number | null;
    updated_at: Date;
  },
) {
  return db
    .insertInto("picket_plans")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["dispute_id", "workplace_id", "day"]).doUpdateSet({
        lead_member_id: row.lead_member_id,
        lead_name: row.lead_name,
        supervisor_member_id: row.supervisor_member_id,
        supervisor_name: row.supervisor_name,
        supervisor_contact: row.supervisor_contact,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function selectPlanKey(
  db: Db,
  unionId: number,
  disputeId: number,
  workplaceId: number,
  day: string,
) {
  return db
    .selectFrom("picket_plans")
    .select(planColumns)
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId)
    .where("workplace_id", "=", workplaceId)
    .where("day", "=", day)
    .executeTakeFirst();
}

/** An empty plan for a workplace and day, made when its first line is added. */
export async function ensurePlan(
  db: Db,
  row: {
    union_id: number;
    dispute_id: number;
    workplace_id: number;
    day: string;
    updated_by: number | null;
    updated_at: Date;
  },
) {
  await db
    .insertInto("picket_plans")
    .values(row)
    .onConflict((oc) => oc.columns(["dispute_id", "workplace_id", "day"]).doNothing())
    .execute();
  return (await selectPlanKey(db, row.union_id, row.dispute_id, row.workplace_id, row.day))!;
}

// ---------------------------------------------------------------------------
// Lines, numbers, police contacts, rota

export async function selectLines(db: Db, planIds: number[]) {
  if (!planIds.length) return [];
  return db
    .selectFrom("picket_lines")
    .select([
      "id",
      "plan_id",
      "location",
      "entrance",
      "starts_at",
      "ends_at",
      "expected_count",
      "actual_count",
      "actual_recorded_at",
    ])
    .where("plan_id", "in", planIds)
    .orderBy("starts_at")
    .orderBy("id")
    .execute();
}

export async function insertLine(
  db: Db,
  row: {
    plan_id: number;
    union_id: number;
    location: string;
    entrance: string;
    starts_at: string;
    ends_at: string;
    expected_count: number | null;
    created_by: number | null;
    created_at: Date;
  },
) {
  return (await db.insertInto("picket_lines").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

/** A line with its plan's workplace place (for rowInScope). */
export async function selectLine(db: Db, unionId: number, lineId: number) {
  return db
    .selectFrom("picket_lines as l")
    .innerJoin("picket_plans as p", "p.id", "l.plan_id")
    .innerJoin("workplaces as w", "w.id", "p.workplace_id")
    .innerJoin("employers as e", "e.id", "w.employer_id")
    .select([
      "l.id",
      "l.plan_id",
      "l.starts_at",
      "l.ends_at",
      "l.expected_count",
      "l.actual_count",
      "p.day",
      "p.workplace_id",
      "w.region_id",
      "e.sector_id",
    ])
    .where("l.union_id", "=", unionId)
    .where("l.id", "=", lineId)
    .executeTakeFirst();
}

export async function deleteLine(db: Db, lineId: number) {
  await db.deleteFrom("picket_lines").where("id", "=", lineId).execute();
}

export async function updateLineNumbers(
  db: Db,
  lineId: number,
  set: {
    expected_count?: number | null;
    actual_count?: number | null;
    actual_recorded_by?: number | null;
    actual_recorded_at?: Date | null;
  },
) {
  await db.updateTable("picket_lines").set(set).where("id", "=", lineId).execute();
}

export async function insertPoliceContact(
  db: Db,
  row: {
    plan_id: number;
    union_id: number;
    contacted_at: Date;
    force: string;
    officer: string;
    method: string;
    notes: string;
    recorded_by: number | null;
    recorded_at: Date;
  },
) {
  return (await db.insertInto("picket_police_contacts").values(row).returning("id").executeTakeFirstOrThrow())
    .id;
}

export async function selectPoliceContacts(db: Db, planIds: number[]) {
  if (!planIds.length) return [];
  return db
    .selectFrom("picket_police_contacts")
    .select(["id", "plan_id", "contacted_at", "force", "officer", "method", "notes"])
    .where("plan_id", "in", planIds)
    .orderBy("contacted_at")
    .orderBy("id")
    .execute();
}

export async function selectRota(db: Db, planIds: number[]) {
  if (!planIds.length) return [];
  return db
    .selectFrom("picket_rota as r")
    .innerJoin("members as m", "m.id", "r.member_id")
    .select(["r.id", "r.line_id", "r.member_id", "r.starts_at", "r.ends_at", "m.forenames", "m.surname"])
    .where("r.plan_id", "in", planIds)
    .orderBy("r.starts_at")
    .orderBy("m.surname")
    .orderBy("r.id")
    .execute();
}

/**
 * A member of the union, locked for the rest of the transaction (so a rota entry and an exemption for
 * cover on the same day serialise on it), with their place and whether their latest recorded position
 * is opposed in principle.
 */
export async function lockMember(db: Db, unionId: number, memberId: number) {
  const m = await db
    .selectFrom("members as m")
    .leftJoin("employers as e", "e.id", "m.employer_id")
    .select(["m.id", "m.forenames", "m.surname", "m.status", "m.workplace_id", "m.region_id", "e.sector_id"])
    .where("m.union_id", "=", unionId)
    .where("m.id", "=", memberId)
    .forUpdate("m")
    .executeTakeFirst();
  if (!m) return undefined;
  const position = await db
    .selectFrom("member_positions")
    .select("opposed_in_principle")
    .where("member_id", "=", memberId)
    .orderBy("recorded_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return { ...m, opposed: position?.opposed_in_principle ?? false };
}

export async function exemptOnDay(db: Db, memberId: number, day: string) {
  const row = await db
    .selectFrom("cover_exemptions")
    .select("id")
    .where("member_id", "=", memberId)
    .where("day", "=", day)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertRota(
  db: Db,
  row: {
    line_id: number;
    plan_id: number;
    union_id: number;
    member_id: number;
    day: string;
    starts_at: string;
    ends_at: string;
    added_by: number | null;
    added_at: Date;
  },
) {
  return db
    .insertInto("picket_rota")
    .values(row)
    .onConflict((oc) => oc.columns(["line_id", "member_id", "starts_at"]).doNothing())
    .returning("id")
    .executeTakeFirst();
}

export async function selectRotaEntry(db: Db, unionId: number, rotaId: number) {
  return db
    .selectFrom("picket_rota as r")
    .innerJoin("picket_plans as p", "p.id", "r.plan_id")
    .innerJoin("workplaces as w", "w.id", "p.workplace_id")
    .innerJoin("employers as e", "e.id", "w.employer_id")
    .select(["r.id", "r.line_id", "r.member_id", "r.day", "p.workplace_id", "w.region_id", "e.sector_id"])
    .where("r.union_id", "=", unionId)
    .where("r.id", "=", rotaId)
    .executeTakeFirst();
}

export async function deleteRota(db: Db, rotaId: number) {
  await db.deleteFrom("picket_rota").where("id", "=", rotaId).execute();
}

/** Takes a member off every rota of a day (they were exempted for cover); how many entries went. */
export async function deleteMemberRotaOnDay(db: Db, memberId: number, day: string) {
  const rows = await db
    .deleteFrom("picket_rota")
    .where("member_id", "=", memberId)
    .where("day", "=", day)
    .returning("id")
    .execute();
  return rows.length;
}

// ---------------------------------------------------------------------------
// Cover

export async function insertCover(
  db: Db,
  row: {
    union_id: number;
    dispute_id: number;
    employer_id: number;
    day: string;
    items: CoverItem[];
    union_agreed_by: number | null;
    union_agreed_name: string;
    employer_agreed_name: string;
    employer_agreed_role: string;
    agreed_at: Date;
    naming_agreed: boolean;
    note: string;
    recorded_by: number | null;
    recorded_at: Date;
  },
) {
  return (
    await db
      .insertInto("cover_agreements")
      .values({ ...row, items: JSON.stringify(row.items) })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
}

export async function selectCoverAgreements(
  db: Db,
  unionId: number,
  disputeId: number,
  day: string,
  employerIds: number[],
) {
  if (!employerIds.length) return [];
  return db
    .selectFrom("cover_agreements as c")
    .innerJoin("employers as e", "e.id", "c.employer_id")
    .select([
      "c.id",
      "c.employer_id",
      "e.name as employer_name",
      "c.day",
      "c.items",
      "c.union_agreed_name",
      "c.employer_agreed_name",
      "c.employer_agreed_role",
      "c.agreed_at",
      "c.naming_agreed",
      "c.note",
    ])
    .where("c.union_id", "=", unionId)
    .where("c.dispute_id", "=", disputeId)
    .where("c.day", "=", day)
    .where("c.employer_id", "in", employerIds)
    .orderBy("e.name")
    .orderBy("c.id")
    .execute();
}

/** An agreement with its employer's place (for rowInScope) and the dispute it belongs to. */
export async function selectCover(db: Db, unionId: number, agreementId: number) {
  return db
    .selectFrom("cover_agreements as c")
    .innerJoin("employers as e", "e.id", "c.employer_id")
    .select([
      "c.id",
      "c.dispute_id",
      "c.employer_id",
      "c.day",
      "c.naming_agreed",
      "e.region_id",
      "e.sector_id",
    ])
    .where("c.union_id", "=", unionId)
    .where("c.id", "=", agreementId)
    .executeTakeFirst();
}

export async function insertExemption(
  db: Db,
  row: {
    agreement_id: number;
    union_id: number;
    day: string;
    workplace_id: number | null;
    member_id: number | null;
    number: number;
    post: string;
    recorded_by: number | null;
    recorded_at: Date;
  },
) {
  return db
    .insertInto("cover_exemptions")
    .values(row)
    .onConflict((oc) => oc.columns(["member_id", "day"]).where("member_id", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
}

export async function selectExemptions(db: Db, agreementIds: number[]) {
  if (!agreementIds.length) return [];
  return db
    .selectFrom("cover_exemptions as x")
    .leftJoin("workplaces as w", "w.id", "x.workplace_id")
    .leftJoin("members as m", "m.id", "x.member_id")
    .select([
      "x.id",
      "x.agreement_id",
      "x.workplace_id",
      "w.name as workplace_name",
      "x.member_id",
      "m.forenames",
      "m.surname",
      "x.number",
      "x.post",
    ])
    .where("x.agreement_id", "in", agreementIds)
    .orderBy("x.id")
    .execute();
}

export async function insertCoverRequest(
  db: Db,
  row: {
    agreement_id: number;
    union_id: number;
    requested_at: Date;
    requested_by_name: string;
    details: string;
    posts_requested: number | null;
    recorded_by: number | null;
    recorded_at: Date;
  },
) {
  return (await db.insertInto("cover_requests").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function selectCoverRequest(db: Db, unionId: number, requestId: number) {
  return db
    .selectFrom("cover_requests")
    .select(["id", "agreement_id", "outcome"])
    .where("union_id", "=", unionId)
    .where("id", "=", requestId)
    .forUpdate()
    .executeTakeFirst();
}

export async function answerCoverRequest(
  db: Db,
  requestId: number,
  set: {
    outcome: string;
    posts_granted: number | null;
    answer_note: string;
    answered_by: number | null;
    answered_at: Date;
  },
) {
  await db.updateTable("cover_requests").set(set).where("id", "=", requestId).execute();
}

export async function selectCoverRequests(db: Db, agreementIds: number[]) {
  if (!agreementIds.length) return [];
  return db
    .selectFrom("cover_requests")
    .select([
      "id",
      "agreement_id",
      "requested_at",
      "requested_by_name",
      "details",
      "posts_requested",
      "outcome",
      "posts_granted",
      "answer_note",
      "answered_at",
    ])
    .where("agreement_id", "in", agreementIds)
    .orderBy("requested_at")
    .orderBy("id")
    .execute();
}
