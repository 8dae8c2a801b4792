/**
 * The SQL of sign-in throttling (docs/decisions/0010): failure counts per key
 * (a source or an account, never the email itself) and the sources each
 * account has signed in from. Keys are made by signin-throttle.ts.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

/** Whether the account has signed in from the source since that time. */
export async function knownSourceSince(db: Db, key: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom("signin_known_sources")
    .select("key")
    .where("key", "=", key)
    .where("last_success_at", ">=", since)
    .executeTakeFirst();
  return !!row;
}

/** Failure counts last touched before one time, and known sources last used before another, forgotten. */
export async function deleteThrottleBefore(db: Db, failuresBefore: Date, knownBefore: Date): Promise<void> {
  await db.deleteFrom("signin_throttle").where("last_failure_at", "<", failuresBefore).execute();
  await db.deleteFrom("signin_known_sources").where("last_success_at", "<", knownBefore).execute();
}

/**
 * Counts a failure against the key unless its delay is still running: the
 * number of failures now counted, or null when the attempt must wait. One
 * statement: atomic on PGlite and on a server.
 */
export async function countFailureUnlessWaiting(
  db: Db,
  key: string,
  now: Date,
  windowStart: Date,
  free: number,
  capSeconds: number,
): Promise<number | null> {
  const row = await sql<{ failures: number }>`
    insert into signin_throttle as t (key, failures, last_failure_at)
    values (${key}, 1, ${now})
    on conflict (key) do update set
      failures = case when t.last_failure_at < ${windowStart} then 1 else t.failures + 1 end,
      last_failure_at = excluded.last_failure_at
    where t.last_failure_at < ${windowStart}
       or t.failures < ${free}
       or t.last_failure_at <= ${now}::timestamptz
            - make_interval(secs => least(power(2, t.failures - ${free})::float8, ${capSeconds}::float8))
    returning failures`.execute(db);
  return row.rows[0] ? Number(row.rows[0].failures) : null;
}

/** The key's failure count and when it last failed. */
export async function throttleRow(db: Db, key: string) {
  return db
    .selectFrom("signin_throttle")
    .select(["failures", "last_failure_at"])
    .where("key", "=", key)
    .executeTakeFirst();
}

/** A sign-in succeeded: one failure given back to the source, the account's cleared, the source known to it. */
export async function recordSuccess(
  db: Db,
  k: { sourceKey: string; accountKey: string; knownSourceKey: string; now: Date },
): Promise<void> {
  await db
    .updateTable("signin_throttle")
    .set((eb) => ({ failures: sql`greatest(${eb.ref("failures")} - 1, 0)` }))
    .where("key", "=", k.sourceKey)
    .execute();
  await db.deleteFrom("signin_throttle").where("key", "=", k.accountKey).execute();
  await db
    .insertInto("signin_known_sources")
    .values({ key: k.knownSourceKey, last_success_at: k.now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ last_success_at: k.now }))
    .execute();
}
