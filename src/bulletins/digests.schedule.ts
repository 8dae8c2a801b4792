/**
 * Digests on a schedule (decisions/0037). A national officer sets the union's schedule (off, daily or
 * weekly at an hour of UK time); a recurring job of the queue makes each period's digests when it is
 * due and queues the next run. A period is made once per (union, frequency, period start): the row
 * of `digest_periods` is inserted in the same transaction as the digests, so two workers, a retried
 * job or two schedules queued by two changes of the setting cannot make it twice. After downtime only
 * the latest period ended is made. Each addressed user with an email then gets a copy with a signed
 * link that opens the bulletin in the app and records the read; each copy is recorded before it leaves
 * and after, once per (bulletin, user).
 */
import { recordAudit } from "../audit/index.js";
import { type Actor, authorize } from "../auth/index.js";
import {
  auditKeyOfSecret,
  type CommsOptions,
  domainOf,
  type EmailTransport,
  fromHeader,
  idOfSignedToken,
  officerEmailHtml,
  signedToken,
} from "../comms/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { enqueueJob, type JobHandler } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { type DigestScheduleDto, DigestScheduleInput } from "./bulletins.model.js";
import { writeDigests } from "./bulletins.service.js";
import {
  claimPeriod,
  insertEmail,
  insertRead,
  markEmail,
  selectEmailRecipients,
  selectLatestPeriod,
  selectPeriodBulletins,
  selectSchedule,
  selectUnanswered,
  upsertSchedule,
} from "./bulletins.store.js";
import { type DigestTimes, latestPeriod, nextRun } from "./schedule.js";

export const DIGEST_JOB = "bulletin_digests";
const READ_LINK = "bulletin-read";

