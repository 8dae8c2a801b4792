import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { AuditListQuery, AuditPageDto, AuditVerifyDto } from "./audit.model.js";
import { listAudit, verifyAudit } from "./audit.service.js";

export function auditRoutes(app: App, deps: AppDeps): void {
  const tags = ["audit"];
  app.get(
    "/api/audit",
    {
      schema: {
        tags,
        summary: "The audit log of your union (data protection officer)",
        querystring: AuditListQuery,
        response: { 200: AuditPageDto },
      },
    },
    (request) => listAudit(ctxOf(deps, request), request.query),
  );
  app.post(
    "/api/audit/verify",
    { schema: { tags, summary: "Verify the hash chain", response: { 200: AuditVerifyDto } } },
    (request) => verifyAudit(ctxOf(deps, request)),
  );
}
