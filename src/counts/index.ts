/** The member counts version and the summaries cached by it, which members and registers both move. */
export { bumpCountsVersion, countsVersion } from "./counts.store.js";
export { cachedByVersion } from "./summary-cache.js";
