import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { ImportResultsDto, ImportResultsInput } from "./results.model.js";
import { importDisputeResults } from "./results.service.js";

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export function resultsRoutes(app: App, deps: AppDeps): void {
  app.post(
    "/api/disputes/:id/results",
    {
      schema: {
        tags: ["ballots"],
        summary:
          "Record every ballot's result from the scrutineer's report (CSV text, or .xlsx as base64), matching constituencies by name; refused whole if any is unmatched",
        params: IdParams,
        body: ImportResultsInput,
        response: { 200: ImportResultsDto },
      },
    },
    (req) =>
      importDisputeResults(ctxOf(deps, req), req.params.id, {
        filename: req.body.filename,
        bytes:
          req.body.encoding === "base64"
            ? Buffer.from(req.body.content, "base64")
            : Buffer.from(req.body.content, "utf8"),
        declaredOn: req.body.declaredOn,
      }),
  );
}
