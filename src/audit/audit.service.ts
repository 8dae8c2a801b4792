import { authorize } from "../auth/permissions.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import type { Page } from "../shared/paging.js";
import type { AuditListQuery, AuditRowDto, AuditVerifyDto } from "./audit.model.js";
import { type ChainedRow, GENESIS_HASH, verifyChain } from "./chain.js";
import { recordAudit } from "./record.js";

const VERIFY_BATCH = 5000;

/** The data protection officer's view of the log, newest first, within the union. */
export async function listAudit(ctx: Ctx, query: AuditListQuery): Promise<Page<AuditRowDto>> {
  const grant = authorize(ctx.actor, "audit.read");
  let q = ctx.db.selectFrom("audit_log").where("union_id", "=", grant.unionId);
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
  return {
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      unionId: r.union_id,
      actorUserId: r.actor_user_id,
      actorLabel: r.actor_label,
      event: r.event,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      outcome: r.outcome,
      details: r.details,
      hash: r.hash,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: Number(total.n),
  };
}

/**
 * Verifies the whole chain (all unions: it is one chain) in batches, then
 * checks the head points at the last row. Records the verification itself.
 */
export async function verifyAudit(ctx: Ctx, options: { record?: boolean } = {}): Promise<AuditVerifyDto> {
  if (ctx.actor.kind === "user") authorize(ctx.actor, "audit.read");
  const result = await verifyAuditChain(ctx.db);
  if (options.record !== false) {
    await recordAudit(ctx, "audit.verified", {
      outcome: result.ok ? "success" : "failure",
      details: { rows: result.rows, brokenAtSeq: result.brokenAtSeq },
    });
  }
  return result;
}

export async function verifyAuditChain(db: Db): Promise<AuditVerifyDto> {
  const head = await db
    .selectFrom("audit_head")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  let prev = GENESIS_HASH;
  let nextSeq = 1;
  let checked = 0;
  for (;;) {
    const batch = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">=", nextSeq)
      .orderBy("seq")
      .limit(VERIFY_BATCH)
      .execute();
    if (batch.length === 0) break;
    const verdict = verifyChain(batch.map(toChained), prev, nextSeq);
    checked += verdict.rows;
    if (!verdict.ok) {
      return {
        ok: false,
        rows: checked,
        headSeq: head.seq,
        headHash: head.hash,
        brokenAtSeq: verdict.brokenAtSeq,
        reason: verdict.reason,
      };
    }
    prev = verdict.headHash;
    nextSeq += batch.length;
  }
  if (head.seq !== nextSeq - 1 || head.hash !== prev) {
    return {
      ok: false,
      rows: checked,
      headSeq: head.seq,
      headHash: head.hash,
      brokenAtSeq: nextSeq,
      reason: `the chain head (row ${head.seq}) does not match the last row (${nextSeq - 1}): rows were removed from the end`,
    };
  }
  return { ok: true, rows: checked, headSeq: head.seq, headHash: head.hash, brokenAtSeq: null, reason: null };
}

function toChained(r: {
  seq: number;
  at: Date;
  union_id: number | null;
  actor_user_id: number | null;
  actor_label: string;
  event: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}): ChainedRow {
  return {
    seq: r.seq,
    at: r.at,
    unionId: r.union_id,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    event: r.event,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    outcome: r.outcome,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
