import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { auditKeyId, auditKeyOf, checkpointSoon, keyMismatch } from "./anchor.js";
import { appendRow, lockHead } from "./audit.store.js";
import { KEYED_CHAIN_VERSION, keyedHashRow } from "./chain.js";
import type { AuditEvent } from "./events.js";

export interface AuditEntry {
  subjectType?: string;
  subjectId?: string | number;
  outcome?: "success" | "failure";
  /** Ids, field names and counts: never personal values. */
  details?: Record<string, unknown>;
}

/**
 * Appends one row to the audit log in the caller's transaction, so the row
 * commits or rolls back with the change it records. The chain head is locked
 * for the rest of the transaction: appends are strictly sequential. Rows are
 * chained with the audit key (src/audit/anchor.ts), which is not in the database.
 */
export async function recordAudit(ctx: Ctx, event: AuditEvent, entry: AuditEntry = {}): Promise<void> {
  await withTx(ctx.db, async (tx) => {
    const head = await lockHead(tx);
    // Another key would chain rows no later verification can check: refuse before appending.
    const key = auditKeyOf(tx);
    const keyId = auditKeyId(key);
    if (head.key_id && head.key_id !== keyId) throw keyMismatch();
    const row = {
      seq: head.seq + 1,
      at: ctx.clock.now(),
      unionId: ctx.actor.unionId,
      actorUserId: ctx.actor.userId,
      actorLabel: ctx.actor.label,
      event,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
      outcome: entry.outcome ?? "success",
      details: entry.details ?? {},
      prevHash: head.hash,
    };
    const hash = keyedHashRow(row, key);
    await appendRow(
      tx,
      {
        seq: row.seq,
        at: row.at,
        union_id: row.unionId,
        actor_user_id: row.actorUserId,
        actor_label: row.actorLabel,
        event: row.event,
        subject_type: row.subjectType,
        subject_id: row.subjectId,
        outcome: row.outcome,
        details: JSON.stringify(row.details),
        prev_hash: row.prevHash,
        hash,
        chain_version: KEYED_CHAIN_VERSION,
      },
      keyId,
    );
  });
  // After the caller's transaction commits, the new head is anchored outside the database.
  checkpointSoon(ctx.db, ctx.clock);
}
