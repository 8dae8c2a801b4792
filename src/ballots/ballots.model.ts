import { z } from "zod";
import { DeadlineDto, EvaluationDto, QuestionKindSchema } from "../law/index.js";
import { IsoDate } from "../shared/fields.js";
import { pageSchema } from "../shared/paging.js";

const Id = z.number().int().positive().max(2_147_483_647);
const Text = (max: number) => z.string().trim().max(max);

export const BALLOT_STATES = [
  "draft",
  "frozen",
  "notices_issued",
  "open",
  "closed",
  "result_declared",
] as const;
export const BallotStateSchema = z.enum(BALLOT_STATES);
export type BallotState = z.infer<typeof BallotStateSchema>;

export const AGGREGATION_TESTS = ["common_dispute", "occupation", "employer"] as const;
export const AggregationTestSchema = z.enum(AGGREGATION_TESTS);
export const VotingMethodSchema = z.enum(["postal", "electronic", "hybrid", "workplace"]);

// ---------------------------------------------------------------------------
// Disputes

export const CreateDisputeInput = z.object({
  title: Text(200).min(1),
  mattersInIssue: Text(4000).default(""),
  coalition: Text(1000).default(""),
  employerIds: z.array(Id).min(1).max(10_000),
});
export type CreateDisputeInput = z.infer<typeof CreateDisputeInput>;

export const DisputeDto = z.object({
  id: z.number(),
  title: z.string(),
  mattersInIssue: z.string(),
  coalition: z.string(),
  employers: z.array(z.object({ id: z.number(), name: z.string() })),
  ballots: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      state: BallotStateSchema,
      openingDate: z.string(),
      closingDate: z.string(),
      entitled: z.number().nullable(),
    }),
  ),
  createdAt: z.string(),
});
export type DisputeDto = z.infer<typeof DisputeDto>;

// ---------------------------------------------------------------------------
// Ballots (constituencies)

export const ScopeEntry = z.object({ employerId: Id, workplaceId: Id.nullable().default(null) });

/** The set-up fields, none defaulted: an update changes only what it names. */
const BallotCore = z.object({
  name: Text(200).min(1),
  kind: z.enum(["workplace", "aggregated"]),
  aggregationTest: AggregationTestSchema.nullable(),
  aggregationReason: Text(2000),
  questions: z.array(QuestionKindSchema).min(1).max(2),
  actionShortTypes: z.array(Text(200).min(1)).max(20),
  expectedPeriods: Text(1000),
  votingMethod: VotingMethodSchema,
  openingDate: IsoDate,
  closingDate: IsoDate,
  plannedActionFrom: IsoDate.nullable(),
  /** Occupation test: only these job categories; null = every category. */
  jobCategories: z.array(Text(100).min(1)).max(200).nullable(),
  includeArrears: z.boolean(),
  partnerUnionIds: z.array(Id).max(50),
  scrutineerName: Text(200),
  scrutineerAddress: Text(500),
  returnAddress: Text(500),
  authorisedPerson: Text(200),
  ipsBelief: z.boolean(),
  ipsEvidence: Text(2000),
  walesDevolved: z.boolean(),
  checkOffRoute: z.boolean(),
  /** A re-ballot of members already taking action: the questions ask whether they will "continue to take part" (s.229(2)). */
  reballot: z.boolean(),
  scope: z.array(ScopeEntry).min(1).max(20_000),
});

/** A new ballot: what is not given takes the usual value (postal, no arrears, no partner union...). */
export const CreateBallotInput = BallotCore.extend({
  aggregationTest: BallotCore.shape.aggregationTest.default(null),
  aggregationReason: BallotCore.shape.aggregationReason.default(""),
  actionShortTypes: BallotCore.shape.actionShortTypes.default([]),
  expectedPeriods: BallotCore.shape.expectedPeriods.default(""),
  votingMethod: BallotCore.shape.votingMethod.default("postal"),
  plannedActionFrom: BallotCore.shape.plannedActionFrom.default(null),
  jobCategories: BallotCore.shape.jobCategories.default(null),
  includeArrears: BallotCore.shape.includeArrears.default(false),
  partnerUnionIds: BallotCore.shape.partnerUnionIds.default([]),
  scrutineerName: BallotCore.shape.scrutineerName.default(""),
  scrutineerAddress: BallotCore.shape.scrutineerAddress.default(""),
  returnAddress: BallotCore.shape.returnAddress.default(""),
  authorisedPerson: BallotCore.shape.authorisedPerson.default(""),
  ipsBelief: BallotCore.shape.ipsBelief.default(false),
  ipsEvidence: BallotCore.shape.ipsEvidence.default(""),
  walesDevolved: BallotCore.shape.walesDevolved.default(false),
  checkOffRoute: BallotCore.shape.checkOffRoute.default(false),
  reballot: BallotCore.shape.reballot.default(false),
});
export type CreateBallotInput = z.infer<typeof CreateBallotInput>;
export const UpdateBallotInput = BallotCore.partial();
export type UpdateBallotInput = z.infer<typeof UpdateBallotInput>;

