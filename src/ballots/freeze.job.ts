/**
 * The electorate freeze as a job of the queue. The freeze is one transaction:
 * a cancel, a lost lease or a stopping worker ends it between pages and rolls
 * it back; a run taken over after its worker died starts it again, as at the
 * day the job carries, and ends with the same snapshot.
 */
import { connectionIsShared } from "../db/copy.js";
import type { JobHandler } from "../jobs/index.js";
import { FREEZE_JOB, type FreezePayload, type FreezePhases, freezeElectorate } from "./freeze.service.js";

export function freezeJob(): JobHandler<FreezePayload> {
  return {
    kind: FREEZE_JOB,
    async run(job) {
      const phases: FreezePhases = {};
      const summary = await freezeElectorate(job.ctx, job.payload.ballotId, {
        asAt: job.payload.asAt,
        throwIfStopped: job.throwIfStopped,
        phases,
        // On the server, progress goes through another connection, so the Jobs screen sees it while the
        // freeze runs; the embedded database's one connection is the freeze's, so it goes inside it.
        onProgress: async (done, total, tx) => {
          await job.progress(done, total, (await connectionIsShared(tx)) ? tx : undefined);
          if (done > 0) await job.pace();
        },
      });
      return {
        ballotId: job.payload.ballotId,
        hash: summary.hash,
        asAt: summary.asAt,
        entitled: summary.entitled,
        excluded: summary.excluded,
        /** Seconds per phase in the order they first ran, rounded to the millisecond (a list: jsonb reorders keys). */
        phases: Object.entries(phases).map(([phase, v]) => ({ phase, seconds: Math.round(v * 1000) / 1000 })),
      };
    },
  };
}
