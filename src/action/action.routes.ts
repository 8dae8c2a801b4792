import { z } from "zod";
import { endWithResponse } from "../audit/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  CalendarDto,
  CalendarQuery,
  ClaimDto,
  ClaimInput,
  ClaimsQuery,
  DecisionInput,
  ExportQuery,
  MembersOnTheDayDto,
  PayRulesDto,
  PayRulesInput,
  PlanDayInput,
  ReportInput,
  WorkplaceDayDto,
} from "./action.model.js";
import { actionCalendar, planActionDay, removeActionDay } from "./calendar.service.js";
import {
  BoardDayParams,
  DayBoardQuery,
  DayBoardWireDto,
  FollowupInput,
  FollowupUpdate,
  IncidentDto,
  IncidentInput,
  IncidentUpdate,
  ReportingQuery,
  ReportingWorkplaceDto,
} from "./dayboard.model.js";
import { DAY_BOARD_KEEP_MS, dayBoardBody, workplacesForReporting } from "./dayboard.service.js";
import {
  addFollowup,
  listIncidents,
  recordIncident,
  setFollowupDone,
  updateIncident,
} from "./incidents.service.js";
import {
  claimEvidence,
  decideStrikePayClaim,
  exportStrikePay,
  getPayRules,
  listClaims,
  setPayRules,
  submitClaim,
} from "./pay.service.js";
import { picketRoutes } from "./picket.routes.js";
import { membersOnTheDay, recordActionReport, workplacesOnTheDay } from "./reports.service.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const IdParams = z.object({ id: Id });
const ClaimParams = z.object({ id: Id, claimId: Id });
const DayParams = z.object({ id: Id, dayId: Id });
const tags = ["action"];

/**
 * The day of action: the calendar (national officers plan it; readers see the places in their scope,
 * each day checked against the mandate and the notices), strike pay and hardship claims (reps and
 * officers enter them, regional or national officers decide, national officers export for finance),
 * and reps' reports of numbers out.
 */
