/**
 * Ballot documents: pure renderers from pre-computed data to PDF and CSV.
 * No database, files, clock or network: the same input gives the same bytes.
 */

export { actionNoticeAnnexes, renderActionNotice } from "./action-notice.js";
export { renderArtworkSpec } from "./artwork-spec.js";
export { ballotNoticeAnnexes, renderBallotNotice } from "./ballot-notice.js";
export type * from "./documents.model.js";
export { ANNEX_ROW_LIMIT, CATEGORIES_ANNEX, WORKPLACES_ANNEX } from "./employee-lists.js";
export { type Column, clean, DocumentWriter, formatCount } from "./layout.js";
export { isDraft } from "./legal.js";
export {
  ADDRESS_WINDOW,
  LETTER_ADDRESS_LINES,
  letterAddressCsv,
  type MemberLetter,
  renderMemberLetters,
} from "./member-letters.js";
export {
  type MemberLinkSlip,
  type MemberLinkSlipsInput,
  renderMemberLinkSlips,
} from "./member-link-slips.js";
export { renderResultNotice } from "./result-notice.js";
export { formatUkDate } from "./uk-date.js";
export { VOTER_FILE_COLUMNS, voterFileCsv } from "./voter-file.js";
export { renderVotingPaper } from "./voting-paper.js";
