/**
 * The voting paper (TULRCA 1992 s.229), and the sample of it the employer
 * must receive before the opening day. Everything s.229 requires is on it:
 * the scrutineer (unless 50 or fewer are entitled), the return address and
 * date, the paper's number, a separate YES/NO question per kind of action,
 * the person authorised to call the action and the s.229(4) statement,
 * verbatim and on its own. Under B it adds the summary of the matters in
 * issue, the types of action short of a strike and the expected periods.
 */
import { failer } from "./checks.js";
import type { LegalText, VotingPaperInput } from "./documents.model.js";
import { DocumentWriter } from "./layout.js";
import { citations, isDraft } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import { ACTION_LABEL } from "./wording.js";

/** The voting instruction printed above the questions (the artwork specification quotes it). */
export const VOTING_INSTRUCTION = "Questions: vote by marking a cross (X) in one box for each question";

/** Each question's label on the paper, e.g. "Question 1: Strike". */
export function questionLabel(index: number, kind: VotingPaperInput["questions"][number]["kind"]): string {
  return `Question ${index + 1}: ${ACTION_LABEL[kind]}`;
}

/** The line under a question naming the types of action (s.229(2C)); null when none are given. */
export function actionTypesLine(q: VotingPaperInput["questions"][number]): string | null {
  if (!q.actionTypes.length) return null;
  return `Types of ${q.kind === "strike" ? "strike action" : "industrial action short of a strike"}: ${q.actionTypes.join("; ")}`;
}

/** What the paper says about who may call the action (s.229(3)). */
export function authorisedPersonLine(person: string): string {
  return `The person authorised to call upon members to take part or continue to take part in industrial action in the event of a vote in favour is: ${person}`;
}

function check(input: VotingPaperInput): void {
  const fail = failer("Voting paper");
  assertIsoDate(input.issuedOn, "issuedOn");
  assertIsoDate(input.returnBy, "returnBy");
  if (!input.paperNumber.trim()) fail("the paper has no number");
  if (!input.returnAddress.trim()) fail("the return address is missing");
  if (!input.authorisedPerson.trim()) fail("the person authorised to call the action is missing");
  if (!input.dismissalStatement.text.trim()) fail("the s.229(4) statement is missing");
  if (!input.questions.length) fail("the paper has no question");
  const kinds = input.questions.map((q) => q.kind);
  if (new Set(kinds).size !== kinds.length) {
    fail("each kind of action needs exactly one question (s.229(2)): a kind is repeated");
  }
  for (const q of input.questions)
    if (!q.text.trim()) fail(`the ${ACTION_LABEL[q.kind]} question has no text`);
  if (input.regime === "B") {
    if (!input.summaryOfMatters?.trim())
      fail("regime B requires the summary of the matters in issue (s.229(2B))");
    if (!input.expectedPeriods?.length) fail("regime B requires the expected period or periods (s.229(2D))");
    for (const q of input.questions) {
      if (q.kind === "action_short_of_strike" && !q.actionTypes.length) {
        fail("regime B requires the types of action short of a strike (s.229(2C))");
      }
    }
  } else if (input.summaryOfMatters !== null || input.expectedPeriods !== null) {
    fail(`the summary of matters and expected periods are for regime B only, not ${input.regime}`);
  }
}

export function legalTexts(input: VotingPaperInput): LegalText[] {
  return [...(input.legal ?? []), input.dismissalStatement];
}

/** Renders a voting paper (or, with `sample`, the sample for employers) as a PDF. */
export async function renderVotingPaper(input: VotingPaperInput): Promise<Buffer> {
  check(input);
  const legal = legalTexts(input);
  const title = input.sample ? "SAMPLE voting paper" : "Voting paper";
  const w = new DocumentWriter({
    union: input.union,
    auditCheckpoint: input.auditCheckpoint,
    title,
    issuedOn: input.issuedOn,
    draft: isDraft(legal, input),
    footer: [`Voting paper number ${input.paperNumber}`],
    subject: `${title} ${input.paperNumber}`,
    ...(input.sample ? { watermark: "SAMPLE" } : {}),
  });
  if (input.sample) {
    w.paragraph("SAMPLE: a copy of the voting paper for the employer. It cannot be used to vote.", {
      bold: true,
    });
  }

  const facts: [string, string][] = [["Voting paper number", input.paperNumber]];
  if (input.scrutineer) {
    facts.push(["Independent scrutineer", `${input.scrutineer.name}\n${input.scrutineer.address}`]);
  }
  facts.push(["Return this paper to", input.returnAddress], ["Return by", formatUkDate(input.returnBy)]);
  w.facts(facts);

  if (input.summaryOfMatters) {
    w.heading("Summary of the matters in issue in the trade dispute");
    w.paragraph(input.summaryOfMatters);
  }

  // The s.229(4) statement goes with the questions, on the same page, verbatim, unqualified and uncommented.
  const questions = input.questions.map((q, i) => ({
    label: questionLabel(i, q.kind),
    text: q.text,
    details: [actionTypesLine(q)].filter((l): l is string => l !== null),
  }));
  const together =
    48 +
    questions.reduce((sum, q) => sum + w.questionHeight(q.label, q.text, q.details), 0) +
    w.paragraphHeight(input.dismissalStatement.text, { bold: true });
  const room = w.room();
  if (together > room.left && together <= room.page) w.ensureSpace(room.page);
  w.heading(VOTING_INSTRUCTION);
  for (const q of questions) w.question(q.label, q.text, q.details);
  w.paragraph(input.dismissalStatement.text, { bold: true });

  if (input.expectedPeriods) {
    w.heading("When the industrial action is expected to take place");
    w.bullets(input.expectedPeriods);
  }

  w.heading("Who may call industrial action");
  w.paragraph(authorisedPersonLine(input.authorisedPerson));

  w.legalBasis(citations(legal));
  return w.finish();
}

/** The voting paper's input checks, for documents built from it (the artwork specification). */
export const checkVotingPaper = check;
