/**
 * What anchors the audit chain outside the database: the HMAC key the chain
 * is keyed with, and signed checkpoints of the chain's head (row count and
 * hash) written to a file beside the data folder. Someone who can write to
 * the database can neither re-key an edited chain (no key) nor make a
 * shortened or rolled-back chain agree with checkpoints written earlier.
 *
 * The anchor belongs to an open database: `attachAuditAnchor` is called once
 * where the database is opened (src/main.ts, the test helpers) and services
 * find it from any handle or transaction of that database.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database, Db } from "../db/database.js";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { canonicalJson } from "../shared/hash.js";
import { selectHead } from "./audit.store.js";

export interface AuditAnchor {
  /** The HMAC key (at least 32 bytes). Never stored in the database. */
  key: Buffer;
  /** JSON lines of signed checkpoints; null keeps none (a throw-away database). */
  checkpointsFile: string | null;
  /** At most one checkpoint per this many milliseconds while rows are appended (default 1000). */
  throttleMs?: number;
}

export interface Checkpoint {
  /** Rows in the chain (the head's sequence number). */
  seq: number;
  /** The head row's hash. */
  hash: string;
  /** When it was taken (ISO). */
  at: string;
  /** HMAC-SHA-256 under the audit key of the three fields above. */
  sig: string;
}

interface AnchorState extends AuditAnchor {
  root: Kysely<Database>;
  last: Checkpoint | null;
  timer: NodeJS.Timeout | null;
  writing: Promise<void> | null;
}

// Keyed by the dialect adapter, which a database handle shares with every transaction opened on it.
const anchors = new WeakMap<object, AnchorState>();

function adapterOf(db: Db): object {
  return db.getExecutor().adapter;
}

export function attachAuditAnchor(db: Kysely<Database>, anchor: AuditAnchor): void {
  if (anchor.key.length < 32) throw new Error("The audit key must be at least 32 bytes.");
  anchors.set(adapterOf(db), { ...anchor, root: db, last: null, timer: null, writing: null });
}

function stateOf(db: Db): AnchorState {
  const state = anchors.get(adapterOf(db));
  if (!state) {
    throw new Error("No audit key is set up for this database (attachAuditAnchor where it is opened).");
  }
  return state;
}

export function auditKeyOf(db: Db): Buffer {
  return stateOf(db).key;
}

/**
 * Names a key without revealing it: stored in the database (audit_head.key_id)
 * on the first keyed append, so a process with another key (a key file made
 * afresh in another folder) is refused rather than breaking the chain for good.
 */
export function auditKeyId(key: Buffer): string {
  return createHmac("sha256", key).update("mandate-audit-key-id", "utf8").digest("hex");
}

export function keyMismatch(): AppError {
  return new AppError(
    "audit.key_mismatch",
    "The audit key this process uses is not the one the audit log was chained with, so nothing can be " +
      "recorded. Give every process the same key: the same MANDATE_AUDIT_KEY, or the same MANDATE_AUDIT_DIR " +
      "(holding audit.key) as the process that first wrote the log.",
  );
}

/** Refuses a process whose key is not the one the database's audit log was chained with. */
export async function checkAuditKey(db: Db): Promise<void> {
  const head = await selectHead(db);
  if (head?.key_id && head.key_id !== auditKeyId(auditKeyOf(db))) throw keyMismatch();
}

// ---------------------------------------------------------------------------
// The key: MANDATE_AUDIT_KEY, or a file created on first use.

/**
 * The key from MANDATE_AUDIT_KEY (64 hex digits, or base64 of at least 32
 * bytes), else from `<auditDir>/audit.key`, created with mode 0600 the first
 * time. Messages never include the key.
 */
export function resolveAuditKey(options: { envKey: string | null; auditDir: string }): Buffer {
  if (options.envKey) return parseKey(options.envKey, "MANDATE_AUDIT_KEY");
  const file = path.join(options.auditDir, "audit.key");
  fs.mkdirSync(options.auditDir, { recursive: true, mode: 0o700 });
  try {
    // "wx": two processes starting together cannot both create it; the loser reads the winner's.
    fs.writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return parseKey(fs.readFileSync(file, "utf8").trim(), file);
}

function parseKey(text: string, where: string): Buffer {
  const key = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, "hex") : null;
  const fromBase64 = key ?? (/^[A-Za-z0-9+/_-]+=*$/.test(text) ? Buffer.from(text, "base64") : null);
  if (!fromBase64 || fromBase64.length < 32) {
    throw new Error(`The audit key in ${where} must be 32 bytes or more, as hex or base64.`);
  }
  return fromBase64;
}

/** The anchor of a configured installation: key and checkpoints in the audit folder. */
export function resolveAuditAnchor(config: { auditKey: string | null; auditDir: string }): AuditAnchor {
  return {
    key: resolveAuditKey({ envKey: config.auditKey, auditDir: config.auditDir }),
    checkpointsFile: path.join(config.auditDir, "checkpoints.jsonl"),
  };
}

// ---------------------------------------------------------------------------
// Checkpoints

function signature(key: Buffer, c: Omit<Checkpoint, "sig">): string {
  return createHmac("sha256", key)
    .update(canonicalJson(["mandate-audit-checkpoint", c.seq, c.hash, c.at]), "utf8")
    .digest("hex");
}

export function signCheckpoint(key: Buffer, c: Omit<Checkpoint, "sig">): Checkpoint {
  return { seq: c.seq, hash: c.hash, at: c.at, sig: signature(key, c) };
}

