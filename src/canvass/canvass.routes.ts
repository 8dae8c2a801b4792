import { z } from "zod";
import { endWithResponse } from "../audit/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { PageQuery } from "../shared/paging.js";
import {
  AssignmentDto,
  AssignmentsDto,
  CallSheetQuery,
  ContactDto,
  CreateAssignmentInput,
  ListPageDto,
  ListQuery,
  LogContactInput,
  PositionDto,
  PositionInput,
} from "./canvass.model.js";
import {
  callSheet,
  contactList,
  createAssignment,
  endAssignment,
  exportOsdi,
  listAssignments,
  logContact,
  memberPosition,
  recordPosition,
} from "./canvass.service.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const IdParams = z.object({ id: Id });
const tags = ["canvass"];

/**
 * Contact lists: reps (their workplaces' members), regional officers (their regions') and national
 * officers read lists and log contacts; officers assign lists to reps and see progress; positions are
 * recorded by the same roles for members in their scope. Call sheets and the OSDI export are audited.
 */
export function canvassRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/ballots/:id/canvass/list",
    {
      schema: {
        tags,
        summary:
          "Members still to reach in the ballot, most urgent first (those who reported voting are off it)",
        params: IdParams,
        querystring: ListQuery,
        response: { 200: ListPageDto },
      },
    },
    (req) => contactList(ctxOf(deps, req), req.params.id, req.query),
  );
  app.post(
    "/api/ballots/:id/canvass/contacts",
    {
      schema: {
        tags,
        summary:
          "Log a contact with a member (type, outcome, and what they said about their vote, never how)",
        params: IdParams,
        body: LogContactInput,
        response: { 201: ContactDto },
      },
    },
    async (req, reply) => reply.code(201).send(await logContact(ctxOf(deps, req), req.params.id, req.body)),
  );
  for (const format of ["csv", "pdf"] as const) {
    app.get(
      `/api/ballots/:id/canvass/call-sheet.${format}`,
      {
        // No HEAD twin: Fastify would run this handler for HEAD and audit an export that sent nothing.
        exposeHeadRoute: false,
        schema: {
          tags,
          summary: `The contact list as a call sheet (${format.toUpperCase()}; audited)`,
          params: IdParams,
          querystring: CallSheetQuery,
        },
      },
      async (req, reply) => {
        const file = await callSheet(ctxOf(deps, req), req.params.id, req.query, format);
        endWithResponse(reply.raw, file.trail, undefined, () =>
          req.log.error({ code: "canvass.call_sheet" }, "call sheet end not audited"),
        );
        return reply
          .header("content-type", file.contentType)
          .header("content-disposition", `attachment; filename="${file.filename}"`)
          .send(format === "csv" ? `\uFEFF${file.body}` : file.body);
      },
    );
  }
  app.get(
    "/api/ballots/:id/canvass/contacts.osdi.json",
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: "The ballot's contact records as OSDI canvasses (paged; audited)",
        params: IdParams,
        querystring: PageQuery.extend({ pageSize: z.coerce.number().int().min(1).max(5000).default(1000) }),
      },
    },
    async (req, reply) => {
      const out = await exportOsdi(ctxOf(deps, req), req.params.id, req.query);
      endWithResponse(reply.raw, out.trail, undefined, () =>
        req.log.error({ code: "canvass.osdi_export" }, "OSDI export end not audited"),
      );
      return reply
        .header("content-type", "application/hal+json; charset=utf-8")
        .header("content-disposition", `attachment; filename="contacts-${req.params.id}.osdi.json"`)
        .send(JSON.stringify(out.body));
    },
  );
  app.get(
    "/api/ballots/:id/canvass/assignments",
    {
      schema: {
        tags,
        summary:
          "Contact-list assignments across the ballot's dispute with their progress (officers: in their scope; reps: their own)",
        params: IdParams,
        response: { 200: AssignmentsDto },
      },
    },
    (req) => listAssignments(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/canvass/assignments",
    {
      schema: {
        tags,
        summary: "Assign a list (a workplace's members, or named members) to a rep",
        params: IdParams,
        body: CreateAssignmentInput,
        response: { 201: AssignmentDto },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createAssignment(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.post(
    "/api/ballots/:id/canvass/assignments/:assignmentId/end",
    {
      schema: {
        tags,
        summary: "End a rep's assignment (to move them to another list)",
        params: z.object({ id: Id, assignmentId: Id }),
        response: { 200: AssignmentDto },
      },
    },
    (req) => endAssignment(ctxOf(deps, req), req.params.id, req.params.assignmentId),
  );
  app.get(
    "/api/members/:id/position",
    {
      schema: {
        tags,
        summary: "A member's position on industrial action, with its history",
        params: IdParams,
        response: { 200: PositionDto },
      },
    },
    (req) => memberPosition(ctxOf(deps, req), req.params.id),
  );
  app.put(
    "/api/members/:id/position",
    {
      schema: {
        tags,
        summary:
          "Record a member's position: opposed in principle keeps them off contact lists (still entitled to vote and told the result)",
        params: IdParams,
        body: PositionInput,
        response: { 200: PositionDto },
      },
    },
    (req) => recordPosition(ctxOf(deps, req), req.params.id, req.body),
  );
}
