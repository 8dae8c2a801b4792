/**
 * The register import as a job of the queue. The file is read and checked
 * when the job is queued (a file that is not that register is refused at
 * once, changing nothing), then loaded by a worker in steps of records, each
 * committed with its step: a run taken over after its worker died carries on
 * after the last committed step, and ends as a straight run would.
 */
import fs from "node:fs";
import path from "node:path";
import type { Ctx } from "../context.js";
import { enqueueJob, type JobDto, type JobHandler } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { sha256OfBytes } from "../shared/hash.js";
import type { RegisterSource } from "./import/register-records.js";
import {
  type RegisterImportStep,
  readRegisterFile,
  registerRecordCount,
  runRegisterImport,
} from "./register-import.service.js";

export const REGISTER_IMPORT_JOB = "register_import";

export interface RegisterImportPayload {
  format: RegisterSource;
  /** The file's name as the user gave it, for messages and the import's record. */
  file: string;
  /** Where the bytes are: an upload (removed once loaded) or the path given on the command line. */
  path: string;
  upload: boolean;
  /** The bytes queued: a file changed since is refused rather than loaded half old, half new. */
  sha256: string;
  /** Records per step (5000 unless given). */
  stepSize?: number;
}

/** Checks the file and queues its import; one queued or running import per file content. */
export async function queueRegisterImport(
  ctx: Ctx,
  input: { format: RegisterSource; file: string; path: string; upload: boolean; stepSize?: number },
): Promise<JobDto> {
  const bytes = await fs.promises.readFile(input.path);
  const checked = readRegisterFile(ctx, { format: input.format, file: input.file, bytes });
  const sha256 = sha256OfBytes(bytes);
  const payload: RegisterImportPayload = {
    format: input.format,
    file: input.file,
    path: path.resolve(input.path),
    upload: input.upload,
    sha256,
    ...(input.stepSize ? { stepSize: input.stepSize } : {}),
  };
  return enqueueJob(ctx, REGISTER_IMPORT_JOB, payload, {
    total: registerRecordCount(checked),
    dedupeKey: `register:${sha256}`,
  });
}

export function registerImportJob(options: { uploadDir: string }): JobHandler<RegisterImportPayload> {
  const uploadDir = path.resolve(options.uploadDir);
  return {
    kind: REGISTER_IMPORT_JOB,
    async run(job) {
      const p = job.payload;
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(p.path);
      } catch {
        throw new AppError(
          "import.file_invalid",
          `${p.file}: the file queued for import is no longer there.`,
        );
      }
      if (sha256OfBytes(bytes) !== p.sha256)
        throw new AppError(
          "import.file_invalid",
          `${p.file}: the file has changed since its import was queued; import it again.`,
        );
      const checked = readRegisterFile(job.ctx, { format: p.format, file: p.file, bytes });
      const result = await runRegisterImport(job.ctx, checked, {
        step: job.step as RegisterImportStep | null,
        stepSize: p.stepSize,
        commitStep: (tx, step, progress) => job.commitStep(tx, step, progress),
        throwIfStopped: () => job.throwIfStopped(),
        problem: (message, tx) => job.problem(message, tx),
      });
      if (p.upload && path.resolve(p.path).startsWith(uploadDir + path.sep))
        await fs.promises.rm(p.path, { force: true });
      return result;
    },
  };
}
