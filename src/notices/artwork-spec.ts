/**
 * The artwork specification: what the scrutineer (or its printer) must print
 * on every voting paper so that the papers members receive match the sample
 * the employers received (s.226A(1)(b)). It is generated in the same step as
 * the sample, from the sample's own input: the question wording, the
 * s.229(4) statement, the voting instruction and the person authorised to
 * call the action are copied, never retyped. It adds what the sample cannot
 * show: paper size and orientation, the consecutive numbering of the papers
 * from the frozen electorate (s.229(1A)(c)-(d)) with its fingerprint, the
 * return date and the method of voting.
 */
import { failer } from "./checks.js";
import type { ArtworkSpecInput } from "./documents.model.js";
import { DocumentWriter, formatCount, PAPER_DESCRIPTION } from "./layout.js";
import { citations, isDraft } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import {
  actionTypesLine,
  authorisedPersonLine,
  checkVotingPaper,
  legalTexts,
  questionLabel,
  VOTING_INSTRUCTION,
} from "./voting-paper.js";

const POSTAL =
  "Postal. Each paper is sent by post to the member's home address, or another address the member has asked the union in writing to treat as their postal address, with a prepaid envelope addressed to the return address, so that the member can vote by post without direct cost (TULRCA 1992 s.230(1) and (2)).";

function check(input: ArtworkSpecInput): void {
  const fail = failer("Artwork specification");
  checkVotingPaper(input.sample);
  assertIsoDate(input.issuedOn, "issuedOn");
  if (!input.sample.sample) fail("the specification is built from the sample voting paper");
  const { first, last, digits } = input.numbering;
  if (first !== 1) fail("the papers are numbered from 1 (s.229(1A)(c))");
  if (!Number.isSafeInteger(last) || last < first) fail(`the series must end at 1 or more, not ${last}`);
  if (String(last).length > digits) fail(`paper number ${last} does not fit in ${digits} digits`);
  if (!/^[0-9a-fA-F]{64}$/.test(input.electorateFingerprint)) {
    fail("the electorate fingerprint is not a SHA-256 hex digest");
  }
  if (input.reballot && !input.sample.questions.every((q) => /continue to take part/.test(q.text))) {
    fail('a re-ballot\'s questions ask whether members will "continue to take part" (s.229(2))');
  }
  if (input.votingMethod !== "postal") {
    fail(`only postal voting papers are specified here, not ${input.votingMethod}`);
  }
}

/** Renders the artwork specification as a PDF. */
export async function renderArtworkSpec(input: ArtworkSpecInput): Promise<Buffer> {
  check(input);
  const paper = input.sample;
  const legal = legalTexts(paper);
  const w = new DocumentWriter({
    union: input.union,
    auditCheckpoint: input.auditCheckpoint,
    title: "Voting paper artwork specification",
    issuedOn: input.issuedOn,
    draft: isDraft(legal, input),
    footer: [
      `Reference ${input.reference}`,
      `Electorate fingerprint ${input.electorateFingerprint.slice(0, 16)}`,
    ],
    subject: `Artwork specification ${input.reference}`,
  });
  w.paragraph(
    `For the independent scrutineer and its printer. Every voting paper printed for this ballot must match the sample voting paper sent to the employers with the notice of ballot (reference ${input.reference}). Every section headed "exactly as on the sample" is copied from the sample and must be printed word for word.`,
  );

  const pad = (n: number) => String(n).padStart(input.numbering.digits, "0");
  w.heading("The paper");
  w.facts([
    ["Paper size and orientation", PAPER_DESCRIPTION],
    ["Union", input.union.name],
    [
      "Independent scrutineer",
      paper.scrutineer
        ? `${paper.scrutineer.name}\n${paper.scrutineer.address}`
        : "None: 50 or fewer members are entitled to vote (TULRCA 1992 s.226C); do not print a scrutineer",
    ],
    ["Return address", paper.returnAddress],
    [
      "Closing date",
      `${formatUkDate(paper.returnBy)}, printed as "Return by ${formatUkDate(paper.returnBy)}"`,
    ],
    ["Closing time", "None is printed on the sample: papers are returned by the closing date printed above"],
    ["Method of voting", POSTAL],
    [
      "Re-ballot",
      input.reballot
        ? 'Yes: the questions ask whether the member is prepared to "take part or to continue to take part" (s.229(2))'
        : "No",
    ],
  ]);

  w.heading("Paper numbers");
  w.paragraph(
    `Each paper carries one number of the consecutive series ${pad(input.numbering.first)} to ${pad(input.numbering.last)} (${formatCount(input.numbering.last)} papers, one per member entitled to vote), printed on the paper as "Voting paper number" followed by the number, each number on a different paper (TULRCA 1992 s.229(1A)(c) and (d)). The numbers are those of the scrutineer's voter file, taken from the frozen electorate with fingerprint:`,
  );
  w.paragraph(input.electorateFingerprint, { size: 8.5 });
  w.paragraph(
    `Papers issued later (replacement papers, members who join the ballot late) take the next numbers, from ${pad(input.numbering.last + 1)}. The sample carries "SAMPLE" in place of a number.`,
  );

  if (paper.summaryOfMatters) {
    w.heading("Summary of the matters in issue, exactly as on the sample");
    w.paragraph(paper.summaryOfMatters);
  }

  w.heading("Voting instruction, exactly as on the sample");
  w.paragraph(VOTING_INSTRUCTION, { bold: true });

  // The questions stay together on one page, as they do on the paper.
  const block =
    60 +
    paper.questions.reduce(
      (sum, q) => sum + w.paragraphHeight(`${q.text}\n${actionTypesLine(q) ?? ""}`) + 12,
      0,
    );
  const room = w.room();
  if (block > room.left && block <= room.page) w.ensureSpace(room.page);
  w.heading("Questions, exactly as on the sample");
  w.paragraph(
    "One question per kind of action (s.229(2)), each with a YES box and a NO box for a cross, in this order:",
  );
  paper.questions.forEach((q, i) => {
    const types = actionTypesLine(q);
    w.facts([[questionLabel(i, q.kind), types ? `${q.text}\n${types}` : q.text]]);
  });

  w.heading("The statement required by section 229(4), exactly as on the sample");
  w.paragraph(
    "Print it in full, word for word, with no qualification and no comment by anyone, on the same page as the questions and immediately after them:",
  );
  w.paragraph(paper.dismissalStatement.text, { bold: true });

  if (paper.expectedPeriods) {
    w.heading("When the action is expected to take place, exactly as on the sample");
    w.bullets(paper.expectedPeriods);
  }

  w.heading("Who may call industrial action, exactly as on the sample");
  w.paragraph(authorisedPersonLine(paper.authorisedPerson));

  w.legalBasis(
    citations([
      ...legal,
      { text: "", citation: "TULRCA 1992 s.229(1A)", unconfirmed: null },
      { text: "", citation: "TULRCA 1992 s.230(1), (2)", unconfirmed: null },
    ]),
  );
  return w.finish();
}
