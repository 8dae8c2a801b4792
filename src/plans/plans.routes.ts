import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  AddMeetingInput,
  AddObjectiveInput,
  AddResourceInput,
  AddTaskInput,
  ConstituencyDto,
  CreatePlanInput,
  PeopleDto,
  PlanDto,
  PlanListDto,
  PlanListQuery,
  PlanPlacesDto,
  RollupDto,
  TaskDto,
  UpdatePlanInput,
  UpdateTaskInput,
} from "./plans.model.js";
import {
  addMeeting,
  addObjective,
  addResource,
  addTask,
  createPlan,
  getPlan,
  listPlans,
  planConstituencies,
  planPeople,
  planPlaces,
  plansRollup,
  updatePlan,
  updateTask,
} from "./plans.service.js";

const tags = ["plans"];

/**
 * Regional plans and national sector strategies: read by their region's or sector's people, written by
 * their officers and national officers; the disputes unit's roll-up for national officers.
 */
export function plansRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/plans",
    {
      schema: {
        tags,
        summary: "The plans you see, with task counts, and the open tasks given to you",
        querystring: PlanListQuery,
        response: { 200: PlanListDto },
      },
    },
    (req) => listPlans(ctxOf(deps, req), { overdue: req.query.overdue }),
  );
  app.post(
    "/api/plans",
    {
      schema: {
        tags,
        summary: "Start a region's plan or a sector's strategy (one each)",
        body: CreatePlanInput,
        response: { 201: PlanDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createPlan(ctxOf(deps, req), req.body)),
  );
  app.get(
    "/api/plans/rollup",
    {
      schema: {
        tags,
        summary:
          "Every plan rolled up for the disputes unit: overdue tasks, constituencies at risk with no task, regions with no plan",
        response: { 200: RollupDto },
      },
    },
    (req) => plansRollup(ctxOf(deps, req)),
  );
  app.get(
    "/api/plans/constituencies",
    {
      schema: {
        tags,
        summary:
          "Live constituencies you reach with their turnout status: those at risk or near the line first",
        response: { 200: z.array(ConstituencyDto) },
      },
    },
    (req) => planConstituencies(ctxOf(deps, req)),
  );
  app.get(
    "/api/plans/places",
    {
      schema: {
        tags,
        summary: "The regions and sectors you may write plans of, with the plan each has",
        response: { 200: PlanPlacesDto },
      },
    },
    (req) => planPlaces(ctxOf(deps, req)),
  );
  app.get(
    "/api/plans/people",
    {
      schema: { tags, summary: "Who a task may be given to", response: { 200: PeopleDto } },
    },
    (req) => planPeople(ctxOf(deps, req)),
  );
  app.get(
    "/api/plans/:id",
    { schema: { tags, summary: "A plan whole", params: IdParams, response: { 200: PlanDto } } },
    (req) => getPlan(ctxOf(deps, req), req.params.id),
  );
  app.patch(
    "/api/plans/:id",
    {
      schema: {
        tags,
        summary: "Change a plan's title or summary",
        params: IdParams,
        body: UpdatePlanInput,
        response: { 200: PlanDto },
      },
    },
    (req) => updatePlan(ctxOf(deps, req), req.params.id, req.body),
  );
  const add = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    fn: (ctx: ReturnType<typeof ctxOf>, id: number, input: z.infer<S>) => Promise<PlanDto>,
  ) =>
    app.post(
      `/api/plans/:id/${path}`,
      { schema: { tags, summary, params: IdParams, body, response: { 201: PlanDto } } },
      async (req, reply) =>
        reply.code(201).send(await fn(ctxOf(deps, req), req.params.id, req.body as z.infer<S>)),
    );
  add(
    "objectives",
    "Add an objective, tied to the constituencies it is about",
    AddObjectiveInput,
    addObjective,
  );
  add("tasks", "Add a task (owner, due date, status; an objective or constituency)", AddTaskInput, addTask);
  add(
    "resources",
    "Commit resources (officer days, reps, materials, budget in pounds)",
    AddResourceInput,
    addResource,
  );
  add(
    "meetings",
    "Record a meeting: date, attendees, decisions; its actions become tasks",
    AddMeetingInput,
    addMeeting,
  );
  app.patch(
    "/api/plans/tasks/:id",
    {
      schema: {
        tags,
        summary: "Change a task: its owner may change its status; the plan's writers anything",
        params: IdParams,
        body: UpdateTaskInput,
        response: { 200: TaskDto },
      },
    },
    (req) => updateTask(ctxOf(deps, req), req.params.id, req.body),
  );
}
