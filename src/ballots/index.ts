/** Disputes, ballots, their electorates, documents and scrutineers. What other parts of the application import from here. */
export { createDispute, listDisputes } from "./disputes.service.js";
export { freezeElectorate } from "./freeze.service.js";
export { appointScrutineer } from "./scrutineers.service.js";
export { createBallot, getBallot } from "./setup.service.js";
