import type { Command } from "commander";
import { jobHandlers } from "../../job-handlers.js";
import { Worker } from "../../jobs/index.js";
import { safeErrorMessage } from "../../shared/errors.js";
import { type Cli, uploadDirOf } from "../cli-context.js";

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
        handlers: jobHandlers({ uploadDir: uploadDirOf(config) }),
        leaseSeconds: config.jobLeaseSeconds,
        // Without the error's message: a database error can quote personal values.
        onError: (e) => out.info(`The job queue failed (${safeErrorMessage(e)}); trying again.`),
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
      worker.start();
      await new Promise<void>((resolve) => {
        const onSignal = () => {
          void stop().then(resolve);
        };
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
      });
    });
}
