import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  CreateMemberInput,
  MemberDetailDto,
  MemberDto,
  MemberListQuery,
  MemberPageDto,
  MembersSummaryDto,
  UpdateMemberInput,
} from "./members.model.js";
import {
  createMember,
  deleteMember,
  getMember,
  listMembers,
  membersSummaryJson,
  updateMember,
} from "./members.service.js";

export function membersRoutes(app: App, deps: AppDeps): void {
  const tags = ["members"];
  app.get(
    "/api/members/summary",
    {
      schema: {
        tags,
        summary: "Counts by region, sector, employer and status, with data-quality counters",
        response: { 200: MembersSummaryDto },
      },
    },
    async (request, reply) => {
      // Already serialised, and checked against MembersSummaryDto when it was cached.
      const json = await membersSummaryJson(ctxOf(deps, request));
      return reply.type("application/json").send(json as unknown as MembersSummaryDto);
    },
  );
  app.get(
    "/api/members",
    {
      schema: {
        tags,
        summary: "Search members in your scope",
        querystring: MemberListQuery,
        response: { 200: MemberPageDto },
      },
    },
    (request) => listMembers(ctxOf(deps, request), request.query),
  );
  app.get(
    "/api/members/:id",
    { schema: { tags, params: IdParams, response: { 200: MemberDetailDto } } },
    (request) => getMember(ctxOf(deps, request), request.params.id),
  );
  app.post(
    "/api/members",
    { schema: { tags, body: CreateMemberInput, response: { 201: MemberDto } } },
    async (request, reply) => reply.code(201).send(await createMember(ctxOf(deps, request), request.body)),
  );
  app.patch(
    "/api/members/:id",
    { schema: { tags, params: IdParams, body: UpdateMemberInput, response: { 200: MemberDto } } },
    (request) => updateMember(ctxOf(deps, request), request.params.id, request.body),
  );
  app.delete(
    "/api/members/:id",
    { schema: { tags, params: IdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteMember(ctxOf(deps, request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
