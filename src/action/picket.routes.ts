import { z } from "zod";
import { endWithResponse } from "../audit/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { addExemption, answerRequest, coverDay, recordCover, recordCoverRequest } from "./cover.service.js";
import {
  CoverAnswerInput,
  CoverDayDto,
  CoverInput,
  CoverRequestInput,
  ExemptionInput,
  LineInput,
  NumbersInput,
  PicketDayDto,
  PlanDayParams,
  PlanInput,
  PoliceContactInput,
  RotaInput,
} from "./picket.model.js";
import {
  addPicketLine,
  addToRota,
  picketDay,
  picketRotaCsv,
  recordLineNumbers,
  recordPoliceContact,
  removeFromRota,
  removePicketLine,
  setPicketPlan,
  supervisorLetter,
} from "./picket.service.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const IdParams = z.object({ id: Id });
const WorkplaceParams = PlanDayParams.extend({ workplaceId: Id });
const tags = ["action"];

/**
 * Picket plans (officers plan; reps and officers keep the rota and the numbers) and essential-service
 * cover (officers agree and answer), per workplace or employer and day of action (decisions/0035).
 */
export function picketRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/disputes/:id/action/pickets/:day",
    {
      schema: {
        tags,
        summary:
          "Picket plans of the dispute's workplaces in your scope on a day: lines, numbers, rota, supervisor and what the law on the day requires",
        params: PlanDayParams,
        response: { 200: PicketDayDto },
      },
    },
    (req) => picketDay(ctxOf(deps, req), req.params.id, req.params.day),
  );
  app.get(
    "/api/disputes/:id/action/pickets/:day/rota.csv",
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary:
          "The day's picket rota of the dispute's workplaces in your scope as CSV: lines, lead, supervisor, members and their hours (reps and officers who keep or plan it; audited)",
        params: PlanDayParams,
      },
    },
    async (req, reply) => {
      const out = await picketRotaCsv(ctxOf(deps, req), req.params.id, req.params.day);
      endWithResponse(
        reply.raw,
        out.trail,
        () => ({ rows: out.rows }),
        () => req.log.error({ code: "action.picket_rota" }, "picket rota download end not audited"),
      );
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${out.filename}"`)
        .send(`\uFEFF${out.csv}`);
    },
  );
  app.put(
    "/api/disputes/:id/action/pickets/:day/workplaces/:workplaceId",
    {
      schema: {
        tags,
        summary: "Set a workplace's picket plan for the day: its lead and picket supervisor",
        params: WorkplaceParams,
        body: PlanInput,
        response: { 200: z.object({ id: z.number() }) },
      },
    },
    (req) => setPicketPlan(ctxOf(deps, req), req.params.id, req.params.day, req.params.workplaceId, req.body),
  );
  app.post(
    "/api/disputes/:id/action/pickets/:day/workplaces/:workplaceId/lines",
    {
      schema: {
        tags,
        summary: "Add a picket line (location, entrance, times, expected numbers) at a workplace on the day",
        params: WorkplaceParams,
        body: LineInput,
        response: { 201: z.object({ id: z.number(), planId: z.number() }) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await addPicketLine(
            ctxOf(deps, req),
            req.params.id,
            req.params.day,
            req.params.workplaceId,
            req.body,
          ),
        ),
  );
  app.delete(
    "/api/picket-lines/:id",
    { schema: { tags, summary: "Take a picket line (and its rota) out of its plan", params: IdParams } },
    async (req, reply) => {
      await removePicketLine(ctxOf(deps, req), req.params.id);
      return reply.code(204).send();
    },
  );
  app.put(
    "/api/picket-lines/:id/numbers",
    {
      schema: {
        tags,
        summary:
          "Record the expected or actual number of pickets on a line (flagged past the Code's guidance)",
        params: IdParams,
        body: NumbersInput,
        response: { 200: z.object({ overGuidance: z.boolean() }) },
      },
    },
    (req) => recordLineNumbers(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/picket-lines/:id/rota",
    {
      schema: {
        tags,
        summary:
          "Put a member of the workplace on a line's rota (never one opposed in principle or exempt for cover)",
        params: IdParams,
        body: RotaInput,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await addToRota(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.delete(
    "/api/picket-rota/:id",
    { schema: { tags, summary: "Take a member off a picket line's rota", params: IdParams } },
    async (req, reply) => {
      await removeFromRota(ctxOf(deps, req), req.params.id);
      return reply.code(204).send();
    },
  );
  app.post(
    "/api/picket-plans/:id/police-contacts",
    {
      schema: {
        tags,
        summary:
          "Record the picket supervisor's contact with the police (when, force and officer, how, notes)",
        params: IdParams,
        body: PoliceContactInput,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordPoliceContact(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.get(
    "/api/picket-plans/:id/supervisor-letter.pdf",
    {
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: "The picket supervisor's letter of approval as a PDF (audited)",
        params: IdParams,
      },
    },
    async (req, reply) => {
      const out = await supervisorLetter(ctxOf(deps, req), req.params.id);
      endWithResponse(reply.raw, out.trail, undefined, () =>
        req.log.error({ code: "action.picket_letter" }, "picket letter download end not audited"),
      );
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${out.filename}"`)
        .send(out.pdf);
    },
  );
  app.get(
    "/api/disputes/:id/action/cover/:day",
    {
      schema: {
        tags,
        summary:
          "Essential-service cover agreed with the dispute's employers in your scope on a day: posts, exemptions, requests",
        params: PlanDayParams,
        response: { 200: CoverDayDto },
      },
    },
    (req) => coverDay(ctxOf(deps, req), req.params.id, req.params.day),
  );
  app.post(
    "/api/disputes/:id/action/cover/:day",
    {
      schema: {
        tags,
        summary:
          "Record cover agreed with an employer for the day: services, posts and numbers, who agreed and when",
        params: PlanDayParams,
        body: CoverInput,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordCover(ctxOf(deps, req), req.params.id, req.params.day, req.body)),
  );
  app.post(
    "/api/cover-agreements/:id/exemptions",
    {
      schema: {
        tags,
        summary:
          "Exempt members to provide the cover: a named member where naming was agreed, otherwise a number",
        params: IdParams,
        body: ExemptionInput,
        response: { 201: z.object({ id: z.number(), removedFromRota: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await addExemption(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.post(
    "/api/cover-agreements/:id/requests",
    {
      schema: {
        tags,
        summary: "Record an employer's request for more cover",
        params: IdParams,
        body: CoverRequestInput,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordCoverRequest(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.post(
    "/api/cover-requests/:id/answer",
    {
      schema: {
        tags,
        summary: "Answer an employer's request for more cover: granted, refused or partly",
        params: IdParams,
        body: CoverAnswerInput,
      },
    },
    async (req, reply) => {
      await answerRequest(ctxOf(deps, req), req.params.id, req.body);
      return reply.code(204).send();
    },
  );
}
