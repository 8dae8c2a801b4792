import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { ExportAborted, endWithResponse, whenDelivered } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { enqueueJob } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { randomToken } from "../shared/hash.js";
import { decideDuplicateGroup, listDuplicateGroups } from "./duplicates.service.js";
import { type ColumnMapping, MEMBER_IMPORT_FIELDS } from "./import/index.js";
import { selectImportFilePath } from "./import-jobs.store.js";
import { MEMBER_IMPORT_JOB, type MemberImportPayload } from "./member-import.job.js";
import {
  createMemberImport,
  getImportJob,
  type ImportJobDto,
  listImportProblems,
  removeExpiredUploads,
} from "./member-import.service.js";
import { exportMembersCsv } from "./members-export.service.js";
import {
  QualityDimension,
  QualityQuery,
  QualityReportDto,
  qualityReport,
  qualityReportCsv,
} from "./quality.service.js";

const JobDto = z.object({
  id: z.number().int(),
  status: z.enum(["running", "failed", "completed"]),
  fileName: z.string(),
  mapping: z.record(z.string(), z.string()),
  rowsRead: z.number().int(),
  rowsInserted: z.number().int(),
  rowsUpdated: z.number().int(),
  rowsUnchanged: z.number().int(),
  rowsRejected: z.number().int(),
  problemsNotKept: z.number().int(),
  lastLine: z.number().int(),
  fixes: z.record(z.string(), z.number()),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  duplicates: z.object({ linked: z.number().int(), review: z.number().int() }).optional(),
  matching: z
    .object({
      auto: z.number().int(),
      reviewed: z.number().int(),
      review: z.number().int(),
      unmatched: z.number().int(),
    })
    .optional(),
});
const ProblemDto = z.object({
  file: z.string(),
  line: z.number().int(),
  field: z.string(),
  code: z.string(),
  message: z.string(),
  sheet: z.string().optional(),
  severity: z.string(),
});

const MappingSchema = z.record(z.string().min(1).max(40), z.string().min(1).max(200));

function parseMapping(text: string): ColumnMapping {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(
      "request.invalid",
      "The column mapping is not valid JSON: send an object of field to column header.",
    );
  }
  const parsed = MappingSchema.safeParse(value);
  if (!parsed.success)
    throw new AppError(
      "request.invalid",
      "The column mapping must map field names to column headers (text).",
    );
  const known = new Set<string>(MEMBER_IMPORT_FIELDS);
  const unknown = Object.keys(parsed.data).filter((k) => !known.has(k));
  if (unknown.length)
    throw new AppError(
      "request.invalid",
      `Unknown field(s) in the mapping: ${unknown.join(", ")}. Known: ${[...known].join(", ")}.`,
    );
  return parsed.data as ColumnMapping;
}

/**
 * Imports run in the server process after the upload is stored; the web app
 * polls the job for progress. A job interrupted by a restart is resumed from
 * its last committed batch with POST /api/imports/:id/resume.
 */
