/**
 * All SQL of the job queue. Claiming is one statement: the oldest job that is
 * queued (and due) or running under an expired lease is locked with
 * FOR UPDATE SKIP LOCKED, so two workers never take the same job, and taken
 * under a new lease. Every write a running worker makes is fenced by its
 * lease (`lease_owner = me and state = 'running'`): a worker that lost its
 * lease (it stalled, and another took the job over) changes nothing more.
 */
import { sql } from "kysely";
import type { Actor } from "../auth/index.js";
import type { Db, JobState } from "../db/database.js";

export interface JobRow {
  id: number;
  union_id: number;
  kind: string;
  state: JobState;
  payload: unknown;
  dedupe_key: string | null;
  actor: unknown;
  created_by: number | null;
  done: number;
  total: number | null;
  step: unknown;
  result: unknown;
  attempts: number;
  max_attempts: number;
  cancel_requested: boolean;
  lease_owner: string | null;
  lease_until: Date | null;
  heartbeat_at: Date | null;
  run_after: Date;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  actor: Actor;
  total?: number | null;
  maxAttempts?: number;
  /** At most one queued or running job of this kind per key. */
  dedupeKey?: string | null;
  /** Not before this time (a scheduled job); now by default. */
  runAfter?: Date | null;
}

export async function insertJob(db: Db, job: NewJob): Promise<JobRow> {
  return (await db
    .insertInto("jobs")
    .values({
      union_id: job.actor.unionId,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      actor: JSON.stringify(job.actor),
      created_by: job.actor.userId,
      total: job.total ?? null,
      dedupe_key: job.dedupeKey ?? null,
      ...(job.runAfter ? { run_after: job.runAfter } : {}),
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow()) as JobRow;
}

/** Takes the next due job of these kinds under a lease, or null. */
export async function claimJob(
  db: Db,
  owner: string,
  kinds: readonly string[],
  leaseSeconds: number,
): Promise<JobRow | null> {
  if (!kinds.length) return null;
  const result = await sql<JobRow>`
    update jobs set
      state = 'running',
      lease_owner = ${owner},
      lease_until = now() + make_interval(secs => ${leaseSeconds}),
      heartbeat_at = now(),
      attempts = attempts + 1,
      started_at = coalesce(started_at, now())
    where id = (
      select id from jobs
      where kind = any(${sql.val(kinds)}::text[])
        and ((state = 'queued' and run_after <= now())
          or (state = 'running' and lease_until < now()))
      order by id
      for update skip locked
      limit 1
    )
    returning *`.execute(db);
  return result.rows[0] ?? null;
}

/** Renews the lease; false when it was lost (taken over, or the job ended). Returns whether a cancel was asked. */
export async function renewLease(
  db: Db,
  id: number,
  owner: string,
  leaseSeconds: number,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  const result = await sql<{ cancel_requested: boolean }>`
    update jobs set lease_until = now() + make_interval(secs => ${leaseSeconds}), heartbeat_at = now()
    where id = ${id} and lease_owner = ${owner} and state = 'running'
    returning cancel_requested`.execute(db);
  const row = result.rows[0];
  return { held: row !== undefined, cancelRequested: row?.cancel_requested ?? false };
}

/** Fenced: counts only while the lease is held. */
export async function setProgress(
  db: Db,
  id: number,
  owner: string,
  set: { done?: number; total?: number | null; step?: unknown },
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({
      ...(set.done !== undefined ? { done: set.done } : {}),
      ...(set.total !== undefined ? { total: set.total } : {}),
      ...(set.step !== undefined ? { step: JSON.stringify(set.step) } : {}),
    })
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Fenced: ends the job in a final state, or puts it back in the queue. */
export async function endJob(
  db: Db,
  id: number,
  owner: string,
  end: {
    state: JobState;
    result?: unknown;
    errorCode?: string | null;
    errorMessage?: string | null;
    runAfterSeconds?: number;
  },
): Promise<boolean> {
  const result = await sql`
    update jobs set
      state = ${end.state},
      result = ${end.result === undefined ? null : JSON.stringify(end.result)}::jsonb,
      error_code = ${end.errorCode ?? null},
      error_message = ${end.errorMessage ?? null},
      lease_owner = null,
      lease_until = null,
      run_after = now() + make_interval(secs => ${end.runAfterSeconds ?? 0}),
      finished_at = ${end.state === "queued" ? null : sql`now()`}
    where id = ${id} and lease_owner = ${owner} and state = 'running'`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

export async function addProblem(db: Db, id: number, message: string): Promise<void> {
  await sql`
    insert into job_problems (job_id, seq, message)
    values (${id}, (select coalesce(max(seq), 0) + 1 from job_problems where job_id = ${id}), ${message})`.execute(
    db,
  );
}

export interface JobFilter {
  unionId: number;
  /** Null: every job of the union (a national officer); else only this user's. */
  createdBy: number | null;
}

export async function findJob(db: Db, filter: JobFilter, id: number): Promise<JobRow | null> {
  let q = db.selectFrom("jobs").selectAll().where("id", "=", id).where("union_id", "=", filter.unionId);
  if (filter.createdBy !== null) q = q.where("created_by", "=", filter.createdBy);
  return ((await q.executeTakeFirst()) as JobRow | undefined) ?? null;
}

export async function listJobRows(
  db: Db,
  filter: JobFilter,
  options: { states?: readonly JobState[]; limit: number },
): Promise<JobRow[]> {
  let q = db.selectFrom("jobs").selectAll().where("union_id", "=", filter.unionId);
  if (filter.createdBy !== null) q = q.where("created_by", "=", filter.createdBy);
  if (options.states?.length) q = q.where("state", "in", options.states);
  return (await q.orderBy("id", "desc").limit(options.limit).execute()) as JobRow[];
}

export async function listProblems(
  db: Db,
  id: number,
  limit: number,
): Promise<{ at: Date; message: string }[]> {
  return db
    .selectFrom("job_problems")
    .select(["at", "message"])
    .where("job_id", "=", id)
    .orderBy("seq")
    .limit(limit)
    .execute();
}

/** A queued job is cancelled at once; a running one is asked to stop at its next step. */
export async function requestCancel(db: Db, id: number): Promise<void> {
  await db
    .updateTable("jobs")
    .set({ cancel_requested: true })
    .where("id", "=", id)
    .where("state", "in", ["queued", "running"])
    .execute();
  await sql`update jobs set state = 'cancelled', finished_at = now() where id = ${id} and state = 'queued'`.execute(
    db,
  );
}

/** A failed or cancelled job goes back in the queue, to resume from its last committed step. */
export async function requeue(db: Db, id: number): Promise<boolean> {
  const result = await sql`
    update jobs set state = 'queued', cancel_requested = false, attempts = 0, error_code = null,
      error_message = null, finished_at = null, run_after = now()
    where id = ${id} and state in ('failed', 'cancelled')`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}
