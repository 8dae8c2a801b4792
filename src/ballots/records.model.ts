/**
 * The shapes of a ballot's records after its electorate is fixed: notices of
 * industrial action with their figures as at their giving and their
 * suspensions, the scrutineer's report and copy requests, replacement papers
 * and late joiners, mandate extensions and employer correspondence.
 */
import { z } from "zod";
import { DeadlineDto } from "../law/index.js";
import { IsoDate } from "../shared/fields.js";

const Id = z.number().int().positive().max(2_147_483_647);
const Text = (max: number) => z.string().trim().max(max);

export const NoticeParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  noticeId: z.coerce.number().int().positive().max(2_147_483_647),
});
export const RecordParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  recordId: z.coerce.number().int().positive().max(2_147_483_647),
});

// ---------------------------------------------------------------------------
// Notices of industrial action

export const EmployerDifferenceDto = z.object({
  employerId: z.number(),
  employerName: z.string(),
  balloted: z.number(),
  affected: z.number(),
  movedIn: z.number(),
  movedAway: z.number(),
  left: z.number(),
  lapsed: z.number(),
  deceased: z.number(),
  movedOut: z.number(),
  leavingBeforeAction: z.number(),
  joinedSince: z.number(),
  notBalloted: z.number(),
  /** Whether this employer is given the notice (it has affected employees and was chosen). */
  noticeGiven: z.boolean(),
});
export type EmployerDifferenceDto = z.infer<typeof EmployerDifferenceDto>;

export const AffectedFiguresDto = z.object({
  givenOn: z.string(),
  firstDay: z.string(),
  electorateAsAt: z.string().nullable(),
  totals: z.object({ balloted: z.number(), affected: z.number(), joinedSince: z.number() }),
  /** Empty for readers who see totals only. */
  employers: z.array(EmployerDifferenceDto),
  rule: z.string(),
  citation: z.string(),
});
export type AffectedFiguresDto = z.infer<typeof AffectedFiguresDto>;

export const PreviewQuery = z.object({ givenOn: IsoDate, firstDay: IsoDate });

export const SuspensionDto = z.object({
  id: z.number(),
  agreedOn: z.string(),
  suspendedFrom: z.string(),
  resumeFrom: z.string(),
  evidence: z.string(),
  resumedOn: z.string().nullable(),
  resumptionEvidence: z.string(),
});

export const ActionNoticeRecordDto = z.object({
  id: z.number(),
  givenOn: z.string(),
  continuous: z.boolean(),
  startDate: z.string().nullable(),
  dates: z.array(z.string()),
  kinds: z.array(z.string()),
  shorterNoticeAgreed: z.boolean(),
  /** active, suspended (by agreement) or resumed. */
  status: z.enum(["active", "suspended", "resumed"]),
  figures: AffectedFiguresDto,
  documentIds: z.array(z.number()),
  suspensions: z.array(SuspensionDto),
  legalReview: z.array(z.string()),
});
export type ActionNoticeRecordDto = z.infer<typeof ActionNoticeRecordDto>;

export const SuspensionInput = z.object({
  agreedOn: IsoDate,
  suspendedFrom: IsoDate,
  resumeFrom: IsoDate,
  evidence: Text(2000).min(1),
});
export type SuspensionInput = z.infer<typeof SuspensionInput>;

export const ResumptionInput = z.object({
  resumedOn: IsoDate,
  evidence: Text(2000).default(""),
});
export type ResumptionInput = z.infer<typeof ResumptionInput>;

// ---------------------------------------------------------------------------
// The scrutineer's report (s.231B)

export const ScrutineerReportInput = z
  .object({
    receivedOn: IsoDate,
    noContravention: z.boolean(),
    securityArrangements: z.boolean(),
    noInterference: z.boolean(),
    particulars: Text(4000).default(""),
  })
  .refine(
    (v) =>
      (v.noContravention && v.securityArrangements && v.noInterference) || v.particulars.trim().length > 0,
    { message: "A qualified report needs the particulars the scrutineer gave." },
  );
export type ScrutineerReportInput = z.infer<typeof ScrutineerReportInput>;

export const ReportReviewInput = z.object({ reviewedOn: IsoDate, note: Text(4000).min(1) });
export type ReportReviewInput = z.infer<typeof ReportReviewInput>;

export const CopyRequestInput = z.object({
  requestedOn: IsoDate,
  requesterType: z.enum(["member", "employer"]),
  /** A membership number, or the employer (by id) with its reference: no names or addresses. */
  reference: Text(100).default(""),
  employerId: Id.nullable().default(null),
});
export type CopyRequestInput = z.infer<typeof CopyRequestInput>;

