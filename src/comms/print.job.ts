/**
 * A letter send's messages out (decisions/0027): instead of a transport, the claimed messages go into
 * print batches for a mailing house, one PDF (a letter per page group) and its address file each.
 * A batch is stored, and its ledger rows marked sent, in one transaction: a run killed while making a
 * batch leaves its rows `sending` and no batch; the run that takes the send over puts them back to
 * pending, claims them again (the suppression rule applied again) and batches them. No batch is made
 * twice and none is lost.
 */
import { recordAudit } from "../audit/index.js";
import type { Grant } from "../auth/index.js";
import { withTx } from "../db/tx.js";
import { type JobRun, JobStopped } from "../jobs/index.js";
import { letterAddressCsv, type MemberLetter, renderMemberLetters } from "../notices/index.js";
import { unionLetterhead } from "../org/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { sha256OfBytes } from "../shared/hash.js";
import type { MessageRule } from "./audience.store.js";
import type { Language } from "./comms.model.js";
import { auditKeyOfSecret, type CommsSendPayload, mergeMember } from "./comms.service.js";
import { selectMergeRows, selectVersion } from "./comms.store.js";
import {
  claimBatch,
  ledgerCounts,
  type MessageOutcome,
  markMessages,
  releaseInFlight,
} from "./ledger.store.js";
import { unsubscribeToken } from "./links.js";
import { insertPrintBatch } from "./print.store.js";
import { type CompiledVersion, compileVersion, isCampaign, renderMessage } from "./render.js";
import type { ResultFields } from "./result-notice.js";
import { selectMemberResults } from "./result-notice.store.js";
import type { SendResult } from "./send.job.js";

/** Letters per batch unless the options say otherwise: a mailing house's usual run. */
export const LETTERS_PER_BATCH = 2_000;

export interface PrintSend {
  id: number;
  unionId: number;
  rule: MessageRule;
  grant: Grant;
  versions: Partial<Record<Language, number>>;
  /** Ledger rows this run wrote (for the result). */
  written: number;
  /** Result notices: each constituency's result as merge fields, by ballot id (decisions/0030). */
  results?: Record<string, ResultFields> | null;
}

/** The letter in a message's ledger address: its lines, the postcode last (addressSql('letter')). */
export function splitLetterAddress(address: string): { lines: string[]; postcode: string } {
  const parts = address.split("\n");
  const postcode = parts.pop() ?? "";
  return { lines: parts, postcode };
}

