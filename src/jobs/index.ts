/** The durable job queue: what other domains use. */
export { JobDto, jobKindName } from "./jobs.model.js";
export { cancelJob, enqueueJob, getJob, listJobs, retryJob } from "./jobs.service.js";
export { type JobHandler, type JobRun, JobStopped, Worker, type WorkerOptions } from "./worker.js";
