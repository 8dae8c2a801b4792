/**
 * The statutory result notice to members (TULRCA 1992 s.231; decisions/0030). Once a ballot's result
 * is recorded, every member entitled to vote is told the result of their own constituency, actively:
 * by email, else by text, else by letter, through the send ledger, whose rows record when and by
 * which channel each was told. A statutory message: consent and campaign unsubscribes do not stop it;
 * a member who has left, a STOP, a bounce or an officer's suppression does. A later round tells those
 * not yet told (a bounced email goes by text or letter then) and constituencies declared since.
 */
import { type ExportTrail, recordAudit, startExport } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import { ballotReach, electorateRowInReach, getBallot, getDispute } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { enqueueJob } from "../jobs/index.js";
import { csvText } from "../shared/csv.js";
import { AppError } from "../shared/errors.js";
import type { Channel, Language } from "./comms.model.js";
import { CHANNELS, SUPPRESSION_LABELS, type SuppressionReason } from "./comms.model.js";
import { COMMS_SEND_JOB, type CommsSendPayload } from "./comms.service.js";
import { approveVersion, insertTemplate, insertVersion, setSendJob } from "./comms.store.js";
import { compileEmailHtml } from "./render.js";
import { type ResultFields, resultFields, resultNoticeWording } from "./result-notice.js";
import {
  countTold,
  countUnfinished,
  insertNoticeRound,
  insertNoticeSend,
  selectNoticeRounds,
  selectRecordedResults,
  selectToldMembers,
} from "./result-notice.store.js";
import type { CommsOptions } from "./send.job.js";

/** Every member entitled to vote is in the audience; the rule suppresses those who have left. */
const EVERY_STATUS = ["active", "lapsed", "left", "deceased"];

export interface ResultNoticeDto {
  ballotId: number;
  disputeId: number;
  /** The result of this constituency is recorded: its members can be told. */
  resultRecorded: boolean;
  rounds: {
    round: number;
    createdAt: string;
    createdBy: string | null;
    constituencies: number;
    sends: { sendId: number; channel: Channel }[];
  }[];
  /** This constituency's frozen electorate in the reader's reach, and what the notice did for it. */
  entitled: number;
  told: { email: number; sms: number; letter: number; total: number };
  inProgress: number;
  notYetTold: number;
  notTold: { reason: string; label: string; members: number }[];
  firstToldAt: string | null;
  lastToldAt: string | null;
}

const NOT_TOLD_LABELS: Record<string, string> = {
  ...SUPPRESSION_LABELS,
  // A member falls to letters when no other channel reaches them: no address there means none at all.
  no_address: "no email, mobile or postal address reaches them",
  failed: "the message failed (bounced, refused or undelivered)",
  not_sent: "in no send yet (declared after the last round)",
};

async function disputeOf(ctx: Ctx, ballotId: number) {
  const ballot = await getBallot(ctx, ballotId);
  return { ballot, dispute: await getDispute(ctx, ballot.disputeId) };
}

/** Where the notice stands for one constituency: counts only, in the reader's reach. */
export async function resultNoticeStatus(ctx: Ctx, ballotId: number): Promise<ResultNoticeDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { ballot, dispute } = await disputeOf(ctx, ballotId);
  const rounds = await selectNoticeRounds(ctx.db, grant.unionId, dispute.id);
  const sendIds = rounds.flatMap((r) => r.sends.map((s) => s.send_id));
  const counts = await countTold(ctx.db, {
    ballotId,
    sendIds,
    // The alias is "be": the reach's own subqueries name employers "e".
    rowInReach: electorateRowInReach(ballotReach(ctx.actor, grant), "be"),
  });
  const recorded = await selectRecordedResults(ctx.db, grant.unionId, [ballotId]);
  const told = counts.told.email + counts.told.sms + counts.told.letter;
  const notTold = [
    ...counts.suppressed.map((s) => ({ reason: s.reason, members: s.members })),
    ...(counts.failed ? [{ reason: "failed", members: counts.failed }] : []),
    ...(counts.notSent && rounds.length ? [{ reason: "not_sent", members: counts.notSent }] : []),
  ].map((s) => ({
    ...s,
    label: NOT_TOLD_LABELS[s.reason as SuppressionReason] ?? s.reason,
  }));
  return {
    ballotId: ballot.id,
    disputeId: dispute.id,
    resultRecorded: recorded.length > 0,
    rounds: rounds.map((r) => ({
      round: r.round,
      createdAt: new Date(r.created_at).toISOString(),
      createdBy: r.created_by_name,
      constituencies: r.ballot_ids.length,
      sends: r.sends.map((s) => ({ sendId: s.send_id, channel: s.channel as Channel })),
    })),
    entitled: counts.entitled,
    told: { ...counts.told, total: told },
    inProgress: counts.inProgress,
    notYetTold: counts.entitled - told,
    notTold,
    firstToldAt: counts.firstToldAt?.toISOString() ?? null,
    lastToldAt: counts.lastToldAt?.toISOString() ?? null,
  };
}

/**
 * Queues a round of the dispute's notice: every constituency whose result is recorded, each member
 * by their first channel, those told in earlier rounds left out. Refused while an earlier round is
 * still sending, so no member is sent the notice by two rounds at once.
 */
