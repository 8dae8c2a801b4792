/**
 * The audit hash chain, pure. Each row's hash covers its own content and the
 * previous row's hash, so changing, removing or reordering any row breaks
 * every link after it.
 *
 * Version 1 rows (written before keyed chaining) are hashed with plain
 * SHA-256, which anyone who can write to the database can recompute. Version 2
 * rows are hashed with HMAC-SHA-256 under the audit key, which is kept outside
 * the database: without it an edited row cannot be given a matching hash. Once
 * a keyed row is in the chain every later row must be keyed, so the chain
 * cannot be downgraded to recomputable hashes.
 */
import { createHmac } from "node:crypto";
import { canonicalJson, sha256Hex } from "../shared/hash.js";

export const GENESIS_HASH = "0".repeat(64);

/** The version every new row is written with. */
export const KEYED_CHAIN_VERSION = 2;

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
  /** 1 (plain SHA-256) when absent. */
  chainVersion?: number;
}

export type UnhashedRow = Omit<ChainedRow, "hash">;

function content(row: UnhashedRow): unknown[] {
  return [
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
  ];
}

/** The plain SHA-256 of a version-1 row. */
export function hashRow(row: UnhashedRow): string {
  return sha256Hex(canonicalJson(content(row)));
}

/** The HMAC of a version-2 row under the audit key; the version is inside what is signed. */
export function keyedHashRow(row: UnhashedRow, key: Uint8Array): string {
  return createHmac("sha256", key)
    .update(canonicalJson([KEYED_CHAIN_VERSION, ...content(row)]), "utf8")
    .digest("hex");
}

export type ChainVerdict =
  | { ok: true; rows: number; headHash: string; keyed: boolean }
  | { ok: false; rows: number; brokenAtSeq: number; reason: string };

export interface ChainPosition {
  /** The hash the first row must point to (GENESIS_HASH when checking from the start). */
  expectedPrev?: string;
  expectedSeq?: number;
  /** Whether a keyed row came before the first row given (checking in batches). */
  keyedSeen?: boolean;
  /** Needed to check version-2 rows; without it they cannot verify. */
  key?: Uint8Array | null;
}

/** Checks rows in sequence order. */
export function verifyChain(rows: Iterable<ChainedRow>, position: ChainPosition = {}): ChainVerdict {
  let prev = position.expectedPrev ?? GENESIS_HASH;
  let seq = position.expectedSeq ?? 1;
  let keyed = position.keyedSeen ?? false;
  const key = position.key ?? null;
  let count = 0;
  for (const row of rows) {
    const broken = (reason: string): ChainVerdict => ({
      ok: false,
      rows: count,
      brokenAtSeq: row.seq,
      reason,
    });
    if (row.seq !== seq) {
      return {
        ok: false,
        rows: count,
        brokenAtSeq: seq,
        reason: `row ${seq} is missing (found ${row.seq} next)`,
      };
    }
    if (row.prevHash !== prev) return broken("does not point to the previous row's hash");
    const version = row.chainVersion ?? 1;
    if (version === KEYED_CHAIN_VERSION) {
      if (!key) return broken("is keyed and no audit key was given to check it");
      if (keyedHashRow(row, key) !== row.hash) {
        return broken("content does not match its keyed hash (row altered, or a different audit key)");
      }
      keyed = true;
    } else if (version === 1) {
      if (keyed) return broken("is not keyed but follows keyed rows (the chain was rewritten)");
      if (hashRow(row) !== row.hash) return broken("content does not match its hash (row altered)");
    } else {
      return broken(`has an unknown chain version ${version}`);
    }
    prev = row.hash;
    seq += 1;
    count += 1;
  }
  return { ok: true, rows: count, headHash: prev, keyed };
}
