/**
 * The result of a ballot, for the members entitled to vote (TULRCA 1992
 * s.231) or for an employer (s.231A). Whatever the regime it prints the
 * whole B list (s.231 as amended by TUA 2016 s.6): the number entitled,
 * votes cast, Yes and No per question, spoiled or otherwise invalid papers,
 * whether the 50% turnout was met and, where it applies, whether 40% of
 * those entitled voted Yes. ballot-law.md §7 C advises this superset while
 * the C list is unconfirmed; giving more than the statute asks is safe,
 * giving less is not.
 */
import { failer, isCount } from "./checks.js";
import type { ResultNoticeInput } from "./documents.model.js";
import { DocumentWriter, formatCount } from "./layout.js";
import { citations, isDraft } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import { ACTION_LABEL } from "./wording.js";

function check(input: ResultNoticeInput): void {
  const fail = failer("Result notice");
  assertIsoDate(input.issuedOn, "issuedOn");
  assertIsoDate(input.closingDate, "closingDate");
  if (input.audience === "employer" && !input.employer) fail("a notice to an employer needs the employer");
  if (!isCount(input.entitled)) fail(`entitled is not a whole number: ${input.entitled}`);
  if (!isCount(input.votesCast)) fail(`votesCast is not a whole number: ${input.votesCast}`);
  if (input.votesCast > input.entitled) {
    fail(`${input.votesCast} votes cast is more than the ${input.entitled} entitled to vote`);
  }
  if (!input.questions.length) fail("the result has no question");
  const kinds = input.questions.map((q) => q.kind);
  if (new Set(kinds).size !== kinds.length) fail("a question is repeated");
  for (const q of input.questions) {
    for (const [field, n] of [
      ["yes", q.yes],
      ["no", q.no],
      ["spoilt", q.spoilt],
    ] as const) {
      if (!isCount(n)) fail(`${ACTION_LABEL[q.kind]}: ${field} is not a whole number: ${n}`);
    }
    if (q.yes + q.no + q.spoilt > input.votesCast) {
      fail(
        `${ACTION_LABEL[q.kind]}: yes, no and spoilt add up to more than the ${input.votesCast} votes cast`,
      );
    }
  }
  if (!Number.isFinite(input.turnout.percent) || input.turnout.percent < 0 || input.turnout.percent > 100) {
    fail(`turnout percent out of range: ${input.turnout.percent}`);
  }
  if (input.turnout.applies !== (input.turnout.met !== null)) {
    fail("turnout.met must be given exactly when the 50% rule applies");
  }
  if (input.support40.applies) {
    if (input.support40.met?.length !== input.questions.length) {
      fail("support40.met needs one entry per question when the 40% rule applies");
    }
  } else if (input.support40.met !== null)
    fail("support40.met must be null when the 40% rule does not apply");
  if (!input.mandateNote.trim()) fail("the mandate note is missing");
}

/**
 * A percentage to one decimal place, rounded down, so the printed figure
 * never shows a threshold as reached when it was not (49.96% is "49.9%").
 */
function formatPercent(percent: number): string {
  return `${(Math.floor(percent * 10 + 1e-9) / 10).toFixed(1)}%`;
}

function yesNo(met: boolean): string {
  return met ? "Yes" : "No";
}

/** Renders the result notice as a PDF, for members or for one employer. */
export async function renderResultNotice(input: ResultNoticeInput): Promise<Buffer> {
  check(input);
  const w = new DocumentWriter({
    union: input.union,
    auditCheckpoint: input.auditCheckpoint,
    title: "Result of industrial action ballot",
    issuedOn: input.issuedOn,
    draft: isDraft(input.legal, input),
    footer: [`Ballot result: ${input.constituencyName}`, `Closed ${formatUkDate(input.closingDate)}`],
    subject: `Ballot result ${input.constituencyName} ${input.audience}${input.employer ? ` ${input.employer.name}` : ""}`,
  });
  if (input.audience === "employer") w.addressee(input.employer!);
  else w.paragraph("To every member entitled to vote in the ballot.", { bold: true });

  for (const t of input.legal) w.paragraph(t.text);

  w.heading("The ballot");
  w.facts([
    ["Constituency", input.constituencyName],
    ...(input.employer && input.audience === "members"
      ? [["Employer", input.employer.name] as [string, string]]
      : []),
    ["Ballot closed", formatUkDate(input.closingDate)],
  ]);

  w.heading("Result");
  w.facts([
    ["Number of individuals entitled to vote", formatCount(input.entitled)],
    ["Number of votes cast", formatCount(input.votesCast)],
    ["Turnout", formatPercent(input.turnout.percent)],
    [
      "Were the votes cast at least 50% of the number entitled to vote?",
      input.turnout.met === null
        ? "The 50% turnout requirement does not apply to this ballot"
        : yesNo(input.turnout.met),
    ],
  ]);

  const with40 = input.support40.applies;
  w.table(
    [
      { header: "Question", width: with40 ? 0.25 : 0.37, bold: true },
      { header: "Yes", width: 0.12, align: "right" },
      { header: "No", width: 0.12, align: "right" },
      { header: "Spoiled or otherwise invalid voting papers returned", width: 0.27, align: "right" },
      ...(with40 ? [{ header: "Did at least 40% of those entitled to vote answer Yes?", width: 0.24 }] : []),
    ],
    input.questions.map((q, i) => [
      ACTION_LABEL[q.kind],
      formatCount(q.yes),
      formatCount(q.no),
      formatCount(q.spoilt),
      ...(with40 ? [yesNo(input.support40.met![i]!)] : []),
    ]),
  );
  if (!with40) w.paragraph("The 40% support requirement does not apply to this ballot.");

  w.heading("Outcome");
  w.paragraph(
    input.mandate
      ? "The ballot supports industrial action: the union has a mandate."
      : "The ballot does not support industrial action: the union has no mandate from it.",
    { bold: true },
  );
  w.paragraph(input.mandateNote);

  w.legalBasis(citations(input.legal));
  return w.finish();
}
