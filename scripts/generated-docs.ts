import { renderAuditEventsDoc } from "../src/audit/events.js";
import { renderErrorsDoc } from "../src/shared/errors.doc.js";

/** Each generated page and the function that renders it. */
export const GENERATED_DOCS: Record<string, () => string> = {
  "docs/audit-events.md": renderAuditEventsDoc,
  "docs/errors.md": renderErrorsDoc,
};
