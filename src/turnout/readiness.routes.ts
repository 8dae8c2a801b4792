import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { turnoutSummaryPdf } from "./daily-summary.service.js";
import { turnoutDashboardBody } from "./dashboard.service.js";
import { AdviceDto, AdviseInput, DashboardDto, DashboardQuery, ReadinessDto } from "./readiness.model.js";
import { adviseDispute, turnoutReadiness } from "./readiness.service.js";

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/** Whether an If-None-Match header names this entity tag (a list, or "*"; weak tags compare weakly). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}

/**
 * Readiness, the aggregation advisor and the dashboards of a ballot's dispute: reads by the ballot row
 * scope (a regional officer: the constituencies and members of their regions), counts only.
 */
export function readinessRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/ballots/:id/turnout/readiness",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "Readiness of every constituency of the ballot's dispute: addresses, email or mobile, reps, contacts, pledges, the turnout implied and an early flag",
        params: IdParams,
        response: { 200: ReadinessDto },
      },
    },
    (request) => turnoutReadiness(ctxOf(deps, request), request.params.id),
  );
  app.post(
    "/api/ballots/:id/turnout/advisor",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "Compare separate workplace ballots (s.228) with aggregated ones (s.228A) on readiness or an indicative ballot's results",
        params: IdParams,
        body: AdviseInput,
        response: { 200: AdviceDto },
      },
    },
    (request) => adviseDispute(ctxOf(deps, request), request.params.id, request.body),
  );
  app.get(
    "/api/ballots/:id/turnout/dashboard",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "Turnout dashboard, national or by region, sector or employer: returns over time, votes needed, contact activity, constituencies by status",
        params: IdParams,
        querystring: DashboardQuery,
        response: {
          200: DashboardDto,
          304: z.null().describe("The figures held (If-None-Match) are current"),
        },
      },
    },
    async (request, reply) => {
      // Sent as made: the same view of the same kept figures is serialised once (dashboard.service.ts).
      // The reader is signed in and the figures are theirs (the sign-in gate and the service ran first).
      const body = await turnoutDashboardBody(ctxOf(deps, request), request.params.id, request.query);
      reply.header("etag", body.etag);
      // A client that holds these very figures (it sends their tag) is told so without them being sent.
      if (ifNoneMatch(request.headers["if-none-match"], body.etag)) return reply.code(304).send(null);
      // Bytes with a JSON content type go out unchanged (the response schema documents their shape).
      return reply.type("application/json; charset=utf-8").send(body.json as never);
    },
  );
  app.get(
    "/api/ballots/:id/turnout/summary.pdf",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "The day's turnout summary to print (PDF): the dashboard's figures, the constituencies by status with the papers each still needs, recent returns and activity",
        params: IdParams,
        querystring: DashboardQuery,
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await turnoutSummaryPdf(
        ctxOf(deps, request),
        request.params.id,
        request.query,
      );
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );
}
