/**
 * Requests for assistance to the union's central departments (decisions/0031). Anyone in a region or
 * sector raises one with its urgency; the department (its members, or the disputes unit) triages it,
 * gives it an owner and answers; the first answer is due within the service level of its urgency, and a
 * request still unanswered after that is escalated to the disputes unit: found on read by the clock,
 * recorded once and audited by the system. The requester sees its status and answers.
 */
import { recordAudit } from "../audit/index.js";
import { type Actor, authorize, can } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { dayNote } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import {
  type AnswerInput,
  type CreateDepartmentInput,
  type DepartmentDto,
  MAX_ANSWERS,
  MAX_DEPARTMENTS,
  type RaiseRequestInput,
  type RequestDto,
  type RequestListDto,
  type RequestListQuery,
  type RequestStatus,
  type RequestSummaryDto,
  type RequestsReportDto,
  type ServiceLevelDto,
  type SetMembersInput,
  type SetServiceLevelsInput,
  type TriageInput,
} from "./requests.model.js";
import {
  countAnswers,
  countDepartments,
  insertAnswer,
  insertDepartment,
  insertRequest,
  isDepartmentMember,
  markEscalations,
  myDepartmentIds,
  type RequestReach,
  type RequestRow,
  regionExists,
  replaceDepartmentMembers,
  sectorExists,
  selectAnswers,
  selectDepartment,
  selectDepartmentMembers,
  selectDepartments,
  selectRequest,
  selectRequests,
  selectRequestTimes,
  selectServiceLevels,
  selectUsersInUnion,
  selectWorkplaceRegions,
  updateRequestRow,
  upsertServiceLevel,
} from "./requests.store.js";
import {
  DEFAULT_SERVICE_LEVELS,
  dueAt,
  hoursBetween,
  percentile,
  type ServiceLevel,
  serviceLevelState,
  URGENCIES,
  type Urgency,
} from "./service-level.js";

/** The longest list answered at once (newest first). */
export const MAX_LIST = 500;

const notFound = (id: number) => new AppError("requests.not_found", `No request ${id}.`, { id });
const noDepartment = (id: number) => new AppError("requests.no_department", `No department ${id}.`, { id });

/** Working days for service levels: England's calendar (weekends and bank holidays). */
const isWorkingDay = (date: string) => dayNote(date, ["england"]).nonWorking.length === 0;

function reachOf(actor: Actor): RequestReach {
  if (actor.role === "national") return { all: true };
  return {
    all: false,
    userId: actor.userId,
    regionIds: actor.role === "regional" ? actor.regionIds : [],
    sectorIds: actor.role === "sector" ? actor.sectorIds : [],
  };
}

async function levelsOf(
  ctx: Ctx,
  unionId: number,
): Promise<Record<Urgency, ServiceLevel & { configured: boolean }>> {
  const out = Object.fromEntries(
    URGENCIES.map((u) => [u, { ...DEFAULT_SERVICE_LEVELS[u], configured: false }]),
  ) as Record<Urgency, ServiceLevel & { configured: boolean }>;
  for (const l of await selectServiceLevels(ctx.db, unionId))
    out[l.urgency as Urgency] = { amount: l.amount, unit: l.unit as ServiceLevel["unit"], configured: true };
  return out;
}

/**
 * Escalates every request of the union whose first answer is overdue, once each: the update marks only
 * rows not yet escalated, so two readers at once escalate a request once. Audited as the system.
 */
export async function escalateMissed(ctx: Ctx, unionId: number): Promise<number> {
  const now = ctx.clock.now();
  const system: Ctx = {
    ...ctx,
    actor: {
      kind: "system",
      userId: null,
      unionId,
      role: "national",
      label: "system:service-level",
      regionIds: [],
      sectorIds: [],
      workplaceIds: [],
    },
  };
  return withTx(ctx.db, async (tx) => {
    const rows = await markEscalations(tx, unionId, now);
    for (const r of rows)
      await recordAudit({ ...system, db: tx }, "request.escalated", {
        subjectType: "assistance_request",
        subjectId: r.id,
        details: {
          departmentId: r.department_id,
          urgency: r.urgency,
          dueAt: new Date(r.due_at).toISOString(),
        },
      });
    return rows.length;
  });
}

