/** Turnout while a ballot runs: returns, members' own reports, votes needed, forecast and status; readiness before it opens, the aggregation advisor and the dashboards. What other parts of the application import from here. */
export { type Advice, type AdvisorUnit, adviseAggregation } from "./advisor.js";
export { forgetDashboards, keptTurnoutStatus, turnoutDashboard } from "./dashboard.service.js";
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
export type { AdviceDto, DashboardDto, ReadinessDto } from "./readiness.model.js";
export { AdviseInput } from "./readiness.model.js";
export { adviseDispute, adviseDisputeById, turnoutReadiness } from "./readiness.service.js";
export {
  type ConstituencyTurnoutDto,
  type ImportReturnsDto,
  type ImportVotedDto,
  SELF_REPORT_KINDS,
  SelfReportKind,
  type TurnoutStatusDto,
} from "./turnout.model.js";
export {
  checkSelfReport,
  importReturns,
  insertCheckedSelfReport,
  insertSelfReportChecked,
  recordSelfReport,
  turnoutStatus,
} from "./turnout.service.js";
export { MAX_VOTED_BYTES } from "./voted-feed.js";
export { importVotedFeed } from "./voted-feed.service.js";
