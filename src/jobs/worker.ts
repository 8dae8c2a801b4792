/**
 * The worker: claims jobs of the kinds it has handlers for, runs each under a
 * lease it renews (a heartbeat), and ends it as succeeded, failed or
 * cancelled, with an audit pair (job.started, then job.finished, job.failed
 * or job.cancelled). `mandate worker` runs one; `mandate start` runs one in
 * the server's process. Several workers (processes or machines) can share a
 * server database: the claim skips locked rows, and a job whose worker died
 * is taken over when its lease expires.
 *
 * A handler must be resumable: it commits its work in steps, each with
 * `commitStep(tx, step)` in the same transaction as the work (fenced by the
 * lease, so a worker that lost its lease commits nothing), and a run that
 * starts with `step` set carries on after it. So a job killed half-way and
 * taken over gives the same result as one run straight through, and nothing
 * is done twice.
 */
import os from "node:os";
import { recordAudit } from "../audit/index.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import type { Clock } from "../shared/clock.js";
import { AppError, safeErrorMessage } from "../shared/errors.js";
import { randomToken } from "../shared/hash.js";
import { addProblem, claimJob, endJob, type JobRow, renewLease, setProgress } from "./jobs.store.js";

export interface JobRun<P = unknown> {
  id: number;
  kind: string;
  payload: P;
  /** The job's own context: the database, the actor who asked for it, the clock. */
  ctx: Ctx;
  /** 1 for the first run; more when a run is resumed after its worker stopped. */
  attempt: number;
  /** The step committed last (null on a fresh start): carry on after it. */
  step: unknown;
  /** Aborted when a cancel is asked, the lease is lost or the worker stops: check it between steps. */
  signal: AbortSignal;
  /** Throws when `signal` is aborted; call between steps. */
  throwIfStopped(): void;
  /** Records the step with the work done in `tx`, fenced by the lease. */
  commitStep(tx: Db, step: unknown, progress?: { done: number; total?: number | null }): Promise<void>;
  /** Progress outside a step (done/total), fenced by the lease; pass the open transaction if there is one. */
  progress(done: number, total?: number | null, tx?: Db): Promise<void>;
  /**
   * The pause asked for after each step (MANDATE_JOB_STEP_DELAY_MS, none by default); commitStep
   * takes it itself. A job that is one transaction (the freeze) takes it after each page, so that a
   * test can stop its worker in the middle of the transaction whatever the machine's speed.
   */
  pace(): Promise<void>;
  /**
   * A problem to show beside the job: no personal data. Inside a transaction pass it: the embedded
   * database has one connection, which the transaction holds.
   */
  problem(message: string, tx?: Db): Promise<void>;
}

export interface JobHandler<P = unknown> {
  kind: string;
  run(job: JobRun<P>): Promise<unknown>;
}

/** Why a run stopped before its end. */
export class JobStopped extends Error {
  constructor(readonly reason: "cancelled" | "lease_lost" | "worker_stopping") {
    super(`job stopped: ${reason}`);
    this.name = "JobStopped";
  }
}

export interface WorkerOptions {
  db: Db;
  clock: Clock;
  handlers: readonly JobHandler<never>[];
  /** Names this worker in the lease (host, pid and a random part by default). */
  owner?: string;
  leaseSeconds?: number;
  pollMs?: number;
  /**
   * A pause after each committed step (MANDATE_JOB_STEP_DELAY_MS, 0): slows a job down so that a
   * test can stop its worker half-way through a small input.
   */
  stepDelayMs?: number;
  /** Called after each progress written (a committed step or a report), for logs. */
  onProgress?: (job: { id: number; kind: string; done: number; total: number | null }) => void;
  /** Called with each job a run ends, for logs and tests. */
  onEnded?: (job: { id: number; kind: string; state: string }) => void;
  /** The queue itself failed (the database is unreachable...): the worker waits and tries again. */
  onError?: (error: unknown) => void;
}

