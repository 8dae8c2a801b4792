/** The day of action: the calendar checked against mandates and notices, picket plans and essential-service cover, strike pay and hardship, numbers out, the live board and its incident log. What other parts of the application import from here. */
export type { CalendarDto, ClaimDto, WorkplaceDayDto } from "./action.model.js";
export { MemberStrikePayDto, OwnClaimInput } from "./action.model.js";
export { actionCalendar } from "./calendar.service.js";
export { BoardTotalsDto, type DayBoardDto } from "./dayboard.model.js";
export { dayBoard, unionDayTotals } from "./dayboard.service.js";
export { checkDay, type LawfulDay, type LawfulDayInput } from "./lawful-day.js";
export {
  exportStrikePay,
  listClaims,
  memberStrikePay,
  setPayRules,
  strikePayLinkMembers,
  submitClaim,
} from "./pay.service.js";
export { picketLaw } from "./picket.law.js";
export type { CoverDayDto, PicketDayDto } from "./picket.model.js";
export { workplacesOnTheDay } from "./reports.service.js";
