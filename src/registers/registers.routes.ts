import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { IdParams } from "../org/index.js";
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
