/**
 * Campaign plans (decisions/0031): a regional plan per region and a national sector strategy per sector,
 * with objectives tied to the constituencies that matter (from the turnout drive), tasks with owners, due
 * dates and status, resources committed and meetings whose actions become tasks. National officers (the
 * disputes unit) see every plan rolled up.
 *
 * Who writes: national officers any plan, regional officers their regions' plans, sector officers their
 * sectors' strategies. Who reads: those, plus reps (their workplaces' regions' plans) and regional
 * officers (every sector strategy, which their regions carry out). A rep changes the status of tasks
 * given to them, nothing else.
 */
import { recordAudit } from "../audit/index.js";
import { type Actor, authorize, can } from "../auth/index.js";
import { listDisputes } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { keptTurnoutStatus } from "../turnout/index.js";
import {
  type AddMeetingInput,
  type AddObjectiveInput,
  type AddResourceInput,
  type AddTaskInput,
  type ConstituencyDto,
  type CreatePlanInput,
  MAX_PLAN_ROWS,
  type PeopleDto,
  type PlanDto,
  type PlanListDto,
  type PlanPlacesDto,
  type PlanSummaryDto,
  RESOURCE_KINDS,
  type RollupDto,
  type TaskDto,
  type TaskStatus,
  type UpdatePlanInput,
  type UpdateTaskInput,
} from "./plans.model.js";
import {
  countPlanRows,
  insertMeeting,
  insertObjective,
  insertPlan,
  insertResource,
  insertTask,
  type PlanReach,
  type PlanRow,
  selectCoveredBallots,
  selectMeetings,
  selectObjectiveCounts,
  selectObjectiveOfPlan,
  selectObjectives,
  selectOverdueTasks,
  selectOwnOpenTasks,
  selectPeople,
  selectPersonInUnion,
  selectPlans,
  selectRegions,
  selectResources,
  selectSectors,
  selectTask,
  selectTaskCounts,
  selectTasks,
  selectWorkplaceRegions,
  type TaskRow,
  touchPlan,
  updatePlanRow,
  updateTaskRow,
} from "./plans.store.js";

/** "Near the line": on track, but the forecast within this many points of the threshold. */
export const NEAR_THE_LINE_POINTS = 5;

const planNotFound = (id: number) => new AppError("plans.not_found", `No plan ${id}.`, { id });
const taskNotFound = (id: number) => new AppError("plans.not_found", `No task ${id}.`, { id });
const badRef = (what: string) =>
  new AppError("plans.invalid_reference", `The ${what} named is not one you can use in this plan.`, { what });

async function reachOf(ctx: Ctx, actor: Actor, unionId: number): Promise<PlanReach> {
  switch (actor.role) {
    case "national":
      return { all: true };
    case "regional":
      return { all: false, regionIds: actor.regionIds, sectorIds: [], allSectors: true };
    case "sector":
      return { all: false, regionIds: [], sectorIds: actor.sectorIds, allSectors: false };
    case "rep":
      return {
        all: false,
        regionIds: await selectWorkplaceRegions(ctx.db, unionId, actor.workplaceIds),
        sectorIds: [],
        allSectors: false,
      };
    default:
      return { all: false, regionIds: [], sectorIds: [], allSectors: false };
  }
}

/** Whether the actor may write a plan of this region or sector (beyond reading it). */
function mayWrite(actor: Actor, plan: { kind: string; region_id: number | null; sector_id: number | null }) {
  if (!can(actor, "plans.write")) return false;
  if (actor.role === "national") return true;
  if (plan.kind === "region") return actor.role === "regional" && actor.regionIds.includes(plan.region_id!);
  return actor.role === "sector" && actor.sectorIds.includes(plan.sector_id!);
}

const today = (ctx: Ctx) => ukDate(ctx.clock.now());

function taskDto(t: TaskRow, day: string): TaskDto {
  return {
    id: t.id,
    planId: t.plan_id,
    title: t.title,
    objectiveId: t.objective_id,
    ballotId: t.ballot_id,
    ballotName: t.ballot_name,
    meetingId: t.meeting_id,
    owner: t.owner_user_id !== null ? { id: t.owner_user_id, name: t.owner_name ?? "" } : null,
    dueOn: t.due_on,
    status: t.status as TaskStatus,
    overdue: t.status !== "done" && t.due_on !== null && t.due_on < day,
    updatedAt: new Date(t.updated_at).toISOString(),
  };
}

