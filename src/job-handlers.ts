/**
 * Composition: the job kinds this installation runs, one handler per kind
 * from the domain that owns it. The server's in-process worker and
 * `mandate worker` both take their handlers from here.
 */
import { ballotDocumentsJob } from "./ballots/documents.job.js";
import { freezeJob } from "./ballots/freeze.job.js";
import { digestJob } from "./bulletins/index.js";
import { coalitionPublishJob } from "./coalition/index.js";
import { type CommsOptions, commsSendJob } from "./comms/index.js";
import type { JobHandler } from "./jobs/index.js";
import { memberImportJob } from "./members/member-import.job.js";
import { registerImportJob } from "./registers/register-import.job.js";

export function jobHandlers(options: { uploadDir: string; comms?: CommsOptions }): JobHandler<never>[] {
  return [
    memberImportJob(options) as JobHandler<never>,
    registerImportJob(options) as JobHandler<never>,
    freezeJob() as JobHandler<never>,
    ballotDocumentsJob() as JobHandler<never>,
    coalitionPublishJob() as JobHandler<never>,
    // Scheduled digests; their email copies go only where an SMTP server is configured.
    digestJob(options.comms) as JobHandler<never>,
    // Sends run only where the communications settings are given (the server and `mandate worker`).
    ...(options.comms ? [commsSendJob(options.comms) as JobHandler<never>] : []),
  ];
}
