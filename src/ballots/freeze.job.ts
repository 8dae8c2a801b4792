/**
 * The electorate freeze as a job of the queue. The freeze is one transaction:
 * a cancel, a lost lease or a stopping worker ends it between pages and rolls
 * it back; a run taken over after its worker died starts it again, as at the
 * day the job carries, and ends with the same snapshot.
 */
import type { JobHandler } from "../jobs/index.js";
import { FREEZE_JOB, type FreezePayload, freezeElectorate } from "./freeze.service.js";

export function freezeJob(): JobHandler<FreezePayload> {
  return {
    kind: FREEZE_JOB,
    async run(job) {
      const summary = await freezeElectorate(job.ctx, job.payload.ballotId, {
        asAt: job.payload.asAt,
        throwIfStopped: job.throwIfStopped,
        onProgress: (done, total) => job.progress(done, total),
      });
      return {
        ballotId: job.payload.ballotId,
        hash: summary.hash,
        asAt: summary.asAt,
        entitled: summary.entitled,
        excluded: summary.excluded,
      };
    },
  };
}
