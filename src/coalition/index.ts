/** Coalitions of unions: joint timetable, agreements and aggregate sharing. What other parts of the application import from here. */

export { coalitionPublishJob } from "./coalition.job.js";
export type { CoalitionDto, PartnerDayDto, SignedReport } from "./coalition.model.js";
export { TimetableDto } from "./coalition.model.js";
export {
  addCoalitionMember,
  agreeToCoalition,
  coalitionAggregates as aggregatesOf,
  coalitionStatus,
  coalitionTimetable,
  createCoalition,
  linkCoalitionBallots,
  listCoalitions,
  partnerDayFigures,
  publishToCoalition,
  receiveCoalitionReport,
} from "./coalition.service.js";
export { generateSigningKeys, signReport } from "./signing.js";
