/** What the coalition API takes and gives (decisions/0032). The web client's src/web/api/coalition.ts uses these types. */
import { z } from "zod";
import { IsoDate } from "../shared/fields.js";

const Name = z.string().trim().min(1).max(200);
export const MemberKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use 1 to 40 lower-case letters, digits or dashes.");
const DaysOfAction = z.array(IsoDate).max(20);
const Colour = z.string().regex(/^#[0-9a-f]{6}$/, "A colour as #rrggbb.");

export const CreateCoalitionInput = z.object({
  name: Name,
  /** The coordinating union's own key in the coalition. */
  key: MemberKey,
  daysOfAction: DaysOfAction.default([]),
});
export type CreateCoalitionInput = z.infer<typeof CreateCoalitionInput>;

export const UpdateCoalitionInput = z.object({
  daysOfAction: DaysOfAction.optional(),
  /** Publish this union's aggregates every day (a job of the queue). */
  publishDaily: z.boolean().optional(),
});
export type UpdateCoalitionInput = z.infer<typeof UpdateCoalitionInput>;

export const AddMemberInput = z
  .object({
    key: MemberKey,
    name: Name,
    /** A union on this installation, by its slug: it agrees from its own account. */
    unionSlug: z.string().trim().min(1).max(100).optional(),
    /** A union running its own Mandate: its Ed25519 public key (SPKI DER, base64). */
    publicKey: z.string().trim().min(40).max(200).optional(),
    /** For a union elsewhere: who agreed on its behalf, as its letter says (name, role, date). */
    agreedBy: z.string().trim().min(1).max(200).optional(),
    /** A partner organisation balloted inside this member's ballot (its key). */
    partnerOf: MemberKey.optional(),
    brandColour: Colour.optional(),
  })
  .refine((v) => (v.unionSlug === undefined) !== (v.publicKey === undefined), {
    message: "Give either unionSlug (a union here) or publicKey (a union elsewhere).",
  })
  .refine((v) => v.publicKey === undefined || v.agreedBy !== undefined, {
    message: "For a union elsewhere, say who agreed on its behalf.",
  });
export type AddMemberInput = z.infer<typeof AddMemberInput>;

export const LinkBallotsInput = z.object({
  ballotIds: z.array(z.number().int().positive().max(2_147_483_647)).max(500),
});
export type LinkBallotsInput = z.infer<typeof LinkBallotsInput>;

export const JoinRemoteInput = z.object({
  name: Name,
  coordinatorName: Name,
  coordinatorUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, "The coordinator's address, http(s)://host[:port]."),
  remoteCoalitionId: z.number().int().positive().max(2_147_483_647),
  key: MemberKey,
});
export type JoinRemoteInput = z.infer<typeof JoinRemoteInput>;

export const CoalitionMemberDto = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  where: z.enum(["here", "elsewhere"]),
  state: z.enum(["invited", "agreed"]),
  agreedBy: z.string().nullable(),
  agreedAt: z.string().nullable(),
  partnerOf: z.string().nullable(),
  brandColour: z.string().nullable(),
  lastSequence: z.number(),
  lastReportAsOf: IsoDate.nullable(),
  publishDaily: z.boolean(),
});
export type CoalitionMemberDto = z.infer<typeof CoalitionMemberDto>;

export const CoalitionDto = z.object({
  id: z.number(),
  kind: z.enum(["coordinated", "remote"]),
  name: z.string(),
  coordinator: z.string(),
  /** The coordinator's address (a coalition joined from here). */
  coordinatorUrl: z.string().nullable(),
  daysOfAction: z.array(IsoDate),
  /** Your union's key in the coalition, and whether it is the coordinator. */
  you: z.object({
    key: z.string().nullable(),
    coordinator: z.boolean(),
    state: z.enum(["invited", "agreed"]),
  }),
  members: z.array(CoalitionMemberDto),
  /** Your union's ballots counted in the coalition. */
  ballotIds: z.array(z.number()),
  /** A coalition joined from here: the public key to give the coordinator. */
  publicKey: z.string().nullable(),
  publishDaily: z.boolean(),
});
export type CoalitionDto = z.infer<typeof CoalitionDto>;

// Reports ------------------------------------------------------------------

const Count = z.number().int().min(0).max(100_000_000).nullable();
const Percent = z.number().int().min(0).max(100).nullable();
const Label = z.string().max(300);

export const PublishedCellSchema = z.object({
  key: Label,
  label: Label,
  entitled: Count,
  returned: Count,
  turnout: Percent,
  yesShare: Percent,
  mandate: z.enum(["yes", "no", "pending", "mixed"]),
});
const Totals = z.object({
  entitled: z.number().int().min(0),
  returned: z.number().int().min(0),
  turnout: Percent,
  suppressedCells: z.number().int().min(0),
});
const Cells = z.array(PublishedCellSchema).max(20_000);
export const ReleaseSchema = z.object({
  breakdowns: z.object({ employer: Cells, sector: Cells, region: Cells }),
  totals: z.object({ employer: Totals, sector: Totals, region: Totals }),
});