async function summaries(ctx: Ctx, unionId: number, rows: PlanRow[], day: string): Promise<PlanSummaryDto[]> {
  const ids = rows.map((r) => r.id);
  const [counts, objectives] = await Promise.all([
    selectTaskCounts(ctx.db, unionId, ids, day),
    selectObjectiveCounts(ctx.db, unionId, ids),
  ]);
  const countOf = new Map(counts.map((c) => [c.plan_id, c]));
  const objectivesOf = new Map(objectives.map((o) => [o.plan_id, o.n]));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as "region" | "sector",
    regionId: r.region_id,
    sectorId: r.sector_id,
    scopeName: r.scope_name,
    title: r.title,
    objectives: objectivesOf.get(r.id) ?? 0,
    tasks: {
      open: countOf.get(r.id)?.open ?? 0,
      overdue: countOf.get(r.id)?.overdue ?? 0,
      done: countOf.get(r.id)?.done ?? 0,
    },
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

/** The plans the reader sees, with their task counts, and the open tasks given to the reader. */
export async function listPlans(ctx: Ctx, options: { overdue?: boolean } = {}): Promise<PlanListDto> {
  const grant = authorize(ctx.actor, "plans.read");
  const reach = await reachOf(ctx, ctx.actor, grant.unionId);
  const day = today(ctx);
  const rows = await selectPlans(ctx.db, grant.unionId, reach, null);
  let plans = await summaries(ctx, grant.unionId, rows, day);
  if (options.overdue) plans = plans.filter((p) => p.tasks.overdue > 0);
  const mine =
    ctx.actor.userId === null
      ? []
      : await selectOwnOpenTasks(
          ctx.db,
          grant.unionId,
          rows.map((r) => r.id),
          ctx.actor.userId,
        );
  return { asAt: day, plans, myTasks: mine.map((t) => taskDto(t, day)) };
}

async function visiblePlan(ctx: Ctx, unionId: number, id: number): Promise<PlanRow> {
  const reach = await reachOf(ctx, ctx.actor, unionId);
  const [row] = await selectPlans(ctx.db, unionId, reach, [id]);
  if (!row) throw planNotFound(id);
  return row;
}

/** A plan the actor may write; one they only read answers "not yours", one they cannot see "not found". */
async function writablePlan(ctx: Ctx, id: number) {
  const grant = authorize(ctx.actor, "plans.write");
  const plan = await visiblePlan(ctx, grant.unionId, id);
  if (!mayWrite(ctx.actor, plan))
    throw new AppError("plans.not_yours", "You read this plan; its region's or sector's officers write it.", {
      id,
    });
  return { grant, plan };
}

export async function getPlan(ctx: Ctx, id: number): Promise<PlanDto> {
  const grant = authorize(ctx.actor, "plans.read");
  const plan = await visiblePlan(ctx, grant.unionId, id);
  const day = today(ctx);
  const [[summary], objectives, tasks, resources, meetings] = await Promise.all([
    summaries(ctx, grant.unionId, [plan], day),
    selectObjectives(ctx.db, grant.unionId, id),
    selectTasks(ctx.db, grant.unionId, [id]),
    selectResources(ctx.db, grant.unionId, id),
    selectMeetings(ctx.db, grant.unionId, id),
  ]);
  const totals = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, 0])) as PlanDto["resourceTotals"];
  for (const r of resources) totals[r.kind as keyof typeof totals] += Number(r.quantity);
  return {
    ...summary!,
    summary: plan.summary,
    objectiveList: objectives.objectives.map((o) => ({
      id: o.id,
      text: o.text,
      constituencies: objectives.ballots
        .filter((b) => b.objective_id === o.id)
        .map((b) => ({ ballotId: b.ballot_id, name: b.name })),
    })),
    taskList: tasks.map((t) => taskDto(t, day)),
    resources: resources.map((r) => ({
      id: r.id,
      kind: r.kind as (typeof RESOURCE_KINDS)[number],
      quantity: Number(r.quantity),
      note: r.note,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    resourceTotals: totals,
    meetings: meetings.map((m) => ({
      id: m.id,
      heldOn: m.held_on,
      title: m.title,
      attendees: m.attendees,
      decisions: m.decisions,
      taskIds: tasks.filter((t) => t.meeting_id === m.id).map((t) => t.id),
    })),
    canWrite: mayWrite(ctx.actor, plan),
  };
}

/** The regions and sectors the reader may write plans of, with the plan each already has. */
export async function planPlaces(ctx: Ctx): Promise<PlanPlacesDto> {
  const grant = authorize(ctx.actor, "plans.write");
  const [regions, sectors, plans] = await Promise.all([
    selectRegions(ctx.db, grant.unionId),
    selectSectors(ctx.db, grant.unionId),
    selectPlans(ctx.db, grant.unionId, { all: true }, null),
  ]);
  const regionPlan = new Map(plans.filter((p) => p.region_id !== null).map((p) => [p.region_id!, p.id]));
  const sectorPlan = new Map(plans.filter((p) => p.sector_id !== null).map((p) => [p.sector_id!, p.id]));
  const a = ctx.actor;
  return {
    regions: regions
      .filter((r) => mayWrite(a, { kind: "region", region_id: r.id, sector_id: null }))
      .map((r) => ({ ...r, planId: regionPlan.get(r.id) ?? null })),
    sectors: sectors
      .filter((s) => mayWrite(a, { kind: "sector", region_id: null, sector_id: s.id }))
      .map((s) => ({ ...s, planId: sectorPlan.get(s.id) ?? null })),
  };
}

export async function createPlan(ctx: Ctx, input: CreatePlanInput): Promise<PlanDto> {
  const grant = authorize(ctx.actor, "plans.write");
  const regionId = input.kind === "region" ? input.regionId : null;
  const sectorId = input.kind === "sector" ? input.sectorId : null;
  const places = await planPlaces(ctx);
  const known =
    input.kind === "region"
      ? places.regions.some((r) => r.id === regionId)
      : places.sectors.some((s) => s.id === sectorId);
  if (!known)
    throw new AppError("plans.not_yours", "You may write plans only of your own regions or sectors.", {
      kind: input.kind,
    });
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const created = await insertPlan(tx, grant.unionId, {
      kind: input.kind,
      regionId,
      sectorId,
      title: input.title,
      summary: input.summary,
      by: ctx.actor.userId,
      at: now,
    });
    if (created === null)
      throw new AppError("plans.exists", "This region already has a plan, or this sector a strategy.", {
        kind: input.kind,
      });
    await recordAudit({ ...ctx, db: tx }, "plan.created", {
      subjectType: "plan",
      subjectId: created,
      details: { kind: input.kind, regionId, sectorId },
    });
    return created;
  });
  return getPlan(ctx, id);
}

