import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  BranchDto,
  CreateBranchInput,
  CreateRegionInput,
  CreateSectorInput,
  RegionDto,
  SectorDto,
  UnionDto,
  UpdateBranchInput,
  UpdateRegionInput,
  UpdateSectorInput,
  UpdateUnionInput,
} from "./org.model.js";
import { createOrg, deleteOrg, getOrg, listOrg, listUnions, renameUnion, updateOrg } from "./org.service.js";

/** The same five routes for regions, sectors and branches. */
const ORG_RESOURCES = [
  { table: "regions", dto: RegionDto, create: CreateRegionInput, update: UpdateRegionInput },
  { table: "sectors", dto: SectorDto, create: CreateSectorInput, update: UpdateSectorInput },
  { table: "branches", dto: BranchDto, create: CreateBranchInput, update: UpdateBranchInput },
] as const;

export function orgRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/unions",
    { schema: { tags: ["org"], summary: "Your union", response: { 200: z.array(UnionDto) } } },
    (request) => listUnions(ctxOf(deps, request)),
  );
  app.patch(
    "/api/unions/:id",
    {
      schema: {
        tags: ["org"],
        summary: "Rename your union",
        params: IdParams,
        body: UpdateUnionInput,
        response: { 200: UnionDto },
      },
    },
    (request) => renameUnion(ctxOf(deps, request), request.params.id, request.body.name),
  );

  for (const r of ORG_RESOURCES) {
    const base = `/api/${r.table}`;
    const tags = ["org"];
    app.get(
      base,
      { schema: { tags, summary: `List ${r.table}`, response: { 200: z.array(r.dto) } } },
      (request) => listOrg(ctxOf(deps, request), r.table),
    );
    app.get(`${base}/:id`, { schema: { tags, params: IdParams, response: { 200: r.dto } } }, (request) =>
      getOrg(ctxOf(deps, request), r.table, request.params.id),
    );
    app.post(base, { schema: { tags, body: r.create, response: { 201: r.dto } } }, async (request, reply) =>
      reply.code(201).send(await createOrg(ctxOf(deps, request), r.table, request.body)),
    );
    app.patch(
      `${base}/:id`,
      { schema: { tags, params: IdParams, body: r.update, response: { 200: r.dto } } },
      (request) => updateOrg(ctxOf(deps, request), r.table, request.params.id, request.body),
    );
    app.delete(
      `${base}/:id`,
      { schema: { tags, params: IdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await deleteOrg(ctxOf(deps, request), r.table, request.params.id);
        return reply.code(204).send(null);
      },
    );
  }
}
