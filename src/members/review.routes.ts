import { z } from "zod";
import { withTx } from "../db/tx.js";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { decideOrgString, listOrgStrings } from "./org-strings.service.js";

const Status = z.enum(["auto", "reviewed", "review", "unmatched"]);
const Decision = z.discriminatedUnion("action", [
  z.object({ action: z.literal("accept") }),
  z.object({
    action: z.literal("choose"),
    employerId: z.number().int().positive(),
    workplaceId: z.number().int().positive().nullable().default(null),
  }),
  z.object({ action: z.literal("unknown") }),
]);
const Candidate = z.object({
  employerId: z.number().int(),
  workplaceId: z.number().int().nullable(),
  name: z.string(),
  employerName: z.string(),
  workplaceName: z.string().nullable(),
  confidence: z.number(),
  evidence: z.array(z.string()),
  closed: z.boolean(),
});
const OrgStringDto = z.object({
  id: z.number().int(),
  employerText: z.string(),
  workplaceText: z.string(),
  status: Status,
  employerId: z.number().int().nullable(),
  employerName: z.string().nullable(),
  workplaceId: z.number().int().nullable(),
  workplaceName: z.string().nullable(),
  confidence: z.number().nullable(),
  reason: z.string().nullable(),
  candidates: z.array(Candidate),
  members: z.number().int(),
});

/** The employer-matching review queue: one row per distinct string members wrote. */
export function reviewRoutes(app: App, deps: AppDeps): void {
  const tags = ["matching"];
  app.get(
    "/api/org-strings",
    {
      schema: {
        tags,
        summary: "Employer strings members wrote, with their match (review queue when status=review)",
        querystring: z.object({
          status: Status.optional(),
          search: z.string().trim().max(100).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({
            items: z.array(OrgStringDto),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            counts: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    (request) => listOrgStrings(ctxOf(deps, request), request.query),
  );
  app.post(
    "/api/org-strings/:id/decision",
    {
      schema: {
        tags,
        summary: "Accept, choose another, or mark unknown",
        params: IdParams,
        body: Decision,
        response: { 200: z.object({ membersUpdated: z.number().int() }) },
      },
    },
    (request) => decideOrgString(ctxOf(deps, request), request.params.id, request.body),
  );
  app.post(
    "/api/org-strings/decisions",
    {
      schema: {
        tags,
        summary: "The same decision on many strings (bulk accept or unknown)",
        body: z.object({
          ids: z.array(z.number().int().positive()).min(1).max(500),
          action: z.enum(["accept", "unknown"]),
        }),
        response: { 200: z.object({ membersUpdated: z.number().int(), strings: z.number().int() }) },
      },
    },
    async (request) => {
      const ctx = ctxOf(deps, request);
      // All or nothing: a string that cannot be accepted (no candidate) leaves every string as it was.
      return withTx(ctx.db, async (tx) => {
        let membersUpdated = 0;
        for (const id of request.body.ids) {
          membersUpdated += (await decideOrgString({ ...ctx, db: tx }, id, { action: request.body.action }))
            .membersUpdated;
        }
        return { membersUpdated, strings: request.body.ids.length };
      });
    },
  );
}