function summaryOf(r: RequestRow, now: Date, canAnswer: boolean): RequestSummaryDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    department: { id: r.department_id, name: r.department_name },
    region: r.region_id !== null ? { id: r.region_id, name: r.region_name ?? "" } : null,
    sector: r.sector_id !== null ? { id: r.sector_id, name: r.sector_name ?? "" } : null,
    raisedBy: r.raised_by !== null ? { id: r.raised_by, name: r.raiser_name ?? "" } : null,
    title: r.title,
    urgency: r.urgency as Urgency,
    status: r.status as RequestStatus,
    owner: r.owner_user_id !== null ? { id: r.owner_user_id, name: r.owner_name ?? "" } : null,
    raisedAt: new Date(r.raised_at).toISOString(),
    dueAt: new Date(r.due_at).toISOString(),
    firstAnsweredAt: iso(r.first_answered_at),
    resolvedAt: iso(r.resolved_at),
    escalatedAt: iso(r.escalated_at),
    serviceLevel: serviceLevelState(
      {
        dueAt: new Date(r.due_at),
        firstAnsweredAt: r.first_answered_at ? new Date(r.first_answered_at) : null,
      },
      now,
    ),
    canAnswer,
  };
}

export async function listRequests(ctx: Ctx, query: Partial<RequestListQuery> = {}): Promise<RequestListDto> {
  const grant = authorize(ctx.actor, "requests.read");
  await escalateMissed(ctx, grant.unionId);
  const now = ctx.clock.now();
  const answerable = can(ctx.actor, "requests.answer");
  const mine = new Set(answerable ? await myDepartmentIds(ctx.db, grant.unionId, ctx.actor.userId) : []);
  const rows = await selectRequests(
    ctx.db,
    grant.unionId,
    reachOf(ctx.actor),
    { open: query.open ?? false, departmentId: query.departmentId, escalated: query.escalated ?? false },
    MAX_LIST + 1,
  );
  return {
    asAt: now.toISOString(),
    requests: rows
      .slice(0, MAX_LIST)
      .map((r) =>
        summaryOf(r, now, answerable && (ctx.actor.role === "national" || mine.has(r.department_id))),
      ),
    truncated: rows.length > MAX_LIST,
  };
}

async function mayAnswer(ctx: Ctx, departmentId: number): Promise<boolean> {
  if (!can(ctx.actor, "requests.answer")) return false;
  return ctx.actor.role === "national" || isDepartmentMember(ctx.db, departmentId, ctx.actor.userId);
}

export async function getRequest(ctx: Ctx, id: number): Promise<RequestDto> {
  const grant = authorize(ctx.actor, "requests.read");
  await escalateMissed(ctx, grant.unionId);
  const row = await selectRequest(ctx.db, grant.unionId, reachOf(ctx.actor), id);
  if (!row) throw notFound(id);
  const answers = await selectAnswers(ctx.db, grant.unionId, id);
  return {
    ...summaryOf(row, ctx.clock.now(), await mayAnswer(ctx, row.department_id)),
    body: row.body,
    answers: answers.map((a) => ({
      id: a.id,
      author: a.author,
      body: a.body,
      createdAt: new Date(a.created_at).toISOString(),
    })),
  };
}

