/**
 * Duplicate-member detection: finds records that are the same person under
 * two membership numbers (branch transfers, re-joins), so a statutory ballot
 * sends each person one voting paper. Finds, scores and explains; never
 * deletes or merges. Design and measured figures: README.md.
 */

export { comparePeople, DEFAULT_CERTAIN_AT, DEFAULT_REVIEW_AT, findDuplicates } from "./find.js";
export {
  type BlockingValues,
  type ListCounts,
  MIN_COUNT_FOR_LIST_FREQUENCY,
  NameCache,
} from "./model.js";
export { NICKNAMES } from "./nicknames.js";
export {
  BLOCKING_RULES,
  BlockedSearch,
  type BlockRow,
  blockingValuesOf,
  listCounts,
  WINDOW_ROWS,
} from "./streamed.js";
export type {
  DuplicateCluster,
  DuplicateOptions,
  DuplicatePair,
  DuplicateResult,
  PersonRecord,
} from "./types.js";