export class Worker {
  readonly owner: string;
  private readonly handlers: Map<string, JobHandler<never>>;
  private readonly leaseSeconds: number;
  private readonly pollMs: number;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private current: AbortController | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: WorkerOptions) {
    this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomToken(4)}`;
    this.handlers = new Map(options.handlers.map((h) => [h.kind, h]));
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.pollMs = options.pollMs ?? 500;
  }

  /** Runs jobs until stop() is called. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        const ran = await this.runOnce().catch((e: unknown) => {
          this.options.onError?.(e);
          return false;
        });
        if (!ran && !this.stopping) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.pollMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  /** A job was queued: look now rather than at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  /** Stops taking jobs; a running job is asked to stop at its next step and goes back in the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.current?.abort(new JobStopped("worker_stopping"));
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Claims and runs one job; false when none was due. */
  async runOnce(): Promise<boolean> {
    const { db } = this.options;
    const job = await claimJob(db, this.owner, [...this.handlers.keys()], this.leaseSeconds);
    if (!job) return false;
    await this.run(job);
    return true;
  }

  private async run(job: JobRow): Promise<void> {
    const { db, clock } = this.options;
    const handler = this.handlers.get(job.kind) as JobHandler<unknown> | undefined;
    const actor = job.actor as Actor;
    const ctx: Ctx = { db, actor, clock };
    const subject = { subjectType: "job", subjectId: job.id };
    if (job.attempts > job.max_attempts) {
      await this.finish(ctx, job, "failed", {
        errorCode: "jobs.gave_up",
        errorMessage: `Stopped ${job.attempts - 1} times before finishing; not started again. Retry it once the cause is fixed.`,
      });
      return;
    }
    await recordAudit(ctx, "job.started", {
      ...subject,
      details: { kind: job.kind, attempt: job.attempts, resumed: job.step !== null },
    });
    const controller = new AbortController();
    this.current = controller;
    const owner = this.owner;
    const heartbeat = setInterval(
      () => {
        renewLease(db, job.id, owner, this.leaseSeconds)
          .then(({ held, cancelRequested }) => {
            if (!held) controller.abort(new JobStopped("lease_lost"));
            else if (cancelRequested) controller.abort(new JobStopped("cancelled"));
          })
          .catch(() => undefined);
      },
      Math.max(200, (this.leaseSeconds * 1000) / 3),
    );
    heartbeat.unref();
    const fenced = async (ok: Promise<boolean>) => {
      if (!(await ok)) throw new JobStopped("lease_lost");
    };
    const reported = (done: number | undefined, total: number | null | undefined) => {
      if (done !== undefined)
        this.options.onProgress?.({ id: job.id, kind: job.kind, done, total: total ?? job.total });
    };
    const stepDelay = this.options.stepDelayMs ?? 0;
    const pace = async () => {
      if (stepDelay > 0) await new Promise((r) => setTimeout(r, stepDelay));
    };
    const run: JobRun = {
      id: job.id,
      kind: job.kind,
      payload: job.payload,
      ctx,
      attempt: job.attempts,
      step: job.step,
      signal: controller.signal,
      throwIfStopped: () => {
        if (controller.signal.aborted) throw controller.signal.reason;
      },
      commitStep: async (tx, step, progress) => {
        await fenced(setProgress(tx, job.id, owner, { step, done: progress?.done, total: progress?.total }));
        reported(progress?.done, progress?.total);
        await pace();
      },
      progress: async (done, total, tx) => {
        await fenced(setProgress(tx ?? db, job.id, owner, { done, total }));
        reported(done, total);
      },
      pace,
      problem: (message, tx) => addProblem(tx ?? db, job.id, message.slice(0, 500)),
    };
    try {
      if (job.cancel_requested) throw new JobStopped("cancelled");
      if (!handler) throw new AppError("jobs.unknown_kind", `No handler for jobs of kind "${job.kind}".`);
      const result = await handler.run(run);
      await this.finish(ctx, job, "succeeded", { result: result ?? null });
    } catch (e) {
      const stopped =
        e instanceof JobStopped ? e : controller.signal.aborted ? controller.signal.reason : null;
      if (stopped instanceof JobStopped && stopped.reason === "cancelled") {
        await this.finish(ctx, job, "cancelled", { errorCode: "jobs.cancelled", errorMessage: "Cancelled." });
      } else if (stopped instanceof JobStopped && stopped.reason === "lease_lost") {
        // Another worker has the job now: nothing more to write.
      } else if (stopped instanceof JobStopped) {
        // This worker is stopping: the job goes back in the queue, to resume from its last step.
        await endJob(db, job.id, owner, { state: "queued" });
      } else {
        const code = e instanceof AppError ? e.code : "internal.error";
        // Database and unknown errors are recorded without their detail, which can quote personal values.
        const message = e instanceof AppError ? e.message : safeErrorMessage(e);
        await this.finish(ctx, job, "failed", { errorCode: code, errorMessage: message });
      }
    } finally {
      clearInterval(heartbeat);
      this.current = null;
    }
  }

  private async finish(
    ctx: Ctx,
    job: JobRow,
    state: "succeeded" | "failed" | "cancelled",
    end: { result?: unknown; errorCode?: string; errorMessage?: string },
  ): Promise<void> {
    const ended = await endJob(ctx.db, job.id, this.owner, { state, ...end });
    if (!ended) return;
    const event =
      state === "succeeded" ? "job.finished" : state === "failed" ? "job.failed" : "job.cancelled";
    await recordAudit(ctx, event, {
      subjectType: "job",
      subjectId: job.id,
      outcome: state === "succeeded" ? "success" : "failure",
      details: { kind: job.kind, attempt: job.attempts, ...(end.errorCode ? { code: end.errorCode } : {}) },
    });
    this.options.onEnded?.({ id: job.id, kind: job.kind, state });
  }
}