export const SuppliedInput = z.object({ suppliedOn: IsoDate });

export const CopyRequestDto = z.object({
  id: z.number(),
  requestedOn: z.string(),
  requesterType: z.string(),
  reference: z.string(),
  employerId: z.number().nullable(),
  suppliedOn: z.string().nullable(),
  withinPeriod: z.boolean(),
  outstanding: z.boolean(),
});

export const ScrutineerReportDto = z.object({
  ballotId: z.number(),
  report: z
    .object({
      receivedOn: z.string(),
      noContravention: z.boolean(),
      securityArrangements: z.boolean(),
      noInterference: z.boolean(),
      particulars: z.string(),
      qualified: z.boolean(),
      reviewedOn: z.string().nullable(),
      reviewNote: z.string(),
      /** A qualified report not yet reviewed: no notice of industrial action until it is. */
      blocksAction: z.boolean(),
    })
    .nullable(),
  /** The last day a member or employer may ask for a copy (6 months from the date of the ballot). */
  copiesDueUntil: z.string(),
  requests: z.array(CopyRequestDto),
  warnings: z.array(z.string()),
  citation: z.string(),
  unconfirmed: z.string(),
});
export type ScrutineerReportDto = z.infer<typeof ScrutineerReportDto>;

// ---------------------------------------------------------------------------
// Replacement papers and late joiners (ss.227, 230)

export const PaperChangeInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("replacement"),
    recordedOn: IsoDate,
    replacesPaper: z.number().int().positive().max(2_147_483_647),
    reason: Text(1000).min(1),
  }),
  z.object({
    kind: z.literal("late_joiner"),
    recordedOn: IsoDate,
    memberId: Id,
    entitled: z.boolean(),
    reason: Text(1000).min(1),
  }),
]);
export type PaperChangeInput = z.infer<typeof PaperChangeInput>;

export const PaperChangeDto = z.object({
  id: z.number(),
  kind: z.enum(["replacement", "late_joiner", "late_joiner_not_entitled"]),
  recordedOn: z.string(),
  paperNumber: z.number().nullable(),
  replacesPaper: z.number().nullable(),
  employerId: z.number().nullable(),
  employerName: z.string().nullable(),
  reason: z.string(),
});

export const PaperChangesDto = z.object({
  ballotId: z.number(),
  changes: z.array(PaperChangeDto),
  /** Per employer: what the notice of ballot said, what the electorate is now. */
  noticeFigures: z.array(
    z.object({
      employerId: z.number(),
      employerName: z.string(),
      noticeGivenOn: z.string().nullable(),
      noticeSaid: z.number(),
      electorateNow: z.number(),
      correctedNoticeMayBeNeeded: z.boolean(),
    }),
  ),
  warnings: z.array(z.string()),
});
export type PaperChangesDto = z.infer<typeof PaperChangesDto>;

// ---------------------------------------------------------------------------
// Mandate extensions (regime B)

export const ExtensionInput = z.object({
  employerId: Id,
  agreedOn: IsoDate,
  lastDay: IsoDate,
  evidence: Text(2000).min(1),
});
export type ExtensionInput = z.infer<typeof ExtensionInput>;

export const ExtensionsDto = z.object({
  ballotId: z.number(),
  mandateLastDay: z.string().nullable(),
  /** The latest an agreement may extend to; null when the regime allows no extension. */
  latestByAgreement: z.string().nullable(),
  extensions: z.array(
    z.object({
      id: z.number(),
      employerId: z.number(),
      employerName: z.string(),
      agreedOn: z.string(),
      lastDay: z.string(),
      evidence: z.string(),
    }),
  ),
  deadlines: z.array(DeadlineDto),
});
export type ExtensionsDto = z.infer<typeof ExtensionsDto>;

// ---------------------------------------------------------------------------
// Employer correspondence

export const CORRESPONDENCE_KINDS = [
  "objection",
  "information_request",
  "legal_threat",
  "reply",
  "other",
] as const;

export const CorrespondenceInput = z.object({
  employerId: Id,
  dated: IsoDate,
  direction: z.enum(["received", "sent"]),
  kind: z.enum(CORRESPONDENCE_KINDS),
  summary: Text(2000).min(1),
  documentReference: Text(300).default(""),
});
export type CorrespondenceInput = z.infer<typeof CorrespondenceInput>;

export const CorrespondenceQuery = z.object({
  employerId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});

export const CorrespondenceDto = z.object({
  id: z.number(),
  employerId: z.number(),
  employerName: z.string(),
  dated: z.string(),
  direction: z.string(),
  kind: z.string(),
  summary: z.string(),
  documentReference: z.string(),
});
export type CorrespondenceDto = z.infer<typeof CorrespondenceDto>;
