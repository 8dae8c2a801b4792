/** Disputes, ballots, their electorates, documents and scrutineers. What other parts of the application import from here. */

export {
  type BallotReach,
  ballotInReach,
  ballotReach,
  electorateRowInReach,
  scopeEntryInReach,
} from "./ballot-scope.js";
export { createBallot, createDispute, getBallot, listDisputes } from "./ballots.service.js";
export { freezeElectorate } from "./freeze.service.js";
export { appointScrutineer } from "./scrutineers.service.js";