export function actionRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/disputes/:id/action/calendar",
    {
      schema: {
        tags,
        summary:
          "The dispute's days of action, each checked at every place in your scope (lawful, or why not)",
        params: IdParams,
        querystring: CalendarQuery,
        response: { 200: CalendarDto },
      },
    },
    (req) => actionCalendar(ctxOf(deps, req), req.params.id, req.query),
  );
  app.post(
    "/api/disputes/:id/action/days",
    {
      schema: {
        tags,
        summary: "Add a day of action (strike, or action short of a strike with its types) to the calendar",
        params: IdParams,
        body: PlanDayInput,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await planActionDay(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.delete(
    "/api/disputes/:id/action/days/:dayId",
    {
      schema: { tags, summary: "Take a day of action out of the calendar", params: DayParams },
    },
    async (req, reply) => {
      await removeActionDay(ctxOf(deps, req), req.params.id, req.params.dayId);
      return reply.code(204).send();
    },
  );
  app.get(
    "/api/disputes/:id/strike-pay/rules",
    {
      schema: {
        tags,
        summary: "The dispute's strike pay and hardship rules",
        params: IdParams,
        response: { 200: PayRulesDto },
      },
    },
    (req) => getPayRules(ctxOf(deps, req), req.params.id),
  );
  app.put(
    "/api/disputes/:id/strike-pay/rules",
    {
      schema: {
        tags,
        summary: "Set the strike pay rules: rate per day, first days unpaid, caps, hardship criteria",
        params: IdParams,
        body: PayRulesInput,
        response: { 200: PayRulesDto },
      },
    },
    (req) => setPayRules(ctxOf(deps, req), req.params.id, req.body),
  );
  app.get(
    "/api/disputes/:id/strike-pay/claims",
    {
      schema: {
        tags,
        summary: "Strike pay and hardship claims of members in your scope, newest first",
        params: IdParams,
        querystring: ClaimsQuery,
        response: { 200: z.array(ClaimDto) },
      },
    },
    (req) => listClaims(ctxOf(deps, req), req.params.id, req.query),
  );
  app.post(
    "/api/disputes/:id/strike-pay/claims",
    {
      // Evidence comes as base64 inside the JSON: 2 MB of file is under 2.8 MB of text.
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags,
        summary:
          "Enter a member's claim for strike pay (the days they were out) or a hardship grant, with evidence",
        params: IdParams,
        body: ClaimInput,
        response: { 201: ClaimDto, 200: ClaimDto },
      },
    },
    async (req, reply) => {
      const claim = await submitClaim(ctxOf(deps, req), req.params.id, req.body);
      return reply.code(claim.created === false ? 200 : 201).send(claim);
    },
  );
  app.post(
    "/api/disputes/:id/strike-pay/claims/:claimId/decision",
    {
      schema: {
        tags,
        summary: "Approve or reject a claim (hardship: with the criteria checked)",
        params: ClaimParams,
        body: DecisionInput,
        response: { 200: ClaimDto },
      },
    },
    (req) => decideStrikePayClaim(ctxOf(deps, req), req.params.id, req.params.claimId, req.body),
  );
  app.get(
    "/api/disputes/:id/strike-pay/claims/:claimId/evidence",
    {
      exposeHeadRoute: false,
      schema: { tags, summary: "The claim's evidence file (audited)", params: ClaimParams },
    },
    async (req, reply) => {
      const file = await claimEvidence(ctxOf(deps, req), req.params.id, req.params.claimId);
      endWithResponse(reply.raw, file.trail, undefined, () =>
        req.log.error({ code: "action.evidence" }, "evidence download end not audited"),
      );
      return reply
        .header("content-type", file.contentType)
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );
  app.post(
    "/api/strike-pay/export",
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary:
          "Export strike pay and hardship grants due in a period as CSV for finance; each line once (audited)",
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const out = await exportStrikePay(ctxOf(deps, req), req.query);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${out.filename}"`)
        .send(`\uFEFF${out.body}`);
    },
  );
  app.post(
    "/api/action/reports",
    {
      schema: {
        tags,
        summary: "Report numbers out at a workplace on a day of action (reps: their workplaces)",
        body: ReportInput,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await recordActionReport(ctxOf(deps, req), req.body)),
  );
  app.get(
    "/api/action/reports/:day",
    {
      schema: {
        tags,
        summary: "The latest report of each workplace in your scope on a day",
        params: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
        response: { 200: z.array(WorkplaceDayDto) },
      },
    },
    (req) => workplacesOnTheDay(ctxOf(deps, req), req.params.day),
  );
  app.get(
    "/api/disputes/:id/action/members/:day",
    {
      schema: {
        tags,
        summary:
          "Members on the day per workplace of the dispute in your scope: members, opposed in principle, and the latest numbers out, at work and exempt for cover",
        params: z.object({ id: Id, day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
        response: { 200: MembersOnTheDayDto },
      },
    },
    (req) => membersOnTheDay(ctxOf(deps, req), req.params.id, req.params.day),
  );
  picketRoutes(app, deps);
  app.get(
    "/api/action/board/:day",
    {
      schema: {
        tags,
        summary:
          "The live board of a day of action in your scope: workplaces by status, totals by region, sector and union, numbers out over the day, places for the map",
        params: BoardDayParams,
        querystring: DayBoardQuery,
        response: { 200: DayBoardWireDto, 304: z.null() },
      },
    },
    async (req, reply) => {
      const { body, gzipped, etag, version } = await dayBoardBody(
        ctxOf(deps, req),
        req.params.day,
        req.query.since,
      );
      reply
        .header("etag", etag)
        .header("x-board-version", version)
        .header("vary", "accept-encoding")
        .header("cache-control", `private, max-age=${DAY_BOARD_KEEP_MS / 1000}`);
      if (req.headers["if-none-match"] === etag) return reply.code(304).send(null);
      // The kept bytes, as they are (a Buffer is never serialised again): once for every reader.
      reply.type("application/json; charset=utf-8");
      if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
        return reply.header("content-encoding", "gzip").send(gzipped as unknown as DayBoardWireDto);
      }
      return reply.send(body as unknown as DayBoardWireDto);
    },
  );
  app.get(
    "/api/action/reporting/:day",
    {
      schema: {
        tags,
        summary:
          "Your workplaces for reporting on a day of action: who is in the dispute (counts) and the latest figures",
        params: BoardDayParams,
        querystring: ReportingQuery,
        response: { 200: z.array(ReportingWorkplaceDto) },
      },
    },
    (req) => workplacesForReporting(ctxOf(deps, req), req.params.day, req.query.q),
  );
  app.get(
    "/api/action/incidents/:day",
    {
      schema: {
        tags,
        summary: "The incident log of a day of action in your scope, newest first, with follow-ups",
        params: BoardDayParams,
        response: { 200: z.array(IncidentDto) },
      },
    },
    (req) => listIncidents(ctxOf(deps, req), req.params.day),
  );
  app.post(
    "/api/action/incidents",
    {
      schema: {
        tags,
        summary: "Record an incident at a workplace on a day of action (reps: their workplaces)",
        body: IncidentInput,
        response: { 201: IncidentDto },
      },
    },
    async (req, reply) => reply.code(201).send(await recordIncident(ctxOf(deps, req), req.body)),
  );
  app.patch(
    "/api/action/incidents/:id",
    {
      schema: {
        tags,
        summary: "Close or reopen an incident, or change its severity",
        params: IdParams,
        body: IncidentUpdate,
        response: { 200: IncidentDto },
      },
    },
    (req) => updateIncident(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/action/incidents/:id/followups",
    {
      schema: {
        tags,
        summary: "Add a follow-up to an incident (who, what, by when)",
        params: IdParams,
        body: FollowupInput,
        response: { 201: IncidentDto },
      },
    },
    async (req, reply) => reply.code(201).send(await addFollowup(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.patch(
    "/api/action/incidents/:id/followups/:followupId",
    {
      schema: {
        tags,
        summary: "Mark an incident's follow-up done, or not done",
        params: z.object({ id: Id, followupId: Id }),
        body: FollowupUpdate,
        response: { 200: IncidentDto },
      },
    },
    (req) => setFollowupDone(ctxOf(deps, req), req.params.id, req.params.followupId, req.body.done),
  );
}
