/**
 * A command whose work is a job of the queue: the job runs in this process
 * (or in a worker elsewhere that took it first) while a progress bar follows
 * it, and its end is the command's: a failed or cancelled job fails the
 * command with the job's error.
 */
import type { Ctx } from "../context.js";
import { getJob, type JobDto, type JobHandler, Worker } from "../jobs/index.js";
import { AppError, ERROR_CODES, type ErrorCode } from "../shared/errors.js";
import type { Output } from "./output.js";

export async function runJobWithProgress(
  ctx: Ctx,
  out: Output,
  jobId: number,
  label: string,
  handlers: readonly JobHandler<never>[],
): Promise<JobDto> {
  const worker = new Worker({ db: ctx.db, clock: ctx.clock, handlers });
  const bar = out.progress(label, (await getJob(ctx, jobId)).total ?? 0);
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
