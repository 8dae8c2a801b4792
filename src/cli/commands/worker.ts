import type { Command } from "commander";
import { commsOptionsOf, startConfiguredBounceListener } from "../../comms/index.js";
import { jobHandlers } from "../../job-handlers.js";
import { jobKindName, Worker } from "../../jobs/index.js";
import { safeErrorMessage } from "../../shared/errors.js";
import { type Cli, uploadDirOf } from "../cli-context.js";
import type { Output } from "../output.js";

/**
 * A line per job when it first reports progress, then at most one every 10 seconds; every step
 * when steps are slowed down (MANDATE_JOB_STEP_DELAY_MS), for the tests that stop a worker half-way.
 */
function progressLog(out: Output, everyStep: boolean) {
  const last = new Map<number, number>();
  return (job: { id: number; kind: string; done: number; total: number | null }) => {
    if (job.done === 0) return;
    const now = Date.now();
    const before = last.get(job.id);
    if (!everyStep && before !== undefined && now - before < 10_000) return;
    last.set(job.id, now);
    const of = job.total === null ? "" : ` of ${job.total.toLocaleString("en-GB")}`;
    out.info(`Job ${job.id} (${jobKindName(job.kind)}): ${job.done.toLocaleString("en-GB")}${of} done.`);
  };
}

/** `mandate worker ...`: the job worker. */
export function addWorkerCommands(program: Command, cli: Cli): void {
  program
    .command("worker")
    .description("run background jobs (imports...) from the queue until stopped")
    .option("--once", "stop when no job is due instead of waiting for more")
    .action(async (opts: { once?: boolean }) => {
      const config = cli.deps.config();
      const out = cli.output();
      const open = await cli.deps.openDatabase(config);
      const worker = new Worker({
        db: open.db,
        clock: cli.deps.clock,
        handlers: jobHandlers({ uploadDir: uploadDirOf(config), comms: commsOptionsOf(config) }),
        leaseSeconds: config.jobLeaseSeconds,
        stepDelayMs: config.jobStepDelayMs,
        // Without the error's message: a database error can quote personal values.
        onError: (e) => out.info(`The job queue failed (${safeErrorMessage(e)}); trying again.`),
        onProgress: progressLog(out, config.jobStepDelayMs > 0),
      });
      let ran = 0;
      const stop = async () => {
        await worker.stop();
        await open.close();
      };
      if (opts.once) {
        while (await worker.runOnce()) ran++;
        await stop();
        out.result(
          { worker: worker.owner, jobsRun: ran },
          () => `Ran ${ran} job${ran === 1 ? "" : "s"}; none is due.`,
        );
        return;
      }
      out.info(`Worker ${worker.owner} is taking jobs from ${open.location}. Press Ctrl+C to stop.`);
      const bounces = await startConfiguredBounceListener(
        config,
        { db: open.db, clock: cli.deps.clock },
        (l) => out.info(l),
      );
      worker.start();
      await new Promise<void>((resolve) => {
        const onSignal = () => {
          void (bounces?.close() ?? Promise.resolve()).then(stop).then(resolve);
        };
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
      });
    });
}
