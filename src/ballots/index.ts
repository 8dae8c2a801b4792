/** Disputes, ballots, their electorates, documents and scrutineers. What other parts of the application import from here. */
export {
  createBallot,
  createDispute,
  getBallot,
  getDispute,
  listDisputes,
  recordResult,
} from "./ballots.service.js";
export { freezeElectorate } from "./freeze.service.js";
export { appointScrutineer } from "./scrutineers.service.js";
