/** Coalitions of unions: joint timetable, agreements and aggregate sharing. What other parts of the application import from here. */

export { coalitionPublishJob } from "./coalition.job.js";
export type { CoalitionDto, TimetableDto } from "./coalition.model.js";
export {
  addCoalitionMember,
  agreeToCoalition,
  coalitionStatus,
  createCoalition,
  linkCoalitionBallots,
  publishToCoalition,
} from "./coalition.service.js";
