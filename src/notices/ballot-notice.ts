/**
 * The notice of ballot to an employer (TULRCA 1992 s.226A): the union's
 * statements, the opening day, and the employees concerned in the form the
 * regime requires: lists, figures and explanation (A, B) or lists and total
 * (C). Every figure printed is the input's, unchanged.
 */
import { failer } from "./checks.js";
import type { AggregationTest, Annex, BallotNoticeInput, LegalText } from "./documents.model.js";
import { checkEmployeeLists, drawEmployeeLists, employeeListAnnexes } from "./employee-lists.js";
import { DocumentWriter } from "./layout.js";
import { citationOnly, citations, reviewReasons } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import { ACTION_LABEL } from "./wording.js";

const TITLE = "Notice of industrial action ballot";

/** The s.228A tests, with the subsection that allows each and what it means in a sentence. */
const AGGREGATION: Record<AggregationTest, { citation: string; description: string }> = {
  common_dispute: {
    citation: "TULRCA 1992 s.228A(2)",
    description:
      "each member entitled to vote has as their workplace the workplace of at least one member affected by the dispute",
  },
  occupation: {
    citation: "TULRCA 1992 s.228A(3)",
    description:
      "entitlement to vote is given to, and limited to, all members with an occupation of the kind or kinds balloted who are employed by an employer in dispute with the union",
  },
  employer: {
    citation: "TULRCA 1992 s.228A(4)",
    description:
      "entitlement to vote is given to, and limited to, all members employed by an employer in dispute with the union",
  },
};

function check(input: BallotNoticeInput): void {
  const fail = failer("Notice of ballot");
  assertIsoDate(input.issuedOn, "issuedOn");
  assertIsoDate(input.openingDate, "openingDate");
  if (input.openingDate <= input.issuedOn) fail("the opening date must be after the date of the notice");
  if (input.ballotKind === "aggregated" && input.aggregationTest === null) {
    fail("an aggregated ballot needs the s.228A test that allows it");
  }
  if (input.ballotKind === "workplace" && input.aggregationTest !== null) {
    fail("a workplace ballot has no s.228A aggregation test");
  }
  if (!input.questions.length) fail("the ballot has no question");
  if (new Set(input.questions).size !== input.questions.length) fail("a question is repeated");
  if (!input.legal.length) fail("the notice's statements (legal texts) are missing");
  if (!/^[0-9a-fA-F]{64}$/.test(input.electorateFingerprint)) {
    fail("the electorate fingerprint is not a SHA-256 hex digest");
  }
  checkEmployeeLists(input, input.regime, "Notice of ballot");
}

/** The legal texts the notice relies on: its statements plus the s.228A test of an aggregated ballot. */
function legalTexts(input: BallotNoticeInput): LegalText[] {
  const test = input.aggregationTest ? AGGREGATION[input.aggregationTest] : null;
  return test ? [...input.legal, citationOnly(test.citation)] : input.legal;
}

/** Renders the notice of ballot as a PDF. Throws on inconsistent figures (see checkEmployeeLists). */
export async function renderBallotNotice(input: BallotNoticeInput): Promise<Buffer> {
  check(input);
  const legal = legalTexts(input);
  const w = new DocumentWriter({
    union: input.union,
    auditCheckpoint: input.auditCheckpoint,
    title: TITLE,
    issuedOn: input.issuedOn,
    reviewReasons: reviewReasons(legal, input.reviewReasons),
    footer: [
      `Reference ${input.reference}`,
      `Electorate fingerprint ${input.electorateFingerprint.slice(0, 16)}`,
    ],
    subject: `Notice of ballot ${input.reference}`,
  });
  w.addressee(input.employer);
  w.paragraph(`Reference: ${input.reference}`);

  w.heading("Notice");
  for (const t of input.legal) w.paragraph(t.text);

  w.heading("The ballot");
  const test = input.aggregationTest ? AGGREGATION[input.aggregationTest] : null;
  w.facts([
    ["Dispute", input.disputeTitle],
    ["Constituency balloted", input.constituencyName],
    [
      "Kind of ballot",
      test
        ? `Aggregated ballot under ${test.citation}: ${test.description}`
        : "Separate ballot of the members at one workplace",
    ],
    ["Opening day of the ballot", formatUkDate(input.openingDate)],
    ["Questions on the voting paper", input.questions.map((q) => ACTION_LABEL[q]).join("; ")],
  ]);

  drawEmployeeLists(w, input, { who: "employees concerned" });
  w.legalBasis(citations(legal));
  return w.finish();
}

/** The CSV annexes for a notice of ballot whose lists are too long to print in full (none otherwise). */
export function ballotNoticeAnnexes(input: BallotNoticeInput): Annex[] {
  check(input);
  return employeeListAnnexes(input);
}
