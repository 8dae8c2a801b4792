/** Turnout while a ballot runs: returns, members' own reports, votes needed, forecast and status. What other parts of the application import from here. */
export { type Forecast, forecastTurnout, priorFromIndicative } from "./forecast.js";
export {
  electorateForLinks,
  LINK_REPORT_KINDS,
  type LinkBallotState,
  type LinkReportKind,
  linkBallotState,
  membersNotReportedVoted,
  REPLACEMENT_REASONS,
  type ReplacementReason,
  recordMemberLinkReport,
} from "./member-link-reports.js";
export { TURNOUT_STATUSES, type TurnoutStatus } from "./needed.js";
export {
  type ConstituencyTurnoutDto,
  type ImportReturnsDto,
  SELF_REPORT_KINDS,
  SelfReportKind,
  type TurnoutStatusDto,
} from "./turnout.model.js";
export { importReturns, recordSelfReport, turnoutStatus } from "./turnout.service.js";
