import { z } from "zod";
import { IsoDate } from "../shared/fields.js";

/** A plan is a region's (regional plan) or a sector's (national sector strategy). */
export const PLAN_KINDS = ["region", "sector"] as const;
export const PlanKind = z.enum(PLAN_KINDS);
export type PlanKind = z.infer<typeof PlanKind>;

export const TASK_STATUSES = ["todo", "doing", "blocked", "done"] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const RESOURCE_KINDS = ["officer_days", "reps", "materials", "budget"] as const;
export const ResourceKind = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof ResourceKind>;

/** The most objectives, tasks, meetings or resources one plan holds: a plan is read whole. */
export const MAX_PLAN_ROWS = 500;

const Id = z.number().int().positive().max(2_147_483_647);
const Text = (max: number) => z.string().trim().max(max);

export const CreatePlanInput = z
  .object({
    kind: PlanKind,
    regionId: Id.nullable().default(null),
    sectorId: Id.nullable().default(null),
    title: Text(200).min(1),
    summary: Text(4000).default(""),
  })
  .refine((p) => (p.kind === "region" ? p.regionId !== null : p.sectorId !== null), {
    message: "A regional plan names its region; a sector strategy its sector.",
  });
export type CreatePlanInput = z.infer<typeof CreatePlanInput>;

export const UpdatePlanInput = z.object({
  title: Text(200).min(1).optional(),
  summary: Text(4000).optional(),
});
export type UpdatePlanInput = z.infer<typeof UpdatePlanInput>;

export const AddObjectiveInput = z.object({
  text: Text(1000).min(1),
  /** The constituencies (ballots) the objective is about. */
  ballotIds: z.array(Id).max(50).default([]),
});
export type AddObjectiveInput = z.infer<typeof AddObjectiveInput>;

const TaskFields = z.object({
  title: Text(300).min(1),
  ownerUserId: Id.nullable().default(null),
  dueOn: IsoDate.nullable().default(null),
});

export const AddTaskInput = TaskFields.extend({
  objectiveId: Id.nullable().default(null),
  ballotId: Id.nullable().default(null),
  status: TaskStatus.default("todo"),
});
export type AddTaskInput = z.infer<typeof AddTaskInput>;

export const UpdateTaskInput = z
  .object({
    status: TaskStatus.optional(),
    ownerUserId: Id.nullable().optional(),
    dueOn: IsoDate.nullable().optional(),
  })
  .refine((t) => Object.values(t).some((v) => v !== undefined), { message: "Name something to change." });
export type UpdateTaskInput = z.infer<typeof UpdateTaskInput>;

export const AddResourceInput = z.object({
  kind: ResourceKind,
  /** Officer days, reps or materials (items) as a count; budget in pounds. */
  quantity: z.number().min(0).max(100_000_000),
  note: Text(500).default(""),
});
export type AddResourceInput = z.infer<typeof AddResourceInput>;

export const AddMeetingInput = z.object({
  heldOn: IsoDate,
  title: Text(200).min(1),
  attendees: z.array(Text(120).min(1)).max(100).default([]),
  decisions: Text(8000).default(""),
  /** Actions agreed: each becomes a task of the plan. */
  actions: z.array(TaskFields).max(50).default([]),
});
export type AddMeetingInput = z.infer<typeof AddMeetingInput>;

const Person = z.object({ id: z.number(), name: z.string() });

export const TaskDto = z.object({
  id: z.number(),
  planId: z.number(),
  title: z.string(),
  objectiveId: z.number().nullable(),
  ballotId: z.number().nullable(),
  ballotName: z.string().nullable(),
  meetingId: z.number().nullable(),
  owner: Person.nullable(),
  dueOn: z.string().nullable(),
  status: TaskStatus,
  /** Not done and due before today (by the server's clock). */
  overdue: z.boolean(),
  updatedAt: z.string(),
});
export type TaskDto = z.infer<typeof TaskDto>;

export const ObjectiveDto = z.object({
  id: z.number(),
  text: z.string(),
  constituencies: z.array(z.object({ ballotId: z.number(), name: z.string() })),
});
export type ObjectiveDto = z.infer<typeof ObjectiveDto>;

