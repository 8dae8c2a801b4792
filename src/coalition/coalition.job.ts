/**
 * Daily publication as a job of the queue: publishes the union's aggregates to the coalition, then
 * queues the next day's run while the union still publishes daily. A run is one step (the report is
 * stored or sent in one go); a run that fails is retried by the queue, with a new sequence number.
 */
import type { JobHandler } from "../jobs/index.js";
import {
  COALITION_PUBLISH_JOB,
  publishesDaily,
  publishToCoalition,
  scheduleNextPublish,
} from "./coalition.service.js";

export interface CoalitionPublishPayload {
  coalitionId: number;
}

export function coalitionPublishJob(send: typeof fetch = fetch): JobHandler<CoalitionPublishPayload> {
  return {
    kind: COALITION_PUBLISH_JOB,
    async run(job) {
      const { coalitionId } = job.payload;
      if (!(await publishesDaily(job.ctx, coalitionId))) return { skipped: "not publishing daily" };
      const result = await publishToCoalition(job.ctx, coalitionId, "schedule", send);
      await scheduleNextPublish(job.ctx, coalitionId, job.ctx.clock.now());
      return result;
    },
  };
}
