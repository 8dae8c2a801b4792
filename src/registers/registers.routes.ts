import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { authorize } from "../auth/index.js";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { JobDto } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { randomToken } from "../shared/hash.js";
import type { RegisterSource } from "./import/register-records.js";
import { queueRegisterImport } from "./register-import.job.js";
import {
  CreateEmployerInput,
  CreateWorkplaceInput,
  EmployerDetailDto,
  EmployerDto,
  EmployerListQuery,
  EmployerPageDto,
  UpdateEmployerInput,
  UpdateWorkplaceInput,
  WorkplaceDto,
  WorkplaceListItemDto,
  WorkplaceListQuery,
  WorkplacePageDto,
} from "./registers.model.js";
import {
  createEmployer,
  createWorkplace,
  deleteEmployer,
  deleteWorkplace,
  getEmployer,
  getWorkplace,
  listEmployers,
  listWorkplaces,
  updateEmployer,
  updateWorkplace,
} from "./registers.service.js";

export function registersRoutes(app: App, deps: AppDeps): void {
  const tags = ["employers"];
  app.get(
    "/api/employers",
    {
      schema: {
        tags,
        summary: "Employers with member counts in your scope",
        querystring: EmployerListQuery,
        response: { 200: EmployerPageDto },
      },
    },
    (request) => listEmployers(ctxOf(deps, request), request.query),
  );
  app.get(
    "/api/employers/:id",
    {
      schema: {
        tags,
        summary: "An employer with its workplaces",
        params: IdParams,
        response: { 200: EmployerDetailDto },
      },
    },
    (request) => getEmployer(ctxOf(deps, request), request.params.id),
  );
  app.post(
    "/api/employers",
    { schema: { tags, body: CreateEmployerInput, response: { 201: EmployerDto } } },
    async (request, reply) => reply.code(201).send(await createEmployer(ctxOf(deps, request), request.body)),
  );
  app.patch(
    "/api/employers/:id",
    { schema: { tags, params: IdParams, body: UpdateEmployerInput, response: { 200: EmployerDto } } },
    (request) => updateEmployer(ctxOf(deps, request), request.params.id, request.body),
  );
  app.delete(
    "/api/employers/:id",
    { schema: { tags, params: IdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteEmployer(ctxOf(deps, request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  const wtags = ["workplaces"];
  app.get(
    "/api/workplaces",
    { schema: { tags: wtags, querystring: WorkplaceListQuery, response: { 200: WorkplacePageDto } } },
    (request) => listWorkplaces(ctxOf(deps, request), request.query),
  );
  app.get(
    "/api/workplaces/:id",
    { schema: { tags: wtags, params: IdParams, response: { 200: WorkplaceListItemDto } } },
    (request) => getWorkplace(ctxOf(deps, request), request.params.id),
  );
  app.post(
    "/api/workplaces",
    { schema: { tags: wtags, body: CreateWorkplaceInput, response: { 201: WorkplaceDto } } },
    async (request, reply) => reply.code(201).send(await createWorkplace(ctxOf(deps, request), request.body)),
  );
  app.patch(
    "/api/workplaces/:id",
    {
      schema: { tags: wtags, params: IdParams, body: UpdateWorkplaceInput, response: { 200: WorkplaceDto } },
    },
    (request) => updateWorkplace(ctxOf(deps, request), request.params.id, request.body),
  );
  app.delete(
    "/api/workplaces/:id",
    { schema: { tags: wtags, params: IdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteWorkplace(ctxOf(deps, request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}

const REGISTER_FORMATS = ["ods", "gias", "la", "csv"] as const satisfies readonly RegisterSource[];
const RegisterImportQuery = z.object({ format: z.enum(REGISTER_FORMATS) });

/**
 * A register file uploaded to be loaded as a job of the queue: the file is
 * checked first (one that is not that register is refused, 422, and not
 * kept), then the job is queued and its id returned (202); the Jobs screen
 * and GET /api/jobs/:id follow it.
 */
export function registerImportRoutes(app: App, deps: AppDeps & { uploadDir: string }): void {
  const uploadDir = path.resolve(deps.uploadDir);
  app.post(
    "/api/registers/imports",
    {
      schema: {
        tags: ["employers"],
        summary:
          "Upload an official register (multipart field 'file'; ?format=ods|gias|la|csv); it loads as a job",
        querystring: RegisterImportQuery,
        response: { 202: JobDto },
      },
      // Refused before a byte of the body is read.
      onRequest: async (request) => {
        authorize(ctxOf(deps, request).actor, "org.write");
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      const limit = deps.uploadLimitBytes ?? 1024 * 1024 * 1024;
      const part = await request.file({ limits: { fileSize: limit } });
      if (!part) throw new AppError("request.invalid", "Send the file in a multipart field named 'file'.");
      fs.mkdirSync(uploadDir, { recursive: true });
      const stored = path.join(uploadDir, `register-${Date.now()}-${randomToken(6)}.upload`);
      const remove = () => fs.promises.rm(stored, { force: true });
      try {
        await pipeline(part.file, fs.createWriteStream(stored));
        if (part.file.truncated)
          throw new AppError("request.too_large", `${part.filename} is larger than the upload limit.`);
        const job = await queueRegisterImport(ctx, {
          format: request.query.format,
          file: path.basename(part.filename || "register"),
          path: stored,
          upload: true,
        });
        deps.onJobQueued?.();
        return reply.code(202).send(job);
      } catch (e) {
        await remove();
        throw e;
      }
    },
  );
}
