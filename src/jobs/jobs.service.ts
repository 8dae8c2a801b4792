/**
 * Jobs as their users see them: a national officer sees every job of the
 * union, anyone else only the jobs they asked for. Enqueueing is for the
 * domains (an import, a freeze), which check their own permission first.
 */
import { recordAudit } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { JobState } from "../db/database.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import type { JobDto } from "./jobs.model.js";
import {
  findJob,
  insertJob,
  type JobFilter,
  type JobRow,
  listJobRows,
  listProblems,
  requestCancel,
  requeue,
} from "./jobs.store.js";

/**
 * Queues a job that runs as the context's actor; the caller has checked the
 * permission. With a dedupe key, a second job for the same thing while one is
 * queued or running is refused with `jobs.already_queued`.
 */
export async function enqueueJob(
  ctx: Ctx,
  kind: string,
  payload: unknown,
  options: { total?: number | null; maxAttempts?: number; dedupeKey?: string; runAfter?: Date } = {},
): Promise<JobDto> {
  try {
    const row = await insertJob(ctx.db, { kind, payload, actor: ctx.actor, ...options });
    return jobDto(row, ctx.clock.now());
  } catch (e) {
    if (options.dedupeKey && pgErrorCode(e) === "23505") {
      throw new AppError("jobs.already_queued", "This is already queued or running; wait for it to finish.");
    }
    throw e;
  }
}

function filterOf(ctx: Ctx): JobFilter {
  return {
    unionId: ctx.actor.unionId,
    createdBy: ctx.actor.role === "national" || ctx.actor.userId === null ? null : ctx.actor.userId,
  };
}

export async function getJob(ctx: Ctx, id: number): Promise<JobDto> {
  const row = await findJob(ctx.db, filterOf(ctx), id);
  if (!row) throw new AppError("jobs.not_found", "No such job.");
  return jobDto(row, ctx.clock.now());
}

export async function listJobs(ctx: Ctx, options: { state?: JobState; limit: number }): Promise<JobDto[]> {
  const rows = await listJobRows(ctx.db, filterOf(ctx), {
    states: options.state ? [options.state] : undefined,
    limit: options.limit,
  });
  const now = ctx.clock.now();
  return rows.map((r) => jobDto(r, now));
}

export async function jobProblems(ctx: Ctx, id: number, limit = 200) {
  await getJob(ctx, id);
  return (await listProblems(ctx.db, id, limit)).map((p) => ({ at: iso(p.at) ?? "", message: p.message }));
}

export async function cancelJob(ctx: Ctx, id: number): Promise<JobDto> {
  const job = await getJob(ctx, id);
  if (job.state === "queued" || job.state === "running") {
    await requestCancel(ctx.db, id);
    await recordAudit(ctx, "job.cancel_requested", {
      subjectType: "job",
      subjectId: id,
      details: { kind: job.kind },
    });
  }
  return getJob(ctx, id);
}

export async function retryJob(ctx: Ctx, id: number): Promise<JobDto> {
  await getJob(ctx, id);
  if (!(await requeue(ctx.db, id))) {
    throw new AppError("jobs.not_retryable", "Only a failed or cancelled job can be retried.");
  }
  await recordAudit(ctx, "job.retried", { subjectType: "job", subjectId: id });
  return getJob(ctx, id);
}

function iso(d: Date | string | null): string | null {
  if (d === null) return null;
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

export function jobDto(r: JobRow, now: Date): JobDto {
  const done = Number(r.done);
  const total = r.total === null ? null : Number(r.total);
  const started = r.started_at ? new Date(r.started_at).getTime() : null;
  const until = r.finished_at ? new Date(r.finished_at).getTime() : now.getTime();
  const seconds = started === null ? 0 : (until - started) / 1000;
  const rate = seconds > 0 && done > 0 ? done / seconds : null;
  const etaSeconds =
    rate && total !== null && r.state === "running" ? Math.max(0, Math.round((total - done) / rate)) : null;
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    done,
    total,
    rate: rate === null ? null : Math.round(rate * 10) / 10,
    etaSeconds,
    attempts: r.attempts,
    cancelRequested: r.cancel_requested,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    result: r.result ?? null,
    createdAt: iso(r.created_at) ?? "",
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}
