/**
 * The notice of industrial action to an employer (TULRCA 1992 s.234A): the
 * affected employees in the form the regime requires (s.234A(3)(a), the
 * same lists as the notice of ballot), whether the action is continuous or
 * discontinuous with its start date or its dates (s.234A(3)(b)), and the
 * notice period that applies.
 */
import { failer } from "./checks.js";
import type { ActionNoticeInput, ActionSpec, Annex, LegalText } from "./documents.model.js";
import { checkEmployeeLists, drawEmployeeLists, employeeListAnnexes } from "./employee-lists.js";
import { DocumentWriter } from "./layout.js";
import { citations, isDraft } from "./legal.js";
import { assertIsoDate, formatUkDate } from "./uk-date.js";
import { describeAction } from "./wording.js";

function checkActions(actions: ActionSpec[], where: string, fail: (m: string) => never): void {
  if (!actions.length) fail(`no action is given ${where}`);
  if (new Set(actions.map((a) => a.kind)).size !== actions.length)
    fail(`a kind of action is repeated ${where}`);
}

function check(input: ActionNoticeInput): void {
  const fail = failer("Notice of industrial action");
  assertIsoDate(input.issuedOn, "issuedOn");
  if (!Number.isSafeInteger(input.noticePeriodDays) || input.noticePeriodDays < 1) {
    fail(`noticePeriodDays is not a whole number of days: ${input.noticePeriodDays}`);
  }
  if (!input.legal.length) fail("the notice's statements (legal texts) are missing");
  if (input.continuous) {
    assertIsoDate(input.startDate, "startDate");
    if (input.startDate <= input.issuedOn) fail("the start date must be after the date of the notice");
    checkActions(input.actions, "for the continuous action", fail);
  } else {
    if (!input.dates.length) fail("discontinuous action needs at least one date");
    let previous = input.issuedOn;
    for (const day of input.dates) {
      assertIsoDate(day.date, "dates[].date");
      if (day.date <= previous)
        fail("the dates must be after the date of the notice, in order, without repeats");
      previous = day.date;
      checkActions(day.actions, `on ${day.date}`, fail);
    }
  }
  checkEmployeeLists(input, input.regime, "Notice of industrial action");
}

function legalTexts(input: ActionNoticeInput): LegalText[] {
  return [...input.legal, input.noticePeriodStatement];
}

/** Renders the notice of industrial action as a PDF. Throws on inconsistent figures or dates. */
export async function renderActionNotice(input: ActionNoticeInput): Promise<Buffer> {
  check(input);
  const legal = legalTexts(input);
  const w = new DocumentWriter({
    union: input.union,
    auditCheckpoint: input.auditCheckpoint,
    title: "Notice of industrial action",
    issuedOn: input.issuedOn,
    draft: isDraft(legal, input),
    footer: [`Reference ${input.reference}`],
    subject: `Notice of industrial action ${input.reference}`,
  });
  w.addressee(input.employer);
  w.paragraph(`Reference: ${input.reference}`);
  w.paragraph("Dear Sir or Madam,");

  w.heading("Notice");
  for (const t of input.legal) w.paragraph(t.text);

  w.heading("The industrial action");
  if (input.continuous) {
    w.facts([
      ["Kind of action", "Continuous"],
      ["Intended start date", formatUkDate(input.startDate)],
      ["Action", input.actions.map(describeAction).join("\n")],
    ]);
  } else {
    w.facts([["Kind of action", "Discontinuous, on the dates below"]]);
    w.table(
      [
        { header: "Date", width: 0.3, bold: true },
        { header: "Action", width: 0.7 },
      ],
      input.dates.map((d) => [formatUkDate(d.date), d.actions.map(describeAction).join("\n")]),
    );
  }

  w.heading("Notice period");
  w.paragraph(`${input.noticePeriodDays} days.`, { bold: true });
  w.paragraph(input.noticePeriodStatement.text);

  drawEmployeeLists(w, input, { who: "affected employees" });
  w.paragraph(
    `If you have any question about this notice, please contact the union${input.union.contact ? ` at ${input.union.contact}` : ""}, quoting the reference above.`,
  );
  w.signature(input.union);
  w.legalBasis(citations(legal));
  return w.finish();
}

/** The CSV annexes for a notice of industrial action whose lists are too long to print in full. */
export function actionNoticeAnnexes(input: ActionNoticeInput): Annex[] {
  check(input);
  return employeeListAnnexes(input);
}