export function importsRoutes(app: App, deps: AppDeps & { uploadDir: string }): void {
  const tags = ["imports"];
  // Kept for a retry, then removed: the upload of a failed job holds members' data nobody is loading.
  const retentionDays = deps.uploadRetentionDays ?? 7;
  let sweeper: NodeJS.Timeout | null = null;
  const sweep = () =>
    removeExpiredUploads(deps.db, deps.clock, deps.uploadDir, retentionDays).catch((e) =>
      app.log.warn({ err: e }, "removing expired uploads failed"),
    );
  app.addHook("onReady", async () => {
    await sweep();
    sweeper = setInterval(sweep, 60 * 60_000);
    sweeper.unref();
  });
  app.addHook("onClose", async () => {
    if (sweeper) clearInterval(sweeper);
  });
  // The import runs as a job of the queue (src/jobs): one queued or running job per import.
  const enqueue = async (ctx: ReturnType<typeof ctxOf>, job: ImportJobDto, upload: string | null) => {
    try {
      await enqueueJob(
        ctx,
        MEMBER_IMPORT_JOB,
        { importJobId: job.id, upload } satisfies MemberImportPayload,
        {
          dedupeKey: `import:${job.id}`,
        },
      );
    } catch (e) {
      if (e instanceof AppError && e.code === "jobs.already_queued")
        throw new AppError("import.already_running", `Import job ${job.id} is running.`);
      throw e;
    }
    deps.onJobQueued?.();
  };
  const uploadDir = path.resolve(deps.uploadDir);
  // An uploaded file holds personal data: keep it only until its job has loaded it.
  const removeUpload = async (file: string) => {
    if (path.resolve(file).startsWith(uploadDir + path.sep)) await fs.promises.rm(file, { force: true });
  };

  app.post(
    "/api/imports/members",
    {
      schema: {
        tags,
        summary:
          "Upload a membership export (CSV or .xlsx, multipart field 'file'); the import runs as a job",
        response: { 202: JobDto },
      },
      // Refused before a byte of the body is read, so a refused upload is never stored.
      onRequest: async (request) => {
        authorize(ctxOf(deps, request).actor, "members.import");
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      const limit = deps.uploadLimitBytes ?? 1024 * 1024 * 1024;
      const part = await request.file({ limits: { fileSize: limit } });
      if (!part) throw new AppError("request.invalid", "Send the file in a multipart field named 'file'.");
      const ext = path.extname(part.filename).toLowerCase();
      if (![".csv", ".txt", ".xlsx"].includes(ext))
        throw new AppError(
          "import.file_invalid",
          `${part.filename}: only .csv and .xlsx files can be imported.`,
        );
      fs.mkdirSync(deps.uploadDir, { recursive: true });
      const stored = path.join(deps.uploadDir, `${Date.now()}-${randomToken(6)}${ext}`);
      // A file cut off at the limit, or whose transfer broke, is removed at once: it holds personal data.
      try {
        await pipeline(part.file, fs.createWriteStream(stored));
      } catch (e) {
        await removeUpload(stored);
        throw e;
      }
      if (part.file.truncated) {
        await removeUpload(stored);
        throw new AppError("request.too_large", `${part.filename} is larger than ${sizeInWords(limit)}.`);
      }
      try {
        const mappingField = part.fields.mapping;
        const mappingText =
          mappingField && "value" in mappingField && typeof mappingField.value === "string"
            ? mappingField.value
            : null;
        const mapping = mappingText ? parseMapping(mappingText) : undefined;
        const job = await createMemberImport(ctx, { filePath: stored, fileName: part.filename, mapping });
        await enqueue(ctx, job, stored);
        return reply.code(202).send(job);
      } catch (e) {
        await removeUpload(stored);
        throw e;
      }
    },
  );
  app.get("/api/imports/:id", { schema: { tags, params: IdParams, response: { 200: JobDto } } }, (request) =>
    getImportJob(ctxOf(deps, request), request.params.id),
  );
  app.get(
    "/api/imports/:id/problems",
    {
      schema: {
        tags,
        summary: "Rejected rows and warnings, by line",
        params: IdParams,
        response: { 200: z.array(ProblemDto) },
      },
    },
    (request) => listImportProblems(ctxOf(deps, request), request.params.id),
  );
  app.post(
    "/api/imports/:id/resume",
    { schema: { tags, params: IdParams, response: { 202: JobDto } } },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      const job = await getImportJob(ctx, request.params.id);
      if (job.status === "completed") return reply.code(202).send(job);
      await enqueue(ctx, job, await selectImportFilePath(ctx.db, ctx.actor, job.id));
      return reply.code(202).send({ ...job, status: "running" as const, error: null });
    },
  );

  const GroupDto = z.object({
    id: z.number().int(),
    status: z.enum(["linked", "review", "distinct"]),
    confidence: z.number(),
    evidence: z.array(z.string()),
    decidedAt: z.string().nullable(),
    members: z.array(
      z.object({
        id: z.number().int(),
        membershipNumber: z.string(),
        forenames: z.string(),
        surname: z.string(),
        dateOfBirth: z.string().nullable(),
        homePostcode: z.string().nullable(),
        email: z.string().nullable(),
        employerName: z.string().nullable(),
        status: z.string(),
      }),
    ),
  });
  app.get(
    "/api/duplicates",
    {
      schema: {
        tags: ["members"],
        summary: "Groups of member records judged to be one person",
        querystring: z.object({
          status: z.enum(["linked", "review", "distinct"]).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({
            items: z.array(GroupDto),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            counts: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    (request) => listDuplicateGroups(ctxOf(deps, request), request.query),
  );
  app.post(
    "/api/duplicates/:id/decision",
    {
      schema: {
        tags: ["members"],
        params: IdParams,
        body: z.object({ action: z.enum(["link", "distinct"]) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await decideDuplicateGroup(ctxOf(deps, request), request.params.id, request.body.action);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/quality",
    {
      schema: {
        tags: ["members"],
        summary: "Completeness and quality per employer, region or sector",
        querystring: QualityQuery,
        response: { 200: QualityReportDto },
      },
    },
    (request) => qualityReport(ctxOf(deps, request), request.query.by, request.query),
  );

  app.get(
    "/api/quality.csv",
    {
      // No HEAD twin: Fastify would run this handler for HEAD and audit an export that sent nothing.
      exposeHeadRoute: false,
      schema: {
        tags: ["members"],
        summary: "The quality report as a CSV file, with a total line (audited)",
        querystring: z.object({ by: QualityDimension.default("employer") }),
      },
    },
    async (request, reply) => {
      const file = await qualityReportCsv(ctxOf(deps, request), request.query.by);
      endWithResponse(reply.raw, file.trail, undefined, () =>
        request.log.error({ code: "quality.export" }, "quality export end not audited"),
      );
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .send(`\uFEFF${file.csv}`);
    },
  );

  app.get(
    "/api/members/export.csv",
    {
      // No HEAD twin: Fastify would run this handler for HEAD and audit an export that sent nothing.
      exposeHeadRoute: false,
      schema: {
        tags: ["members"],
        summary: "Members with employer and workplace codes, match status and duplicate group (audited)",
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      // Refused before the response starts, so a refusal is a 403 (and audited as one).
      authorize(ctx.actor, "members.export");
      reply.header("content-type", "text/csv; charset=utf-8");
      reply.header("content-disposition", 'attachment; filename="members.csv"');
      const stream = new PassThrough();
      // A download cancelled by the browser stops the export, which records it as failed.
      const delivered = whenDelivered(reply.raw, () => stream.destroy());
      exportMembersCsv(ctx, stream, { delivered }).catch((e) => {
        stream.destroy(e);
        if (!(e instanceof ExportAborted))
          request.log.error({ code: "members.export" }, "member export failed");
      });
      return reply.send(stream);
    },
  );
}

function sizeInWords(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MB`;
  return `${bytes.toLocaleString("en-GB")} bytes`;
}
