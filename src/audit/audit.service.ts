import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import type { Page } from "../shared/paging.js";
import {
  anchorCheckpoints,
  auditKeyOf,
  type Checkpoint,
  checkpointIsSigned,
  writeCheckpoint,
} from "./anchor.js";
import type { AuditListQuery, AuditRowDto, AuditVerifyDto } from "./audit.model.js";
import { selectChainBatch, selectHead, selectLogPage, selectPrintedCheckpoints } from "./audit.store.js";
import { type ChainedRow, GENESIS_HASH, verifyChain } from "./chain.js";
import { recordAudit } from "./record.js";

const VERIFY_BATCH = 5000;

/** The data protection officer's view of the log, newest first, within the union. */
export async function listAudit(ctx: Ctx, query: AuditListQuery): Promise<Page<AuditRowDto>> {
  const grant = authorize(ctx.actor, "audit.read");
  const { rows, total } = await selectLogPage(ctx.db, grant, query);
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
    total,
  };
}

/**
 * Verifies the whole chain (all unions: it is one chain) in batches, checks
 * the head points at the last row, and compares the chain with every signed
 * checkpoint kept outside the database. Records the verification itself and,
 * when the chain verifies, anchors the new head in a checkpoint.
 */
export async function verifyAudit(
  ctx: Ctx,
  options: { record?: boolean } & VerifyOptions = {},
): Promise<AuditVerifyDto> {
  if (ctx.actor.kind === "user") authorize(ctx.actor, "audit.read");
  const result = await verifyAuditChain(ctx.db, { checkpoints: options.checkpoints ?? [] });
  if (options.record !== false) {
    await recordAudit(ctx, "audit.verified", {
      outcome: result.ok ? "success" : "failure",
      details: {
        rows: result.rows,
        brokenAtSeq: result.brokenAtSeq,
        checkpoints: result.checkpoints.compared,
      },
    });
  }
  // A broken chain is never anchored: a later verification must still see the break.
  if (result.ok) await writeCheckpoint(ctx.db, ctx.clock.now());
  return result;
}

export interface VerifyOptions {
  /** Checkpoints from elsewhere (e.g. read from a copy of a document) to compare as well. */
  checkpoints?: Checkpoint[];
}

export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<AuditVerifyDto> {
  const key = auditKeyOf(db);
  const head = await selectHead(db);
  if (!head) throw new Error("The audit log has no head row.");
  const kept = anchorCheckpoints(db);
  const printed = await documentCheckpoints(db);
  const given = [...(options.checkpoints ?? []), ...printed];
  const unsigned = (options.checkpoints ?? []).findIndex((c) => !checkpointIsSigned(key, c));
  const unsignedPrinted = printed.findIndex((c) => !checkpointIsSigned(key, c));
  const checkpoints = [...kept.checkpoints, ...given].sort(
    (a, b) => a.seq - b.seq || a.at.localeCompare(b.at),
  );
  const latest = checkpoints.reduce<Checkpoint | null>(
    (l, c) => (l === null || c.at > l.at || (c.at === l.at && c.seq > l.seq) ? c : l),
    null,
  );
  const summary = (compared: number) => ({
    compared,
    latestSeq: latest?.seq ?? null,
    latestAt: latest?.at ?? null,
    warning: kept.warning ?? null,
  });
  const fail = (rows: number, brokenAtSeq: number | null, reason: string, compared: number) => ({
    ok: false,
    rows,
    headSeq: head.seq,
    headHash: head.hash,
    brokenAtSeq,
    reason,
    checkpoints: summary(compared),
  });
  if (kept.problem) return fail(0, null, `the checkpoints file was altered: ${kept.problem}`, 0);
  if (unsigned >= 0) return fail(0, null, "a checkpoint given is not signed with this audit key", 0);
  if (unsignedPrinted >= 0) {
    return fail(0, null, "a checkpoint printed in a stored document is not signed with this audit key", 0);
  }

  const bySeq = new Map<number, Checkpoint[]>();
  for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  let compared = 0;
  let prev = GENESIS_HASH;
  let nextSeq = 1;
  let keyedSeen = false;
  let checked = 0;
  for (;;) {
    const batch = await selectChainBatch(db, nextSeq, VERIFY_BATCH);
    if (batch.length === 0) break;
    const verdict = verifyChain(batch.map(toChained), {
      expectedPrev: prev,
      expectedSeq: nextSeq,
      keyedSeen,
      key,
    });
    if (!verdict.ok) {
      return fail(checked + verdict.rows, verdict.brokenAtSeq, verdict.reason, compared);
    }
    for (const row of batch) {
      for (const c of bySeq.get(row.seq) ?? []) {
        compared += 1;
        if (c.hash !== row.hash) {
          return fail(
            checked + verdict.rows,
            row.seq,
            `row ${row.seq} is not the row anchored by the checkpoint of ${c.at}: the log was rewritten or the database rolled back`,
            compared,
          );
        }
      }
    }
    checked += verdict.rows;
    keyedSeen = verdict.keyed;
    prev = verdict.headHash;
    nextSeq += batch.length;
  }
  const lastSeq = nextSeq - 1;
  if (head.seq !== lastSeq || head.hash !== prev) {
    return fail(
      checked,
      nextSeq,
      `the chain head (row ${head.seq}) does not match the last row (${lastSeq}): rows were removed from the end`,
      compared,
    );
  }
  const beyond = checkpoints.filter((c) => c.seq > lastSeq);
  if (beyond.length) {
    const c = beyond.reduce((a, b) => (b.seq > a.seq ? b : a));
    return fail(
      checked,
      lastSeq + 1,
      `the checkpoint of ${c.at} anchors ${c.seq} rows but the log has ${lastSeq}: rows were removed from the end or the database rolled back`,
      compared + beyond.length,
    );
  }
  return {
    ok: true,
    rows: checked,
    headSeq: head.seq,
    headHash: head.hash,
    brokenAtSeq: null,
    reason: null,
    checkpoints: summary(compared),
  };
}

/** The checkpoints printed into the PDFs generated so far (each copy sent out carries one). */
async function documentCheckpoints(db: Db): Promise<Checkpoint[]> {
  return (await selectPrintedCheckpoints(db)).map((checkpoint) => {
    try {
      return JSON.parse(checkpoint) as Checkpoint;
    } catch {
      return { seq: 0, hash: "", at: "", sig: "" }; // unreadable: refused as unsigned
    }
  });
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
  chain_version: number;
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
    chainVersion: r.chain_version,
  };
}
