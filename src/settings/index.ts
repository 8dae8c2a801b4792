/** The union's recorded commencement dates for changes in the law. What other parts of the application import from here. */
export { loadCommencements, type RecordedCommencements, recordCommencement } from "./law-commencements.js";