/** The region or sector a request is raised for: one of the raiser's own, or (national officers) any or none. */
async function originOf(ctx: Ctx, unionId: number, input: RaiseRequestInput) {
  const a = ctx.actor;
  const refuse = () =>
    new AppError("requests.no_origin", "Say which of your regions or sectors the request is for.", {});
  if (a.role === "national") {
    if (input.regionId !== null && !(await regionExists(ctx.db, unionId, input.regionId))) throw refuse();
    if (input.sectorId !== null && !(await sectorExists(ctx.db, unionId, input.sectorId))) throw refuse();
    return { regionId: input.regionId, sectorId: input.sectorId };
  }
  const pick = (given: number | null, own: readonly number[]) => {
    if (given !== null) {
      if (!own.includes(given)) throw refuse();
      return given;
    }
    if (own.length !== 1) throw refuse();
    return own[0]!;
  };
  if (a.role === "sector") return { regionId: null, sectorId: pick(input.sectorId, a.sectorIds) };
  const regions =
    a.role === "rep" ? await selectWorkplaceRegions(ctx.db, unionId, a.workplaceIds) : a.regionIds;
  return { regionId: pick(input.regionId, regions), sectorId: null };
}

export async function raiseRequest(ctx: Ctx, input: RaiseRequestInput): Promise<RequestDto> {
  const grant = authorize(ctx.actor, "requests.raise");
  const department = await selectDepartment(ctx.db, grant.unionId, input.departmentId);
  if (!department) throw noDepartment(input.departmentId);
  const origin = await originOf(ctx, grant.unionId, input);
  const levels = await levelsOf(ctx, grant.unionId);
  const now = ctx.clock.now();
  const due = dueAt(now, levels[input.urgency], isWorkingDay, ukDate);
  const id = await withTx(ctx.db, async (tx) => {
    const created = await insertRequest(tx, grant.unionId, {
      departmentId: department.id,
      ...origin,
      raisedBy: ctx.actor.userId,
      title: input.title,
      body: input.body,
      urgency: input.urgency,
      raisedAt: now,
      dueAt: due,
    });
    await recordAudit({ ...ctx, db: tx }, "request.raised", {
      subjectType: "assistance_request",
      subjectId: created,
      details: { departmentId: department.id, urgency: input.urgency, dueAt: due.toISOString(), ...origin },
    });
    return created;
  });
  return getRequest(ctx, id);
}

/** A request the actor may triage and answer: one they cannot see is "not found". */
async function answerableRequest(ctx: Ctx, id: number) {
  const grant = authorize(ctx.actor, "requests.answer");
  const row = await selectRequest(ctx.db, grant.unionId, reachOf(ctx.actor), id);
  if (!row) throw notFound(id);
  if (!(await mayAnswer(ctx, row.department_id)))
    throw new AppError(
      "requests.not_department_member",
      "Only the department's members answer its requests.",
      {
        id,
      },
    );
  if (row.status === "resolved") throw new AppError("requests.resolved", "The request is resolved.", { id });
  return { grant, row };
}

/**
 * Triage: the urgency (its due time recomputed from when it was raised) and the owner, a member of the
 * department or a national officer.
 */
export async function triageRequest(ctx: Ctx, id: number, input: TriageInput): Promise<RequestDto> {
  const { grant, row } = await answerableRequest(ctx, id);
  if (input.ownerUserId !== undefined && input.ownerUserId !== null) {
    const [inUnion] = await selectUsersInUnion(ctx.db, grant.unionId, [input.ownerUserId]);
    const member = await isDepartmentMember(ctx.db, row.department_id, input.ownerUserId);
    if (!inUnion || !member)
      throw new AppError("requests.not_department_member", "The owner must be a member of the department.", {
        id,
      });
  }
  const levels = await levelsOf(ctx, grant.unionId);
  const now = ctx.clock.now();
  await withTx(ctx.db, async (tx) => {
    await updateRequestRow(
      tx,
      grant.unionId,
      id,
      {
        ...(input.urgency
          ? {
              urgency: input.urgency,
              dueAt: dueAt(new Date(row.raised_at), levels[input.urgency], isWorkingDay, ukDate),
            }
          : {}),
        ...(input.ownerUserId !== undefined ? { ownerUserId: input.ownerUserId } : {}),
        ...(row.status === "new" ? { status: "triaged" } : {}),
      },
      now,
    );
    await recordAudit({ ...ctx, db: tx }, "request.triaged", {
      subjectType: "assistance_request",
      subjectId: id,
      details: {
        fields: Object.keys(input).filter((k) => input[k as keyof TriageInput] !== undefined),
        ...(input.urgency ? { urgency: input.urgency } : {}),
        ...(input.ownerUserId !== undefined ? { ownerUserId: input.ownerUserId } : {}),
      },
    });
  });
  return getRequest(ctx, id);
}