export async function updatePlan(ctx: Ctx, id: number, input: UpdatePlanInput): Promise<PlanDto> {
  const { grant } = await writablePlan(ctx, id);
  await withTx(ctx.db, async (tx) => {
    await updatePlanRow(tx, grant.unionId, id, input, ctx.clock.now());
    await recordAudit({ ...ctx, db: tx }, "plan.updated", {
      subjectType: "plan",
      subjectId: id,
      details: { fields: Object.keys(input).filter((k) => input[k as keyof UpdatePlanInput] !== undefined) },
    });
  });
  return getPlan(ctx, id);
}

async function capRows(
  ctx: Ctx,
  unionId: number,
  planId: number,
  table: Parameters<typeof countPlanRows>[3],
  adding = 1,
) {
  if ((await countPlanRows(ctx.db, unionId, planId, table)) + adding > MAX_PLAN_ROWS)
    throw new AppError("request.too_large", `A plan holds at most ${MAX_PLAN_ROWS} of these.`, {
      max: MAX_PLAN_ROWS,
    });
}

/** The ballots (constituencies) the reader reaches among those named; any other refuses the change. */
async function checkBallots(ctx: Ctx, ballotIds: readonly number[]) {
  if (!ballotIds.length) return;
  const reachable = new Set((await listDisputes(ctx)).flatMap((d) => d.ballots.map((b) => b.id)));
  if (!ballotIds.every((b) => reachable.has(b))) throw badRef("constituency");
}

async function checkOwner(ctx: Ctx, unionId: number, ownerUserId: number | null | undefined) {
  if (ownerUserId === null || ownerUserId === undefined) return;
  if (!(await selectPersonInUnion(ctx.db, unionId, ownerUserId))) throw badRef("owner");
}

export async function addObjective(ctx: Ctx, planId: number, input: AddObjectiveInput): Promise<PlanDto> {
  const { grant } = await writablePlan(ctx, planId);
  const ballotIds = [...new Set(input.ballotIds)];
  await checkBallots(ctx, ballotIds);
  await capRows(ctx, grant.unionId, planId, "plan_objectives");
  await withTx(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const id = await insertObjective(tx, grant.unionId, planId, input.text, ballotIds, now);
    await touchPlan(tx, grant.unionId, planId, now);
    await recordAudit({ ...ctx, db: tx }, "plan.objective_added", {
      subjectType: "plan",
      subjectId: planId,
      details: { objectiveId: id, ballotIds },
    });
  });
  return getPlan(ctx, planId);
}

