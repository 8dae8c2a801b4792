/**
 * A send as a job of the queue (decisions/0027). First the ledger is written, a window of member ids
 * per committed step; then messages are claimed in batches, sent on `concurrency` slots, and marked
 * as the server answers, in one UPDATE every few milliseconds. A slot takes its next message only when
 * its mark is committed, so a worker killed at any moment leaves at most `concurrency` messages sent
 * but not recorded; the run that takes the job over sends those again, with the same Message-ID, and
 * nothing else twice.
 */
import { recordAudit } from "../audit/index.js";
import type { Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import type { JobHandler, JobRun } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import type { MessageRule, ResolvedAudience } from "./audience.store.js";
import type { Channel, Language, Purpose, SegmentDefinition } from "./comms.model.js";
import {
  auditKeyOfSecret,
  COMMS_SEND_JOB,
  type CommsSendPayload,
  grantOfSend,
  mergeMember,
} from "./comms.service.js";
import { selectMergeRows, selectSend, selectUnionName, selectVersion } from "./comms.store.js";
import { addressFailed } from "./deliverability.service.js";
import {
  channelsOfSend,
  type FallbackPlan,
  type FallbackSend,
  writeFallbacks,
} from "./deliverability.store.js";
import type { EmailTransport } from "./email.transport.js";
import {
  type ClaimedMessage,
  claimBatch,
  insertSuppression,
  ledgerCounts,
  type MessageOutcome,
  markMessages,
  memberIdRange,
  purgeRateWindows,
  releaseInFlight,
  reserveRate,
  writeWindow,
} from "./ledger.store.js";
import { domainOf, messageIdFor, returnPathFor, unsubscribeToken } from "./links.js";
import { runPrintBatches } from "./print.job.js";
import {
  type CompiledVersion,
  compileVersion,
  isCampaign,
  type MergeFields,
  renderMessage,
} from "./render.js";
import type { ResultFields } from "./result-notice.js";
import { selectMemberResults } from "./result-notice.store.js";
import type { SmsOutcome, SmsSuppression, SmsTransport } from "./sms.transport.js";

export interface CommsOptions {
  /** The From of every email ("Union <ballots@union.org.uk>"). */
  from: string;
  /** Where members' links point (the unsubscribe page): the installation's public address. */
  publicUrl: string;
  /** Letters per print batch (letter sends; 2,000 unless set). */
  lettersPerBatch?: number;
  /** The email transport, made once per run (null: no SMTP server configured). */
  emailTransport: ((concurrency: number) => EmailTransport) | null;
  /** The return path's domain (VERP), where bounce notices come back; the From's domain unless set. */
  bounceDomain?: string | undefined;
  /** Messages in flight at once: the bound on repeats after a crash. */
  concurrency: number;
  /** Messages a second per channel, shared by every worker. */
  emailPerSecond: number;
  /**
   * The SMS provider (null or absent: SMS sends are refused): its transport, the auth token that
   * signs its callbacks, and its messages a second, shared by every worker.
   */
  sms?: SmsOptions | null;
}

export interface SmsOptions {
  transport: () => SmsTransport;
  authToken: string;
  perSecond: number;
}

/** A server's answer to one message, whatever the channel: a refusal for good may suppress the address. */
type Answer =
  | Exclude<SmsOutcome, { kind: "permanent" }>
  | { kind: "permanent"; code: string; response: string; suppress: SmsSuppression | "hard_bounce" | null };

/** Ledger rows written per committed step. */
const WINDOW = 50_000;
/** A temporary refusal waits 30 s, then 2 min, 10 min, 30 min; after that the message has failed. */
const RETRY_AFTER_SECONDS = [30, 120, 600, 1800];

interface SendStep {
  phase: "write" | "send";
  /** Write phase: the last member id written. */
  after: number;
}

export interface SendResult {
  sendId: number;
  written: number;
  sent: number;
  failed: number;
  suppressed: number;
  pending: number;
  /** Messages found in flight when this run started (a run before it stopped): sent again. */
  inFlightResent: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** What a send keeps of its audience when queued (comms_sends.definition). */
interface StoredAudience {
  definition: SegmentDefinition;
  ballotIds: number[] | null;
  /** Result notices (decisions/0030): each member by their first channel, those told before left out. */
  firstChannel?: Channel | null;
  channelOrder?: Channel[] | null;
  notToldIn?: number[] | null;
  /** Result notices: the round the send is one of (a member is written by one send of a round). */
  noticeId?: number | null;
  /** Result notices: each constituency's result as merge fields, by ballot id. */
  results?: Record<string, ResultFields> | null;
}

export function commsSendJob(options: CommsOptions): JobHandler<CommsSendPayload> {
  return { kind: COMMS_SEND_JOB, run: (job) => runSend(job, options) };
}

async function runSend(job: JobRun<CommsSendPayload>, options: CommsOptions): Promise<SendResult> {
  const ctx = job.ctx;
  const send = await selectSend(ctx.db, ctx.actor.unionId, job.payload.sendId);
  if (!send) throw new AppError("comms.not_found", `No such send (${job.payload.sendId}) in your union.`);
  const stored = send.definition as unknown as StoredAudience;
  const audience: ResolvedAudience = {
    definition: stored.definition,
    ballotIds: stored.ballotIds,
    firstChannel: stored.firstChannel ?? null,
    channelOrder: stored.channelOrder ?? null,
    notToldIn: stored.notToldIn ?? null,
    roundOf: stored.noticeId ? { noticeId: stored.noticeId, sendId: send.id } : null,
  };
  const rule: MessageRule = {
    channel: send.channel as Channel,
    purpose: send.purpose as Purpose,
    ballotIds: stored.ballotIds,
  };
  const grant = grantOfSend(send.union_id, send.reach);
  const versions = send.versions as unknown as Partial<Record<Language, number>>;
  const fallback = (send.fallback ?? null) as FallbackPlan | null;
  const fallbackSend: FallbackSend = {
    id: send.id,
    channel: rule.channel,
    purpose: rule.purpose,
    ballotIds: stored.ballotIds,
    fallback,
  };
  // A run for fallback messages written after the send (a bounce's) skips the ledger's writing.
  let step =
    (job.step as SendStep | null) ??
    (job.payload.phase === "send" ? { phase: "send", after: 0 } : { phase: "write", after: 0 });

  // 1. The ledger, window by window; with the fallback messages of members with no address.
  let written = 0;
  if (step.phase === "write") {
    const range = await memberIdRange(ctx.db, send.union_id);
    let after = Math.max(step.after, (range.lo ?? 1) - 1);
    const hi = range.hi ?? 0;
    while (after < hi) {
      job.throwIfStopped();
      const upTo = Math.min(after + WINDOW, hi);
      await withTx(ctx.db, async (tx) => {
        written += await writeWindow(tx, {
          sendId: send.id,
          grant,
          audience,
          rule,
          versions: { en: versions.en!, cy: versions.cy ?? null },
          after,
          upTo,
        });
        written += await writeFallbacks(tx, fallbackSend, { after, upTo });
        await job.commitStep(tx, { phase: "write", after: upTo } satisfies SendStep);
      });
      after = upTo;
    }
    step = { phase: "send", after: hi };
    await withTx(ctx.db, (tx) => job.commitStep(tx, step));
  }

  // 2. Each channel in turn: the send's own, then those it falls back to. Fallbacks written while a
  // later channel was going (a bounce notice's) are taken by another pass.
  const channels = channelsOfSend(fallbackSend);
  let inFlightResent = 0;
  for (let pass = 0; pass < 10; pass++) {
    let anything = false;
    for (const channel of channels) {
      const counts = await ledgerCounts(ctx.db, send.id, channel);
      if (pass > 0 && counts.pending === 0 && counts.sending === 0) continue;
      anything = true;
      const channelVersions = channel === rule.channel ? versions : fallbackVersions(fallback, channel);
      const channelRule = { ...rule, channel };
      if (channel === "letter") {
        // Letters go to the mailing house in print batches, not through a transport (print.job.ts).
        const r = await runPrintBatches(
          job,
          {
            id: send.id,
            unionId: send.union_id,
            rule: channelRule,
            grant,
            versions: channelVersions,
            written,
            results: stored.results ?? null,
          },
          options,
        );
        inFlightResent += r.inFlightResent;
      } else {
        inFlightResent += await runTransport(job, options, {
          send,
          rule: channelRule,
          grant,
          versions: channelVersions,
          fallbackSend,
          pending: counts.pending + counts.sending,
          results: stored.results ?? null,
        });
      }
    }
    if (!anything) break;
  }
  await purgeRateWindows(ctx.db);
  const end = await ledgerCounts(ctx.db, send.id);
  return {
    sendId: send.id,
    written,
    sent: end.sent,
    failed: end.failed,
    suppressed: end.suppressed,
    pending: end.pending,
    inFlightResent,
  };
}

function fallbackVersions(plan: FallbackPlan | null, channel: Channel): Partial<Record<Language, number>> {
  const p = channel === "email" ? undefined : plan?.[channel];
  if (!p) throw new AppError("comms.not_found", `The send has no template for ${channel}.`);
  return p.versions.cy === null ? { en: p.versions.en } : { en: p.versions.en, cy: p.versions.cy };
}

/**
 * Messages of one channel out through its transport (email, SMS), until none is left to send.
 * Returns how many were found in flight (a run before stopped) and sent again.
 */
async function runTransport(
  job: JobRun<CommsSendPayload>,
  options: CommsOptions,
  p: {
    send: NonNullable<Awaited<ReturnType<typeof selectSend>>>;
    rule: MessageRule;
    grant: Grant;
    versions: Partial<Record<Language, number>>;
    fallbackSend: FallbackSend;
    pending: number;
    /** A result notice's constituency results as merge fields, by ballot id (decisions/0030). */
    results: Record<string, ResultFields> | null;
  },
): Promise<number> {
  const ctx = job.ctx;
  const { send, rule, grant, versions, fallbackSend } = p;
  if (p.pending === 0 && rule.channel !== send.channel) return 0;
  const sms = options.sms ?? null;
  if (!(rule.channel === "email" && options.emailTransport) && !(rule.channel === "sms" && sms)) {
    throw new AppError(
      "comms.channel_unavailable",
      `Sending by ${rule.channel} is not set up on this installation.`,
    );
  }
  const inFlightResent = await releaseInFlight(ctx.db, send.id);
  if (inFlightResent) {
    await job.problem(
      `${inFlightResent} messages were in flight when the last run stopped; they are sent again with the same Message-ID.`,
    );
  }
  const counts = await ledgerCounts(ctx.db, send.id);
  const total = counts.pending + counts.sent + counts.failed + counts.suppressed;
  let done = total - counts.pending;
  await job.progress(done, total);

  const compiled = new Map<number, CompiledVersion>();
  for (const id of Object.values(versions)) {
    const v = await selectVersion(ctx.db, send.union_id, id!);
    if (!v) throw new AppError("comms.not_found", `No such template version (${id}).`);
    compiled.set(
      v.id,
      compileVersion({
        channel: rule.channel,
        purpose: rule.purpose,
        subject: v.subject,
        body: v.body,
        html: v.compiled_html,
      }),
    );
  }
  const secret = auditKeyOfSecret(ctx);
  const unionName = await selectUnionName(ctx.db, send.union_id);
  const domain = domainOf(options.from);
  // Bounces come back to the return path's domain: the From's unless a domain of its own is set.
  const bounceDomain = options.bounceDomain ?? domain;
  const publicUrl = options.publicUrl.replace(/\/+$/, "");
  const emailTransport = rule.channel === "email" ? options.emailTransport!(options.concurrency) : null;
  const smsTransport = rule.channel === "sms" ? sms!.transport() : null;
  const marks = new MarkBuffer(ctx);
  // One window per provider account, whichever union or worker sends through it.
  const rateKey = smsTransport ? `sms:${smsTransport.provider}` : `email:${domain}`;
  const perSecond = smsTransport ? sms!.perSecond : options.emailPerSecond;
  let backoffMs = 0;

  try {
    for (;;) {
      job.throwIfStopped();
      const now = ctx.clock.now();
      const want = Math.min(options.concurrency * 4, perSecond);
      if (!(await reserveRate(ctx.db, rateKey, want, perSecond))) {
        // This second's messages are spent (by this worker or others): try again in the next.
        await sleep(1000 - (Date.now() % 1000) + 5, job.signal);
        continue;
      }
      const claimed = await withTx(ctx.db, (tx) =>
        claimBatch(tx, { sendId: send.id, rule, now, limit: want }),
      );
      if (!claimed.length) {
        const left = await ledgerCounts(ctx.db, send.id, rule.channel);
        if (left.pending === 0 && left.sending === 0) break;
        // Only messages waiting to be tried again are left: look again shortly.
        await sleep(Math.min(5_000, 500 + backoffMs), job.signal);
        continue;
      }
      const suppressedNow = claimed.filter((c) => c.state === "suppressed").length;
      const toSend = claimed.filter((c) => c.state === "sending");
      const merge = new Map(
        (
          await selectMergeRows(
            ctx.db,
            grant,
            toSend.map((c) => c.memberId),
          )
        ).map((m) => [m.id, mergeMember(m)]),
      );
      // A result notice merges each member's constituency result (decisions/0030).
      const results = p.results
        ? await selectMemberResults(
            ctx.db,
            p.results,
            toSend.map((c) => c.memberId),
          )
        : null;
      let temporary = 0;
      const queue = [...toSend];
      const slot = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          if (job.signal.aborted) {
            queue.unshift(c);
            return;
          }
          const outcome = await sendOne(c);
          if (outcome.state === "pending") temporary++;
          await marks.add(outcome);
        }
      };
      /** The server's answer to one message, the same shape for every channel. */
      const deliver = async (
        c: ClaimedMessage,
        version: CompiledVersion,
        member: MergeFields["member"],
        figures: MergeFields["result"],
      ): Promise<Answer> => {
        const token = unsubscribeToken(secret, c.id);
        const unsubscribeUrl = `${publicUrl}/api/comms/unsubscribe/${token}`;
        const out = renderMessage(version, {
          member,
          union: { name: unionName },
          unsubscribe_url: isCampaign(rule.purpose) ? unsubscribeUrl : "",
          ...(figures ? { result: figures } : {}),
        });
        if (smsTransport) {
          // The callback names its ledger row; Twilio's signature covers the whole URL, query included.
          return smsTransport.send({
            to: c.address!,
            body: out.text,
            statusCallback: `${publicUrl}/api/comms/sms/status?message=${c.id}`,
          });
        }
        const result = await emailTransport!.send({
          messageId: messageIdFor(c.id, send.id, domain),
          from: options.from,
          returnPath: returnPathFor(secret, c.id, bounceDomain),
          to: c.address!,
          subject: out.subject ?? "",
          html: out.html,
          text: out.text,
          date: ctx.clock.now(),
          headers: isCampaign(rule.purpose)
            ? {
                "List-Unsubscribe": `<${unsubscribeUrl}>`,
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
              }
            : {},
        });
        if (result.kind !== "permanent") return result;
        return {
          kind: "permanent",
          code: result.code,
          response: result.response,
          suppress: result.hardBounce ? "hard_bounce" : null,
        };
      };
      const sendOne = async (c: ClaimedMessage): Promise<MessageOutcome> => {
        const member = merge.get(c.memberId);
        const version = compiled.get(c.contentVersion);
        if (!member || !version || !c.address) {
          // Moved out of the send's reach since it was queued, or the address went: nothing is sent.
          return { id: c.id, state: "failed", response: "not_in_reach" };
        }
        const figures = results?.get(c.memberId);
        if (results && !figures) return { id: c.id, state: "failed", response: "no_result" };
        const result = await deliver(c, version, member, figures);
        if (result.kind === "accepted") return { id: c.id, state: "sent", response: result.response };
        if (result.kind === "temporary") {
          const wait = RETRY_AFTER_SECONDS[c.attempts - 1];
          if (wait === undefined) return { id: c.id, state: "failed", response: `gave_up ${result.code}` };
          return {
            id: c.id,
            state: "pending",
            response: result.code,
            notBefore: new Date(ctx.clock.now().getTime() + wait * 1000),
          };
        }
        const reason = result.suppress;
        if (reason === "stop") {
          // A STOP stops the member on the channel, whatever the number.
          await withTx(ctx.db, async (tx) => {
            const added = await insertSuppression(tx, {
              unionId: send.union_id,
              memberId: c.memberId,
              channel: rule.channel,
              reason,
              address: null,
              messageId: c.id,
              createdBy: null,
              now: ctx.clock.now(),
            });
            if (added) {
              await recordAudit({ ...ctx, db: tx }, "comms.suppressed", {
                subjectType: "member",
                subjectId: c.memberId,
                details: { channel: rule.channel, reason, sendId: send.id },
              });
            }
          });
        } else if (reason) {
          // A bounce or a bad number stops that address and flags it on the member's record.
          await withTx(ctx.db, (tx) =>
            addressFailed(
              { ...ctx, db: tx },
              {
                unionId: send.union_id,
                memberId: c.memberId,
                channel: rule.channel,
                address: c.address!,
                reason,
                messageId: c.id,
                sendId: send.id,
              },
            ),
          );
        }
        return {
          id: c.id,
          state: "failed",
          response: `${result.code} ${reason ?? ""}`.trim(),
          ...(reason && reason !== "stop" ? { bounce: "hard" as const, bounceStatus: result.code } : {}),
        };
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, toSend.length) }, slot));
      await marks.flush();
      // Claimed but not sent because the run is stopping: back to pending, sent by the next run.
      if (queue.length) {
        await markMessages(
          ctx.db,
          queue.map((c) => ({ id: c.id, state: "pending" as const, response: null })),
          ctx.clock.now(),
        );
      }
      // Members whose message failed for good here (or had no address by now) fall back to their next channel.
      if (fallbackSend.fallback) {
        await withTx(ctx.db, (tx) =>
          writeFallbacks(tx, fallbackSend, { ids: claimed.map((c) => c.memberId) }),
        );
      }
      done += suppressedNow + (toSend.length - queue.length - temporary);
      await job.progress(done, total);
      // The server is refusing for now (421, 454, dropped connections): slow down before the next batch.
      backoffMs = temporary ? Math.min(30_000, Math.max(1000, backoffMs * 2)) : 0;
      if (backoffMs) await sleep(backoffMs, job.signal);
    }
  } finally {
    await marks.flush().catch(() => undefined);
    emailTransport?.close();
    smsTransport?.close();
  }
  return inFlightResent;
}

/**
 * Marks wait here a few milliseconds and go to the database together, in one statement. `add`
 * resolves when the mark is committed: a slot takes its next message only then.
 */
class MarkBuffer {
  private pending: { outcome: MessageOutcome; done: () => void; fail: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Ctx,
    private readonly maxWaitMs = 5,
    private readonly maxBatch = 500,
  ) {}

  add(outcome: MessageOutcome): Promise<void> {
    return new Promise<void>((done, fail) => {
      this.pending.push({ outcome, done, fail });
      if (this.pending.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    this.running = this.running.then(async () => {
      if (!batch.length) return;
      try {
        await markMessages(
          this.ctx.db,
          batch.map((b) => b.outcome),
          this.ctx.clock.now(),
        );
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    });
    return this.running;
  }
}
