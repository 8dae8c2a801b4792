/**
 * The notice of ballot to an employer (TULRCA 1992 s.226A), written as a
 * letter from the union: that it intends to hold the ballot (s.226A(2)(a)),
 * the opening day (s.226A(2)(b)), and the employees concerned in the form the
 * law in force requires: lists, figures and explanation (A, B), lists and the
 * total (C), or the check-off information from which the employer can work
 * them out (s.226A(2C)). Every figure printed is the input's, unchanged.
 */
import { failer } from "./checks.js";
import type { AggregationTest, Annex, BallotNoticeInput, LegalText } from "./documents.model.js";
import { checkEmployeeLists, drawEmployeeLists, employeeListAnnexes } from "./employee-lists.js";
import { DocumentWriter } from "./layout.js";
import { citationOnly, citations, isDraft } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import { ACTION_LABEL } from "./wording.js";

const TITLE = "Notice of industrial action ballot";

const ACTION_PHRASE = {
  strike: "a strike",
  action_short_of_strike: "industrial action short of a strike",
} as const;

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
  if (!input.legal.length) fail("the provisions the notice relies on (legal texts) are missing");
  if (!/^[0-9a-fA-F]{64}$/.test(input.electorateFingerprint)) {
    fail("the electorate fingerprint is not a SHA-256 hex digest");
  }
  if (input.checkOff) assertIsoDate(input.checkOff.asAt, "checkOff.asAt");
  else checkEmployeeLists(input, input.regime, "Notice of ballot");
}

/** The legal texts the notice relies on: its own plus the s.228A test of an aggregated ballot. */
function legalTexts(input: BallotNoticeInput): LegalText[] {
  const test = input.aggregationTest ? AGGREGATION[input.aggregationTest] : null;
  const checkOff = input.checkOff ? [citationOnly("TULRCA 1992 s.226A(2)(c)(ii), (2C)")] : [];
  return [...input.legal, ...checkOff, ...(test ? [citationOnly(test.citation)] : [])];
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** What the employee lists below contain, in the words of the provision that asks for them. */
function listsIntroduction(input: BallotNoticeInput): string {
  if (input.form === "lists_figures_explanation") {
    return "The employees concerned are the employees the union reasonably believes will be entitled to vote in the ballot. Below are the categories of employee to which they belong and the workplaces at which they work, the number of them in each category and at each workplace, their total number, and an explanation of how these figures were arrived at (section 226A(2)(c)(i), (2A) and (2B)).";
  }
  return "The employees concerned are the employees the union reasonably believes will be entitled to vote in the ballot. Below are the categories of employee to which they belong, the workplaces at which they work, and their total number (section 226A(2A) and (2B), as amended by the Employment Rights Act 2025).";
}

/** The check-off information (s.226A(2C)): who the employees concerned are, by the employer's own deductions. */
function checkOffParagraphs(input: BallotNoticeInput): string[] {
  const c = input.checkOff!;
  const limits: string[] = [];
  if (c.categories?.length) limits.push(`in the job categories ${joinWords(c.categories)}`);
  if (c.workplaces?.length) limits.push(`working at ${joinWords(c.workplaces)}`);
  const deduce =
    input.form === "lists_figures_explanation"
      ? "the total number of the employees concerned, the categories of employee to which they belong and the number in each category, and the workplaces at which they work and the number at each"
      : "the total number of the employees concerned, the categories of employee to which they belong and the workplaces at which they work";
  return [
    `The employees concerned are all those of your employees from whose wages you deduct subscriptions to ${input.union.name} under check-off arrangements${limits.length ? `, ${limits.join(", ")}` : ""}, as those deductions stood on ${formatUkDate(c.asAt)}.`,
    `From your own check-off and payroll records you can therefore readily deduce ${deduce} (section 226A(2)(c)(ii) and (2C)).`,
    "The union relies on this information only for employees whose subscriptions are deducted from their wages.",
  ];
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
    draft: isDraft(legal, input),
    footer: [
      `Reference ${input.reference}`,
      `Electorate fingerprint ${input.electorateFingerprint.slice(0, 16)}`,
    ],
    subject: `Notice of ballot ${input.reference}`,
  });
  w.addressee(input.employer);
  w.paragraph(`Our reference: ${input.reference}`);
  w.paragraph("Dear Sir or Madam,");
  w.paragraph(`Notice of a ballot for industrial action: ${input.disputeTitle}`, { bold: true });
  const kinds = input.questions.map((q) => ACTION_PHRASE[q]);
  w.paragraph(
    `${input.union.name} gives you notice under section 226A of the Trade Union and Labour Relations (Consolidation) Act 1992 that it intends to hold a ballot of its members employed by you, asking whether they are prepared to take part${input.reballot ? ", or to continue to take part," : ""} in ${joinWords(kinds)}.`,
  );
  w.paragraph(
    `The union reasonably believes that the opening day of the ballot, the first day on which a voting paper will be sent to any person entitled to vote, will be ${formatUkDate(input.openingDate)}. A sample of the voting paper accompanies this notice.`,
  );

  w.heading("The ballot");
  const test = input.aggregationTest ? AGGREGATION[input.aggregationTest] : null;
  w.facts([
    ["Dispute", input.disputeTitle],
    ["Members balloted", input.constituencyName],
    [
      "Kind of ballot",
      test
        ? `One ballot for members at more than one workplace (section ${test.citation.replace("TULRCA 1992 s.", "")}): ${test.description}`
        : "A separate ballot of the members at one workplace",
    ],
    ["Opening day of the ballot", formatUkDate(input.openingDate)],
    ["Questions on the voting paper", input.questions.map((q) => ACTION_LABEL[q]).join("; ")],
  ]);

  w.heading("The employees concerned");
  if (input.checkOff) {
    for (const p of checkOffParagraphs(input)) w.paragraph(p);
  } else {
    w.paragraph(listsIntroduction(input));
    drawEmployeeLists(w, input, { who: "employees concerned" });
  }
  w.paragraph(
    input.checkOff
      ? "This information is as accurate as is reasonably practicable in the light of the information in the possession of the union at the date of this notice (section 226A(2D))."
      : input.form === "lists_figures_explanation"
        ? "These lists and figures are as accurate as is reasonably practicable in the light of the information in the possession of the union at the date of this notice (section 226A(2D))."
        : "These lists and this number are as accurate as is reasonably practicable in the light of the information in the possession of the union at the date of this notice (section 226A(2D)).",
  );
  w.paragraph(
    `If you have any question about this notice, please contact the union${input.union.contact ? ` at ${input.union.contact}` : ""}, quoting the reference above.`,
  );
  w.signature(input.union);
  w.legalBasis(citations(legal));
  return w.finish();
}

/** The CSV annexes for a notice of ballot whose lists are too long to print in full (none otherwise). */
export function ballotNoticeAnnexes(input: BallotNoticeInput): Annex[] {
  check(input);
  return input.checkOff ? [] : employeeListAnnexes(input);
}
