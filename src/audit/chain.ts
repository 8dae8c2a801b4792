/**
 * The audit hash chain, pure. Each row's hash covers its own content and the
 * previous row's hash, so changing, removing or reordering any row breaks
 * every link after it.
 */
import { canonicalJson, sha256Hex } from "../shared/hash.js";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedRow {
  seq: number;
  at: Date;
  unionId: number | null;
  actorUserId: number | null;
  actorLabel: string;
  event: string;
  subjectType: string | null;
  subjectId: string | null;
  outcome: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type UnhashedRow = Omit<ChainedRow, "hash">;

export function hashRow(row: UnhashedRow): string {
  const canonical = canonicalJson([
    row.seq,
    row.at.toISOString(),
    row.unionId,
    row.actorUserId,
    row.actorLabel,
    row.event,
    row.subjectType,
    row.subjectId,
    row.outcome,
    row.details,
    row.prevHash,
  ]);
  return sha256Hex(canonical);
}

export type ChainVerdict =
  | { ok: true; rows: number; headHash: string }
  | { ok: false; rows: number; brokenAtSeq: number; reason: string };

/**
 * Checks rows in sequence order. `expectedPrev` is the hash the first row must
 * point to (GENESIS_HASH when checking from the start).
 */
export function verifyChain(
  rows: Iterable<ChainedRow>,
  expectedPrev = GENESIS_HASH,
  expectedSeq = 1,
): ChainVerdict {
  let prev = expectedPrev;
  let seq = expectedSeq;
  let count = 0;
  for (const row of rows) {
    if (row.seq !== seq) {
      return {
        ok: false,
        rows: count,
        brokenAtSeq: seq,
        reason: `row ${seq} is missing (found ${row.seq} next)`,
      };
    }
    if (row.prevHash !== prev) {
      return {
        ok: false,
        rows: count,
        brokenAtSeq: row.seq,
        reason: "does not point to the previous row's hash",
      };
    }
    if (hashRow(row) !== row.hash) {
      return {
        ok: false,
        rows: count,
        brokenAtSeq: row.seq,
        reason: "content does not match its hash (row altered)",
      };
    }
    prev = row.hash;
    seq += 1;
    count += 1;
  }
  return { ok: true, rows: count, headHash: prev };
}
