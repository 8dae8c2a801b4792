import { z } from "zod";
import { AGGREGATION_OPTIONS } from "../law/index.js";
import { READINESS_FLAGS } from "./readiness.js";

const Id = z.number().int().positive().max(2_147_483_647);
const Percent = z.number().min(0).max(100);

export const ConstituencyReadinessDto = z.object({
  ballotId: z.number(),
  name: z.string(),
  openingDate: z.string(),
  /** Frozen: counted over the frozen electorate; otherwise over the ballot's scope today. */
  frozen: z.boolean(),
  members: z.number(),
  postalShare: z.number(),
  digitalShare: z.number(),
  repShare: z.number(),
  contactedShare: z.number(),
  pledgedShare: z.number(),
  reps: z.number(),
  membersPerRep: z.number().nullable(),
  impliedTurnout: z.number(),
  impliedVotes: z.number(),
  turnoutThreshold: z.number().nullable(),
  margin: z.number().nullable(),
  flag: z.enum(READINESS_FLAGS),
});
export type ConstituencyReadinessDto = z.infer<typeof ConstituencyReadinessDto>;

export const ReadinessDto = z.object({
  ballot: z.object({ id: z.number(), name: z.string() }),
  dispute: z.object({ id: z.number(), title: z.string() }),
  asAt: z.string(),
  /** The model's weights (docs/architecture.md, "Turnout"). */
  model: z.object({
    base: z.number(),
    digital: z.number(),
    rep: z.number(),
    contacted: z.number(),
    pledged: z.number(),
    marginalPoints: z.number(),
  }),
  /** Flagged first (cannot reach, then marginal), then by name. */
  constituencies: z.array(ConstituencyReadinessDto),
});
export type ReadinessDto = z.infer<typeof ReadinessDto>;

export const AdviseInput = z.object({
  /** Expected Yes share of votes cast where no indicative ballot gives one. */
  yesShare: Percent.default(80),
  /** An indicative ballot's results per workplace, replacing readiness's implied turnout there. */
  indicative: z
    .array(z.object({ workplaceId: Id, turnout: Percent, yesShare: Percent }))
    .max(20_000)
    .default([]),
  /** Workplaces where no member is affected by the dispute (s.228A(2)); all others are taken to have one. */
  unaffectedWorkplaceIds: z.array(Id).max(20_000).default([]),
});
export type AdviseInput = z.infer<typeof AdviseInput>;

const AdvisedConstituencyDto = z.object({
  key: z.string(),
  name: z.string(),
  units: z.number(),
  entitled: z.number(),
  votes: z.number(),
  yes: z.number(),
  turnout: z.number(),
  yesShare: z.number(),
  votesNeeded: z.number(),
  yesNeeded40: z.number().nullable(),
  wins: z.boolean(),
  fails: z.array(z.enum(["turnout", "majority", "support_40"])),
  margin: z.number(),
});

export const AdviceDto = z.object({
  dispute: z.object({ id: z.number(), title: z.string() }),
  openingDate: z.string(),
  /** Units whose figures came from an indicative ballot, and from readiness. */
  sources: z.object({ indicative: z.number(), readiness: z.number() }),
  options: z.array(
    z.object({
      option: z.enum(AGGREGATION_OPTIONS),
      available: z.boolean(),
      unavailableReason: z.string().nullable(),
      constituencies: z.array(AdvisedConstituencyDto),
      won: z.number(),
      membersCovered: z.number(),
      entitled: z.number(),
      legalTests: z.array(
        z.object({ test: z.string(), citation: z.string(), unconfirmed: z.string().nullable() }),
      ),
    }),
  ),
  best: z.enum(AGGREGATION_OPTIONS).nullable(),
});
export type AdviceDto = z.infer<typeof AdviceDto>;

export const DASHBOARD_LEVELS = ["national", "region", "sector", "employer"] as const;
export const DashboardQuery = z.object({
  level: z.enum(DASHBOARD_LEVELS).default("national"),
  groupId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const StatusCounts = z.object({
  safe: z.number(),
  on_track: z.number(),
  at_risk: z.number(),
  lost: z.number(),
});
const DashboardConstituency = z.object({
  ballotId: z.number(),
  name: z.string(),
  entitled: z.number(),
  returned: z.number(),
  turnout: z.number(),
  turnoutThreshold: z.number().nullable(),
  votesNeeded50: z.number().nullable(),
  daysLeft: z.number(),
  forecast: z.number().nullable(),
  /** Where the forecast's prior came from (a closed indicative ballot, or readiness); null when none. */
  priorSource: z.enum(["indicative", "readiness"]).nullable(),
  status: z.enum(["safe", "on_track", "at_risk", "lost"]),
  rank: z.number(),
});

export const DashboardDto = z.object({
  ballot: z.object({ id: z.number(), name: z.string() }),
  dispute: z.object({ id: z.number(), title: z.string() }),
  level: z.enum(DASHBOARD_LEVELS),
  group: z.object({ id: z.number(), name: z.string() }).nullable(),
  asAt: z.string(),
  /** When the figures were computed (they may be up to DASHBOARD_MAX_AGE_SECONDS old). */
  computedAt: z.string(),
  summary: z.object({
    constituencies: z.number(),
    entitled: z.number(),
    returned: z.number(),
    turnout: z.number(),
    /** Papers still needed across the constituencies short of their threshold. */
    votesNeeded50: z.number(),
    byStatus: StatusCounts,
  }),
  /** Papers returned by day (each constituency's latest return carried forward), and the papers the thresholds need. */
  returnsOverTime: z.array(z.object({ date: z.string(), returned: z.number(), turnout: z.number() })),
  thresholdVotes: z.number(),
  /** The contact activity per day: contacts reps logged (any outcome), and members' own reports by kind. */
  activity: z.array(
    z.object({
      date: z.string(),
      contacts: z.number(),
      voted: z.number(),
      will_vote: z.number(),
      wont_vote: z.number(),
      needs_replacement: z.number(),
      wrong_address: z.number(),
    }),
  ),
  /** Ranked: where effort counts most first. Capped at 250; `summary` counts them all. */
  constituencies: z.array(DashboardConstituency),
  /** National view only: the groups the reader may open (none by employer for observers); empty in the others. */
  groups: z.object({
    regions: z.array(z.object({ id: z.number(), name: z.string() })),
    sectors: z.array(z.object({ id: z.number(), name: z.string() })),
    employers: z.array(z.object({ id: z.number(), name: z.string() })),
  }),
});
export type DashboardDto = z.infer<typeof DashboardDto>;
