/**
 * Deliverability (decisions/0028): what happens to a message after the server took it. Delivery
 * status notifications arriving at a message's return path (read by `bounce.listener.ts`), SMS
 * delivery reports and refusals at send time all end here: the ledger row is marked, a hard failure
 * suppresses and flags the member's address, and the message falls back to the member's next channel
 * where the send asked for it. Also the deliverability view. Addresses never reach logs or the audit.
 */
import { recordAudit } from "../audit/index.js";
import { type Actor, authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { enqueueJob } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import type { Channel, DeliverabilityDto, DeliverabilityQuery, DeliverabilityRowDto } from "./comms.model.js";
import { COMMS_SEND_JOB, type CommsSendPayload } from "./comms.service.js";
import { setSendJob } from "./comms.store.js";
import {
  deliverabilityCounts,
  flagUndeliverable,
  markBounce,
  markComplaint,
  markDelivered,
  selectFallbackSend,
  sendsWithWaitingFallbacks,
  writeFallbacks,
} from "./deliverability.store.js";
import type { ReportOutcome } from "./dsn.js";
import { insertSuppression } from "./ledger.store.js";

type SystemCtx = Omit<Ctx, "actor">;

export function systemActor(unionId: number, label: string): Actor {
  return {
    kind: "system",
    userId: null,
    unionId,
    role: "national",
    label,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
}

/**
 * A member's address failed for good on a channel (a hard bounce, a number that is not valid): it is
 * suppressed and, for email and mobile, flagged undeliverable on the member's record for the
 * data-quality view. Inside the caller's transaction. Returns whether anything was new.
 */
export async function addressFailed(
  ctx: Ctx,
  p: {
    unionId: number;
    memberId: number;
    channel: Channel;
    address: string;
    reason: "hard_bounce" | "invalid_number";
    messageId: string;
    sendId: number;
    code?: string | null;
  },
): Promise<boolean> {
  const now = ctx.clock.now();
  const added = await insertSuppression(ctx.db, {
    unionId: p.unionId,
    memberId: p.memberId,
    channel: p.channel,
    reason: p.reason,
    address: p.address,
    messageId: p.messageId,
    createdBy: null,
    now,
  });
  const flagged =
    p.channel === "letter"
      ? false
      : await flagUndeliverable(ctx.db, {
          memberId: p.memberId,
          channel: p.channel,
          address: p.address,
          now,
        });
  if (added || flagged) {
    await recordAudit(ctx, "comms.suppressed", {
      subjectType: "member",
      subjectId: p.memberId,
      details: {
        channel: p.channel,
        reason: p.reason,
        sendId: p.sendId,
        flagged,
        ...(p.code ? { code: p.code } : {}),
      },
    });
  }
  return added || flagged;
}

/**
 * Fallback messages for these members of a send, if it asked for any; then, after the transaction,
 * `wakeSend` makes sure a run of the send takes them.
 */
export async function fallBack(tx: SystemCtx, sendId: number, memberIds: readonly number[]): Promise<number> {
  const send = await selectFallbackSend(tx.db, sendId);
  if (!send?.fallback) return 0;
  return writeFallbacks(tx.db, send, { ids: memberIds });
}

/**
 * Makes sure a run of the send takes its waiting messages: queues one unless one is queued or
 * running (that run takes them: each run loops until no channel has anything left). A run that
 * finished a moment after this looked is caught by `wakeWaitingSends`, run every minute.
 */
export async function wakeSend(ctx: SystemCtx, send: { id: number; unionId: number }): Promise<boolean> {
  try {
    await withTx(ctx.db, async (tx) => {
      const job = await enqueueJob(
        { ...ctx, db: tx, actor: systemActor(send.unionId, "comms:fallback") },
        COMMS_SEND_JOB,
        { sendId: send.id, phase: "send" } satisfies CommsSendPayload,
        { dedupeKey: `comms_send:${send.id}`, maxAttempts: 100 },
      );
      await setSendJob(tx, send.id, job.id);
    });
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === "jobs.already_queued") return false;
    throw e;
  }
}

/** Every send with fallback messages waiting and no run: each gets one. Returns how many were woken. */
export async function wakeWaitingSends(ctx: SystemCtx): Promise<number> {
  let woken = 0;
  for (const send of await sendsWithWaitingFallbacks(ctx.db)) if (await wakeSend(ctx, send)) woken++;
  return woken;
}

export type ReportResult = "hard" | "soft" | "delivered" | "complaint" | "ignored";

/**
 * A report that came back to a message's return path, for the ledger row the (authenticated) return
 * path names. Idempotent: the same notice twice changes nothing the second time.
 */
export async function recordDeliveryReport(
  ctx: SystemCtx,
  rowId: string,
  outcome: ReportOutcome,
): Promise<ReportResult> {
  const now = ctx.clock.now();
  if (outcome.outcome === "unknown") return "ignored";
  if (outcome.outcome === "delivered") {
    await markDelivered(ctx.db, rowId, now);
    return "delivered";
  }
  if (outcome.outcome === "complaint") {
    return withTx(ctx.db, async (db) => {
      const row = await markComplaint(db, rowId, now);
      if (!row) return "ignored";
      const tx = { ...ctx, db, actor: systemActor(row.union_id, "mail:complaint") };
      // A complaint is the member saying no: campaign email to that address stops, as an unsubscribe would.
      if (row.address) {
        await insertSuppression(db, {
          unionId: row.union_id,
          memberId: row.member_id,
          channel: row.channel as Channel,
          reason: "complaint",
          address: row.address,
          messageId: row.id,
          createdBy: null,
          now,
        });
      }
      await recordAudit(tx, "comms.complaint", {
        subjectType: "member",
        subjectId: row.member_id,
        details: { sendId: row.send_id, channel: row.channel, feedbackType: outcome.feedbackType },
      });
      return "complaint";
    });
  }
  const hard = outcome.outcome === "hard";
  const result = await withTx(ctx.db, async (db) => {
    const marked = await markBounce(db, rowId, {
      bounce: hard ? "hard" : "soft",
      status: outcome.status,
      failed: hard || outcome.failed,
      now,
    });
    if (!marked?.changed) return null;
    const { row } = marked;
    const tx = { ...ctx, db, actor: systemActor(row.union_id, "mail:bounce") };
    // The fallback first: the audit head is locked last, as every writer does (a print batch locks its
    // send and then the head; this insert needs the send's key lock).
    const fallbacks = hard ? await fallBack(tx, row.send_id, [row.member_id]) : 0;
    let flagged = false;
    if (hard && outcome.flagsAddress && row.address) {
      flagged = await addressFailed(tx, {
        unionId: row.union_id,
        memberId: row.member_id,
        channel: row.channel as Channel,
        address: row.address,
        reason: "hard_bounce",
        messageId: row.id,
        sendId: row.send_id,
        code: outcome.status,
      });
    }
    await recordAudit(tx, "comms.bounced", {
      subjectType: "member",
      subjectId: row.member_id,
      details: {
        sendId: row.send_id,
        channel: row.channel,
        bounce: hard ? "hard" : "soft",
        status: outcome.status,
        flagged,
      },
    });
    return { row, fallbacks };
  });
  if (!result) return "ignored";
  if (result.fallbacks) await wakeSend(ctx, { id: result.row.send_id, unionId: result.row.union_id });
  return hard ? "hard" : "soft";
}

// ---------------------------------------------------------------------------------------------
// The deliverability view

const MAX_ROWS = 200;
const CHANNEL_NAMES: Record<string, string> = { email: "Email", sms: "SMS", letter: "Letter" };

/** Sent, delivered, bounced, complaints and fallbacks per channel, employer or workplace, in the reader's reach. */
export async function deliverability(ctx: Ctx, query: DeliverabilityQuery): Promise<DeliverabilityDto> {
  const grant = authorize(ctx.actor, "comms.read");
  const since = new Date(ctx.clock.now().getTime() - query.days * 86_400_000);
  const rows = await deliverabilityCounts(ctx.db, grant, {
    by: query.by,
    since,
    sendId: query.sendId ?? null,
    channel: query.channel ?? null,
  });
  const out: DeliverabilityRowDto[] = rows.map((r) => ({
    key: r.id,
    name:
      query.by === "channel"
        ? (CHANNEL_NAMES[r.name ?? ""] ?? String(r.name))
        : (r.name ?? (query.by === "employer" ? "Employer not recorded" : "Workplace not recorded")),
    sent: Number(r.sent),
    delivered: Number(r.delivered),
    hardBounces: Number(r.hard),
    softBounces: Number(r.soft),
    otherFailures: Number(r.failed),
    complaints: Number(r.complaints),
    fallback: Number(r.fallback),
  }));
  const totals = {
    sent: 0,
    delivered: 0,
    hardBounces: 0,
    softBounces: 0,
    otherFailures: 0,
    complaints: 0,
    fallback: 0,
  };
  for (const r of out) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
  return {
    by: query.by,
    since: query.sendId ? null : since.toISOString(),
    sendId: query.sendId ?? null,
    channel: query.channel ?? null,
    rows: out.slice(0, MAX_ROWS),
    total: out.length,
    totals,
  };
}
