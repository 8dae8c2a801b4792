import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  CreateIndicativeInput,
  IndicativeDto,
  IndicativeResultsDto,
  NonVoterDto,
} from "./indicative.model.js";
import {
  closeIndicative,
  createIndicative,
  getIndicative,
  indicativeNonVoters,
  indicativeResults,
  listIndicatives,
  openIndicative,
} from "./indicative.service.js";

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const tags = ["indicative"];

/** Officers' side of indicative ballots (decision 0022); members vote through their links (src/memberlink). */
export function indicativeRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/indicative",
    {
      schema: {
        tags,
        summary: "Indicative ballots, newest first (of one dispute with disputeId)",
        querystring: z.object({
          disputeId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
        }),
        response: { 200: z.array(IndicativeDto) },
      },
    },
    (req) => listIndicatives(ctxOf(deps, req), req.query.disputeId),
  );
  app.post(
    "/api/indicative",
    {
      schema: {
        tags,
        summary: "Set up an indicative ballot for a dispute (national officers)",
        body: CreateIndicativeInput,
        response: { 201: IndicativeDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createIndicative(ctxOf(deps, req), req.body)),
  );
  app.get(
    "/api/indicative/:id",
    { schema: { tags, params: IdParams, response: { 200: IndicativeDto } } },
    (req) => getIndicative(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/indicative/:id/open",
    {
      schema: {
        tags,
        summary: "Open: fix the roll of voters and their constituencies",
        params: IdParams,
        response: { 200: IndicativeDto },
      },
    },
    (req) => openIndicative(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/indicative/:id/close",
    { schema: { tags, summary: "Close voting", params: IdParams, response: { 200: IndicativeDto } } },
    (req) => closeIndicative(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/indicative/:id/results",
    {
      schema: {
        tags,
        summary: "Turnout per constituency; answers once closed, withheld below the minimum",
        params: IdParams,
        response: { 200: IndicativeResultsDto },
      },
    },
    (req) => indicativeResults(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/indicative/:id/non-voters",
    {
      schema: {
        tags,
        summary: "Members on the roll who have not voted, in your scope (reps' lists)",
        params: IdParams,
        response: { 200: z.array(NonVoterDto) },
      },
    },
    (req) => indicativeNonVoters(ctxOf(deps, req), req.params.id),
  );
}