/** The schedule's own actor: digests it makes are the union's, not an officer's. */
export function scheduleActor(unionId: number): Actor {
  return {
    kind: "system",
    userId: null,
    unionId,
    role: "national",
    label: "digest-schedule",
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
}

type ScheduleRow = NonNullable<Awaited<ReturnType<typeof selectSchedule>>>;

function timesOf(row: ScheduleRow | undefined): DigestTimes | null {
  if (!row || (row.frequency !== "daily" && row.frequency !== "weekly")) return null;
  return { frequency: row.frequency, hour: row.hour, weekday: row.weekday };
}

/** The schedule as the settings and bulletins screens show it (anyone who reads bulletins). */
export async function getDigestSchedule(
  ctx: Ctx,
  options: { emailCopies: boolean },
): Promise<DigestScheduleDto> {
  const grant = authorize(ctx.actor, "bulletins.read");
  const row = await selectSchedule(ctx.db, grant.unionId);
  const last = await selectLatestPeriod(ctx.db, grant.unionId);
  const times = timesOf(row);
  return {
    frequency: (row?.frequency as DigestScheduleDto["frequency"] | undefined) ?? "off",
    hour: row?.hour ?? 8,
    weekday: row?.weekday ?? 1,
    nextRun: times ? nextRun(times, ctx.clock.now()).toISOString() : null,
    lastPeriod: last
      ? {
          frequency: last.frequency,
          start: new Date(last.period_start).toISOString(),
          end: new Date(last.period_end).toISOString(),
          madeAt: new Date(last.made_at).toISOString(),
        }
      : null,
    emailCopies: options.emailCopies,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

/** A national officer sets the schedule (audited); the next run is queued when digests are on. */
export async function setDigestSchedule(
  ctx: Ctx,
  given: DigestScheduleInput,
  options: { emailCopies: boolean },
): Promise<DigestScheduleDto> {
  const grant = authorize(ctx.actor, "bulletins.publish");
  const input = DigestScheduleInput.parse(given);
  const now = ctx.clock.now();
  await withTx(ctx.db, async (tx) => {
    const before = await selectSchedule(tx, grant.unionId);
    const same =
      before?.frequency === input.frequency && before.hour === input.hour && before.weekday === input.weekday;
    if (same) return;
    await upsertSchedule(tx, {
      union_id: grant.unionId,
      frequency: input.frequency,
      hour: input.hour,
      weekday: input.weekday,
      since: now,
      updated_at: now,
      updated_by: ctx.actor.userId,
    });
    await recordAudit({ ...ctx, db: tx }, "bulletin.schedule_changed", {
      subjectType: "union",
      subjectId: grant.unionId,
      details: { frequency: input.frequency, hour: input.hour, weekday: input.weekday },
    });
  });
  const times = timesOf(await selectSchedule(ctx.db, grant.unionId));
  if (times) await scheduleNextDigests(ctx, times, now);
  return getDigestSchedule(ctx, options);
}

/**
 * Queues the run due at the next period end after `after`, once per union and due time: the queue's
 * key on (kind, dedupe key) refuses a second while one is queued or running.
 */
export async function scheduleNextDigests(ctx: Ctx, times: DigestTimes, after: Date): Promise<void> {
  const due = nextRun(times, after);
  const actor = scheduleActor(ctx.actor.unionId);
  try {
    await enqueueJob(
      { ...ctx, actor },
      DIGEST_JOB,
      { due: due.toISOString() },
      { runAfter: due, dedupeKey: `${ctx.actor.unionId}:${due.toISOString()}`, maxAttempts: 5 },
    );
  } catch (e) {
    if (!(e instanceof AppError && e.code === "jobs.already_queued")) throw e;
  }
}

/** The step a run commits: the period it made (only the run that made a period emails it). */
interface DigestStep {
  frequency: "daily" | "weekly";
  start: string;
}

export interface DigestRunResult {
  made: { frequency: string; start: string; end: string; bulletins: number } | null;
  skipped?: string;
  emailed: number;
  failed: number;
  inFlightResent: number;
}

/** The recurring job: makes the period due, queues the next run, then sends the email copies. */
export function digestJob(comms?: CommsOptions): JobHandler<{ due?: string }> {
  return {
    kind: DIGEST_JOB,
    async run(job) {
      const ctx = job.ctx;
      const unionId = ctx.actor.unionId;
      const now = ctx.clock.now();
      const result: DigestRunResult = { made: null, emailed: 0, failed: 0, inFlightResent: 0 };
      let step = job.step as DigestStep | null;
      if (!step) {
        const row = await selectSchedule(ctx.db, unionId);
        const times = timesOf(row);
        if (!row || !times) return { ...result, skipped: "digests are off" };
        const period = latestPeriod(times, now);
        // A period that ended before the times were set is not made; after downtime, only the latest.
        if (period.end.getTime() >= new Date(row.since).getTime()) {
          const grant = { unionId, rows: { kind: "all" as const }, view: "counts" as const };
          step = await withTx(ctx.db, async (tx) => {
            const txCtx = { ...ctx, db: tx };
            const claimed = await claimPeriod(tx, {
              unionId,
              frequency: period.frequency,
              start: period.start,
              end: period.end,
              now,
              jobId: job.id,
            });
            if (!claimed) return null;
            const ids = await writeDigests(txCtx, {
              grant,
              period: period.frequency,
              from: period.start,
              to: period.end,
              scheduled: { start: period.start },
            });
            const made: DigestStep = { frequency: period.frequency, start: period.start.toISOString() };
            await job.commitStep(tx, made, { done: 0 });
            result.made = {
              frequency: period.frequency,
              start: made.start,
              end: period.end.toISOString(),
              bulletins: ids.length,
            };
            return made;
          });
        } else {
          result.skipped = "the period ended before the schedule was set";
        }
        // The next run is after this one's due time even if this one started early (clocks apart).
        const due = job.payload.due ? new Date(job.payload.due) : now;
        await scheduleNextDigests(ctx, times, due.getTime() > now.getTime() ? due : now);
        if (!step) return { ...result, skipped: result.skipped ?? "this period's digests were already made" };
      }
      if (comms?.emailTransport) await sendCopies(job, comms, step, result);
      return result;
    },
  };
}

type Run = Parameters<JobHandler<{ due?: string }>["run"]>[0];

/** The email copies of a period's digests: each recorded before it leaves and after. */
async function sendCopies(job: Run, comms: CommsOptions, step: DigestStep, result: DigestRunResult) {
  const ctx = job.ctx;
  const unionId = ctx.actor.unionId;
  const bulletins = await selectPeriodBulletins(ctx.db, unionId, step.frequency, new Date(step.start));
  const secret = auditKeyOfSecret(ctx);
  const domain = domainOf(comms.from);
  const returnPath = fromHeader(comms.from).address;
  const union = await ctx.db.selectFrom("unions").select("name").where("id", "=", unionId).executeTakeFirst();
  const unionName = union?.name ?? "Your union";
  // Those recorded as leaving but never answered were in flight when a worker stopped: sent again,
  // with the same Message-ID.
  const unanswered = new Set(
    (
      await selectUnanswered(
        ctx.db,
        bulletins.map((b) => b.id),
      )
    ).map((r) => `${r.bulletin_id}:${r.user_id}`),
  );
  const plan: {
    bulletin: (typeof bulletins)[number];
    user: { id: number; email: string };
    again: boolean;
  }[] = [];
  for (const bulletin of bulletins) {
    for (const user of await selectEmailRecipients(ctx.db, bulletin.id)) {
      plan.push({ bulletin, user, again: unanswered.has(`${bulletin.id}:${user.id}`) });
    }
  }
  const total = plan.length;
  let done = 0;
  const html = new Map<number, string>();
  const PLACEHOLDER = "https://mandate.invalid/bulletin-link";
  let transport: EmailTransport | null = null;
  try {
    for (const item of plan) {
      job.throwIfStopped();
      const messageId = `bulletin.${item.bulletin.id}.${item.user.id}.mandate@${domain}`;
      const fresh = await insertEmail(ctx.db, {
        bulletinId: item.bulletin.id,
        userId: item.user.id,
        messageId,
        now: ctx.clock.now(),
      });
      if (!fresh && !item.again) {
        done++;
        continue;
      }
      if (item.again) result.inFlightResent++;
      let page = html.get(item.bulletin.id);
      if (page === undefined) {
        page = await officerEmailHtml({
          unionName,
          title: item.bulletin.title,
          text: item.bulletin.body,
          button: "Open in Mandate",
          linkPlaceholder: PLACEHOLDER,
        });
        html.set(item.bulletin.id, page);
      }
      const link = bulletinLink(comms.publicUrl, secret, item.bulletin.id, item.user.id);
      transport ??= comms.emailTransport!(1);
      const outcome = await transport.send({
        messageId,
        from: comms.from,
        returnPath,
        to: item.user.email,
        subject: item.bulletin.title,
        html: page.split(PLACEHOLDER).join(link),
        text: `${item.bulletin.body}\n\nOpen it in Mandate (this records that you have read it): ${link}\n\nYou get this as an officer or representative of ${unionName}. Counts only: no member is named.`,
        headers: { "Auto-Submitted": "auto-generated" },
        date: ctx.clock.now(),
      });
      const sent = outcome.kind === "accepted";
      await markEmail(ctx.db, {
        bulletinId: item.bulletin.id,
        userId: item.user.id,
        state: sent ? "sent" : "failed",
        now: ctx.clock.now(),
      });
      if (sent) result.emailed++;
      else {
        result.failed++;
        await job.problem(`An email copy of bulletin ${item.bulletin.id} was refused (${outcome.code}).`);
      }
      done++;
      await job.progress(done, total);
      await job.pace();
    }
  } finally {
    transport?.close();
  }
}

/** The reader's own link: opens the bulletin in the app and records the read. */
export function bulletinLink(publicUrl: string, secret: Buffer, bulletinId: number, userId: number): string {
  return `${publicUrl.replace(/\/$/, "")}/api/bulletins/open/${signedToken(secret, READ_LINK, `${bulletinId}.${userId}`)}`;
}

/**
 * A reader followed their email's link: the read is recorded (the first opening counts) and the
 * answer is where the bulletin opens in the app. A token not ours is refused, naming nobody.
 */
export async function openByLink(ctx: Omit<Ctx, "actor">, token: string): Promise<{ bulletinId: number }> {
  const ids = idOfSignedToken(auditKeyOfSecret(ctx), READ_LINK, token);
  const [bulletinId, userId] = (ids ?? "").split(".").map(Number);
  if (!bulletinId || !userId) throw new AppError("bulletins.link_invalid", "This link is not valid.");
  const known = await ctx.db
    .selectFrom("bulletins")
    .innerJoin("users", "users.union_id", "bulletins.union_id")
    .select("bulletins.id")
    .where("bulletins.id", "=", bulletinId)
    .where("users.id", "=", userId)
    .executeTakeFirst();
  if (!known) throw new AppError("bulletins.link_invalid", "This link is not valid.");
  await insertRead(ctx.db, bulletinId, userId, ctx.clock.now(), "email");
  return { bulletinId };
}
