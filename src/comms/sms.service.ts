/**
 * What the SMS provider tells us (decisions/0027): delivery reports on the ledger row a message's
 * callback names, and members' replies to our number (STOP and its synonyms suppress SMS to every
 * member with that mobile; START lifts it). No sign-in: the provider's signature on the request is
 * the proof, checked by the route. The number is never logged nor audited.
 */

import { recordAudit } from "../audit/index.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { addressFailed, fallBack, wakeSend } from "./deliverability.service.js";
import { markBounce, markDelivered } from "./deliverability.store.js";
import { insertSuppression, liftSuppressions, markDelivery, membersWithMobile } from "./ledger.store.js";
import { e164 } from "./sms.transport.js";

/** Twilio's undelivered codes that mean the number cannot take a message: unknown, unreachable, landline. */
const DEAD_NUMBER_CODES = new Set(["30003", "30005", "30006"]);
/** The opt-out and opt-in keywords carriers and Twilio recognise (the whole reply, any case). */
const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START_WORDS = new Set(["START", "UNSTOP"]);

type SystemCtx = Omit<Ctx, "actor">;

function providerActor(unionId: number, label: string): Actor {
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

/** A delivery report: delivered, undelivered and failed are recorded; other statuses are steps on the way. */
export async function recordSmsStatus(
  ctx: SystemCtx,
  report: { messageId: string; status: string; errorCode: string | null },
): Promise<void> {
  if (!/^[1-9][0-9]{0,18}$/.test(report.messageId)) return;
  const status = report.status;
  if (status !== "delivered" && status !== "undelivered" && status !== "failed") return;
  const woken = await withTx(ctx.db, async (db) => {
    const row = await markDelivery(db, report.messageId, { status, code: report.errorCode });
    if (row?.channel !== "sms") return null;
    if (status === "delivered") {
      await markDelivered(db, row.id, ctx.clock.now());
      return null;
    }
    if (!report.errorCode || !DEAD_NUMBER_CODES.has(report.errorCode) || !row.address) return null;
    // A dead number is the text's hard bounce: the number is flagged and the member's next channel tried.
    await markBounce(db, row.id, {
      bounce: "hard",
      status: report.errorCode,
      failed: true,
      now: ctx.clock.now(),
    });
    const tx = { ...ctx, db, actor: providerActor(row.union_id, "sms:delivery-report") };
    // The fallback before the audit: the audit head is locked last, as every writer does.
    const fallbacks = await fallBack(tx, row.send_id, [row.member_id]);
    await addressFailed(tx, {
      unionId: row.union_id,
      memberId: row.member_id,
      channel: "sms",
      address: row.address,
      reason: "invalid_number",
      messageId: row.id,
      sendId: row.send_id,
      code: report.errorCode,
    });
    return fallbacks ? { id: row.send_id, unionId: row.union_id } : null;
  });
  if (woken) await wakeSend(ctx, woken);
}

export type SmsReplyOutcome = "stopped" | "started" | "ignored";

/**
 * A member's reply to our number. STOP (and its synonyms) suppresses SMS for every member whose mobile
 * is that number; START (UNSTOP) lifts those STOP suppressions. Anything else is not kept.
 */
export async function recordSmsReply(
  ctx: SystemCtx,
  reply: { from: string; body: string },
): Promise<SmsReplyOutcome> {
  const word = reply.body.trim().toUpperCase();
  const kind = STOP_WORDS.has(word) ? "stopped" : START_WORDS.has(word) ? "started" : "ignored";
  if (kind === "ignored") return kind;
  const number = e164(reply.from);
  if (number === null) return "ignored";
  // The member's mobile as stored: E.164 (what imports write) or the national form a person typed.
  const forms = [number];
  if (number.startsWith("+44")) forms.push(`0${number.slice(3)}`);
  await withTx(ctx.db, async (tx) => {
    const members = await membersWithMobile(tx, forms);
    if (kind === "stopped") {
      for (const m of members) {
        const added = await insertSuppression(tx, {
          unionId: m.union_id,
          memberId: m.id,
          channel: "sms",
          reason: "stop",
          address: null,
          messageId: null,
          createdBy: null,
          now: ctx.clock.now(),
        });
        if (added) {
          await recordAudit(
            { ...ctx, db: tx, actor: providerActor(m.union_id, "member:sms-reply") },
            "comms.suppressed",
            {
              subjectType: "member",
              subjectId: m.id,
              details: { channel: "sms", reason: "stop" },
            },
          );
        }
      }
      return;
    }
    const lifted = await liftSuppressions(tx, {
      memberIds: members.map((m) => m.id),
      channel: "sms",
      reason: "stop",
      now: ctx.clock.now(),
    });
    for (const l of lifted) {
      await recordAudit(
        { ...ctx, db: tx, actor: providerActor(l.union_id, "member:sms-reply") },
        "comms.suppression_lifted",
        {
          subjectType: "member",
          subjectId: l.member_id,
          details: { channel: "sms", reason: "stop" },
        },
      );
    }
  });
  return kind;
}
