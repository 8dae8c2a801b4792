import { z } from "zod";

/** What a member may say about their vote. Never how they voted: a statutory ballot is secret. */
export const SELF_REPORT_KINDS = [
  "voted",
  "will_vote",
  "wont_vote",
  "needs_replacement",
  "wrong_address",
] as const;
export const SelfReportKind = z.enum(SELF_REPORT_KINDS);
export type SelfReportKind = z.infer<typeof SelfReportKind>;
export const SELF_REPORT_SOURCES = ["rep_conversation", "member_link"] as const;
export const SelfReportSource = z.enum(SELF_REPORT_SOURCES);

const Id = z.number().int().positive().max(2_147_483_647);

export const RecordSelfReportInput = z.object({
  memberId: Id,
  kind: SelfReportKind,
  source: SelfReportSource.default("rep_conversation"),
});
export type RecordSelfReportInput = z.infer<typeof RecordSelfReportInput>;

export const SelfReportDto = z.object({
  id: z.number(),
  ballotId: z.number(),
  memberId: z.number(),
  kind: SelfReportKind,
  source: SelfReportSource,
  recordedAt: z.string(),
});
export type SelfReportDto = z.infer<typeof SelfReportDto>;

/** The CSV text of a returns file; the body limit (1 MB) caps it first. */
export const ImportReturnsInput = z.object({
  fileName: z.string().trim().min(1).max(200).default("returns.csv"),
  csv: z.string().min(1).max(1_000_000),
});
export type ImportReturnsInput = z.infer<typeof ImportReturnsInput>;

export const ImportReturnsDto = z.object({
  disputeId: z.number(),
  rows: z.number(),
  constituencies: z.number(),
});
export type ImportReturnsDto = z.infer<typeof ImportReturnsDto>;

/** The scrutineer's per-member feed of papers returned (CSV text); MAX_VOTED_BYTES caps it. */
export const ImportVotedInput = z.object({
  fileName: z.string().trim().min(1).max(200).default("voted.csv"),
  csv: z
    .string()
    .min(1)
    .max(16 * 1024 * 1024),
});
export type ImportVotedInput = z.infer<typeof ImportVotedInput>;

export const ImportVotedDto = z.object({
  disputeId: z.number(),
  /** Rows of the file naming a member. */
  rows: z.number(),
  /** Members named (a member named twice, by an original and a replacement paper, is one). */
  members: z.number(),
  /** Reports of having voted written now. */
  recorded: z.number(),
  /** Members already reported voted (by the scrutineer's earlier feed, or whose latest report says so). */
  alreadyReported: z.number(),
  constituencies: z.number(),
});
export type ImportVotedDto = z.infer<typeof ImportVotedDto>;

/** Where a forecast's prior came from. */
export const PRIOR_SOURCES = ["indicative", "readiness"] as const;
export type PriorSource = (typeof PRIOR_SOURCES)[number];

const Status = z.enum(["safe", "on_track", "at_risk", "lost"]);
const ForecastDto = z
  .object({
    turnout: z.number(),
    low: z.number(),
    high: z.number(),
    basis: z.enum(["returns", "prior", "returns_and_prior", "final"]),
  })
  .nullable();
const ReportCounts = z.object({
  voted: z.number(),
  will_vote: z.number(),
  wont_vote: z.number(),
  needs_replacement: z.number(),
  wrong_address: z.number(),
});

export const ConstituencyTurnoutDto = z.object({
  ballotId: z.number(),
  name: z.string(),
  regime: z.string(),
  entitled: z.number(),
  returned: z.number(),
  asOf: z.string().nullable(),
  turnout: z.number(),
  turnoutThreshold: z.number().nullable(),
  votesNeeded50: z.number().nullable(),
  yesNeeded40: z.number().nullable(),
  daysLeft: z.number(),
  requiredDailyRate: z.number().nullable(),
  currentDailyRate: z.number().nullable(),
  reachable: z.number(),
  winnability: z.number(),
  rank: z.number(),
  forecast: ForecastDto,
  /**
   * Where the forecast's prior came from: the constituency's turnout in a closed indicative ballot, less
   * the usual fall; else the turnout its readiness implies (a wider band); null when neither gives one.
   */
  priorSource: z.enum(PRIOR_SOURCES).nullable(),
  status: Status,
  /** Members' latest own reports, counted by kind. */
  reports: ReportCounts,
});
export type ConstituencyTurnoutDto = z.infer<typeof ConstituencyTurnoutDto>;

const RollupDto = z.object({
  id: z.number(),
  name: z.string(),
  constituencies: z.number(),
  entitled: z.number(),
  returned: z.number(),
  turnout: z.number(),
  votesNeeded50: z.number(),
  byStatus: z.object({ safe: z.number(), on_track: z.number(), at_risk: z.number(), lost: z.number() }),
});

export const TurnoutStatusDto = z.object({
  ballot: z.object({ id: z.number(), name: z.string() }),
  dispute: z.object({ id: z.number(), title: z.string() }),
  /** Today, as the figures stand. */
  asAt: z.string(),
  /** Every constituency of the dispute the reader reaches, ranked (1 = where effort counts most). */
  constituencies: z.array(ConstituencyTurnoutDto),
  /** Constituencies whose electorate is not frozen yet: no entitled number, so no turnout. */
  notFrozen: z.array(z.object({ ballotId: z.number(), name: z.string() })),
  /** By employer and workplace (not for observers, who see aggregates only), region and sector. */
  rollups: z.object({
    employers: z.array(RollupDto),
    workplaces: z.array(RollupDto),
    regions: z.array(RollupDto),
    sectors: z.array(RollupDto),
  }),
});
export type TurnoutStatusDto = z.infer<typeof TurnoutStatusDto>;
