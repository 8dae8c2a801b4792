/**
 * One process at a time on an embedded database folder.
 *
 * PGlite keeps the database in the memory of the process that opened it and
 * writes the folder back as it goes: a second process opening the same folder
 * works on its own copy, and whichever writes last silently wins (a user
 * created by `mandate users add` while `mandate start` ran vanished when the
 * server stopped). So the folder gets a lock file beside it (`<folder>.lock`),
 * created atomically, naming the process that holds it; a second process is
 * refused with a message naming the holder and what to do. A lock left by a
 * process that died (SIGKILL, power cut) is taken over, since its process no
 * longer exists: one newcomer at a time, under a second lock (takeOver). Several processes sharing one database need the PostgreSQL
 * server (DATABASE_URL).
 */
import fs from "node:fs";
import os from "node:os";
import { AppError } from "../shared/errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing, e.g. "mandate start"; never its arguments (they may hold a password). */
  command: string;
  since: string;
}

export function lockPathOf(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, "")}.lock`;
}

/** Lock files this process holds: a holder with our pid is alive only when it is one of these. */
const heldHere = new Set<string>();

/** Takes the folder's lock or throws `database.in_use`; returns the release function. */
export function lockDataFolder(dataDir: string, command: string, now = new Date()): () => void {
  const file = lockPathOf(dataDir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), command, since: now.toISOString() };
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const fd = fs.openSync(file, "wx", 0o600);
      fs.writeSync(fd, `${JSON.stringify(me)}\n`);
      fs.closeSync(fd);
      heldHere.add(file);
      return releaser(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readHolder(file);
    if (holder && isAlive(holder, file)) throw inUse(dataDir, holder);
    if (!holder && justWritten(file, 2000))
      throw inUse(dataDir, {
        pid: 0,
        host: os.hostname(),
        command: "a Mandate process that is starting",
        since: "",
      });
    // The holder is gone: remove its lock under the takeover guard, then try again.
    if (!takeOver(file, holder)) sleep(20 + Math.random() * 30);
  }
  const holder = readHolder(file);
  throw inUse(dataDir, holder ?? { pid: 0, host: "?", command: "another Mandate process", since: "" });
}

/**
 * Removes a lock judged stale, under a second lock (`<lock>.takeover`) so that
 * only one newcomer at a time takes over: without it two could both judge the
 * old lock dead, and the slower one would remove the faster one's fresh lock,
 * leaving both holding the folder. Inside the guard the lock is read again and
 * removed only if it is still the one judged dead. A guard left by a process
 * that died while holding it is cleared after a few seconds. False when another
 * newcomer holds the guard.
 */
export function takeOver(file: string, judged: LockHolder | null): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = fs.openSync(guard, "wx", 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    if (!justWritten(guard, 5000)) fs.rmSync(guard, { force: true });
    return false;
  }
  try {
    const current = readHolder(file);
    const unchanged =
      current === null
        ? judged === null && fs.existsSync(file) && !justWritten(file, 2000)
        : judged !== null &&
          current.pid === judged.pid &&
          current.host === judged.host &&
          current.since === judged.since;
    if (unchanged) fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(guard, { force: true });
  }
  return true;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function releaser(file: string): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    heldHere.delete(file);
    const holder = readHolder(file);
    if (holder?.pid === process.pid && holder.host === os.hostname()) fs.rmSync(file, { force: true });
  };
  // A process that exits without closing (an uncaught error, process.exit) still lets go.
  process.on("exit", release);
  return release;
}

export function readHolder(file: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid !== "number") return null;
    return {
      pid: parsed.pid,
      host: String(parsed.host ?? ""),
      command: String(parsed.command ?? "a Mandate process"),
      since: String(parsed.since ?? ""),
    };
  } catch {
    // Half-written by a holder that died mid-write, or removed meanwhile: treated as no holder.
    return null;
  }
}

/** A lock with no readable holder yet may be one being written this instant. */
function justWritten(file: string, withinMs: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < withinMs;
  } catch {
    return false;
  }
}

function isAlive(holder: LockHolder, file: string): boolean {
  // On another machine (a shared folder) we cannot tell: assume it is running.
  if (holder.host !== os.hostname()) return true;
  // Our own pid but not a lock we took: left by an earlier life with the same pid (a container
  // restarted, its process PID 1 again), which is gone.
  if (holder.pid === process.pid) return heldHere.has(file);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function inUse(dataDir: string, holder: LockHolder): AppError {
  const since = holder.since ? ` since ${holder.since.slice(0, 19).replace("T", " ")} UTC` : "";
  const where = holder.host === os.hostname() ? "" : ` on ${holder.host}`;
  return new AppError(
    "database.in_use",
    `The embedded database in ${dataDir} is open in another process: "${holder.command}" (process ${holder.pid}${where}${since}). ` +
      "Only one process at a time may open an embedded database. Stop that process first (Ctrl+C in its terminal, " +
      `or kill ${holder.pid}), then run this again; to share one database between processes, use a PostgreSQL server (DATABASE_URL).`,
    { pid: holder.pid, command: holder.command },
  );
}
