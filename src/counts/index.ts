/** The member counts version and the summaries cached by it, which members and registers both move. What other parts of the application import from here. */
export { bumpCountsVersion, cachedByVersion, countsVersion } from "./summary-cache.js";