export const ResourceDto = z.object({
  id: z.number(),
  kind: ResourceKind,
  quantity: z.number(),
  note: z.string(),
  createdAt: z.string(),
});
export type ResourceDto = z.infer<typeof ResourceDto>;

export const MeetingDto = z.object({
  id: z.number(),
  heldOn: z.string(),
  title: z.string(),
  attendees: z.array(z.string()),
  decisions: z.string(),
  taskIds: z.array(z.number()),
});
export type MeetingDto = z.infer<typeof MeetingDto>;

const TaskCounts = z.object({ open: z.number(), overdue: z.number(), done: z.number() });

export const PlanSummaryDto = z.object({
  id: z.number(),
  kind: PlanKind,
  regionId: z.number().nullable(),
  sectorId: z.number().nullable(),
  /** The region's or sector's name. */
  scopeName: z.string(),
  title: z.string(),
  objectives: z.number(),
  tasks: TaskCounts,
  updatedAt: z.string(),
});
export type PlanSummaryDto = z.infer<typeof PlanSummaryDto>;

export const PlanDto = PlanSummaryDto.extend({
  summary: z.string(),
  objectiveList: z.array(ObjectiveDto),
  taskList: z.array(TaskDto),
  resources: z.array(ResourceDto),
  resourceTotals: z.object({
    officer_days: z.number(),
    reps: z.number(),
    materials: z.number(),
    budget: z.number(),
  }),
  meetings: z.array(MeetingDto),
  /** The reader may write the plan (else, at most, the status of tasks given to them). */
  canWrite: z.boolean(),
});
export type PlanDto = z.infer<typeof PlanDto>;

export const PlanListDto = z.object({
  asAt: z.string(),
  plans: z.array(PlanSummaryDto),
  /** Open tasks given to the reader, across the plans they see. */
  myTasks: z.array(TaskDto),
});
export type PlanListDto = z.infer<typeof PlanListDto>;

export const PlanListQuery = z.object({
  overdue: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});

/** A constituency of a live ballot, as the turnout drive sees it today, for tying objectives to. */
export const ConstituencyDto = z.object({
  ballotId: z.number(),
  name: z.string(),
  disputeId: z.number(),
  disputeTitle: z.string(),
  status: z.enum(["safe", "on_track", "at_risk", "lost"]),
  turnout: z.number(),
  turnoutThreshold: z.number().nullable(),
  forecast: z.number().nullable(),
  votesNeeded50: z.number().nullable(),
  /** At risk, or on track within 5 points of the threshold: where a plan should act. */
  matters: z.boolean(),
  /** An open task of a plan is about it (directly or through an objective). */
  covered: z.boolean(),
});
export type ConstituencyDto = z.infer<typeof ConstituencyDto>;

export const RollupDto = z.object({
  asAt: z.string(),
  plans: z.array(PlanSummaryDto),
  overdueTasks: z.array(
    TaskDto.extend({ planTitle: z.string(), scopeName: z.string(), daysOverdue: z.number() }),
  ),
  /** Constituencies that matter (at risk or near the line) with no open task about them. */
  uncovered: z.array(ConstituencyDto),
  regionsWithoutPlan: z.array(z.object({ id: z.number(), name: z.string() })),
  sectorsWithoutStrategy: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type RollupDto = z.infer<typeof RollupDto>;

/** Who a task may be given to: the union's officers and reps. */
export const PeopleDto = z.array(z.object({ id: z.number(), name: z.string(), role: z.string() }));
export type PeopleDto = z.infer<typeof PeopleDto>;

/** The places a new plan may be for: the regions and sectors the reader may write plans of. */
export const PlanPlacesDto = z.object({
  regions: z.array(z.object({ id: z.number(), name: z.string(), planId: z.number().nullable() })),
  sectors: z.array(z.object({ id: z.number(), name: z.string(), planId: z.number().nullable() })),
});
export type PlanPlacesDto = z.infer<typeof PlanPlacesDto>;