export async function addTask(ctx: Ctx, planId: number, input: AddTaskInput): Promise<PlanDto> {
  const { grant } = await writablePlan(ctx, planId);
  if (
    input.objectiveId !== null &&
    !(await selectObjectiveOfPlan(ctx.db, grant.unionId, planId, input.objectiveId))
  )
    throw badRef("objective");
  if (input.ballotId !== null) await checkBallots(ctx, [input.ballotId]);
  await checkOwner(ctx, grant.unionId, input.ownerUserId);
  await capRows(ctx, grant.unionId, planId, "plan_tasks");
  await withTx(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const id = await insertTask(tx, grant.unionId, planId, { ...input, meetingId: null }, now);
    await touchPlan(tx, grant.unionId, planId, now);
    await recordAudit({ ...ctx, db: tx }, "plan.task_added", {
      subjectType: "plan_task",
      subjectId: id,
      details: { planId, ownerUserId: input.ownerUserId, dueOn: input.dueOn, status: input.status },
    });
  });
  return getPlan(ctx, planId);
}

/**
 * Changes a task. A writer of the plan changes anything; the task's owner (a rep, say) only its status.
 * A task of a plan the actor cannot read answers "not found".
 */
export async function updateTask(ctx: Ctx, taskId: number, input: UpdateTaskInput): Promise<TaskDto> {
  const grant = authorize(ctx.actor, "plans.tasks");
  const task = await selectTask(ctx.db, grant.unionId, taskId);
  if (!task) throw taskNotFound(taskId);
  const plan = await visiblePlan(ctx, grant.unionId, task.plan_id).catch(() => {
    throw taskNotFound(taskId);
  });
  const writer = mayWrite(ctx.actor, plan);
  const owner = ctx.actor.userId !== null && task.owner_user_id === ctx.actor.userId;
  const onlyStatus = input.ownerUserId === undefined && input.dueOn === undefined;
  if (!writer && !(owner && onlyStatus))
    throw new AppError(
      "plans.not_yours",
      owner
        ? "You may change the status of your task; its plan's writers change its owner or due date."
        : "You may change the status of tasks given to you only.",
      { taskId },
    );
  await checkOwner(ctx, grant.unionId, input.ownerUserId);
  await withTx(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    await updateTaskRow(tx, grant.unionId, taskId, input, now);
    await touchPlan(tx, grant.unionId, task.plan_id, now);
    await recordAudit({ ...ctx, db: tx }, "plan.task_updated", {
      subjectType: "plan_task",
      subjectId: taskId,
      details: {
        planId: task.plan_id,
        fields: Object.keys(input).filter((k) => input[k as keyof UpdateTaskInput] !== undefined),
        ...(input.status ? { status: input.status } : {}),
      },
    });
  });
  const updated = await selectTask(ctx.db, grant.unionId, taskId);
  return taskDto(updated!, today(ctx));
}

export async function addResource(ctx: Ctx, planId: number, input: AddResourceInput): Promise<PlanDto> {
  const { grant } = await writablePlan(ctx, planId);
  await capRows(ctx, grant.unionId, planId, "plan_resources");
  await withTx(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const id = await insertResource(tx, grant.unionId, planId, input, now);
    await touchPlan(tx, grant.unionId, planId, now);
    await recordAudit({ ...ctx, db: tx }, "plan.resource_committed", {
      subjectType: "plan",
      subjectId: planId,
      details: { resourceId: id, kind: input.kind, quantity: input.quantity },
    });
  });
  return getPlan(ctx, planId);
}

/** Records a meeting; each action agreed becomes a task of the plan, linked to the meeting. */
export async function addMeeting(ctx: Ctx, planId: number, input: AddMeetingInput): Promise<PlanDto> {
  const { grant } = await writablePlan(ctx, planId);
  for (const a of input.actions) await checkOwner(ctx, grant.unionId, a.ownerUserId);
  await capRows(ctx, grant.unionId, planId, "plan_meetings");
  await capRows(ctx, grant.unionId, planId, "plan_tasks", input.actions.length);
  await withTx(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const meetingId = await insertMeeting(tx, grant.unionId, planId, { ...input, by: ctx.actor.userId }, now);
    const taskIds: number[] = [];
    for (const a of input.actions)
      taskIds.push(
        await insertTask(
          tx,
          grant.unionId,
          planId,
          { ...a, objectiveId: null, ballotId: null, meetingId, status: "todo" },
          now,
        ),
      );
    await touchPlan(tx, grant.unionId, planId, now);
    await recordAudit({ ...ctx, db: tx }, "plan.meeting_recorded", {
      subjectType: "plan",
      subjectId: planId,
      details: { meetingId, heldOn: input.heldOn, attendees: input.attendees.length, taskIds },
    });
  });
  return getPlan(ctx, planId);
}