export const TimetableBallotSchema = z.object({
  name: Label,
  openingDate: IsoDate,
  closingDate: IsoDate,
  resultDate: IsoDate.nullable(),
  mandate: z.enum(["yes", "no", "pending"]),
  jurisdiction: z.enum(["gb", "ni"]).optional(),
  shorterNoticeAgreed: z.boolean().optional(),
  actionNoticeGivenOn: IsoDate.nullable().optional(),
});

/** A union's totals on one of the coalition's days of action: counts over its whole board, no workplace. */
const DayCount = z.number().int().min(0).max(100_000_000);
export const ActionDaySchema = z
  .object({
    day: IsoDate,
    workplaces: DayCount,
    picketUp: DayCount,
    out: DayCount,
    atWork: DayCount,
    exempt: DayCount,
    coverInPlace: DayCount,
    openIncidents: DayCount,
  })
  .strict();
export type ActionDay = z.infer<typeof ActionDaySchema>;

export const CoalitionReport = z
  .object({
    version: z.literal(1),
    coalitionId: z.number().int().positive().max(2_147_483_647),
    union: MemberKey,
    sequence: z.number().int().positive().max(2_147_483_647),
    asOf: IsoDate,
    issuedAt: z.string().max(40),
    timetable: z.array(TimetableBallotSchema).max(1000),
    release: ReleaseSchema,
    /** The union's figures on the coalition's days of action so far (absent from reports made before them). */
    action: z.array(ActionDaySchema).max(400).optional(),
  })
  .strict();
export type CoalitionReport = z.infer<typeof CoalitionReport>;

export const SignedReport = z.object({ report: CoalitionReport, signature: z.string().max(200) }).strict();
export type SignedReport = z.infer<typeof SignedReport>;

export const ReportAccepted = z.object({ accepted: z.literal(true), sequence: z.number() });

export const UnionAggregatesDto = z.object({
  union: z.string(),
  name: z.string(),
  brandColour: z.string().nullable(),
  partnerOf: z.string().nullable(),
  sequence: z.number(),
  asOf: IsoDate,
  release: ReleaseSchema,
});
export type UnionAggregatesDto = z.infer<typeof UnionAggregatesDto>;

/** One union's figures on a day of action, as its coalition partners see them on their day board. */
export const PartnerDayDto = z.object({
  coalitionId: z.number(),
  coalition: z.string(),
  union: z.string(),
  name: z.string(),
  brandColour: z.string().nullable(),
  /** here: read live from this installation; report: from its latest report; none: nothing shared yet. */
  source: z.enum(["here", "report", "none"]),
  /** When the figures were issued (a report) or read (here). */
  at: z.string().nullable(),
  totals: ActionDaySchema.omit({ day: true }).nullable(),
});
export type PartnerDayDto = z.infer<typeof PartnerDayDto>;
export const PartnerDayParams = z.object({ day: IsoDate });

export const ConflictDto = z.object({
  union: z.string(),
  ballot: z.string(),
  day: IsoDate,
  kind: z.enum([
    "no_ballot",
    "mandate_expired",
    "mandate_not_obtained",
    "closes_too_late",
    "notice_too_late",
  ]),
  reason: z.string(),
  citation: z.string(),
  unconfirmed: z.string().nullable(),
});

export const TimetableDto = z.object({
  daysOfAction: z.array(IsoDate),
  unions: z.array(
    z.object({ key: z.string(), name: z.string(), source: z.enum(["here", "report", "none"]) }),
  ),
  ballots: z.array(
    z.object({
      union: z.string(),
      ballot: z.string(),
      regime: z.string(),
      ballotNoticeBy: IsoDate,
      openingDate: IsoDate,
      closingDate: IsoDate,
      resultDate: IsoDate,
      resultDeclared: z.boolean(),
      mandate: z.enum(["yes", "no", "pending"]),
      earliestAction: IsoDate,
      mandateEnds: IsoDate.nullable(),
      noticeBy: z.array(z.object({ day: IsoDate, lastDay: IsoDate.nullable() })),
    }),
  ),
  conflicts: z.array(ConflictDto),
});
export type TimetableDto = z.infer<typeof TimetableDto>;

export const JointEmployerDto = z.object({
  key: z.string(),
  label: z.string(),
  unions: z.array(
    z.object({
      union: z.string(),
      name: z.string(),
      brandColour: z.string().nullable(),
      cell: PublishedCellSchema,
    }),
  ),
});
export type JointEmployerDto = z.infer<typeof JointEmployerDto>;

export const PublishResultDto = z.object({
  sequence: z.number(),
  asOf: IsoDate,
  delivered: z.enum(["here", "sent"]),
  cells: z.number(),
});
export type PublishResultDto = z.infer<typeof PublishResultDto>;
