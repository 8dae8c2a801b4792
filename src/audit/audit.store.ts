/**
 * All SQL of the audit log: the chain head (one row, id 1), the log rows, and the checkpoints printed
 * into generated documents. The log is read within the grant's union; the chain is verified whole.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";
import type { AuditListQuery } from "./audit.model.js";

/** The head, locked for the rest of the caller's transaction: appends are strictly sequential. */
export function lockHead(tx: Db) {
  return tx
    .selectFrom("audit_head")
    .select(["seq", "hash", "key_id"])
    .where("id", "=", 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function selectHead(db: Db) {
  return db.selectFrom("audit_head").select(["seq", "hash", "key_id"]).where("id", "=", 1).executeTakeFirst();
}

export interface AuditLogValues {
  seq: number;
  at: Date;
  union_id: number;
  actor_user_id: number | null;
  actor_label: string;
  event: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
  chain_version: number;
}

/**
 * Appends the rows (in chain order) and moves the head to the last, in the caller's transaction: one
 * statement, so the chain's lock is held for one round trip less.
 */
export async function appendRows(tx: Db, rows: readonly AuditLogValues[], keyId: string): Promise<void> {
  const last = rows.at(-1);
  if (!last) return;
  await tx
    .with("appended", (qb) => qb.insertInto("audit_log").values([...rows]))
    .updateTable("audit_head")
    .set({ seq: last.seq, hash: last.hash, key_id: keyId })
    .where("id", "=", 1)
    .execute();
}

export async function selectLogPage(db: Db, scope: { unionId: number }, query: AuditListQuery) {
  let q = db.selectFrom("audit_log").where("union_id", "=", scope.unionId);
  if (query.event) q = q.where("event", "=", query.event);
  if (query.subjectType) q = q.where("subject_type", "=", query.subjectType);
  if (query.subjectId) q = q.where("subject_id", "=", query.subjectId);
  const [rows, total] = await Promise.all([
    q
      .selectAll()
      .orderBy("seq", "desc")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The whole chain in order, a batch at a time (verification covers every union's rows). */
export function selectChainBatch(db: Db, fromSeq: number, limit: number) {
  return db
    .selectFrom("audit_log")
    .selectAll()
    .where("seq", ">=", fromSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
}

/** The checkpoints printed into the PDFs generated so far (each copy sent out carries one). */
export async function selectPrintedCheckpoints(db: Db): Promise<string[]> {
  const rows = await sql<{ checkpoint: string }>`
    select distinct input->>'auditCheckpoint' as checkpoint from ballot_documents
    where content_type = 'application/pdf' and input->>'auditCheckpoint' is not null`.execute(db);
  return rows.rows.map((r) => r.checkpoint);
}
