/**
 * A letter send's print batches: listed, and downloaded as audited exports (the PDF or the mailing
 * house's address file), by those who may send in the union, for sends inside their own reach.
 */
import { type ExportTrail, startExport } from "../audit/index.js";
import { authorize, type RowScope } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { AppError } from "../shared/errors.js";
import type { PrintBatchDto } from "./comms.model.js";
import { selectSend } from "./comms.store.js";
import { selectPrintBatches, selectPrintBatchFile } from "./print.store.js";

/** Whether a reader's reach holds all of a send's (letters name members and their addresses). */
export function reachCovers(reader: RowScope, send: RowScope): boolean {
  if (reader.kind === "all") return true;
  if (send.kind !== reader.kind) return false;
  const mine = new Set(reader.ids);
  return send.ids.every((id) => mine.has(id));
}

async function sendInReach(ctx: Ctx, sendId: number) {
  const grant = authorize(ctx.actor, "comms.send");
  const send = await selectSend(ctx.db, grant.unionId, sendId);
  if (!send || !reachCovers(grant.rows, send.reach as unknown as RowScope)) {
    throw new AppError("comms.not_found", `No such send (${sendId}) in your union.`);
  }
  return { grant, send };
}

export async function listPrintBatches(ctx: Ctx, sendId: number): Promise<PrintBatchDto[]> {
  const { grant, send } = await sendInReach(ctx, sendId);
  const rows = await selectPrintBatches(ctx.db, grant.unionId, send.id);
  return rows.map((r) => ({
    id: r.id,
    sendId: r.send_id,
    batch: r.batch_no,
    letters: r.letters,
    pages: r.pages,
    pdf: { bytes: Number(r.pdf_bytes), sha256: r.pdf_sha256 },
    csv: { bytes: Number(r.csv_bytes), sha256: r.csv_sha256 },
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** One batch's PDF or address file; the caller ends the trail when the bytes are handed over. */
export async function downloadPrintBatch(
  ctx: Ctx,
  sendId: number,
  batchId: number,
  format: "pdf" | "csv",
): Promise<{ filename: string; contentType: string; content: Buffer; sha256: string; trail: ExportTrail }> {
  const { grant, send } = await sendInReach(ctx, sendId);
  const row = await selectPrintBatchFile(ctx.db, grant.unionId, batchId, format);
  if (!row || row.send_id !== send.id) {
    throw new AppError("comms.not_found", `No such print batch (${batchId}) in this send.`);
  }
  const content = Buffer.from(row.content);
  const trail = await startExport(ctx, "comms_print_batch", {
    subjectType: "comms_send",
    subjectId: send.id,
    details: { batch: row.batch_no, format, letters: row.letters, bytes: content.length },
  });
  return {
    filename: `letters-send-${send.id}-batch-${row.batch_no}.${format}`,
    contentType: format === "pdf" ? "application/pdf" : "text/csv; charset=utf-8",
    content,
    sha256: row.sha256,
    trail,
  };
}
