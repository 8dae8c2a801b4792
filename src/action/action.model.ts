/** What the action API takes and gives (zod), shared with the web client. */
import { z } from "zod";
import { LawDate as Day } from "../law/index.js";

export const ActionKindSchema = z.enum(["strike", "action_short_of_strike"]);

export const PlanDayInput = z
  .object({
    day: Day,
    kind: ActionKindSchema,
    types: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
    note: z.string().max(1000).default(""),
  })
  .strict();
export type PlanDayInput = z.infer<typeof PlanDayInput>;

export const CalendarQuery = z.object({ from: Day.optional(), to: Day.optional() });

export const ReasonDto = z.object({ code: z.string(), message: z.string(), citation: z.string() });

export const PlaceDto = z.object({
  ballotId: z.number(),
  ballotName: z.string(),
  employerId: z.number(),
  employerName: z.string(),
  workplaceId: z.number().nullable(),
  workplaceName: z.string().nullable(),
  regionId: z.number().nullable(),
  jurisdiction: z.enum(["gb", "ni"]),
  lawful: z.boolean(),
  reasons: z.array(ReasonDto),
  noticeId: z.number().nullable(),
  mandateLastDay: z.string().nullable(),
});
export type PlaceDto = z.infer<typeof PlaceDto>;

export const ActionDayDto = z.object({
  id: z.number(),
  day: z.string(),
  kind: ActionKindSchema,
  types: z.array(z.string()),
  note: z.string(),
  lawfulPlaces: z.number(),
  places: z.array(PlaceDto),
});
export type ActionDayDto = z.infer<typeof ActionDayDto>;

export const CalendarDto = z.object({
  dispute: z.object({ id: z.number(), title: z.string() }),
  days: z.array(ActionDayDto),
});
export type CalendarDto = z.infer<typeof CalendarDto>;

// ---------------------------------------------------------------------------
// Strike pay and hardship

const Pence = z.number().int().min(0).max(100_000_000);

export const PayRulesInput = z
  .object({
    ratePence: Pence,
    unpaidDays: z.number().int().min(0).max(365).default(0),
    maxPaidDays: z.number().int().min(0).max(365).nullable().default(null),
    maxPencePerMember: Pence.nullable().default(null),
    hardshipMaxPence: Pence.default(0),
    hardshipCriteria: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  })
  .strict();
export type PayRulesInput = z.infer<typeof PayRulesInput>;
export const PayRulesDto = PayRulesInput.required();

/** Evidence: a note, or a small file (PDF, JPEG or PNG) sent as base64. */
export const EvidenceInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]),
    base64: z.string().max(2_800_000),
  })
  .strict();

export const ClaimInput = z
  .object({
    memberId: z.number().int().positive().max(2_147_483_647),
    kind: z.enum(["strike_pay", "hardship"]),
    days: z.array(Day).max(366).default([]),
    requestedPence: Pence.nullable().default(null),
    evidenceNote: z.string().max(2000).default(""),
    evidence: EvidenceInput.nullable().default(null),
    /** An imported file's reference for the claim: importing the same file again changes nothing. */
    reference: z.string().trim().min(1).max(100).nullable().default(null),
  })
  .strict();
export type ClaimInput = z.infer<typeof ClaimInput>;

/** A member's own claim through their strike pay link: for themselves only, never imported. */
export const OwnClaimInput = ClaimInput.omit({ memberId: true, reference: true });
export type OwnClaimInput = z.infer<typeof OwnClaimInput>;

/** What a member sees of their strike pay through their link: the dispute's days and their own claims. */
export const MemberStrikePayDto = z.object({
  disputeId: z.number(),
  dispute: z.string(),
  rules: z
    .object({
      ratePence: z.number(),
      unpaidDays: z.number(),
      maxPaidDays: z.number().nullable(),
      hardshipMaxPence: z.number().nullable(),
      hardshipCriteria: z.array(z.string()),
    })
    .nullable(),
  /** The dispute's strike days so far, each with the state of the member's claim holding it, if any. */
  days: z.array(z.object({ day: z.string(), claim: z.enum(["submitted", "approved", "paid"]).nullable() })),
  claims: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(["strike_pay", "hardship"]),
      state: z.enum(["submitted", "approved", "rejected", "paid"]),
      days: z.array(z.string()),
      requestedPence: z.number().nullable(),
      amountPence: z.number().nullable(),
      submittedAt: z.string(),
    }),
  ),
});
export type MemberStrikePayDto = z.infer<typeof MemberStrikePayDto>;

export const DecisionInput = z
  .object({
    decision: z.enum(["approve", "reject"]),
    criteriaMet: z.array(z.string().max(200)).max(20).default([]),
    note: z.string().max(1000).default(""),
  })
  .strict();
export type DecisionInput = z.infer<typeof DecisionInput>;

export const ClaimDto = z.object({
  id: z.number(),
  disputeId: z.number(),
  memberId: z.number(),
  memberName: z.string(),
  membershipNumber: z.string(),
  workplaceName: z.string().nullable(),
  kind: z.enum(["strike_pay", "hardship"]),
  state: z.enum(["submitted", "approved", "rejected", "paid"]),
  days: z.array(z.string()),
  requestedPence: z.number().nullable(),
  amountPence: z.number().nullable(),
  criteriaMet: z.array(z.string()),
  evidenceNote: z.string(),
  hasEvidence: z.boolean(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** Whether the claim was new (false: the same reference was imported before, nothing changed). */
  created: z.boolean().optional(),
});
export type ClaimDto = z.infer<typeof ClaimDto>;

export const ClaimsQuery = z.object({
  state: z.enum(["submitted", "approved", "rejected", "paid"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ExportQuery = z.object({ from: Day, to: Day });

// ---------------------------------------------------------------------------
// Numbers out on the day

export const ReportInput = z
  .object({
    day: Day,
    workplaceId: z.number().int().positive().max(2_147_483_647),
    outCount: z.number().int().min(0).max(1_000_000),
    atWorkCount: z.number().int().min(0).max(1_000_000).nullable().default(null),
    exemptCount: z.number().int().min(0).max(1_000_000).nullable().default(null),
    picketUp: z.boolean().default(false),
  })
  .strict();
export type ReportInput = z.infer<typeof ReportInput>;

export const WorkplaceDayDto = z.object({
  workplaceId: z.number(),
  workplaceName: z.string(),
  regionId: z.number().nullable(),
  outCount: z.number(),
  atWorkCount: z.number().nullable(),
  exemptCount: z.number().nullable(),
  picketUp: z.boolean(),
  reportedAt: z.string(),
  reports: z.number(),
});
export type WorkplaceDayDto = z.infer<typeof WorkplaceDayDto>;

export const MembersOnTheDayDto = z.object({
  day: z.string(),
  workplaces: z.array(
    z.object({
      workplaceId: z.number(),
      workplaceName: z.string(),
      regionId: z.number().nullable(),
      members: z.number(),
      opposedInPrinciple: z.number(),
      out: z.number().nullable(),
      atWork: z.number().nullable(),
      exemptForCover: z.number().nullable(),
      picketUp: z.boolean(),
      reportedAt: z.string().nullable(),
    }),
  ),
});
export type MembersOnTheDayDto = z.infer<typeof MembersOnTheDayDto>;
