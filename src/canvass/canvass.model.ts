import { z } from "zod";
import { PageQuery, pageSchema } from "../shared/paging.js";
import { SelfReportKind } from "../turnout/index.js";

/** How a rep reached (or tried to reach) a member: the OSDI canvass's contact_type values, in lower case. */
export const CONTACT_TYPES = ["conversation", "phone", "text", "email"] as const;
export const ContactType = z.enum(CONTACT_TYPES);
export type ContactType = z.infer<typeof ContactType>;

/** What came of it. Only "reached" may carry the member's own report. */
export const OUTCOMES = ["reached", "not_in", "wrong_number", "refused", "moved"] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** Why a member is where they are on a list, most urgent first (decisions/0023). */
export const PRIORITIES = ["never_contacted", "pledged", "new_member", "replacement", "other"] as const;
export type Priority = (typeof PRIORITIES)[number];

const Id = z.number().int().positive().max(2_147_483_647);
const IdQuery = z.coerce.number().int().positive().max(2_147_483_647);

export const ListQuery = PageQuery.extend({
  workplaceId: IdQuery.optional(),
  assignmentId: IdQuery.optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const ListRowDto = z.object({
  memberId: z.number(),
  name: z.string(),
  workplaceId: z.number().nullable(),
  workplace: z.string().nullable(),
  /** Mobile and email; null where none is held. */
  phone: z.string().nullable(),
  email: z.string().nullable(),
  textConsent: z.boolean(),
  emailConsent: z.boolean(),
  priority: z.enum(PRIORITIES),
  /** The member's latest own report, if any (never "voted": those are off the list). */
  report: SelfReportKind.nullable(),
  lastContact: z.object({ at: z.string(), contactType: ContactType, outcome: Outcome }).nullable(),
});
export type ListRowDto = z.infer<typeof ListRowDto>;

export const ListPageDto = pageSchema(ListRowDto).extend({
  ballot: z.object({ id: z.number(), name: z.string() }),
});
export type ListPageDto = z.infer<typeof ListPageDto>;

export const LogContactInput = z
  .object({
    memberId: Id,
    contactType: ContactType,
    outcome: Outcome,
    /** What the member said about their vote, when reached (goes through turnout's own-report path). */
    report: SelfReportKind.optional(),
  })
  .refine((v) => v.report === undefined || v.outcome === "reached", {
    message: "A member's report is recorded only when the member was reached.",
    path: ["report"],
  });
export type LogContactInput = z.infer<typeof LogContactInput>;

export const ContactDto = z.object({
  id: z.number(),
  ballotId: z.number(),
  memberId: z.number(),
  contactType: ContactType,
  outcome: Outcome,
  report: SelfReportKind.nullable(),
  occurredAt: z.string(),
});
export type ContactDto = z.infer<typeof ContactDto>;

export const CreateAssignmentInput = z
  .object({
    repUserId: Id,
    workplaceId: Id.optional(),
    memberIds: z.array(Id).min(1).max(5000).optional(),
  })
  .refine((v) => (v.workplaceId === undefined) !== (v.memberIds === undefined), {
    message: "An assignment is a workplace's list or a set of members, one of the two.",
    path: ["workplaceId"],
  });
export type CreateAssignmentInput = z.infer<typeof CreateAssignmentInput>;

export const AssignmentDto = z.object({
  id: z.number(),
  ballotId: z.number(),
  ballotName: z.string(),
  rep: z.object({ id: z.number(), name: z.string() }),
  workplace: z.object({ id: z.number(), name: z.string() }).nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  progress: z.object({
    /** Members on the list (the frozen electorate's, in the assignment). */
    members: z.number(),
    contacted: z.number(),
    reached: z.number(),
    reportedVoted: z.number(),
  }),
});
export type AssignmentDto = z.infer<typeof AssignmentDto>;

export const AssignmentsDto = z.object({
  assignments: z.array(AssignmentDto),
  /** Reps the reader may assign lists to, with their workplaces. */
  reps: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      workplaces: z.array(z.object({ id: z.number(), name: z.string() })),
    }),
  ),
});
export type AssignmentsDto = z.infer<typeof AssignmentsDto>;

export const PositionInput = z.object({ opposedInPrinciple: z.boolean() });
export type PositionInput = z.infer<typeof PositionInput>;

export const PositionDto = z.object({
  memberId: z.number(),
  opposedInPrinciple: z.boolean(),
  history: z.array(z.object({ opposedInPrinciple: z.boolean(), recordedAt: z.string() })),
});
export type PositionDto = z.infer<typeof PositionDto>;

export const CallSheetQuery = z.object({ workplaceId: IdQuery.optional(), assignmentId: IdQuery.optional() });