export async function answerRequest(ctx: Ctx, id: number, input: AnswerInput): Promise<RequestDto> {
  const { grant, row } = await answerableRequest(ctx, id);
  if ((await countAnswers(ctx.db, grant.unionId, id)) >= MAX_ANSWERS)
    throw new AppError("request.too_large", `A request holds at most ${MAX_ANSWERS} answers.`, {
      max: MAX_ANSWERS,
    });
  const now = ctx.clock.now();
  await withTx(ctx.db, async (tx) => {
    const answerId = await insertAnswer(tx, grant.unionId, id, ctx.actor.userId, input.body, now);
    await updateRequestRow(
      tx,
      grant.unionId,
      id,
      {
        status: input.resolve ? "resolved" : "answered",
        firstAnsweredAt: now,
        ...(input.resolve ? { resolvedAt: now } : {}),
        // Whoever answers an unowned request owns it.
        ...(row.owner_user_id === null && ctx.actor.userId !== null ? { ownerUserId: ctx.actor.userId } : {}),
      },
      now,
    );
    await recordAudit({ ...ctx, db: tx }, "request.answered", {
      subjectType: "assistance_request",
      subjectId: id,
      details: { answerId, resolved: input.resolve, first: row.first_answered_at === null },
    });
  });
  return getRequest(ctx, id);
}

// --- departments, members and service levels ---------------------------------------------------

export async function listDepartments(ctx: Ctx): Promise<DepartmentDto[]> {
  const grant = authorize(ctx.actor, "requests.read");
  const [departments, members] = await Promise.all([
    selectDepartments(ctx.db, grant.unionId),
    selectDepartmentMembers(ctx.db, grant.unionId),
  ]);
  return departments.map((d) => {
    const list = members.filter((m) => m.department_id === d.id).map((m) => ({ id: m.id, name: m.name }));
    return { ...d, members: list, mine: list.some((m) => m.id === ctx.actor.userId) };
  });
}

export async function createDepartment(ctx: Ctx, input: CreateDepartmentInput): Promise<DepartmentDto> {
  const grant = authorize(ctx.actor, "requests.configure");
  if ((await countDepartments(ctx.db, grant.unionId)) >= MAX_DEPARTMENTS)
    throw new AppError("request.too_large", `A union has at most ${MAX_DEPARTMENTS} departments.`, {
      max: MAX_DEPARTMENTS,
    });
  const id = await withTx(ctx.db, async (tx) => {
    const created = await insertDepartment(tx, grant.unionId, input.code, input.name, ctx.clock.now());
    if (created === null)
      throw new AppError("request.conflict", "A department with this code already exists.", {
        code: input.code,
      });
    await recordAudit({ ...ctx, db: tx }, "requests.configured", {
      subjectType: "department",
      subjectId: created,
      details: { what: "department_created", code: input.code },
    });
    return created;
  });
  return (await listDepartments(ctx)).find((d) => d.id === id)!;
}

