/**
 * The member import as a job of the queue. The import is resumable by itself
 * (each batch commits its rows with the job's last row), so a run that is
 * taken over after its worker died calls runMemberImport again and carries on
 * after the last committed batch. A cancel, a lost lease or a stopping worker
 * ends the run at the next batch's progress report (the import is then marked
 * failed, and resumes from there when the job runs again); a failed import
 * throws, so the job fails with its code.
 */
import fs from "node:fs";
import path from "node:path";
import type { JobHandler } from "../jobs/index.js";
import { runMemberImport } from "./member-import.service.js";
import { emptyProfile } from "./member-import-batch.js";

export const MEMBER_IMPORT_JOB = "member_import";

export interface MemberImportPayload {
  importJobId: number;
  /** The uploaded file, removed once loaded: it holds members' data nobody needs any more. */
  upload: string | null;
}

export function memberImportJob(options: { uploadDir: string }): JobHandler<MemberImportPayload> {
  const uploadDir = path.resolve(options.uploadDir);
  return {
    kind: MEMBER_IMPORT_JOB,
    async run(job) {
      let reported = 0;
      // Where this run's time went, kept in the job's result for whoever tunes a national import.
      const profile = emptyProfile();
      const result = await runMemberImport(
        job.ctx,
        job.payload.importJobId,
        (p) => {
          job.throwIfStopped();
          // Progress once per batch is plenty, and the job row is one more write per report.
          if (p.rowsRead - reported >= 2000) {
            reported = p.rowsRead;
            void job.progress(p.rowsRead).catch(() => undefined);
          }
        },
        { profile },
      );
      await job.progress(result.rowsRead, result.rowsRead);
      const upload = job.payload.upload;
      if (upload && path.resolve(upload).startsWith(uploadDir + path.sep)) {
        await fs.promises.rm(upload, { force: true });
      }
      const { stringsMatched, ...phases } = profile;
      return {
        importJobId: result.id,
        rowsRead: result.rowsRead,
        // Seconds by phase for this run (a resumed run's own, not the earlier runs'); they overlap.
        phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v * 100) / 100])),
        stringsMatched,
      };
    },
  };
}
