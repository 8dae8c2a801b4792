/**
 * The result of a ballot as a letter from the union: to the members entitled
 * to vote (TULRCA 1992 s.231) or to an employer (s.231A). Whatever the regime
 * it gives the whole list of s.231 as substituted by TUA 2016 s.6: the number
 * entitled to vote, votes cast, Yes and No to each question, spoiled or
 * otherwise invalid papers, and, where those rules apply, whether the 50%
 * turnout was met and whether 40% of those entitled voted Yes (ballot-law.md
 * §7 C advises this superset while the C list is unconfirmed; giving more
 * than the statute asks is safe, giving less is not). Where a rule does not
 * apply (before 2017, the 40% rule outside important public services or
 * after its repeal, Northern Ireland) the letter says nothing about it.
 *
 * No rule summaries, no ISO dates and no review reasons are printed: the
 * provisions appear as citations in the "Legal basis" line, and a draft is
 * marked by the layout's watermark.
 */
import { failer, isCount } from "./checks.js";
import type { ActionKind, ResultNoticeInput } from "./documents.model.js";
import { DocumentWriter, formatCount } from "./layout.js";
import { citations, isDraft } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import { ACTION_LABEL } from "./wording.js";

const ACTION_PHRASE: Record<ActionKind, string> = {
  strike: "strike action",
  action_short_of_strike: "industrial action short of a strike",
};

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
  if (input.mandate !== input.mandateFor.length > 0) fail("mandate and mandateFor disagree");
  for (const k of input.mandateFor) if (!kinds.includes(k)) fail(`mandateFor names ${k}, not a question`);
  if (input.mandatePeriod) {
    assertIsoDate(input.mandatePeriod.lastDay, "mandatePeriod.lastDay");
    if (input.mandatePeriod.lastDayByAgreement) {
      assertIsoDate(input.mandatePeriod.lastDayByAgreement, "mandatePeriod.lastDayByAgreement");
    }
  }
}

/**
 * A percentage to one decimal place, rounded down, so the printed figure
 * never shows a threshold as reached when it was not (49.96% is "49.9%").
 */
function formatPercent(percent: number): string {
  return `${(Math.floor(percent * 10 + 1e-9) / 10).toFixed(1)}%`;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The outcome in one or two sentences: what the ballot supports and until when. */
function outcome(input: ResultNoticeInput): string[] {
  if (!input.mandate) {
    return ["The result of the ballot does not support industrial action."];
  }
  const supported = joinWords(input.mandateFor.map((k) => ACTION_PHRASE[k]));
  const notSupported = input.questions.filter((q) => !input.mandateFor.includes(q.kind));
  const lines = [
    `The result of the ballot supports ${supported}${notSupported.length ? `. It does not support ${joinWords(notSupported.map((q) => ACTION_PHRASE[q.kind]))}` : ""}.`,
  ];
  const p = input.mandatePeriod;
  if (p) {
    const agreed = p.lastDayByAgreement
      ? `, or ${formatUkDate(p.lastDayByAgreement)} if the union and the employer agree a longer period`
      : "";
    lines.push(
      p.kind === "begin_within"
        ? `Industrial action called on the strength of this ballot must begin no later than ${formatUkDate(p.lastDay)}${agreed}.`
        : `The ballot supports industrial action until the end of ${formatUkDate(p.lastDay)}${agreed}.`,
    );
  }
  return lines;
}

/** Renders the result notice as a PDF letter, for members or for one employer. */
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
  const toEmployer = input.audience === "employer";
  if (toEmployer) w.addressee(input.employer!);
  w.paragraph(toEmployer ? "Dear Sir or Madam," : "Dear Member,");
  w.paragraph(`Result of the ballot for industrial action: ${input.constituencyName}`, { bold: true });
  const closed = formatUkDate(input.closingDate);
  w.paragraph(
    toEmployer
      ? `${input.union.name} writes to inform you of the result of its ballot for industrial action of members employed by you, which closed on ${closed}. The figures are for the whole ballot.`
      : `We write to tell you the result of the ballot for industrial action in which you were entitled to vote${input.employer ? `, of members employed by ${input.employer.name}` : ""}. The ballot closed on ${closed}.`,
  );

  w.heading("The result");
  const facts: [string, string][] = [
    ["Number of individuals entitled to vote", formatCount(input.entitled)],
    ["Number of votes cast", formatCount(input.votesCast)],
  ];
  if (input.turnout.applies) {
    facts.push([
      "Did at least 50% of those entitled to vote cast a vote?",
      `${input.turnout.met ? "Yes" : "No"}: ${formatPercent(input.turnout.percent)} of those entitled voted`,
    ]);
  }
  w.facts(facts);

  const with40 = input.support40.applies;
  w.table(
    [
      { header: "Question", width: with40 ? 0.25 : 0.37, bold: true },
      { header: "Number answering Yes", width: 0.13, align: "right" },
      { header: "Number answering No", width: 0.13, align: "right" },
      { header: "Spoiled or otherwise invalid voting papers", width: with40 ? 0.21 : 0.37, align: "right" },
      ...(with40 ? [{ header: "Did at least 40% of those entitled to vote answer Yes?", width: 0.28 }] : []),
    ],
    input.questions.map((q, i) => [
      ACTION_LABEL[q.kind],
      formatCount(q.yes),
      formatCount(q.no),
      formatCount(q.spoilt),
      ...(with40 ? [input.support40.met![i] ? "Yes" : "No"] : []),
    ]),
  );

  const [first, ...rest] = outcome(input);
  w.paragraph(first!, { bold: true });
  for (const line of rest) w.paragraph(line);
  w.paragraph(
    `If you have any question about this ${toEmployer ? "notice" : "letter"}, please contact the union${input.union.contact ? ` at ${input.union.contact}` : ""}.`,
  );
  w.signature(input.union, toEmployer ? "Yours faithfully," : "Yours sincerely,");
  w.legalBasis(citations(input.legal));
  return w.finish();
}
