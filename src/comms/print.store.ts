/**
 * Print batches of letter sends (decisions/0027): a batch is stored, and its ledger rows marked sent,
 * in one transaction. None of these functions authorises, audits or opens a transaction.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

export interface NewPrintBatch {
  unionId: number;
  sendId: number;
  /** The ledger rows the batch's letters are, all `sending` (claimed by this run). */
  messageIds: readonly string[];
  pages: number;
  pdf: Buffer;
  pdfSha256: string;
  csv: Buffer;
  csvSha256: string;
  now: Date;
}

/**
 * Stores a batch with the next number of its send and marks its ledger rows sent; null, with nothing
 * written, when any of them is no longer `sending` (a run that took the send over made its batch).
 * Call inside a transaction: on null the caller rolls it back.
 */
export async function insertPrintBatch(
  tx: Db,
  b: NewPrintBatch,
): Promise<{ id: number; batchNo: number } | null> {
  // One batch number at a time per send.
  await tx.selectFrom("comms_sends").select("id").where("id", "=", b.sendId).forUpdate().execute();
  const next = await tx
    .selectFrom("comms_print_batches")
    .select(sql<number>`coalesce(max(batch_no), 0) + 1`.as("n"))
    .where("send_id", "=", b.sendId)
    .executeTakeFirstOrThrow();
  const batchNo = Number(next.n);
  const marked = await sql`
    update comms_messages set state = 'sent', sent_at = ${b.now}, response = ${`print batch ${batchNo}`}
    where send_id = ${b.sendId} and id = any(${b.messageIds}::bigint[]) and state = 'sending'`.execute(tx);
  if (Number(marked.numAffectedRows ?? 0) !== b.messageIds.length) return null;
  const row = await tx
    .insertInto("comms_print_batches")
    .values({
      union_id: b.unionId,
      send_id: b.sendId,
      batch_no: batchNo,
      letters: b.messageIds.length,
      pages: b.pages,
      pdf: b.pdf,
      pdf_sha256: b.pdfSha256,
      csv: b.csv,
      csv_sha256: b.csvSha256,
      created_at: b.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, batchNo };
}

/** A send's batches, without their files. */
export async function selectPrintBatches(db: Db, unionId: number, sendId: number) {
  return db
    .selectFrom("comms_print_batches")
    .select([
      "id",
      "send_id",
      "batch_no",
      "letters",
      "pages",
      "pdf_sha256",
      "csv_sha256",
      "created_at",
      sql<number>`octet_length(pdf)`.as("pdf_bytes"),
      sql<number>`octet_length(csv)`.as("csv_bytes"),
    ])
    .where("union_id", "=", unionId)
    .where("send_id", "=", sendId)
    .orderBy("batch_no")
    .execute();
}

/** One batch's file (the PDF or the address file) with what identifies it. */
export async function selectPrintBatchFile(db: Db, unionId: number, batchId: number, format: "pdf" | "csv") {
  return db
    .selectFrom("comms_print_batches")
    .select([
      "id",
      "send_id",
      "batch_no",
      "letters",
      format === "pdf" ? "pdf as content" : "csv as content",
      format === "pdf" ? "pdf_sha256 as sha256" : "csv_sha256 as sha256",
    ])
    .where("union_id", "=", unionId)
    .where("id", "=", batchId)
    .executeTakeFirst();
}
