/** Communications: templates, audiences, sends over the send ledger, suppression and unsubscribing (decisions/0027). What other parts of the application import from here. */

export { type BounceListener, startBounceListener } from "./bounce.listener.js";
export type { Channel, Purpose, SegmentDefinition } from "./comms.model.js";
export { commsRoutes } from "./comms.routes.js";
export {
  addVersion,
  approveTemplateVersion,
  auditKeyOfSecret,
  COMMS_SEND_JOB,
  countSegment,
  createTemplate,
  findByNames,
  getSend,
  listSegments,
  listTemplates,
  queueSend,
  saveSegment,
} from "./comms.service.js";
export { type EmailTransport, fromHeader, smtpTransport } from "./email.transport.js";
export { domainOf, idOfSignedToken, signedToken } from "./links.js";
export { commsOptionsOf, startConfiguredBounceListener } from "./options.js";
export { officerEmailHtml } from "./render.js";
export { resultNoticeStatus, sendResultNotice } from "./result-notice.service.js";
export { type CommsOptions, commsSendJob, type SendResult } from "./send.job.js";
