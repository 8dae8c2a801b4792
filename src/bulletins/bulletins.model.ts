/** Officer bulletins' shapes (decisions/0030): digests (counts only) and announcements, with read receipts. */
import { z } from "zod";

export const BULLETIN_ROLES = ["national", "regional", "sector", "rep"] as const;
const Id = z.number().int().positive().max(2_147_483_647);

export const AnnouncementInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(10_000),
    /** Empty: every role that reads bulletins. */
    roles: z.array(z.enum(BULLETIN_ROLES)).max(4).default([]),
    /** Empty: every region. */
    regionIds: z.array(Id).max(200).default([]),
  })
  .strict();
export type AnnouncementInput = z.input<typeof AnnouncementInput>;

export const DigestInput = z.object({ period: z.enum(["daily", "weekly"]) }).strict();

export const DigestFigures = z.object({
  period: z.enum(["daily", "weekly"]),
  from: z.string(),
  to: z.string(),
  region: z.string().nullable(),
  ballots: z.array(
    z.object({
      name: z.string(),
      closingDate: z.string(),
      entitled: z.number(),
      returned: z.number().nullable(),
      turnoutPercent: z.number().nullable(),
      /** Papers still needed for the 50% turnout threshold (0: met). */
      neededFor50: z.number().nullable(),
      atRisk: z.boolean(),
    }),
  ),
  sent: z.object({ email: z.number(), sms: z.number(), letter: z.number() }),
  materialsApproved: z.number(),
});
export type DigestFigures = z.infer<typeof DigestFigures>;

export const BulletinDto = z.object({
  id: z.number(),
  kind: z.enum(["digest", "announcement"]),
  title: z.string(),
  body: z.string(),
  roles: z.array(z.string()),
  regions: z.array(z.object({ id: z.number(), name: z.string() })),
  figures: DigestFigures.nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  /** When the reader opened it (null: not yet). */
  readAt: z.string().nullable(),
  /** For publishers: users addressed, emailed a copy, and who have read it (null for other readers). */
  counts: z.object({ addressed: z.number(), emailed: z.number(), read: z.number() }).nullable(),
});
export type BulletinDto = z.infer<typeof BulletinDto>;

export const ReceiptsDto = z.object({
  bulletinId: z.number(),
  addressed: z.number(),
  /** Sent a copy by email (decisions/0037). */
  emailed: z.number(),
  read: z.number(),
  readers: z.array(
    z.object({
      name: z.string(),
      role: z.string(),
      emailedAt: z.string().nullable(),
      readAt: z.string().nullable(),
      /** Where the first opening came from: the app, or the email's link. */
      readVia: z.enum(["app", "email"]).nullable(),
    }),
  ),
});
export type ReceiptsDto = z.infer<typeof ReceiptsDto>;

/** A union's digest schedule (decisions/0037): the hour is UK local time; weekday is ISO (1 Monday). */
export const DigestScheduleInput = z
  .object({
    frequency: z.enum(["off", "daily", "weekly"]),
    hour: z.number().int().min(0).max(23),
    weekday: z.number().int().min(1).max(7).default(1),
  })
  .strict();
export type DigestScheduleInput = z.input<typeof DigestScheduleInput>;

export const DigestScheduleDto = z.object({
  frequency: z.enum(["off", "daily", "weekly"]),
  hour: z.number(),
  weekday: z.number(),
  /** When the next digests are due (null: off). */
  nextRun: z.string().nullable(),
  /** The last period made on the schedule. */
  lastPeriod: z
    .object({ frequency: z.string(), start: z.string(), end: z.string(), madeAt: z.string() })
    .nullable(),
  /** Whether each addressed user with an email also gets the digest by email. */
  emailCopies: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type DigestScheduleDto = z.infer<typeof DigestScheduleDto>;
