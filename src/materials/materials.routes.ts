import { z } from "zod";
import { authorize } from "../auth/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { AppError } from "../shared/errors.js";
import {
  MAX_MATERIAL_BYTES,
  MaterialDto,
  MaterialFilters,
  MaterialInput,
  type MaterialLanguage,
  MaterialVersionDto,
  VersionUploadQuery,
  WithdrawInput,
} from "./materials.model.js";
import {
  approveMaterialVersion,
  createMaterial,
  downloadMaterialVersion,
  getMaterial,
  listMaterials,
  uploadVersion,
  withdrawMaterialVersion,
} from "./materials.service.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const IdParams = z.object({ id: Id });
const tags = ["materials"];

/** The language a browser asks for first, of those the library holds (Welsh or English). */
export function preferredLanguage(acceptLanguage: string | undefined): MaterialLanguage {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag, q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === "cy" || tag.startsWith("cy-")) return "cy";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return "en";
}

/** The materials library: listed and downloaded in the reader's reach; uploaded, approved and withdrawn. */
export function materialsRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/materials",
    {
      schema: {
        tags,
        summary:
          "Materials the reader may see, with filters; each offers the approved version in the language asked for (else the browser's, else English)",
        querystring: MaterialFilters.extend({ language: MaterialFilters.shape.language.unwrap().optional() }),
        response: { 200: z.array(MaterialDto) },
      },
    },
    (req) =>
      listMaterials(ctxOf(deps, req), {
        ...req.query,
        language: req.query.language ?? preferredLanguage(req.headers["accept-language"]),
      }),
  );
  app.post(
    "/api/materials",
    {
      schema: {
        tags,
        summary: "Add a material (title, kind, audience); its files are uploaded as versions",
        body: MaterialInput,
        response: { 200: MaterialDto },
      },
    },
    (req) => createMaterial(ctxOf(deps, req), req.body),
  );
  app.get(
    "/api/materials/:id",
    {
      schema: {
        tags,
        summary: "One material with the versions the reader may see",
        params: IdParams,
        querystring: z.object({ language: MaterialFilters.shape.language.unwrap().optional() }),
        response: { 200: MaterialDto },
      },
    },
    (req) =>
      getMaterial(
        ctxOf(deps, req),
        req.params.id,
        req.query.language ?? preferredLanguage(req.headers["accept-language"]),
      ),
  );
  app.post(
    "/api/materials/:id/versions",
    {
      schema: {
        tags,
        summary:
          "Upload a file as a draft version of a material (multipart field 'file'; PDF, PNG, JPEG, Word or PowerPoint by content; at most 20 MB)",
        params: IdParams,
        querystring: VersionUploadQuery,
        response: { 200: MaterialVersionDto },
      },
      // Refused before a byte of the body is read.
      onRequest: async (request) => {
        authorize(ctxOf(deps, request).actor, "materials.write");
      },
    },
    async (req) => {
      const ctx = ctxOf(deps, req);
      const part = await req.file({ limits: { fileSize: MAX_MATERIAL_BYTES, files: 1 } });
      if (!part) throw new AppError("request.invalid", "Send the file in a multipart field named 'file'.");
      const content = await part.toBuffer().catch((e: unknown) => {
        if (part.file.truncated || (e as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") {
          throw new AppError(
            "materials.too_large",
            `The file is larger than ${MAX_MATERIAL_BYTES / 1024 / 1024} MB.`,
          );
        }
        throw e;
      });
      if (part.file.truncated) {
        throw new AppError(
          "materials.too_large",
          `The file is larger than ${MAX_MATERIAL_BYTES / 1024 / 1024} MB.`,
        );
      }
      return uploadVersion(ctx, req.params.id, {
        language: req.query.language,
        note: req.query.note,
        fileName: part.filename.slice(0, 300),
        content,
      });
    },
  );
  app.post(
    "/api/materials/versions/:id/approve",
    {
      schema: {
        tags,
        summary:
          "Approve a draft version (national officers); the language's earlier approved version is superseded",
        params: IdParams,
        response: { 200: MaterialVersionDto },
      },
    },
    (req) => approveMaterialVersion(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/materials/versions/:id/withdraw",
    {
      schema: {
        tags,
        summary: "Withdraw a version from use, with the reason (approvers; an uploader their own draft)",
        params: IdParams,
        body: WithdrawInput,
        response: { 200: MaterialVersionDto },
      },
    },
    (req) => withdrawMaterialVersion(ctxOf(deps, req), req.params.id, req.body.reason),
  );
  app.get(
    "/api/materials/versions/:id/file",
    {
      // No HEAD twin: Fastify would run this handler for HEAD and audit a download that sent nothing.
      exposeHeadRoute: false,
      schema: { tags, summary: "Download a version's file (audited)", params: IdParams },
    },
    async (req, reply) => {
      const file = await downloadMaterialVersion(ctxOf(deps, req), req.params.id);
      return reply
        .header("content-type", file.contentType)
        .header("x-content-sha256", file.sha256)
        .header("content-disposition", `attachment; filename="${file.fileName}"`)
        .send(file.content);
    },
  );
}