export const BallotDto = z.object({
  id: z.number(),
  disputeId: z.number(),
  disputeTitle: z.string(),
  name: z.string(),
  kind: z.enum(["workplace", "aggregated"]),
  aggregationTest: AggregationTestSchema.nullable(),
  aggregationReason: z.string(),
  questions: z.array(QuestionKindSchema),
  actionShortTypes: z.array(z.string()),
  expectedPeriods: z.string(),
  votingMethod: VotingMethodSchema,
  openingDate: z.string(),
  closingDate: z.string(),
  plannedActionFrom: z.string().nullable(),
  jobCategories: z.array(z.string()).nullable(),
  includeArrears: z.boolean(),
  partnerUnionIds: z.array(z.number()),
  scrutineerName: z.string(),
  scrutineerAddress: z.string(),
  returnAddress: z.string(),
  authorisedPerson: z.string(),
  ipsBelief: z.boolean(),
  ipsEvidence: z.string(),
  walesDevolved: z.boolean(),
  checkOffRoute: z.boolean(),
  reballot: z.boolean(),
  dismissalStatementReviewed: z.string().nullable(),
  state: BallotStateSchema,
  /** What can be done in this state, each refused action with the reason (lifecycle.ts): the web app's buttons. */
  actions: z.array(z.object({ action: z.string(), allowed: z.boolean(), reason: z.string().optional() })),
  regime: z.enum(["A", "B", "C"]),
  scope: z.array(
    z.object({
      employerId: z.number(),
      employerName: z.string(),
      workplaceId: z.number().nullable(),
      workplaceName: z.string().nullable(),
    }),
  ),
  electorate: z
    .object({ hash: z.string(), entitled: z.number(), asAt: z.string(), frozenAt: z.string() })
    .nullable(),
  /** Rules this ballot relies on that still need legal review. */
  legalReview: z.array(z.object({ rule: z.string(), reason: z.string() })),
  timetable: z.object({ deadlines: z.array(DeadlineDto), warnings: z.array(z.string()) }),
});
export type BallotDto = z.infer<typeof BallotDto>;

// ---------------------------------------------------------------------------
// Electorate

export const ElectorateSummaryDto = z.object({
  hash: z.string(),
  asAt: z.string(),
  entitled: z.number(),
  excluded: z.number(),
  byReason: z.array(z.object({ reason: z.string(), included: z.boolean(), count: z.number() })),
  byEmployer: z.array(z.object({ employerId: z.number(), employerName: z.string(), entitled: z.number() })),
  /** Members in scope now who are not in the snapshot (joined or moved in since). */
  addedSince: z.number(),
});
export type ElectorateSummaryDto = z.infer<typeof ElectorateSummaryDto>;

