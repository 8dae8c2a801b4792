import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { JobDto } from "../jobs/index.js";
import { queueBallotDocuments } from "./documents.job.js";

const DocumentJobInput = z.object({ set: z.enum(["notices", "results"]) });

/**
 * A ballot's documents generated as a job: checked first (a ballot whose
 * pre-flight checks block is refused at once), then queued (202 with the
 * job); the ballot's Documents tab follows the job and lists the documents
 * as they are stored.
 */
export function documentJobsRoutes(app: App, deps: AppDeps): void {
  app.post(
    "/api/ballots/:id/documents/jobs",
    {
      schema: {
        tags: ["ballots"],
        summary: "Generate the notices of ballot (set=notices) or the result notices (set=results) as a job",
        params: IdParams,
        body: DocumentJobInput,
        response: { 202: JobDto },
      },
    },
    async (req, reply) => {
      const job = await queueBallotDocuments(ctxOf(deps, req), req.params.id, req.body.set);
      deps.onJobQueued?.();
      return reply.code(202).send(job);
    },
  );
}
