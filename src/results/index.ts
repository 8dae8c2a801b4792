/** Scrutineers' result reports as published: the reader, the verdicts, and a dispute's results from one report. What other parts of the application import from here. */
export { RESULT_LIMITS } from "./grid.js";
export { evaluateReport, readReportRows } from "./report.js";
export type { ImportResultsDto, ImportResultsInput } from "./results.model.js";
export { importDisputeResults } from "./results.service.js";
export type { ConstituencyVerdict, ResultsReport } from "./verdicts.js";
