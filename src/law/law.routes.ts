import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { evaluateBallot } from "./evaluate.js";
import {
  EvaluateBody,
  EvaluationDto,
  JurisdictionSchema,
  LawAtDto,
  LawDate,
  TimetableQuery,
  TimetableResultDto,
} from "./law.model.js";
import { lawAt } from "./lookup.js";
import { ballotTimetable } from "./timetable.js";

/** The law is public knowledge: any signed-in user may read and apply it; no member data is involved. */
export function lawRoutes(app: App, deps: AppDeps): void {
  app.post(
    "/api/law/evaluate",
    {
      schema: {
        tags: ["law"],
        summary: "Evaluate a ballot result against the regime in force on its opening day",
        body: EvaluateBody,
        response: { 200: EvaluationDto },
      },
    },
    (request) => {
      ctxOf(deps, request);
      return evaluateBallot(request.body);
    },
  );
  app.get(
    "/api/law/rules",
    {
      schema: {
        tags: ["law"],
        summary: "Every rule in force on a date, with citations and what needs legal review",
        querystring: z.object({ date: LawDate, jurisdiction: JurisdictionSchema.default("gb") }),
        response: { 200: LawAtDto },
      },
    },
    (request) => {
      ctxOf(deps, request);
      return lawAt(request.query.date, {}, {}, request.query.jurisdiction);
    },
  );
  app.get(
    "/api/law/timetable",
    {
      schema: {
        tags: ["law"],
        summary: "Every statutory deadline for proposed ballot dates (before a ballot exists)",
        querystring: TimetableQuery,
        response: { 200: TimetableResultDto },
      },
    },
    (request) => {
      ctxOf(deps, request);
      return ballotTimetable(request.query);
    },
  );
}
