import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { JobDto, JobProblemDto, ListJobsQuery } from "./jobs.model.js";
import { cancelJob, getJob, jobProblems, listJobs, retryJob } from "./jobs.service.js";

const tags = ["jobs"];

export function jobsRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/jobs",
    {
      schema: {
        tags,
        summary: "Background jobs: every job of the union for a national officer, else your own",
        querystring: ListJobsQuery,
        response: { 200: z.array(JobDto) },
      },
    },
    (req) => listJobs(ctxOf(deps, req), req.query),
  );
  app.get(
    "/api/jobs/:id",
    { schema: { tags, summary: "One job with its progress", params: IdParams, response: { 200: JobDto } } },
    (req) => getJob(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/jobs/:id/problems",
    {
      schema: {
        tags,
        summary: "The problems a job met",
        params: IdParams,
        response: { 200: z.array(JobProblemDto) },
      },
    },
    (req) => jobProblems(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/jobs/:id/cancel",
    {
      schema: {
        tags,
        summary: "Cancel a job: at once if queued, at its next step if running (audited)",
        params: IdParams,
        response: { 200: JobDto },
      },
    },
    (req) => cancelJob(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/jobs/:id/retry",
    {
      schema: {
        tags,
        summary: "Put a failed or cancelled job back in the queue; it resumes from its last step (audited)",
        params: IdParams,
        response: { 200: JobDto },
      },
    },
    (req) => retryJob(ctxOf(deps, req), req.params.id),
  );
}
