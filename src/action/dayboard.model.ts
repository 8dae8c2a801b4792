/** What the day-of-action board, the phone report screen and the incident log take and give (zod). */
import { z } from "zod";
import { LawDate as Day } from "../law/index.js";

export const BoardDayParams = z.object({ day: Day });

/** A workplace's status on the board, the colour of its dot. */
export const WorkplaceStatusSchema = z.enum(["incident", "picket", "out", "none"]);
export type WorkplaceStatus = z.infer<typeof WorkplaceStatusSchema>;

export const BoardTotalsDto = z.object({
  workplaces: z.number(),
  picketUp: z.number(),
  out: z.number(),
  atWork: z.number(),
  exempt: z.number(),
  coverInPlace: z.number(),
  openIncidents: z.number(),
});
export type BoardTotalsDto = z.infer<typeof BoardTotalsDto>;

export const BoardGroupDto = BoardTotalsDto.extend({ id: z.number(), name: z.string() });
export type BoardGroupDto = z.infer<typeof BoardGroupDto>;

export const BoardWorkplaceDto = z.object({
  id: z.number(),
  name: z.string(),
  region: z.number(),
  sector: z.number(),
  status: WorkplaceStatusSchema,
  out: z.number(),
  atWork: z.number().nullable(),
  exempt: z.number().nullable(),
  picket: z.boolean(),
  cover: z.boolean(),
  incidents: z.number(),
  reports: z.number(),
  at: z.string().nullable(),
  /** Approximate position from the postcode's area (decisions/0036); null: not on the map. */
  lat: z.number().nullable(),
  lon: z.number().nullable(),
});
export type BoardWorkplaceDto = z.infer<typeof BoardWorkplaceDto>;

export const DayBoardQuery = z.object({
  /** The version of the board the reader holds: only what changed since is sent (decisions/0036). */
  since: z.string().max(40).optional(),
});

export const DayBoardDto = z.object({
  day: z.string(),
  /** This board's version, to ask for only what changes after it (`?since=`). */
  version: z.string(),
  /** Null: the whole board. Else the version these changes apply to: `workplaces` holds only the
   * workplaces that changed since, and `removed` those no longer on the board. */
  since: z.string().nullable(),
  removed: z.array(z.number()),
  computedAt: z.string(),
  refreshSeconds: z.number(),
  totals: BoardTotalsDto.extend({ notOnMap: z.number(), reports: z.number() }),
  byRegion: z.array(BoardGroupDto),
  bySector: z.array(BoardGroupDto),
  byUnion: z.array(BoardGroupDto),
  /** Numbers out as reported by the end of each half hour of the day (UK time), up to the last report. */
  overTheDay: z.array(z.object({ time: z.string(), out: z.number() })),
  workplaces: z.array(BoardWorkplaceDto),
});
export type DayBoardDto = z.infer<typeof DayBoardDto>;

/**
 * The order of a workplace's figures in the board as sent (decisions/0036): each workplace an array, the
 * names once in `fields`, so the whole board a viewer loads first is under half the bytes of objects.
 */
export const BOARD_WORKPLACE_FIELDS = [
  "id",
  "name",
  "region",
  "sector",
  "status",
  "out",
  "atWork",
  "exempt",
  "picket",
  "cover",
  "incidents",
  "reports",
  "at",
  "lat",
  "lon",
] as const satisfies readonly (keyof BoardWorkplaceDto)[];

export const BoardWorkplaceRow = z.tuple([
  z.number(),
  z.string(),
  z.number(),
  z.number(),
  WorkplaceStatusSchema,
  z.number(),
  z.number().nullable(),
  z.number().nullable(),
  z.boolean(),
  z.boolean(),
  z.number(),
  z.number(),
  z.string().nullable(),
  z.number().nullable(),
  z.number().nullable(),
]);

/** The board as `GET /api/action/board/:day` sends it: `workplaces` as rows in the order of `fields`. */
export const DayBoardWireDto = DayBoardDto.omit({ workplaces: true }).extend({
  fields: z.array(z.string()),
  workplaces: z.array(BoardWorkplaceRow),
});
export type DayBoardWireDto = z.infer<typeof DayBoardWireDto>;

// ---------------------------------------------------------------------------
// The phone report screen: the reader's workplaces with who is in the dispute, as counts.

export const ReportingQuery = z.object({ q: z.string().trim().max(100).optional() });

export const ReportingWorkplaceDto = z.object({
  workplaceId: z.number(),
  workplaceName: z.string(),
  members: z.number(),
  /** Members in the electorate of a ballot of a dispute with action on the day. */
  inDispute: z.number(),
  notInDispute: z.number(),
  /** Respected: never listed for the line, never pressed. A count only. */
  opposedInPrinciple: z.number(),
  latest: z
    .object({
      out: z.number(),
      atWork: z.number().nullable(),
      exempt: z.number().nullable(),
      picketUp: z.boolean(),
      reportedAt: z.string(),
      reports: z.number(),
    })
    .nullable(),
});
export type ReportingWorkplaceDto = z.infer<typeof ReportingWorkplaceDto>;

// ---------------------------------------------------------------------------
// The incident log

export const IncidentKindSchema = z.enum(["police", "employer", "media", "safety", "other"]);
export const SeveritySchema = z.enum(["low", "medium", "high"]);

export const IncidentInput = z
  .object({
    day: Day,
    workplaceId: z.number().int().positive().max(2_147_483_647),
    kind: IncidentKindSchema,
    severity: SeveritySchema.default("medium"),
    /** When it happened; the time it is recorded when left out. */
    occurredAt: z.string().datetime({ offset: true }).optional(),
    description: z.string().trim().min(1).max(2000),
  })
  .strict();
export type IncidentInput = z.infer<typeof IncidentInput>;

export const IncidentUpdate = z
  .object({ state: z.enum(["open", "closed"]).optional(), severity: SeveritySchema.optional() })
  .strict();
export type IncidentUpdate = z.infer<typeof IncidentUpdate>;

export const FollowupInput = z
  .object({
    who: z.string().trim().min(1).max(200),
    what: z.string().trim().min(1).max(1000),
    dueOn: Day.nullable().default(null),
  })
  .strict();
export type FollowupInput = z.infer<typeof FollowupInput>;

export const FollowupUpdate = z.object({ done: z.boolean() }).strict();

export const FollowupDto = z.object({
  id: z.number(),
  who: z.string(),
  what: z.string(),
  dueOn: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export type FollowupDto = z.infer<typeof FollowupDto>;

export const IncidentDto = z.object({
  id: z.number(),
  day: z.string(),
  workplaceId: z.number(),
  workplaceName: z.string(),
  kind: IncidentKindSchema,
  severity: SeveritySchema,
  occurredAt: z.string(),
  description: z.string(),
  state: z.enum(["open", "closed"]),
  recordedAt: z.string(),
  closedAt: z.string().nullable(),
  followups: z.array(FollowupDto),
});
export type IncidentDto = z.infer<typeof IncidentDto>;
