/** Membership records, their imports, the employer strings they wrote and their duplicates. What other parts of the application import from here. */
export { comparePeople, DEFAULT_CERTAIN_AT, DEFAULT_REVIEW_AT } from "./duplicates/index.js";
export { generateSynthetic } from "./duplicates/synthetic.js";
export { createMember, getMember, updateMember } from "./members.service.js";
export {
  loadMatchIndex,
  loadRegisterEntries,
  matchKey,
  type OrgStringMatch,
  resolveOrgStrings,
} from "./org-strings.service.js";