export async function runPrintBatches(
  job: JobRun<CommsSendPayload>,
  send: PrintSend,
  options: { publicUrl: string; lettersPerBatch?: number | undefined },
): Promise<SendResult> {
  const ctx = job.ctx;
  const perBatch = options.lettersPerBatch ?? LETTERS_PER_BATCH;
  // Rows still `sending` belong to a batch that was never committed: they go again.
  const inFlightResent = await releaseInFlight(ctx.db, send.id);
  if (inFlightResent) {
    await job.problem(
      `${inFlightResent} letters were being batched when the last run stopped; they go into a new batch.`,
    );
  }
  const counts = await ledgerCounts(ctx.db, send.id);
  const total = counts.pending + counts.sent + counts.failed + counts.suppressed;
  let done = total - counts.pending;
  await job.progress(done, total);

  const compiled = new Map<number, CompiledVersion>();
  for (const id of Object.values(send.versions)) {
    const v = await selectVersion(ctx.db, send.unionId, id!);
    if (!v) throw new AppError("comms.not_found", `No such template version (${id}).`);
    compiled.set(
      v.id,
      compileVersion({
        channel: "letter",
        purpose: send.rule.purpose,
        subject: null,
        body: v.body,
        html: null,
      }),
    );
  }
  const union = await unionLetterhead(ctx.db, send.unionId);
  const secret = auditKeyOfSecret(ctx);
  const publicUrl = options.publicUrl.replace(/\/+$/, "");
  const campaign = isCampaign(send.rule.purpose);

  for (;;) {
    job.throwIfStopped();
    const now = ctx.clock.now();
    const claimed = await withTx(ctx.db, (tx) =>
      claimBatch(tx, { sendId: send.id, rule: send.rule, now, limit: perBatch }),
    );
    if (!claimed.length) break;
    const toPrint = claimed.filter((c) => c.state === "sending");
    const merge = new Map(
      (
        await selectMergeRows(
          ctx.db,
          send.grant,
          toPrint.map((c) => c.memberId),
        )
      ).map((m) => [m.id, m]),
    );
    const results = send.results
      ? await selectMemberResults(
          ctx.db,
          send.results,
          toPrint.map((c) => c.memberId),
        )
      : null;
    const letters: MemberLetter[] = [];
    const ids: string[] = [];
    const failed: MessageOutcome[] = [];
    for (const c of toPrint) {
      const m = merge.get(c.memberId);
      const version = compiled.get(c.contentVersion);
      if (!m || !version || !c.address) {
        // Moved out of the send's reach since it was queued, or the address went: nothing is printed.
        failed.push({ id: c.id, state: "failed", response: "not_in_reach" });
        continue;
      }
      const figures = results?.get(c.memberId);
      if (results && !figures) {
        failed.push({ id: c.id, state: "failed", response: "no_result" });
        continue;
      }
      const unsubscribeUrl = campaign
        ? `${publicUrl}/api/comms/unsubscribe/${unsubscribeToken(secret, c.id)}`
        : "";
      const out = renderMessage(version, {
        member: mergeMember(m),
        union: { name: union.name },
        unsubscribe_url: unsubscribeUrl,
        ...(figures ? { result: figures } : {}),
      });
      const address = splitLetterAddress(c.address);
      letters.push({
        reference: c.id,
        name: `${m.forenames} ${m.surname}`.trim(),
        addressLines: address.lines,
        postcode: address.postcode,
        text: out.text,
        footer: campaign
          ? `You get this letter as a member of ${union.name}. To stop campaign letters: ${unsubscribeUrl}`
          : "",
      });
      ids.push(c.id);
    }
    let pages = 0;
    let files: { pdf: Buffer; csv: Buffer } | null = null;
    if (letters.length) {
      const rendered = await renderMemberLetters({
        union,
        issuedOn: ukDate(now),
        subject: `Send ${send.id} letters`,
        letters,
      });
      pages = rendered.pages.reduce((a, n) => a + n, 0);
      files = { pdf: rendered.pdf, csv: Buffer.from(letterAddressCsv(letters, rendered.pages), "utf8") };
    }
    await withTx(ctx.db, async (tx) => {
      if (failed.length) await markMessages(tx, failed, now);
      if (files) {
        const made = await insertPrintBatch(tx, {
          unionId: send.unionId,
          sendId: send.id,
          messageIds: ids,
          pages,
          pdf: files.pdf,
          pdfSha256: sha256OfBytes(files.pdf),
          csv: files.csv,
          csvSha256: sha256OfBytes(files.csv),
          now,
        });
        // Its rows are no longer ours: another run took the send over. Nothing of this batch is kept.
        if (!made) throw new JobStopped("lease_lost");
        await recordAudit({ ...ctx, db: tx }, "comms.print_batch_made", {
          subjectType: "comms_send",
          subjectId: send.id,
          details: { batch: made.batchNo, letters: ids.length, pages },
        });
      }
      // Fenced by the job's lease: a run that lost the send commits no batch.
      await job.progress(done + claimed.length, total, tx);
    });
    done += claimed.length;
  }
  const end = await ledgerCounts(ctx.db, send.id);
  return {
    sendId: send.id,
    written: send.written,
    sent: end.sent,
    failed: end.failed,
    suppressed: end.suppressed,
    pending: end.pending,
    inFlightResent,
  };
}
