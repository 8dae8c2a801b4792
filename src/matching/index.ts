/**
 * Employer/workplace matching: members' free-text employer and workplace
 * names against official registers (NHS ODS trusts and sites, schools,
 * councils). The numbers in a statutory notice of ballot are counted per
 * employer from these matches, so the matcher only says "auto" when its
 * calibrated confidence is high, and sends ambiguous strings to review.
 *
 *   const index = buildMatchIndex(entries);          // once per register version
 *   const r = matchOrganisation(index, { employer: "LTHT", workplace: "Ward 12 LGI", postcode: "LS9 7TF" });
 *   r.status  // "auto" | "review" | "unmatched"
 *
 * Match each distinct (employer, workplace, postcode) once and cache: member
 * lists repeat the same strings thousands of times.
 */
export { buildMatchIndex, MatchIndex } from "./build.js";
export { AUTO_ACCEPT_CONFIDENCE, matchOrganisation } from "./match.js";
export { isGenericString, normaliseOrganisationName } from "./normalise.js";
export type {
  AliasKind,
  MatchCandidate,
  MatchQuery,
  MatchResult,
  MatchStatus,
  RegisterEntry,
} from "./types.js";
// The seeded employer-string grammar (with its oracle): the demo's messy
// export and review queue are made with it, and tests measure against it.
export {
  evaluateVariants,
  formatMetrics,
  generateVariants,
  seededRandom,
  VARIANT_KINDS,
  type Variant,
  type VariantKind,
} from "./variants.js";
