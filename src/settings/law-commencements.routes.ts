import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { LawDate } from "../law/index.js";
import { listCommencements, recordCommencement } from "./law-commencements.js";

const CommencementSettingDto = z.object({
  id: z.string(),
  title: z.string(),
  citation: z.string(),
  unconfirmed: z.string(),
  defaultCommencedOn: z.string().nullable(),
  recorded: z
    .object({
      commencedOn: z.string().nullable(),
      source: z.string(),
      recordedAt: z.string(),
      recordedBy: z.number().nullable(),
    })
    .nullable(),
});

/** Decision 0013: any signed-in user reads the union's commencement dates; only a national officer records one. */
export function lawCommencementRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/law/commencements",
    {
      schema: {
        tags: ["law"],
        summary: "The union's commencement dates for changes in the law, with their legal sources",
        response: { 200: z.array(CommencementSettingDto) },
      },
    },
    (request) => listCommencements(ctxOf(deps, request)),
  );
  app.put(
    "/api/law/commencements/:id",
    {
      schema: {
        tags: ["law"],
        summary: "Record a commencement date (or that the change is not in force) with its legal source",
        params: z.object({ id: z.string().max(64) }),
        body: z.object({
          commencedOn: LawDate.nullable(),
          source: z.string().max(500),
        }),
        response: { 200: z.array(CommencementSettingDto) },
      },
    },
    (request) => recordCommencement(ctxOf(deps, request), request.params.id, request.body),
  );
}
