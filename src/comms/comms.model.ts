import { z } from "zod";
import { TURNOUT_STATUSES } from "../turnout/index.js";

/** How a message reaches a member. */
export const CHANNELS = ["email", "sms", "letter"] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/**
 * What a message is for, which decides who may get it (decisions/0027):
 * - campaign: needs the member's consent on the channel (email, SMS);
 * - persuasion: as campaign, and never to a member opposed in principle to industrial action;
 * - reminder: as campaign, and never to a member who has reported voting in the send's ballot;
 * - statutory (the result, s.231) and service (a replacement paper): every entitled member with an
 *   active channel, consent or not.
 */
export const PURPOSES = ["campaign", "persuasion", "reminder", "statutory", "service"] as const;
export const Purpose = z.enum(PURPOSES);
export type Purpose = z.infer<typeof Purpose>;

export const LANGUAGES = ["en", "cy"] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const MESSAGE_STATES = ["pending", "sending", "sent", "failed", "suppressed"] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** Why a member got no message: the suppression rule's reasons, in the users' words in SUPPRESSION_LABELS. */
export const SUPPRESSION_REASONS = [
  "left",
  "no_consent",
  "no_address",
  "reported_voting",
  "opposed_in_principle",
  "unsubscribed",
  "stop",
  "hard_bounce",
  "invalid_number",
  "complaint",
  "officer",
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export const SUPPRESSION_LABELS: Record<SuppressionReason, string> = {
  left: "left the union or deceased",
  no_consent: "no consent for campaign messages on this channel",
  no_address: "no address on this channel",
  reported_voting: "has reported voting (reminders stop)",
  opposed_in_principle: "opposed in principle to industrial action",
  unsubscribed: "unsubscribed",
  stop: "replied STOP",
  hard_bounce: "the address bounced",
  invalid_number: "the number is not valid",
  complaint: "marked a message as spam",
  officer: "suppressed by an officer",
};

const Id = z.number().int().positive().max(2_147_483_647);
const Ids = (max: number) => z.array(Id).min(1).max(max);

/**
 * An audience. Every part narrows it; the sender's own reach narrows it again when a send is queued,
 * so a regional officer's send never leaves their regions whatever the segment says.
 */
export const SegmentDefinition = z
  .object({
    regionIds: Ids(200).optional(),
    sectorIds: Ids(200).optional(),
    employerIds: Ids(20_000).optional(),
    workplaceIds: Ids(50_000).optional(),
    /** Membership status: active by default; left and deceased members are never in an audience. */
    memberStatuses: z
      .array(z.enum(["active", "lapsed"]))
      .min(1)
      .default(["active"]),
    languages: z.array(Language).min(1).optional(),
    /**
     * Members entitled to vote in a ballot (its frozen electorate; with `constituencyStatuses`, only
     * the constituencies of the ballot's dispute with those statuses now).
     */
    ballot: z
      .object({
        id: Id,
        constituencyStatuses: z.array(z.enum(TURNOUT_STATUSES)).min(1).optional(),
        turnout: z.enum(["any", "not_reported_voting", "reported_voting"]).default("any"),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;

export const SegmentInput = z.object({
  name: z.string().trim().min(1).max(120),
  definition: SegmentDefinition,
});
/** What a caller gives (defaults not yet applied); the service parses it. */
export type SegmentInput = z.input<typeof SegmentInput>;

export const SegmentDto = z.object({
  id: z.number(),
  name: z.string(),
  definition: SegmentDefinition,
  createdAt: z.string(),
});
export type SegmentDto = z.infer<typeof SegmentDto>;

/** Who an audience reaches on a channel for a purpose, before anything is sent. */
export const AudienceCountDto = z.object({
  members: z.number(),
  reachable: z.number(),
  suppressed: z.array(
    z.object({ reason: z.enum(SUPPRESSION_REASONS), label: z.string(), members: z.number() }),
  ),
  byLanguage: z.object({ en: z.number(), cy: z.number() }),
});
export type AudienceCountDto = z.infer<typeof AudienceCountDto>;

export const TemplateInput = z.object({
  name: z.string().trim().min(1).max(120),
  channel: Channel,
  purpose: Purpose,
});
export type TemplateInput = z.infer<typeof TemplateInput>;

/** Limits on what people type: an email's text, an SMS of at most ten segments, a letter. */
export const BODY_LIMITS: Record<Channel, number> = { email: 20_000, sms: 1_530, letter: 20_000 };

export const VersionInput = z.object({
  language: Language,
  subject: z.string().trim().min(1).max(200).optional(),
  body: z.string().min(1).max(20_000),
});
export type VersionInput = z.infer<typeof VersionInput>;

export const VersionDto = z.object({
  id: z.number(),
  language: Language,
  version: z.number(),
  subject: z.string().nullable(),
  body: z.string(),
  state: z.enum(["draft", "approved", "withdrawn"]),
  approvedAt: z.string().nullable(),
});
export type VersionDto = z.infer<typeof VersionDto>;

export const TemplateDto = z.object({
  id: z.number(),
  name: z.string(),
  channel: Channel,
  purpose: Purpose,
  versions: z.array(VersionDto),
});
export type TemplateDto = z.infer<typeof TemplateDto>;

export const PreviewDto = z.object({
  language: Language,
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string(),
  sms: z
    .object({ encoding: z.enum(["GSM-7", "UCS-2"]), characters: z.number(), segments: z.number() })
    .nullable(),
});
export type PreviewDto = z.infer<typeof PreviewDto>;

export const SendInput = z.object({
  templateId: Id,
  segmentId: Id,
  /**
   * Templates to fall back to, one per later channel (SMS, letter), of the same purpose: a message
   * that fails for good (hard bounce, invalid number, no address on the channel) goes to the member's
   * next channel where they can be reached (decisions/0028).
   */
  fallbackTemplateIds: z.array(Id).max(2).optional(),
});
export type SendInput = z.infer<typeof SendInput>;

export const SendDto = z.object({
  id: z.number(),
  templateId: z.number(),
  templateName: z.string(),
  segmentId: z.number().nullable(),
  channel: Channel,
  purpose: Purpose,
  jobId: z.number().nullable(),
  createdAt: z.string(),
  /** The channels a failed message falls back to, in order, with their templates. */
  fallback: z.array(z.object({ channel: Channel, templateId: z.number() })),
  messages: z.object({
    pending: z.number(),
    sending: z.number(),
    sent: z.number(),
    failed: z.number(),
    suppressed: z.number(),
  }),
  /** Why the members not sent to were not, in the users' words. */
  suppressed: z.array(z.object({ reason: z.string(), label: z.string(), members: z.number() })),
});
export type SendDto = z.infer<typeof SendDto>;

/** A batch of a letter send for the mailing house: its PDF and address file, described. */
export const PrintBatchDto = z.object({
  id: z.number(),
  sendId: z.number(),
  batch: z.number(),
  letters: z.number(),
  pages: z.number(),
  pdf: z.object({ bytes: z.number(), sha256: z.string() }),
  csv: z.object({ bytes: z.number(), sha256: z.string() }),
  createdAt: z.string(),
});
export type PrintBatchDto = z.infer<typeof PrintBatchDto>;

/** The deliverability view's rows (decisions/0028). */
export const DELIVERABILITY_DIMENSIONS = ["channel", "employer", "workplace"] as const;
export const DeliverabilityDimension = z.enum(DELIVERABILITY_DIMENSIONS);
export type DeliverabilityDimension = z.infer<typeof DeliverabilityDimension>;

export const DeliverabilityQuery = z.object({
  by: DeliverabilityDimension.default("channel"),
  /** Sends queued in the last `days` days (90 unless given); ignored with a send. */
  days: z.coerce.number().int().min(1).max(3660).default(90),
  sendId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  channel: Channel.optional(),
});
export type DeliverabilityQuery = z.infer<typeof DeliverabilityQuery>;

const Counts = {
  /** Messages tried: they left, or the receiving server refused them at once (a hard bounce at send time). */
  sent: z.number().int(),
  delivered: z.number().int(),
  hardBounces: z.number().int(),
  softBounces: z.number().int(),
  otherFailures: z.number().int(),
  complaints: z.number().int(),
  fallback: z.number().int(),
};

export const DeliverabilityRowDto = z.object({
  /** The channel, or the employer's or workplace's id (null: not recorded). */
  key: z.string().nullable(),
  name: z.string(),
  ...Counts,
});
export type DeliverabilityRowDto = z.infer<typeof DeliverabilityRowDto>;

export const DeliverabilityDto = z.object({
  by: DeliverabilityDimension,
  since: z.string().nullable(),
  sendId: z.number().nullable(),
  channel: Channel.nullable(),
  /** The largest rows first, at most `MAX_ROWS`; `total` says how many there are. */
  rows: z.array(DeliverabilityRowDto),
  total: z.number().int(),
  totals: z.object(Counts),
});
export type DeliverabilityDto = z.infer<typeof DeliverabilityDto>;