export const ElectorateQuery = z.object({
  included: z.enum(["true", "false"]).optional(),
  employerId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ElectorateMemberDto = z.object({
  memberId: z.number(),
  membershipNumber: z.string(),
  name: z.string(),
  included: z.boolean(),
  reason: z.string(),
  employerId: z.number(),
  workplaceId: z.number().nullable(),
  jobCategory: z.string().nullable(),
  paperNumber: z.number().nullable(),
});
export const ElectoratePageDto = pageSchema(ElectorateMemberDto);

// ---------------------------------------------------------------------------
// Pre-flight

export const PreflightItemDto = z.object({
  memberId: z.number().nullable(),
  membershipNumber: z.string().nullable(),
  employerId: z.number().nullable(),
  workplaceId: z.number().nullable(),
  detail: z.string(),
});
export const PreflightCheckDto = z.object({
  code: z.string(),
  severity: z.enum(["block", "warn"]),
  title: z.string(),
  citation: z.string(),
  count: z.number(),
  items: z.array(PreflightItemDto),
});
export const PreflightDto = z.object({
  ballotId: z.number(),
  electorateHash: z.string().nullable(),
  blocking: z.boolean(),
  checks: z.array(PreflightCheckDto),
});
export type PreflightDto = z.infer<typeof PreflightDto>;

// ---------------------------------------------------------------------------
// Documents, receipts, results, action

export const DOCUMENT_KINDS = [
  "ballot_notice",
  "ballot_notice_annex",
  "sample_paper",
  "artwork_spec",
  "voter_file",
  "result_members",
  "result_employer",
  "action_notice",
  "action_notice_annex",
] as const;
export const DocumentKindSchema = z.enum(DOCUMENT_KINDS);

export const DocumentDto = z.object({
  id: z.number(),
  ballotId: z.number(),
  kind: DocumentKindSchema,
  employerId: z.number().nullable(),
  employerName: z.string().nullable(),
  filename: z.string(),
  contentType: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  electorateHash: z.string(),
  /** Produced before the legal sign-off: watermarked, for the union's staff, never to be sent. */
  draft: z.boolean(),
  createdAt: z.string(),
});
export type DocumentDto = z.infer<typeof DocumentDto>;

export const RECEIPT_KINDS = ["ballot_notice", "sample_paper", "result_employer", "action_notice"] as const;
export const RecordReceiptInput = z.object({
  employerId: Id,
  kind: z.enum(RECEIPT_KINDS),
  sentOn: IsoDate.nullable().default(null),
  receivedOn: IsoDate,
  method: Text(200).default(""),
  evidence: Text(2000).default(""),
});

export const EmployerTimetableDto = z.object({
  employerId: z.number(),
  employerName: z.string(),
  entitled: z.number(),
  receipts: z.array(
    z.object({
      kind: z.enum(RECEIPT_KINDS),
      dueBy: z.string().nullable(),
      receivedOn: z.string().nullable(),
      onTime: z.boolean().nullable(),
      method: z.string(),
      evidence: z.string(),
    }),
  ),
});
const NationSchema = z.enum(["england", "wales", "scotland", "northern_ireland"]);

export const TimetableDto = z.object({
  ballotId: z.number(),
  deadlines: z.array(DeadlineDto),
  /**
   * Per deadline: its weekday and the nations (of the employers shown) in
   * which it is not a working day. An annotation: the law counts calendar days.
   */
  days: z.array(
    z.object({
      deadlineId: z.string(),
      weekday: z.string(),
      nonWorking: z.array(z.object({ nation: NationSchema, reason: z.string() })),
    }),
  ),
  warnings: z.array(z.string()),
  employers: z.array(
    EmployerTimetableDto.extend({
      nation: NationSchema,
      /** Notices this employer must receive on a non-working day in its nation. */
      warnings: z.array(z.string()),
    }),
  ),
});

export const ReminderDto = z.object({
  ballotId: z.number(),
  ballotName: z.string(),
  date: z.string(),
  label: z.string(),
  status: z.enum(["overdue", "today", "upcoming"]),
  employerName: z.string().nullable(),
});

export const ResultInput = z.object({
  votesCast: z.number().int().min(0),
  questions: z
    .array(
      z.object({
        question: QuestionKindSchema,
        yes: z.number().int().min(0),
        no: z.number().int().min(0),
        spoilt: z.number().int().min(0).nullish(),
      }),
    )
    .min(1)
    .max(2),
  declaredOn: IsoDate,
});
export type ResultInput = z.infer<typeof ResultInput>;

export const ScrutineerResultInput = z.object({
  filename: Text(200).min(1),
  csv: z.string().max(100_000),
  declaredOn: IsoDate,
});

export const ResultDto = z.object({
  ballotId: z.number(),
  entitled: z.number(),
  votesCast: z.number(),
  declaredOn: z.string(),
  source: z.enum(["entered", "scrutineer_csv"]),
  evaluation: EvaluationDto,
});
export type ResultDto = z.infer<typeof ResultDto>;

export const ActionNoticeInput = z
  .object({
    continuous: z.boolean(),
    startDate: IsoDate.nullable().default(null),
    dates: z.array(IsoDate).max(366).default([]),
    kinds: z.array(QuestionKindSchema).min(1).max(2),
    givenOn: IsoDate,
    shorterNoticeAgreed: z.boolean().default(false),
    agreementEvidence: Text(2000).default(""),
    /** Give notice to these employers only (null: every employer with affected employees). */
    employerIds: z.array(Id).max(10_000).nullable().optional(),
  })
  .refine((v) => (v.continuous ? v.startDate !== null : v.dates.length > 0), {
    message: "Continuous action needs a start date; discontinuous action needs its dates.",
  });
export type ActionNoticeInput = z.infer<typeof ActionNoticeInput>;

export const StatementReviewInput = z.object({ text: Text(4000).min(20) });
