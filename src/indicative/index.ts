/** Indicative (consultative) ballots of a dispute's members. What other parts of the application import from here. */
export type { IndicativeDto, IndicativeResultsDto } from "./indicative.model.js";
export {
  type BallotForMember,
  ballotForMember,
  castIndicativeVote,
  closeIndicative,
  createIndicative,
  getIndicative,
  indicativeResults,
  indicativeRollForLinks,
  openIndicative,
} from "./indicative.service.js";