export async function sendResultNotice(
  ctx: Ctx,
  ballotId: number,
  deps: { comms?: CommsOptions | undefined; onJobQueued?: (() => void) | undefined } = {},
): Promise<ResultNoticeDto> {
  authorize(ctx.actor, "ballots.manage");
  const grant = authorize(ctx.actor, "comms.send");
  const { dispute } = await disputeOf(ctx, ballotId);
  const results = await selectRecordedResults(
    ctx.db,
    grant.unionId,
    dispute.ballots.map((b) => b.id),
  );
  if (!results.length) {
    throw new AppError(
      "comms.no_result",
      "No constituency of this dispute has its result recorded yet: record the result first.",
    );
  }
  const rounds = await selectNoticeRounds(ctx.db, grant.unionId, dispute.id);
  const earlier = rounds.flatMap((r) => r.sends.map((s) => s.send_id));
  if ((await countUnfinished(ctx.db, earlier)) > 0) {
    throw new AppError(
      "comms.notice_in_progress",
      "The result notice is still being sent; tell those not yet told once it has finished.",
    );
  }
  const figures: Record<string, ResultFields> = {};
  for (const r of results) figures[String(r.ballotId)] = resultFields(r);
  const ballotIds = results.map((r) => r.ballotId);
  // The email layouts are compiled before the transaction: MJML takes a moment.
  const html = new Map<Language, string>();
  for (const language of ["en", "cy"] as const) {
    const w = resultNoticeWording("email", language);
    html.set(language, await compileEmailHtml(w.body, "statutory", w.subject ?? "", language));
  }
  const now = ctx.clock.now();
  const jobIds: number[] = [];
  await withTx(ctx.db, async (tx) => {
    const notice = await insertNoticeRound(tx, {
      unionId: grant.unionId,
      disputeId: dispute.id,
      ballotIds,
      figures,
      createdBy: ctx.actor.userId,
      now,
    });
    const sends: number[] = [];
    // Channels this installation sends by, in the order a member is tried: letters always.
    const order = CHANNELS.filter(
      (c) => c === "letter" || (c === "email" ? !!deps.comms?.emailTransport : !!deps.comms?.sms),
    );
    for (const channel of order) {
      // The standard wording, approved by the officer who sends the notice: the law fixes what it says.
      const template = await insertTemplate(tx, {
        unionId: grant.unionId,
        name: `Result notice: dispute ${dispute.id}, round ${notice.round} (${channel})`,
        channel,
        purpose: "statutory",
        createdBy: ctx.actor.userId,
        now,
      });
      const versions: Partial<Record<Language, number>> = {};
      for (const language of ["en", "cy"] as const) {
        const w = resultNoticeWording(channel, language);
        const v = await insertVersion(tx, {
          templateId: template.id,
          language,
          subject: w.subject,
          body: w.body,
          createdBy: ctx.actor.userId,
          now,
        });
        await approveVersion(tx, {
          id: v.id,
          templateId: template.id,
          language,
          html: channel === "email" ? html.get(language)! : null,
          by: ctx.actor.userId,
          now,
        });
        versions[language] = v.id;
      }
      const send = await insertNoticeSend(tx, {
        noticeId: notice.id,
        unionId: grant.unionId,
        templateId: template.id,
        channel,
        ballotId,
        definition: {
          definition: { memberStatuses: EVERY_STATUS },
          ballotIds,
          firstChannel: channel,
          channelOrder: order,
          notToldIn: earlier,
          noticeId: notice.id,
          results: figures,
        },
        reach: grant.rows,
        versions,
        createdBy: ctx.actor.userId,
        now,
      });
      const job = await enqueueJob(
        { ...ctx, db: tx },
        COMMS_SEND_JOB,
        { sendId: send.id } satisfies CommsSendPayload,
        { dedupeKey: `comms_send:${send.id}`, maxAttempts: 100 },
      );
      await setSendJob(tx, send.id, job.id);
      sends.push(send.id);
      jobIds.push(job.id);
    }
    await recordAudit({ ...ctx, db: tx }, "comms.result_notice_queued", {
      subjectType: "dispute",
      subjectId: dispute.id,
      details: { round: notice.round, ballotIds, sendIds: sends, jobIds },
    });
  });
  deps.onJobQueued?.();
  return resultNoticeStatus(ctx, ballotId);
}

/** The most members a constituency's record lists in one file. */
const MAX_RECORD_ROWS = 500_000;

/**
 * The record per member (CSV): told when and by which channel, or why not yet. Personal data: national
 * officers only (the voter file's permission), audited as an export.
 */
export async function resultNoticeRecord(
  ctx: Ctx,
  ballotId: number,
): Promise<{ filename: string; csv: string; trail: ExportTrail }> {
  const grant = authorize(ctx.actor, "ballots.voter_file");
  const { dispute } = await disputeOf(ctx, ballotId);
  const rounds = await selectNoticeRounds(ctx.db, grant.unionId, dispute.id);
  const rows = await selectToldMembers(
    ctx.db,
    ballotId,
    rounds.flatMap((r) => r.sends.map((s) => s.send_id)),
    MAX_RECORD_ROWS,
  );
  const status = (r: (typeof rows)[number]) =>
    r.told_by
      ? "told"
      : r.last_state === null
        ? "not sent"
        : r.last_state === "suppressed"
          ? `not told: ${NOT_TOLD_LABELS[r.last_reason ?? ""] ?? r.last_reason}`
          : r.last_state === "failed"
            ? "not told: the message failed"
            : "being sent";
  const csv = csvText([
    ["membership_number", "surname", "forenames", "status", "channel", "told_at"],
    ...rows.map((r) => [
      r.membership_number,
      r.surname,
      r.forenames,
      status(r),
      r.told_by ?? "",
      r.told_at ? new Date(r.told_at).toISOString() : "",
    ]),
  ]);
  const trail = await startExport(ctx, "result_notice_members", {
    subjectType: "ballot",
    subjectId: ballotId,
    details: { rows: rows.length, rounds: rounds.length },
  });
  return { filename: `result-notice-ballot-${ballotId}.csv`, csv, trail };
}
