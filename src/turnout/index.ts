/** Turnout while a ballot runs: returns, members' own reports, votes needed, forecast and status. What other parts of the application import from here. */
export { type Forecast, forecastTurnout, priorFromIndicative } from "./forecast.js";
export { TURNOUT_STATUSES, type TurnoutStatus } from "./needed.js";
export {
  type ConstituencyTurnoutDto,
  type ImportReturnsDto,
  SELF_REPORT_KINDS,
  SelfReportKind,
  type TurnoutStatusDto,
} from "./turnout.model.js";
export { importReturns, recordSelfReport, turnoutStatus } from "./turnout.service.js";
