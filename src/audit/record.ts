import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { auditKeyId, auditKeyOf, checkpointSoon, keyMismatch } from "./anchor.js";
import { type AuditLogValues, appendRows, lockHead } from "./audit.store.js";
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
  await recordAudits(ctx, [{ event, entry }]);
}

/**
 * Appends several rows, in order, in the caller's transaction: the head is locked once and every row is
 * written with the head's move in one statement, so a change that records two events holds the chain's
 * lock for two round trips (the append, then the commit) rather than four. Callers write their own rows
 * first and call this last: the head stays locked to the commit, and a transaction that takes another
 * row's lock after the head can deadlock with one that holds that row and waits for the head.
 */
export async function recordAudits(
  ctx: Ctx,
  entries: readonly { event: AuditEvent; entry?: AuditEntry }[],
): Promise<void> {
  if (!entries.length) return;
  await withTx(ctx.db, async (tx) => {
    const head = await lockHead(tx);
    // Another key would chain rows no later verification can check: refuse before appending.
    const key = auditKeyOf(tx);
    const keyId = auditKeyId(key);
    if (head.key_id && head.key_id !== keyId) throw keyMismatch();
    let seq = head.seq;
    let prevHash = head.hash;
    const rows: AuditLogValues[] = [];
    const at = ctx.clock.now();
    for (const { event, entry = {} } of entries) {
      const row = {
        seq: seq + 1,
        at,
        unionId: ctx.actor.unionId,
        actorUserId: ctx.actor.userId,
        actorLabel: ctx.actor.label,
        event,
        subjectType: entry.subjectType ?? null,
        subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
        outcome: entry.outcome ?? "success",
        details: entry.details ?? {},
        prevHash,
      };
      const hash = keyedHashRow(row, key);
      rows.push({
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
      });
      seq = row.seq;
      prevHash = hash;
    }
    await appendRows(tx, rows, keyId);
  });
  // After the caller's transaction commits, the new head is anchored outside the database.
  checkpointSoon(ctx.db, ctx.clock);
}
