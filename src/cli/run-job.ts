/**
 * Runs a queued job in this process and waits for it with a progress bar (or
 * waits for another worker that took it first); a job that did not succeed
 * becomes its error, so the command exits non-zero with the job's code.
 */
import type { Ctx } from "../context.js";
import type { JobHandler } from "../jobs/index.js";
import { getJob, type JobDto, Worker } from "../jobs/index.js";
import { AppError, ERROR_CODES, type ErrorCode } from "../shared/errors.js";
import type { Output } from "./output.js";

export async function runJobHere(
  ctx: Ctx,
  out: Output,
  jobId: number,
  label: string,
  handlers: readonly JobHandler<never>[],
): Promise<JobDto> {
  const worker = new Worker({ db: ctx.db, clock: ctx.clock, handlers });
  const bar = out.progress(label, 0);
  const progress = setInterval(() => {
    getJob(ctx, jobId)
      .then((j) => bar.update(j.done))
      .catch(() => undefined);
  }, 500);
  let ended: JobDto;
  try {
    for (;;) {
      const ran = await worker.runOnce();
      ended = await getJob(ctx, jobId);
      if (["succeeded", "failed", "cancelled"].includes(ended.state)) break;
      // Another worker has it: wait for it to finish.
      if (!ran) await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    clearInterval(progress);
    bar.stop();
  }
  if (ended.state !== "succeeded") {
    const code =
      ended.errorCode && ended.errorCode in ERROR_CODES ? (ended.errorCode as ErrorCode) : "internal.error";
    throw new AppError(code, ended.errorMessage ?? `Job ${jobId} ${ended.state}.`);
  }
  return ended;
}
