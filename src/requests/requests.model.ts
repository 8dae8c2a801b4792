import { z } from "zod";
import { IsoDate } from "../shared/fields.js";
import { SERVICE_LEVEL_UNITS, URGENCIES } from "./service-level.js";

export const Urgency = z.enum(URGENCIES);
export const REQUEST_STATUSES = ["new", "triaged", "answered", "resolved"] as const;
export const RequestStatus = z.enum(REQUEST_STATUSES);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** Answers kept per request, and departments per union: both read whole. */
export const MAX_ANSWERS = 200;
export const MAX_DEPARTMENTS = 100;

const Id = z.number().int().positive().max(2_147_483_647);
const Text = (max: number) => z.string().trim().max(max);

export const DepartmentDto = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  members: z.array(z.object({ id: z.number(), name: z.string() })),
  /** The reader is one of its members. */
  mine: z.boolean(),
});
export type DepartmentDto = z.infer<typeof DepartmentDto>;

export const CreateDepartmentInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use lower-case letters, digits, - or _ (at most 40)."),
  name: Text(120).min(1),
});
export type CreateDepartmentInput = z.infer<typeof CreateDepartmentInput>;

export const SetMembersInput = z.object({ userIds: z.array(Id).max(200) });
export type SetMembersInput = z.infer<typeof SetMembersInput>;

export const ServiceLevelDto = z.object({
  urgency: Urgency,
  amount: z.number(),
  unit: z.enum(SERVICE_LEVEL_UNITS),
  /** The union's own level, or the default. */
  configured: z.boolean(),
});
export type ServiceLevelDto = z.infer<typeof ServiceLevelDto>;

export const SetServiceLevelsInput = z.object({
  levels: z
    .array(
      z.object({
        urgency: Urgency,
        amount: z.number().int().min(1).max(1000),
        unit: z.enum(SERVICE_LEVEL_UNITS),
      }),
    )
    .min(1)
    .max(4),
});
export type SetServiceLevelsInput = z.infer<typeof SetServiceLevelsInput>;

export const RaiseRequestInput = z.object({
  departmentId: Id,
  title: Text(200).min(1),
  body: Text(8000).min(1),
  urgency: Urgency,
  /** The region or sector it is raised for; by default the raiser's own (when they have one only). */
  regionId: Id.nullable().default(null),
  sectorId: Id.nullable().default(null),
});
export type RaiseRequestInput = z.infer<typeof RaiseRequestInput>;

export const TriageInput = z
  .object({
    urgency: Urgency.optional(),
    ownerUserId: Id.nullable().optional(),
  })
  .refine((t) => t.urgency !== undefined || t.ownerUserId !== undefined, {
    message: "Name something to change.",
  });
export type TriageInput = z.infer<typeof TriageInput>;

export const AnswerInput = z.object({
  body: Text(8000).min(1),
  /** The answer settles the request. */
  resolve: z.boolean().default(false),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

export const RequestDto = z.object({
  id: z.number(),
  department: z.object({ id: z.number(), name: z.string() }),
  region: z.object({ id: z.number(), name: z.string() }).nullable(),
  sector: z.object({ id: z.number(), name: z.string() }).nullable(),
  raisedBy: z.object({ id: z.number(), name: z.string() }).nullable(),
  title: z.string(),
  body: z.string(),
  urgency: Urgency,
  status: RequestStatus,
  owner: z.object({ id: z.number(), name: z.string() }).nullable(),
  raisedAt: z.string(),
  dueAt: z.string(),
  firstAnsweredAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  /** Against the service level for its urgency: waiting (not yet due), met, or missed. */
  serviceLevel: z.enum(["waiting", "met", "missed"]),
  /** The reader may triage and answer it (a member of its department, or a national officer). */
  canAnswer: z.boolean(),
  answers: z.array(
    z.object({ id: z.number(), author: z.string().nullable(), body: z.string(), createdAt: z.string() }),
  ),
});
export type RequestDto = z.infer<typeof RequestDto>;

export const RequestSummaryDto = RequestDto.omit({ body: true, answers: true });
export type RequestSummaryDto = z.infer<typeof RequestSummaryDto>;

export const RequestListQuery = z.object({
  open: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
  departmentId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  /** Only those missed and escalated to the disputes unit. */
  escalated: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});
export type RequestListQuery = z.infer<typeof RequestListQuery>;

export const RequestListDto = z.object({
  asAt: z.string(),
  requests: z.array(RequestSummaryDto),
  /** There were more than the list holds (newest first). */
  truncated: z.boolean(),
});
export type RequestListDto = z.infer<typeof RequestListDto>;

const Stat = z.object({ median: z.number().nullable(), p90: z.number().nullable(), count: z.number() });

export const RequestsReportQuery = z.object({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

export const RequestsReportDto = z.object({
  from: z.string(),
  to: z.string(),
  departments: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      raised: z.number(),
      open: z.number(),
      /** Hours from raising to the first answer, over those answered. */
      firstAnswerHours: Stat,
      /** Hours from raising to resolution, over those resolved. */
      resolutionHours: Stat,
      serviceLevelMissed: z.number(),
    }),
  ),
});
export type RequestsReportDto = z.infer<typeof RequestsReportDto>;