export async function setDepartmentMembers(
  ctx: Ctx,
  departmentId: number,
  input: SetMembersInput,
): Promise<DepartmentDto> {
  const grant = authorize(ctx.actor, "requests.configure");
  if (!(await selectDepartment(ctx.db, grant.unionId, departmentId))) throw noDepartment(departmentId);
  const ids = [...new Set(input.userIds)];
  const found = await selectUsersInUnion(ctx.db, grant.unionId, ids);
  if (found.length !== ids.length)
    throw new AppError("request.invalid_reference", "Some of the users named are not users of the union.", {
      missing: ids.filter((i) => !found.includes(i)),
    });
  await withTx(ctx.db, async (tx) => {
    await replaceDepartmentMembers(tx, departmentId, ids);
    await recordAudit({ ...ctx, db: tx }, "requests.configured", {
      subjectType: "department",
      subjectId: departmentId,
      details: { what: "members", userIds: ids },
    });
  });
  return (await listDepartments(ctx)).find((d) => d.id === departmentId)!;
}

export async function serviceLevels(ctx: Ctx): Promise<ServiceLevelDto[]> {
  const grant = authorize(ctx.actor, "requests.read");
  const levels = await levelsOf(ctx, grant.unionId);
  return URGENCIES.map((u) => ({ urgency: u, ...levels[u] }));
}

export async function setServiceLevels(ctx: Ctx, input: SetServiceLevelsInput): Promise<ServiceLevelDto[]> {
  const grant = authorize(ctx.actor, "requests.configure");
  await withTx(ctx.db, async (tx) => {
    for (const l of input.levels) await upsertServiceLevel(tx, grant.unionId, l);
    await recordAudit({ ...ctx, db: tx }, "requests.configured", {
      subjectType: "union",
      subjectId: grant.unionId,
      details: { what: "service_levels", levels: input.levels },
    });
  });
  return serviceLevels(ctx);
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Time to first answer and to resolution by department (median and 90th percentile, hours), over the
 * requests raised from `from` to `to` (UK dates, both included; the last 90 days by default).
 */
export async function requestsReport(
  ctx: Ctx,
  range: { from?: string | undefined; to?: string | undefined } = {},
): Promise<RequestsReportDto> {
  const grant = authorize(ctx.actor, "requests.reports");
  const now = ctx.clock.now();
  const to = range.to ?? ukDate(now);
  const from = range.from ?? addDays(to, -89);
  if (from > to) throw new AppError("request.invalid", "The report's start is after its end.", { from, to });
  // A day either side in UTC, then each request kept by its UK day.
  const rows = (
    await selectRequestTimes(
      ctx.db,
      grant.unionId,
      new Date(`${addDays(from, -1)}T00:00:00Z`),
      new Date(`${addDays(to, 2)}T00:00:00Z`),
    )
  ).filter((r) => {
    const day = ukDate(new Date(r.raised_at));
    return day >= from && day <= to;
  });
  const departments = await selectDepartments(ctx.db, grant.unionId);
  const stat = (values: number[]) => ({
    median: percentile(values, 50),
    p90: percentile(values, 90),
    count: values.length,
  });
  return {
    from,
    to,
    departments: departments.map((d) => {
      const mine = rows.filter((r) => r.department_id === d.id);
      const first = mine
        .filter((r) => r.first_answered_at)
        .map((r) => hoursBetween(new Date(r.raised_at), new Date(r.first_answered_at!)));
      const resolved = mine
        .filter((r) => r.resolved_at)
        .map((r) => hoursBetween(new Date(r.raised_at), new Date(r.resolved_at!)));
      return {
        id: d.id,
        name: d.name,
        raised: mine.length,
        open: mine.filter((r) => r.status !== "resolved").length,
        firstAnswerHours: stat(first),
        resolutionHours: stat(resolved),
        serviceLevelMissed: mine.filter(
          (r) =>
            serviceLevelState(
              {
                dueAt: new Date(r.due_at),
                firstAnsweredAt: r.first_answered_at ? new Date(r.first_answered_at) : null,
              },
              now,
            ) === "missed",
        ).length,
      };
    }),
  };
}
