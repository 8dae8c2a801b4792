import type { BallotDto, BallotState, DocumentDto } from "../ballots/ballots.model.js";
import type { EmployerDto } from "../registers/registers.model.js";

export const NATION_LABELS: Record<EmployerDto["nation"], string> = {
  england: "England",
  wales: "Wales",
  scotland: "Scotland",
  northern_ireland: "Northern Ireland",
};

export const PUBLIC_SERVICE_LABELS: Record<NonNullable<EmployerDto["importantPublicService"]>, string> = {
  health: "Health services",
  education: "Education",
  fire: "Fire and rescue",
  transport: "Transport",
  border_security: "Border security",
  nuclear_decommissioning: "Nuclear decommissioning",
};

/** The register codes an employer has, as short labelled strings. */
export function employerCodes(
  e: Pick<EmployerDto, "odsCode" | "dfeUrn" | "gssCode" | "companiesHouseNumber">,
) {
  const codes: { label: string; title: string; value: string }[] = [];
  if (e.odsCode) codes.push({ label: "ODS", title: "NHS Organisation Data Service code", value: e.odsCode });
  if (e.dfeUrn)
    codes.push({ label: "URN", title: "Department for Education unique reference number", value: e.dfeUrn });
  if (e.gssCode) codes.push({ label: "GSS", title: "Government Statistical Service code", value: e.gssCode });
  if (e.companiesHouseNumber)
    codes.push({ label: "CH", title: "Companies House number", value: e.companiesHouseNumber });
  return codes;
}

// ---------------------------------------------------------------------------
// Ballots

export const BALLOT_STATE_LABELS: Record<BallotState, string> = {
  draft: "Draft",
  frozen: "Electorate frozen",
  notices_issued: "Notices issued",
  open: "Open",
  closed: "Closed",
  result_declared: "Result declared",
};

export const BALLOT_STATE_TONES: Record<BallotState, "ok" | "warning" | "error" | "neutral"> = {
  draft: "neutral",
  frozen: "warning",
  notices_issued: "ok",
  open: "ok",
  closed: "neutral",
  result_declared: "ok",
};

export const QUESTION_LABELS: Record<BallotDto["questions"][number], string> = {
  strike: "Strike",
  action_short_of_strike: "Action short of a strike",
};

export const AGGREGATION_TEST_LABELS: Record<NonNullable<BallotDto["aggregationTest"]>, string> = {
  common_dispute: "Common distinguishing factor: the dispute (s.228A(2))",
  occupation: "Occupation: members of given job categories (s.228A(3))",
  employer: "Employer: every member employed by the employers in dispute (s.228A(4))",
};

export const VOTING_METHOD_LABELS: Record<BallotDto["votingMethod"], string> = {
  postal: "Postal",
  electronic: "Electronic",
  hybrid: "Postal and electronic",
  workplace: "Workplace ballot",
};

export const DOCUMENT_KIND_LABELS: Record<DocumentDto["kind"], string> = {
  ballot_notice: "Notice of ballot",
  ballot_notice_annex: "Notice of ballot: annex",
  sample_paper: "Sample voting paper",
  artwork_spec: "Voting paper artwork specification",
  voter_file: "Voter file for the scrutineer",
  result_members: "Result to members",
  result_employer: "Result to the employer",
  action_notice: "Notice of industrial action",
  action_notice_annex: "Notice of industrial action: annex",
};

export const RECEIPT_KIND_LABELS: Record<
  "ballot_notice" | "sample_paper" | "result_employer" | "action_notice",
  string
> = {
  ballot_notice: "Notice of ballot",
  sample_paper: "Sample voting paper",
  result_employer: "Result",
  action_notice: "Notice of industrial action",
};

export const THRESHOLD_TEST_LABELS: Record<string, string> = {
  turnout: "Turnout",
  majority: "Majority",
  important_public_services_40: "40% support (important public services)",
};

/** The figures of a threshold test, in words. */
export const FIGURE_LABELS: Record<string, string> = {
  entitled: "Entitled to vote",
  votesCast: "Votes cast",
  turnoutPercent: "Turnout %",
  thresholdPercent: "Threshold %",
  votesNeeded: "Votes needed",
  yes: "Yes",
  no: "No",
  spoilt: "Spoilt",
  yesPercentOfVotesCast: "Yes, % of votes cast",
  yesPercentOfYesAndNo: "Yes, % of Yes and No",
  yesPercentOfEntitled: "Yes, % of those entitled",
  yesNeeded: "Yes votes needed",
};
