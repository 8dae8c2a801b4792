import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  AnswerInput,
  CreateDepartmentInput,
  DepartmentDto,
  RaiseRequestInput,
  RequestDto,
  RequestListDto,
  RequestListQuery,
  RequestsReportDto,
  RequestsReportQuery,
  ServiceLevelDto,
  SetMembersInput,
  SetServiceLevelsInput,
  TriageInput,
} from "./requests.model.js";
import {
  answerRequest,
  createDepartment,
  getRequest,
  listDepartments,
  listRequests,
  raiseRequest,
  requestsReport,
  serviceLevels,
  setDepartmentMembers,
  setServiceLevels,
  triageRequest,
} from "./requests.service.js";

const tags = ["requests"];

/**
 * Requests for assistance: raised by officers and reps, triaged and answered by the department's members
 * (or national officers), read by the requester, the department, the region's or sector's officers and
 * the disputes unit; departments and service levels configured by national officers.
 */
export function requestsRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/requests",
    {
      schema: {
        tags,
        summary: "Requests for assistance you see, newest first, with their service-level state",
        querystring: RequestListQuery,
        response: { 200: RequestListDto },
      },
    },
    (req) => listRequests(ctxOf(deps, req), req.query),
  );
  app.post(
    "/api/requests",
    {
      schema: {
        tags,
        summary: "Raise a request for assistance to a department, with its urgency",
        body: RaiseRequestInput,
        response: { 201: RequestDto },
      },
    },
    async (req, reply) => reply.code(201).send(await raiseRequest(ctxOf(deps, req), req.body)),
  );
  app.get(
    "/api/requests/report",
    {
      schema: {
        tags,
        summary: "Time to first answer and to resolution by department (median, 90th percentile; hours)",
        querystring: RequestsReportQuery,
        response: { 200: RequestsReportDto },
      },
    },
    (req) => requestsReport(ctxOf(deps, req), req.query),
  );
  app.get(
    "/api/requests/departments",
    {
      schema: {
        tags,
        summary: "The union's departments and their members",
        response: { 200: z.array(DepartmentDto) },
      },
    },
    (req) => listDepartments(ctxOf(deps, req)),
  );
  app.post(
    "/api/requests/departments",
    {
      schema: {
        tags,
        summary: "Add a department",
        body: CreateDepartmentInput,
        response: { 201: DepartmentDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createDepartment(ctxOf(deps, req), req.body)),
  );
  app.put(
    "/api/requests/departments/:id/members",
    {
      schema: {
        tags,
        summary: "Set a department's members (the users who triage and answer its requests)",
        params: IdParams,
        body: SetMembersInput,
        response: { 200: DepartmentDto },
      },
    },
    (req) => setDepartmentMembers(ctxOf(deps, req), req.params.id, req.body),
  );
  app.get(
    "/api/requests/service-levels",
    {
      schema: {
        tags,
        summary: "Time to first answer per urgency",
        response: { 200: z.array(ServiceLevelDto) },
      },
    },
    (req) => serviceLevels(ctxOf(deps, req)),
  );
  app.put(
    "/api/requests/service-levels",
    {
      schema: {
        tags,
        summary: "Set the union's service levels (hours or working days per urgency)",
        body: SetServiceLevelsInput,
        response: { 200: z.array(ServiceLevelDto) },
      },
    },
    (req) => setServiceLevels(ctxOf(deps, req), req.body),
  );
  app.get(
    "/api/requests/:id",
    {
      schema: {
        tags,
        summary: "A request with its answers",
        params: IdParams,
        response: { 200: RequestDto },
      },
    },
    (req) => getRequest(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/requests/:id/triage",
    {
      schema: {
        tags,
        summary: "Triage a request: its urgency and owner",
        params: IdParams,
        body: TriageInput,
        response: { 200: RequestDto },
      },
    },
    (req) => triageRequest(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/requests/:id/answers",
    {
      schema: {
        tags,
        summary: "Answer a request (and resolve it, if the answer settles it)",
        params: IdParams,
        body: AnswerInput,
        response: { 201: RequestDto },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await answerRequest(ctxOf(deps, req), req.params.id, req.body)),
  );
}
