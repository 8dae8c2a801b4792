/** The demonstration union: what the command line loads and writes. */
export { DEMO_PASSWORD } from "./demo.generate.js";
export { seedDemo, unionIsEmpty } from "./demo.seed.js";
export { writeMessyExport } from "./messy-export.service.js";