export async function planPeople(ctx: Ctx): Promise<PeopleDto> {
  const grant = authorize(ctx.actor, "plans.write");
  return selectPeople(ctx.db, grant.unionId);
}

/**
 * The constituencies of every live ballot (open or still to open, electorate frozen) the reader reaches,
 * with the turnout drive's status today; those that matter are at risk, or on track but within
 * NEAR_THE_LINE_POINTS of the threshold. `covered`: an open task of some plan is about it.
 */
export async function planConstituencies(ctx: Ctx): Promise<ConstituencyDto[]> {
  const grant = authorize(ctx.actor, "plans.read");
  const day = today(ctx);
  const disputes = await listDisputes(ctx);
  const out: ConstituencyDto[] = [];
  for (const d of disputes) {
    // Any live ballot of the dispute opens the same figures (every constituency of the dispute): the
    // lowest id, as the disputes unit board takes, so the two share one kept computation.
    const live = d.ballots
      .filter((b) => b.closingDate >= day && b.entitled !== null)
      .reduce<(typeof d.ballots)[number] | null>((a, b) => (a === null || b.id < a.id ? b : a), null);
    if (!live) continue;
    const status = await keptTurnoutStatus(ctx, live.id);
    for (const c of status.constituencies) {
      if (c.daysLeft === 0) continue;
      const forecast = c.forecast?.turnout ?? null;
      const near =
        c.status === "on_track" &&
        c.turnoutThreshold !== null &&
        forecast !== null &&
        forecast - c.turnoutThreshold < NEAR_THE_LINE_POINTS;
      out.push({
        ballotId: c.ballotId,
        name: c.name,
        disputeId: d.id,
        disputeTitle: d.title,
        status: c.status,
        turnout: c.turnout,
        turnoutThreshold: c.turnoutThreshold,
        forecast,
        votesNeeded50: c.votesNeeded50,
        matters: c.status === "at_risk" || near,
        covered: false,
      });
    }
  }
  const covered = await selectCoveredBallots(
    ctx.db,
    grant.unionId,
    out.map((c) => c.ballotId),
  );
  for (const c of out) c.covered = covered.has(c.ballotId);
  return out.sort((a, b) => Number(b.matters) - Number(a.matters) || a.name.localeCompare(b.name));
}

/**
 * The disputes unit's view of every plan: the plans with their counts, every overdue task (by the
 * clock), the constituencies that matter with no open task about them, and the regions with no plan and
 * sectors with no strategy.
 */
export async function plansRollup(ctx: Ctx): Promise<RollupDto> {
  const grant = authorize(ctx.actor, "plans.rollup");
  const day = today(ctx);
  const [rows, regions, sectors, constituencies] = await Promise.all([
    selectPlans(ctx.db, grant.unionId, { all: true }, null),
    selectRegions(ctx.db, grant.unionId),
    selectSectors(ctx.db, grant.unionId),
    planConstituencies(ctx),
  ]);
  const ids = rows.map((r) => r.id);
  const [plans, overdue] = await Promise.all([
    summaries(ctx, grant.unionId, rows, day),
    selectOverdueTasks(ctx.db, grant.unionId, ids, day),
  ]);
  const planOf = new Map(rows.map((r) => [r.id, r]));
  const daysBetween = (a: string, b: string) =>
    Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
  return {
    asAt: day,
    plans,
    overdueTasks: overdue.map((t) => ({
      ...taskDto(t, day),
      planTitle: planOf.get(t.plan_id)?.title ?? "",
      scopeName: planOf.get(t.plan_id)?.scope_name ?? "",
      daysOverdue: daysBetween(t.due_on!, day),
    })),
    uncovered: constituencies.filter((c) => c.matters && !c.covered),
    regionsWithoutPlan: regions.filter((r) => !rows.some((p) => p.region_id === r.id)),
    sectorsWithoutStrategy: sectors.filter((s) => !rows.some((p) => p.sector_id === s.id)),
  };
}