export function checkpointIsSigned(key: Buffer, c: Checkpoint): boolean {
  const expected = Buffer.from(signature(key, c), "hex");
  const given = Buffer.from(typeof c.sig === "string" ? c.sig : "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Called after an append: a checkpoint of the committed head follows shortly, at most one per throttle period. */
export function checkpointSoon(db: Db, clock: Clock): void {
  const state = stateOf(db);
  if (!state.checkpointsFile || state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = null;
    // A failed write is retried at the next append, at verification or at shutdown.
    void writeCheckpoint(state.root, clock.now()).catch(() => undefined);
  }, state.throttleMs ?? 1000);
  state.timer.unref();
}

/**
 * Writes a checkpoint of the committed head when it has moved since the last
 * one this process wrote. Returns the head's checkpoint (written now or before).
 */
export async function writeCheckpoint(db: Db, now: Date): Promise<Checkpoint> {
  const state = stateOf(db);
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  // One writer at a time in this process, so lines are whole and in order.
  while (state.writing) await state.writing.catch(() => undefined);
  const writing = writeCheckpointNow(state, now);
  state.writing = writing.then(
    () => undefined,
    () => undefined,
  );
  try {
    return await writing;
  } finally {
    state.writing = null;
  }
}

async function writeCheckpointNow(state: AnchorState, now: Date): Promise<Checkpoint> {
  // The root handle, not a transaction: only a committed head is anchored.
  const head = await selectHead(state.root);
  if (!head) throw new Error("The audit log has no head row.");
  const last = state.last ?? latestCheckpoint(state);
  if (last && last.seq === head.seq && last.hash === head.hash) {
    state.last = last;
    return last;
  }
  const checkpoint = signCheckpoint(state.key, { seq: head.seq, hash: head.hash, at: now.toISOString() });
  if (state.checkpointsFile) {
    fs.mkdirSync(path.dirname(state.checkpointsFile), { recursive: true, mode: 0o700 });
    dropCutShortLine(state.checkpointsFile);
    fs.appendFileSync(state.checkpointsFile, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  }
  state.last = checkpoint;
  return checkpoint;
}

/**
 * A last line without its newline was cut short by a process stopped
 * mid-write: it is no checkpoint (reading ignores it), and is dropped before
 * the next one is appended so that one is not glued onto it.
 */
function dropCutShortLine(file: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (!text || text.endsWith("\n")) return;
  fs.truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf("\n") + 1), "utf8"));
}

function latestCheckpoint(state: AnchorState): Checkpoint | null {
  if (!state.checkpointsFile) return null;
  const { checkpoints } = readCheckpointsFile(state.checkpointsFile, state.key);
  return checkpoints.at(-1) ?? null;
}

export interface CheckpointsRead {
  checkpoints: Checkpoint[];
  /** A line that is not a checkpoint signed with this key: the file was edited, or the key changed. */
  problem: string | null;
  /** A last line cut short by a process stopped mid-write: ignored, reported, not tampering. */
  warning?: string | null;
}

export function readCheckpointsFile(file: string, key: Buffer): CheckpointsRead {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { checkpoints: [], problem: null };
    throw e;
  }
  const checkpoints: Checkpoint[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let c: Checkpoint;
    try {
      c = JSON.parse(line) as Checkpoint;
    } catch {
      // A last line cut short (the process stopped mid-write) is no tampering: the checkpoints
      // before it stand, and the next checkpoint is written on a line of its own.
      if (lines.slice(i + 1).every((l) => !l.trim())) {
        return { checkpoints, problem: null, warning: `${file} line ${i + 1} is cut short and was ignored` };
      }
      return { checkpoints, problem: `${file} line ${i + 1} is not a checkpoint` };
    }
    if (
      typeof c.seq !== "number" ||
      typeof c.hash !== "string" ||
      typeof c.at !== "string" ||
      !checkpointIsSigned(key, c)
    ) {
      return { checkpoints, problem: `${file} line ${i + 1} is not signed with this audit key` };
    }
    checkpoints.push(c);
  }
  return { checkpoints, problem: null };
}

/** The checkpoints this database's anchor keeps (none when it keeps no file). */
export function anchorCheckpoints(db: Db): CheckpointsRead & { file: string | null } {
  const state = stateOf(db);
  if (!state.checkpointsFile) return { checkpoints: [], problem: null, file: null };
  return { ...readCheckpointsFile(state.checkpointsFile, state.key), file: state.checkpointsFile };
}

/** Stops the pending checkpoint timer and writes the last checkpoint: call before closing the database. */
export async function closeAuditAnchor(db: Db, now: Date): Promise<void> {
  const state = anchors.get(adapterOf(db));
  if (!state) return;
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  if (state.checkpointsFile) await writeCheckpoint(db, now).catch(() => undefined);
}

/**
 * The checkpoint written into a PDF's Keywords (see notices/layout.ts), read
 * back from the file's bytes: the Info dictionary is not compressed.
 */
export function checkpointInPdf(bytes: Uint8Array): Checkpoint | null {
  const text = Buffer.from(bytes).toString("latin1");
  const found = /mandate-audit-checkpoint:(\{[^()]*\})\)/.exec(text);
  if (!found) return null;
  try {
    const c = JSON.parse(found[1]!) as Checkpoint;
    return typeof c.seq === "number" && typeof c.hash === "string" && typeof c.at === "string" ? c : null;
  } catch {
    return null;
  }
}
