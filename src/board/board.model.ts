import { z } from "zod";
import { TimetableDto } from "../coalition/index.js";

const ByStatus = z.object({ safe: z.number(), on_track: z.number(), at_risk: z.number(), lost: z.number() });
const Figures = z.object({
  constituencies: z.number(),
  entitled: z.number(),
  returned: z.number(),
  turnout: z.number(),
  /** Papers still needed across the constituencies short of their threshold. */
  votesNeeded50: z.number(),
  byStatus: ByStatus,
});

/** The union's own running ballots: from its turnout figures, national and by region. */
const OwnDispute = z.object({
  dispute: z.object({ id: z.number(), title: z.string() }),
  ballot: z.object({ id: z.number(), name: z.string() }),
  openingDate: z.string(),
  closingDate: z.string(),
  national: Figures,
  regions: z.array(Figures.extend({ id: z.number(), name: z.string() })),
});

const Cell = z.object({
  label: z.string(),
  entitled: z.number().nullable(),
  returned: z.number().nullable(),
  turnout: z.number().nullable(),
  mandate: z.enum(["yes", "no", "pending", "mixed"]),
});

/** Another union of a coalition: only what it published, after disclosure control. */
const PartnerUnion = z.object({
  union: z.string(),
  name: z.string(),
  brandColour: z.string().nullable(),
  asOf: z.string(),
  entitled: z.number(),
  returned: z.number(),
  turnout: z.number().nullable(),
  suppressedCells: z.number(),
  regions: z.array(Cell),
});

const Coalition = z.object({
  id: z.number(),
  name: z.string(),
  /** The joint timetable, its days of action and the conflicts on them (as the coalition screen shows). */
  timetable: TimetableDto,
  partners: z.array(PartnerUnion),
});

export const BoardDto = z.object({
  asAt: z.string(),
  computedAt: z.string(),
  /** How often the page asks again (the figures are kept this long). */
  refreshSeconds: z.number(),
  /** "full" for national officers; "counts" for observers (no plans or requests). */
  view: z.enum(["full", "counts"]),
  coalitions: z.array(Coalition),
  disputes: z.array(OwnDispute),
  plans: z
    .object({
      plans: z.number(),
      overdueCount: z.number(),
      overdueTasks: z.array(
        z.object({
          id: z.number(),
          title: z.string(),
          planTitle: z.string(),
          scopeName: z.string(),
          dueOn: z.string().nullable(),
          daysOverdue: z.number(),
        }),
      ),
      uncoveredCount: z.number(),
      regionsWithoutPlan: z.array(z.string()),
    })
    .nullable(),
  requests: z
    .object({
      pastServiceLevelCount: z.number(),
      pastServiceLevel: z.array(
        z.object({
          id: z.number(),
          title: z.string(),
          department: z.string(),
          region: z.string().nullable(),
          urgency: z.string(),
          dueAt: z.string(),
          escalated: z.boolean(),
        }),
      ),
    })
    .nullable(),
  /** What exists of the day of action: the coalitions' joint days and the conflicts on them. */
  dayOfAction: z.object({
    days: z.array(z.object({ day: z.string(), coalition: z.string(), conflicts: z.number() })),
  }),
});
export type BoardDto = z.infer<typeof BoardDto>;
