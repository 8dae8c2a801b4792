import type { Db } from "../db/database.js";
import { AppError } from "../shared/errors.js";
import { sha256Hex } from "../shared/hash.js";
import {
  countFailureUnlessWaiting,
  deleteThrottleBefore,
  knownSourceSince,
  recordSuccess,
  throttleRow,
} from "./signin-throttle.store.js";

/**
 * Sign-in throttling (docs/decisions/0010): failures are counted per source
 * (the client's IP address) and per account (the email, hashed), and past a
 * few free failures each further attempt must wait a delay that doubles with
 * every failure, up to a cap. There is no lockout: the right password after
 * the wait always gets in, and a source's delay does not hold back an account
 * that has signed in from that source before (an office behind one address).
 *
 * Every attempt is counted before its password is checked, in one upsert per
 * key whose WHERE refuses the increment while the delay runs; so concurrent
 * attempts (in one process or many) are each counted once and none slips past
 * the limit. A successful sign-in gives back its source's count and clears
 * the account's.
 */
export const THROTTLE = {
  /** Failures older than this are forgotten. */
  windowMinutes: 15,
  /** Failures from one source before the delay starts (an office behind one address mistypes too). */
  sourceFree: 10,
  /** The longest a source must wait between attempts. */
  sourceCapSeconds: 600,
  /** Failures for one account before the delay starts. */
  accountFree: 5,
  /**
   * The longest anyone must wait to try an account: short, so that an
   * attacker failing on purpose cannot keep its owner out.
   */
  accountCapSeconds: 30,
  /**
   * The account's wait for a source it has signed in from before (the owner at
   * their own desk): something an attacker cannot produce at will.
   */
  accountCapKnownSourceSeconds: 5,
  /** How long a source stays known to an account after its last successful sign-in. */
  knownSourceDays: 90,
};

export function sourceKey(ip: string): string {
  return `source:${ip}`;
}

export function accountKey(normalisedEmail: string): string {
  return `account:${sha256Hex(normalisedEmail)}`;
}

function knownSourceKey(ip: string, normalisedEmail: string): string {
  return sha256Hex(`${ip} ${normalisedEmail}`);
}

async function isKnownSource(db: Db, now: Date, ip: string, normalisedEmail: string): Promise<boolean> {
  const since = new Date(now.getTime() - THROTTLE.knownSourceDays * 86_400_000);
  return knownSourceSince(db, knownSourceKey(ip, normalisedEmail), since);
}

/**
 * Forgets counts past the window and known sources past their time, so the
 * tables cannot grow without bound however many addresses and emails are tried.
 */
async function forgetOld(db: Db, now: Date): Promise<void> {
  await deleteThrottleBefore(
    db,
    new Date(now.getTime() - THROTTLE.windowMinutes * 60_000),
    new Date(now.getTime() - THROTTLE.knownSourceDays * 86_400_000),
  );
}

/**
 * Counts an attempt against `key` unless its delay is still running: the
 * number of failures now counted (this attempt included), or null when the
 * attempt must wait. One statement: atomic on PGlite and on a server.
 */
async function countAttempt(db: Db, key: string, now: Date, free: number, capSeconds: number) {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  return countFailureUnlessWaiting(db, key, now, windowStart, free, capSeconds);
}

async function waitSeconds(db: Db, key: string, now: Date, free: number, capSeconds: number) {
  const row = await throttleRow(db, key);
  if (!row || row.failures < free) return 1;
  const delay = Math.min(2 ** (row.failures - free), capSeconds) * 1000;
  return Math.max(1, Math.ceil((row.last_failure_at.getTime() + delay - now.getTime()) / 1000));
}

function limited(seconds: number): AppError {
  return new AppError("auth.rate_limited", `Too many failed sign-ins; try again in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });
}

/**
 * Counts a sign-in attempt from `ip` for `normalisedEmail` before its password
 * is checked; throws auth.rate_limited while either delay runs.
 */
export async function beginAttempt(db: Db, now: Date, ip: string, normalisedEmail: string): Promise<void> {
  await forgetOld(db, now);
  const known = await isKnownSource(db, now, ip, normalisedEmail);
  const source = sourceKey(ip);
  const sourceCount = await countAttempt(db, source, now, THROTTLE.sourceFree, THROTTLE.sourceCapSeconds);
  // A throttled source (a spray, or colleagues' typos behind one office address) still lets through
  // an account that signed in from it before: that account's own delay applies. Anyone else waits.
  if (sourceCount === null && !known)
    throw limited(await waitSeconds(db, source, now, THROTTLE.sourceFree, THROTTLE.sourceCapSeconds));
  const cap = known ? THROTTLE.accountCapKnownSourceSeconds : THROTTLE.accountCapSeconds;
  const account = accountKey(normalisedEmail);
  if ((await countAttempt(db, account, now, THROTTLE.accountFree, cap)) === null)
    throw limited(await waitSeconds(db, account, now, THROTTLE.accountFree, cap));
}

/**
 * The attempt succeeded: it was no failure of its source, the account starts
 * afresh, and the source is now known to the account.
 */
export async function attemptSucceeded(
  db: Db,
  now: Date,
  ip: string,
  normalisedEmail: string,
): Promise<void> {
  await recordSuccess(db, {
    sourceKey: sourceKey(ip),
    accountKey: accountKey(normalisedEmail),
    knownSourceKey: knownSourceKey(ip, normalisedEmail),
    now,
  });
}

/** "a***@example.org": enough for the data protection officer to see a spray, not the address tried. */
export function maskEmail(normalisedEmail: string): string {
  const at = normalisedEmail.lastIndexOf("@");
  if (at < 1) return "***";
  return `${normalisedEmail[0]}***@${normalisedEmail.slice(at + 1).slice(0, 100)}`;
}
