import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  getLegalSignOff,
  LegalSignOffDto,
  LegalSignOffInput,
  signOffLegalReview,
} from "./legal-signoff.service.js";

export function legalSignOffRoutes(app: App, deps: AppDeps): void {
  const tags = ["ballots"];
  app.get(
    "/api/ballots/:id/legal-signoff",
    {
      schema: {
        tags,
        summary: "Items needing legal review, the latest sign-off, and whether documents are final",
        params: IdParams,
        response: { 200: LegalSignOffDto },
      },
    },
    (req) => getLegalSignOff(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/legal-signoff",
    {
      schema: {
        tags,
        summary: "Record the legal sign-off of every item needing review (national officers; audited)",
        params: IdParams,
        body: LegalSignOffInput,
        response: { 200: LegalSignOffDto },
      },
    },
    (req) => signOffLegalReview(ctxOf(deps, req), req.params.id, req.body),
  );
}
