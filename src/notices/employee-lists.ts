/**
 * The lists of categories and workplaces, with their figures, that both the
 * notice of ballot (s.226A(2A)-(2C)) and the notice of industrial action
 * (s.234A(3)(a)) give the employer: the checks on them, how they print, and
 * the CSV annexes that carry a list too long to print in full.
 */
import { failer, isCount } from "./checks.js";
import { toCsv } from "./csv.js";
import type { Annex, EmployeeLists, Regime } from "./documents.model.js";
import { type DocumentWriter, formatCount } from "./layout.js";

/** A list longer than this is printed in part, the whole of it going in a CSV annex. */
export const ANNEX_ROW_LIMIT = 40;

export const WORKPLACES_ANNEX = "workplaces.csv";
export const CATEGORIES_ANNEX = "categories.csv";

/** Words for the people a notice is about, which the statute names differently per notice. */
export interface ListWording {
  /** "employees concerned" (s.226A) or "affected employees" (s.234A). */
  who: string;
}

function withFigures(lists: EmployeeLists): boolean {
  return lists.form === "lists_figures_explanation";
}

/**
 * Throws when the lists cannot be printed as a lawful notice. These are
 * programming errors, not user errors: the figures come pre-computed from
 * the frozen electorate, so a mismatch means a bug upstream, and a notice
 * with a wrong figure must never be produced.
 */
export function checkEmployeeLists(lists: EmployeeLists, regime: Regime, document: string): void {
  const fail = failer(document);
  if ((regime === "A" || regime === "B") && !withFigures(lists)) {
    fail(`regime ${regime} requires the lists, figures and explanation (form "lists_figures_explanation")`);
  }
  if (!lists.categories.length) fail("the list of categories is empty");
  if (!lists.workplaces.length) fail("the list of workplaces is empty");
  if (!isCount(lists.total)) fail(`total is not a whole number of employees: ${lists.total}`);
  for (const c of lists.categories) {
    if (!c.category.trim()) fail("a category has no name");
    if (!isCount(c.count)) fail(`category "${c.category}" has an invalid count: ${c.count}`);
  }
  for (const w of lists.workplaces) {
    if (!w.workplace.trim()) fail("a workplace has no name");
    if (!isCount(w.count)) fail(`workplace "${w.workplace}" has an invalid count: ${w.count}`);
  }
  if (!withFigures(lists)) return;
  const byCategory = lists.categories.reduce((sum, c) => sum + c.count, 0);
  const byWorkplace = lists.workplaces.reduce((sum, w) => sum + w.count, 0);
  if (byCategory !== lists.total) {
    fail(`the category counts add up to ${byCategory}, not the total of ${lists.total}`);
  }
  if (byWorkplace !== lists.total) {
    fail(`the workplace counts add up to ${byWorkplace}, not the total of ${lists.total}`);
  }
  if (!lists.explanation?.trim()) fail("the explanation of how the figures were arrived at is missing");
}

/** Which lists overflow into an annex; the PDF and the annex files both follow this one plan. */
function annexPlan(lists: EmployeeLists): { categories: boolean; workplaces: boolean } {
  return {
    categories: lists.categories.length > ANNEX_ROW_LIMIT,
    workplaces: lists.workplaces.length > ANNEX_ROW_LIMIT,
  };
}

/**
 * The CSV annexes for lists longer than ANNEX_ROW_LIMIT, in input order: the
 * whole list, with counts only in the form that has figures. None when every
 * list fits on the notice.
 */
export function employeeListAnnexes(lists: EmployeeLists): Annex[] {
  const plan = annexPlan(lists);
  const figures = withFigures(lists);
  const annexes: Annex[] = [];
  if (plan.workplaces) {
    const header = ["workplace", "site_code", "address", "postcode", ...(figures ? ["count"] : [])];
    const rows = lists.workplaces.map((w) => [
      w.workplace,
      w.siteCode ?? "",
      w.address ?? "",
      w.postcode ?? "",
      ...(figures ? [w.count] : []),
    ]);
    annexes.push({ filename: WORKPLACES_ANNEX, csv: toCsv(header, rows) });
  }
  if (plan.categories) {
    const header = ["category", ...(figures ? ["count"] : [])];
    const rows = lists.categories.map((c) => [c.category, ...(figures ? [c.count] : [])]);
    annexes.push({ filename: CATEGORIES_ANNEX, csv: toCsv(header, rows) });
  }
  return annexes;
}

function continued(shown: number, all: number, what: string, filename: string): string {
  return `The first ${shown} of ${formatCount(all)} ${what} are listed above; the list is continued in annex ${filename}.`;
}

/**
 * Prints the categories, the workplaces, the total and (with figures) the
 * explanation. In the lists_total form no per-category or per-workplace
 * number and no explanation is printed at all.
 */
export function drawEmployeeLists(w: DocumentWriter, lists: EmployeeLists, wording: ListWording): void {
  const figures = withFigures(lists);
  const plan = annexPlan(lists);
  const total = formatCount(lists.total);

  w.heading(`Categories of ${wording.who}`);
  const categories = plan.categories ? lists.categories.slice(0, ANNEX_ROW_LIMIT) : lists.categories;
  if (figures) {
    w.table(
      [
        { header: "Category", width: 0.78 },
        { header: "Number", width: 0.22, align: "right" },
      ],
      categories.map((c) => [c.category, formatCount(c.count)]),
      plan.categories ? {} : { totals: ["Total", total] },
    );
  } else {
    w.bullets(categories.map((c) => c.category));
  }
  if (plan.categories) {
    w.paragraph(continued(categories.length, lists.categories.length, "categories", CATEGORIES_ANNEX));
  }

  w.heading(`Workplaces of ${wording.who}`);
  const workplaces = plan.workplaces ? lists.workplaces.slice(0, ANNEX_ROW_LIMIT) : lists.workplaces;
  const columns = [
    { header: "Workplace", width: figures ? 0.3 : 0.34 },
    { header: "Site code", width: 0.13 },
    { header: "Address", width: figures ? 0.31 : 0.39 },
    { header: "Postcode", width: 0.14 },
    ...(figures ? [{ header: "Number", width: 0.12, align: "right" as const }] : []),
  ];
  w.table(
    columns,
    workplaces.map((p) => [
      p.workplace,
      p.siteCode ?? "",
      p.address ?? "",
      p.postcode ?? "",
      ...(figures ? [formatCount(p.count)] : []),
    ]),
    figures && !plan.workplaces ? { totals: ["Total", "", "", "", total] } : {},
  );
  if (plan.workplaces) {
    w.paragraph(continued(workplaces.length, lists.workplaces.length, "workplaces", WORKPLACES_ANNEX));
  }

  w.heading(`Total number of ${wording.who}`);
  w.paragraph(`The total number of ${wording.who} is ${total}.`, { bold: true });

  if (figures) {
    w.heading("How these figures were arrived at");
    w.paragraph(lists.explanation ?? "");
  }
}
