/** The audit log: recording events, verifying the chain, audited exports. What other parts of the application import from here. */
export {
  attachAuditAnchor,
  auditKeyOf,
  checkpointInPdf,
  checkpointIsSigned,
  closeAuditAnchor,
  writeCheckpoint,
} from "./anchor.js";
export { verifyAudit, verifyAuditChain } from "./audit.service.js";
export type { AuditEvent } from "./events.js";
export {
  ExportAborted,
  type ExportTrail,
  endWithResponse,
  failureReason,
  startExport,
  whenDelivered,
} from "./exports.js";
export { type AuditEntry, recordAudit, recordAudits } from "./record.js";
