/** The union's organisation: regions, sectors, branches, settings, and employers' register codes. What other parts of the application import from here. */
export { primaryEmployerCode } from "./employer-code.js";
export { NationSchema } from "./org.model.js";
export { resolveUnionId } from "./org.service.js";
export { unionLetterhead } from "./union-settings.js";
