/** Disputes, ballots, their electorates, documents and scrutineers. What other parts of the application import from here. */

export {
  type BallotReach,
  ballotInReach,
  ballotReach,
  electorateRowInReach,
  scopeEntryInReach,
} from "./ballot-scope.js";
export { createDispute, getDispute, listDisputes } from "./disputes.service.js";
export { freezeElectorate } from "./freeze.service.js";
export { recordResult } from "./results.service.js";
export { appointScrutineer } from "./scrutineers.service.js";
export { createBallot, getBallot } from "./setup.service.js";
