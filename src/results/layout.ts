/**
 * What the cells of a published result report mean (pure). Reports come in many layouts:
 *
 * - tables with one row per constituency, their header found by scoring rows by the column names
 *   recognised (title rows above it, the header not on the first row, header rows repeated at page
 *   breaks, totals rows, notes below);
 * - one table (or sheet, or section) per question, its question named by the heading above it;
 * - one wide table with a column group per question ("Strike Yes", "ASOS No", or a group row above);
 * - the scrutineer's statutory wording, one figure a row ("Number of votes cast", 600), for one
 *   constituency or with a column per constituency;
 * - a turnout table and separate Yes/No tables, joined by constituency name.
 *
 * Northern Ireland: a sheet, heading or section that says so (or "not requiring a 50% turnout"),
 * a row whose name says so, or a Nation column. Counts given only as percentages are never turned
 * into counts.
 */
import type { QuestionKind } from "../law/index.js";
import type { Problem } from "../shared/problems.js";
import type { Cell, GridSheet } from "./grid.js";

export type Jurisdiction = "gb" | "ni";

/** One constituency's figures for one question, as read; null where the report does not give them. */
export interface ReportRow {
  questionKey: string;
  question: string;
  kind: QuestionKind | null;
  name: string;
  jurisdiction: Jurisdiction;
  /** A heading said the 40% test applies ("requiring 40% Yes", "important public services"). */
  importantPublicServices: boolean | null;
  entitled: number | null;
  votesCast: number | null;
  yes: number | null;
  no: number | null;
  spoilt: number | null;
  /** The row answers a question (Yes or No given, if only as a percentage), not only the turnout. */
  hasAnswers: boolean;
  /** Percentages as printed, for verdicts no rounding could change; never turned into counts. */
  turnoutPct: Percent | null;
  yesPct: Percent | null;
  noPct: Percent | null;
  sheet: string | null;
  line: number;
}

type CountRole = "entitled" | "votes_cast" | "yes" | "no" | "spoilt";
type Role = CountRole | "turnout" | "pct" | "name" | "question" | "nation" | "ignore";
const COUNT_ROLES: readonly Role[] = ["entitled", "votes_cast", "yes", "no", "spoilt"];

interface Column {
  index: number;
  role: Role;
  /** The question this column belongs to, in a table with a column group per question. */
  group: string | null;
  header: string;
}

export function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, "")
    .replace(/[\u00a0\s]+/g, " ")
    .trim();
}

/** Strike, action short of strike, or neither (a consultative question). */
export function questionKind(text: string): QuestionKind | null {
  const t = norm(text);
  const asos = /(industrial )?action short of (a )?strike|\basos\b|action short/g;
  if (asos.test(t)) return /strike/.test(t.replace(asos, " ")) ? null : "action_short_of_strike";
  if (/strike/.test(t)) return "strike";
  return null;
}

/** The identity of a question across sheets and sections: its kind, else its number, else its words. */
export function questionKey(text: string): string {
  const kind = questionKind(text);
  if (kind) return kind;
  const n = /\bq(?:uestion)?\.?\s*(\d+)\b/.exec(norm(text));
  if (n) return `q${n[1]}`;
  return norm(text)
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function looksLikeQuestion(text: string): boolean {
  const t = norm(text);
  return (
    questionKind(t) !== null ||
    /^q(uestion)?\.?\s*\d+\b/.test(t) ||
    (/\?$/.test(t) && /\b(prepared|willing|support|take part|accept|vote)\b/.test(t))
  );
}

const NI_WORDS =
  /northern ireland|\bn\.i\.(?=\s|$)|not (requiring|subject to|required to (meet|reach))( the| a)? 50 ?%|no turnout threshold|without (a |the )?turnout threshold|exempt from (the )?(50|turnout)|tulr ?\(ni\) ?o|ni order/;
const GB_WORDS =
  /great britain|\bgb\b|england|scotland|wales|(?<!not )(requiring|subject to|required to (meet|reach))( the| a)? 50 ?%|50 ?% turnout threshold applies/;

/** What a heading says about the law: ni, gb, or nothing. */
export function headingJurisdiction(text: string): Jurisdiction | null {
  const t = norm(text);
  const ni = NI_WORDS.test(t) || /(^|[^A-Za-z])NI([^A-Za-z]|$)/.test(text);
  const gb = GB_WORDS.test(t);
  if (ni && !gb && !/\b(including|excluding|except|uk-wide)\b/.test(t)) return "ni";
  if (ni && /not (requiring|subject to|required to)/.test(t)) return "ni";
  if (gb && !ni) return "gb";
  return null;
}

/** A heading that names only a law or a section ("Northern Ireland", "NI", "Not requiring a 50% turnout"), no constituency. */
function lawOnly(text: string): boolean {
  const rest = text
    .replace(
      /northern ireland|\bNI\b|great britain|\bGB\b|\bUK\b|england|scotland|wales|\b(results?|constituenc\w*|ballots?|members|employers|not|requiring|required|turnout|threshold|no|a|in|for|and|the|with|without|section|sheet)\b|\d+\s*%|[()\-–:,]/gi,
      " ",
    )
    .trim();
  return !/[a-z]{3,}/i.test(rest);
}

/** What a heading says about the 40% test: true, false, or nothing. */
function headingIps(text: string): boolean | null {
  const t = norm(text);
  if (!/40 ?%|important public service/.test(t)) return null;
  return !/\bnot\b|\bno\b|without|exempt/.test(t);
}

const TOTAL =
  /^(grand |sub ?|overall )?totals?\b|^all$|^all (\w+ )?(constituencies|members|ballots|employers|schools|institutions|branches|trusts|boards|sites|workplaces|units|regions|areas|organisations|universities|colleges|councils|employees|staff)$|^overall\b|^sum\b|\btotals?$/;

/** A column header's (or a figure label's) meaning, and the question it names if any. */
export function classify(raw: string): { role: Role; group: string | null } | null {
  const t = norm(raw)
    .replace(/\bnos?\.(?=\s|$)/g, "number")
    .replace(/^no of\b/, "number of");
  if (t === "") return null;
  if (/^%$|^percent(age)?$|^per cent$/.test(t)) return { role: "pct", group: null };
  const percent = /%|percent|per cent|\brate\b|proportion/.test(t);
  let role: Role | null = null;
  if (/spoil|invalid|rejected|\bvoid\b/.test(t)) role = "spoilt";
  else if (/\byes\b|in favour|^(votes )?for$/.test(t)) role = "yes";
  else if (/\bno\b|against/.test(t)) role = "no";
  else if (
    /valid votes|abstain|majority|threshold|result|outcome|verdict|mandate|met\b|passed|margin/.test(t)
  )
    role = "ignore";
  else if (
    /entitled|eligible|electorate|balloted|number in (the )?ballot|papers? (issued|sent|dispatched|distributed)|members in (the )?ballot|number of members|membership|total members|^members$|^voters$/.test(
      t,
    )
  )
    role = "entitled";
  else if (
    /votes? cast|total votes|number of votes|votes polled|returned|^returns$|total returns|papers received|number voting|^voted$|votes received|^responses$|ballots cast|^votes$|total poll|^poll$|^vote count$/.test(
      t,
    )
  )
    role = "votes_cast";
  else if (/turnout/.test(t)) role = percent ? "pct" : "turnout";
  else if (/^(q|question|ballot question)$/.test(t)) return { role: "question", group: null };
  else if (/^(nation|country|jurisdiction|law|legislation)$/.test(t)) return { role: "nation", group: null };
  else if (
    /constituenc|institution|employer|organi[sz]ation|branch|workplace|\btrust\b|health board|council|school|universit|college|^name$|bargaining unit|^ballot( name)?$|region|^area$|\bsite\b|establishment|^hei$|^body$|authority|department|company|^unit$|^group$|^location$|agency|^ballot unit$|^employing body$/.test(
      t,
    )
  )
    return { role: "name", group: null };
  if (!role) return null;
  if (percent && role !== "pct" && role !== "ignore") role = "pct";
  const rest = raw
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, "")
    .replace(
      /\b(yes|no|votes?|cast|spoil\w*|invalid|rejected|percent(age)?|per cent|number( of)?|individuals|who|answering|answered|the|to|count|total|in favour|against|papers?|or|otherwise|returned|voting|as|of|share|eligible|entitled|members)\b|[%():\-–—_/]/gi,
      " ",
    )
    .replace(/\s+/g, " ")
    .trim();
  const group = rest && (looksLikeQuestion(rest) || /\baction\b|\bq\d\b/i.test(rest)) ? rest : null;
  return { role, group };
}

/** Of several name columns, the constituency: a "Constituency" or "Name", else the finest grain named. */
function nameRank(header: string): number {
  const t = norm(header);
  if (/constituenc|^name$|^ballot|bargaining unit|ballot unit/.test(t)) return 0;
  if (/workplace|\bsite\b|school|establishment|location|department|\bunit\b/.test(t)) return 1;
  if (
    /employer|institution|organi|trust|board|universit|college|council|authority|company|agency|body|hei/.test(
      t,
    )
  )
    return 2;
  if (/branch/.test(t)) return 3;
  return 4;
}

/** A percentage as printed, and how far the true value may be from it (half its last printed digit). */
export interface Percent {
  value: number;
  half: number;
}

function decimals(text: string): number {
  return /\.(\d+)/.exec(text)?.[1]?.length ?? 0;
}

/** A percentage cell: "56.3%", "56,3%", 56.3, or a fraction 0.563; null if it is none. */
export function percentOf(cell: Cell): Percent | null {
  if (cell === null) return null;
  const of = (n: number, printed: string): Percent | null => {
    if (!Number.isFinite(n) || n < 0) return null;
    const fraction = n < 1 || (n === 1 && printed.includes("."));
    const value = fraction ? Number((n * 100).toFixed(10)) : n;
    if (value > 100) return null;
    const d = Math.max(0, decimals(printed) - (fraction ? 2 : 0));
    return { value, half: 0.5 * 10 ** -Math.min(d, 10) };
  };
  if (typeof cell === "object") {
    const value = Number(cell.percent.toFixed(10));
    return { value, half: 0.5 * 10 ** -Math.min(decimals(String(value)), 10) };
  }
  if (typeof cell === "number") return of(cell, String(cell));
  const t = cell.replace(/[\s\u00a0]/g, "").replace(/[*†‡]+$/, "");
  const pct = /^(\d+(?:[.,]\d+)?)%$/.exec(t);
  if (pct) {
    const printed = pct[1]!.replace(",", ".");
    const value = Number(printed);
    return value <= 100 ? { value, half: 0.5 * 10 ** -decimals(printed) } : null;
  }
  if (/^\d+(\.\d+)?$/.test(t)) return of(Number(t), t);
  return null;
}

/** What a percentage column measures: the turnout, Yes or No; a bare "%" the column before it. */
function pctKind(col: Column, columns: Column[]): "turnout" | "yes" | "no" | null {
  const t = norm(col.header);
  if (/\byes\b|favour/.test(t)) return "yes";
  if (/\bno\b|against/.test(t)) return "no";
  if (/turnout|votes? cast|returned/.test(t)) return "turnout";
  if (/^%$|^percent(age)?$|^per cent$/.test(t)) {
    const before = columns
      .filter((x) => x.index < col.index && x.index >= 0)
      .sort((a, b) => b.index - a.index)[0];
    if (before?.role === "yes" || before?.role === "no") return before.role;
    if (before?.role === "votes_cast" || before?.role === "turnout") return "turnout";
  }
  return null;
}

type Value =
  | { kind: "count"; value: number }
  | { kind: "pct" }
  | { kind: "blank" }
  | { kind: "bad"; text: string };

export function cellValue(cell: Cell): Value {
  if (cell === null) return { kind: "blank" };
  if (typeof cell === "object") return { kind: "pct" };
  if (typeof cell === "number")
    return Number.isFinite(cell) ? { kind: "count", value: cell } : { kind: "bad", text: String(cell) };
  const t = cell.replace(/[\u00a0\s,]/g, "").replace(/[*†‡]+$/, "");
  if (t === "" || /^([-–—.]+|n\/?a|x|\.\.|nil)$/i.test(t)) return { kind: "blank" };
  if (/^\d+(\.\d+)?%$/.test(t)) return { kind: "pct" };
  if (/^\d+(\.\d+)?$/.test(t)) return { kind: "count", value: Number(t) };
  // "600 (50.0%)": the count with its share.
  const both = /^(\d+)\(\d+(\.\d+)?%\)$/.exec(t);
  if (both) return { kind: "count", value: Number(both[1]) };
  if (/^(withdrawn|noballot|notballoted|void|notapplicable|none)$/i.test(t)) return { kind: "blank" };
  return { kind: "bad", text: cell.trim() };
}

function text(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "object") return `${cell.percent}%`;
  return String(cell)
    .replace(/[\u00a0\s]+/g, " ")
    .trim();
}

function isNumeric(cell: Cell | undefined): boolean {
  if (cell === null || cell === undefined) return false;
  const v = cellValue(cell);
  return v.kind === "count" || v.kind === "pct";
}

function cleanName(name: string): string {
  return name
    .replace(/[*†‡]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function isTotal(name: string): boolean {
  return TOTAL.test(norm(name));
}

/** A row as a header: its columns, when at least two figures are named and few cells are numbers. */
function headerOf(cells: Cell[]): Column[] | null {
  const columns: Column[] = [];
  let numeric = 0;
  let filled = 0;
  cells.forEach((cell, index) => {
    const t = text(cell);
    if (!t) return;
    filled++;
    if (isNumeric(cell)) {
      numeric++;
      return;
    }
    const c = classify(t);
    if (c) columns.push({ index, role: c.role, group: c.group, header: t });
  });
  const figures = new Set(
    columns.filter((c) => COUNT_ROLES.includes(c.role) || c.role === "turnout").map((c) => c.role),
  );
  const roles = new Set(columns.map((c) => c.role).filter((r) => r !== "ignore" && r !== "name"));
  // Two figures named, or a name column and one figure ("Employer | Turnout").
  const named = columns.some((c) => c.role === "name");
  if (figures.size === 0 || (roles.size < 2 && !named) || numeric * 2 >= filled) return null;
  return columns;
}

interface Context {
  question: string | null;
  jurisdiction: Jurisdiction;
  ips: boolean | null;
  name: string | null;
}

/** A heading row updates the context: the question, the law, the 40% test, the constituency's name. */
function applyHeading(ctx: Context, heading: string): void {
  // A note or a sentence ("* Ballots in Northern Ireland are not subject to ...") is not a section title.
  const note =
    /^\s*(\*|†|note|notes|source|nb\b)/i.test(heading) || heading.length > 100 || /\.\s*$/.test(heading);
  const j = note ? null : headingJurisdiction(heading);
  if (j) {
    ctx.jurisdiction = j;
    ctx.ips = null;
  }
  const ips = note ? null : headingIps(heading);
  if (ips !== null) ctx.ips = ips;
  if (!note && looksLikeQuestion(heading)) ctx.question = heading.trim();
  const named =
    /^(constituency|employer|institution|ballot|workplace|bargaining unit|organi[sz]ation|name of (the )?(ballot|employer|constituency)|ballot of members (employed by|at)|trust|board)\s*(name)?\s*[:\-–]\s*(.+)$/i.exec(
      heading.trim(),
    );
  if (named) ctx.name = cleanName(named[named.length - 1]!);
}

interface Vertical {
  name: string;
  jurisdiction: Jurisdiction;
  ips: boolean | null;
  shared: Partial<Record<CountRole, number>>;
  questions: Map<string, { text: string; line: number; figures: Partial<Record<CountRole, number>> }>;
  line: number;
}

export interface LayoutResult {
  rows: ReportRow[];
  problems: Problem[];
  warnings: Problem[];
}

/** Every constituency's figures for every question in the report's sheets. */
export function readLayout(sheets: GridSheet[], file: string): LayoutResult {
  const rows: ReportRow[] = [];
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const fallbackName = file.replace(/^.*[\\/]/, "").replace(/\.[a-z0-9]+$/i, "");

  for (const sheet of sheets) {
    const sheetName = sheet.name;
    const where = (line: number, field: string) => ({
      file,
      line,
      field,
      ...(sheetName ? { sheet: sheetName } : {}),
    });
    const problem = (line: number, field: string, code: string, message: string) =>
      problems.push({ ...where(line, field), code, message });
    const warn = (line: number, field: string, code: string, message: string) =>
      warnings.push({ ...where(line, field), code, message });

    const ctx: Context = { question: null, jurisdiction: "gb", ips: null, name: null };
    if (sheetName) applyHeading(ctx, sheetName);
    ctx.name = null;
    // A sheet's name names the constituency unless it is "Sheet1", a question or a law ("Strike", "NI").
    const generic =
      !sheetName ||
      /^(sheet|tabelle|feuil)\s*\d*$/i.test(sheetName) ||
      looksLikeQuestion(sheetName) ||
      (headingJurisdiction(sheetName) !== null && lawOnly(sheetName)) ||
      /^(results?|summary|report|data)$/i.test(sheetName.trim());

    let table: Column[] | null = null;
    let lastName = "";
    let tableSignature = "";
    let previous: Cell[] = [];
    const verticals = new Map<string, Vertical>();
    let verticalNames: Map<number, string> | null = null;

    const verticalFor = (name: string, line: number): Vertical => {
      let v = verticals.get(name);
      if (!v) {
        v = { name, jurisdiction: ctx.jurisdiction, ips: ctx.ips, shared: {}, questions: new Map(), line };
        verticals.set(name, v);
      }
      return v;
    };
    const verticalFigure = (name: string, role: CountRole, value: number, line: number) => {
      const v = verticalFor(name, line);
      if (headingJurisdiction(name) === "ni") v.jurisdiction = "ni";
      if ((role === "yes" || role === "no" || role === "spoilt" || role === "votes_cast") && ctx.question) {
        const key = questionKey(ctx.question);
        let q = v.questions.get(key);
        if (!q) {
          q = { text: ctx.question, line, figures: {} };
          v.questions.set(key, q);
        }
        q.figures[role] = value;
      } else if (role === "yes" || role === "no") {
        let q = v.questions.get("");
        if (!q) {
          q = { text: "", line, figures: {} };
          v.questions.set("", q);
        }
        q.figures[role] = value;
      } else v.shared[role] = value;
    };

    for (const row of sheet.rows) {
      const cells = row.cells;
      const filled = cells.map((c, i) => ({ c, i })).filter(({ c }) => text(c) !== "");
      if (filled.length === 0) continue;

      const header = headerOf(cells);
      if (header) {
        // A question written in the header's corner ("Question 1: strike | Entitled | Votes cast | ...").
        for (const cell of cells) {
          const t = text(cell);
          if (t && !classify(t) && looksLikeQuestion(t)) ctx.question = t;
        }
        const signature = header.map((c) => `${c.index}:${c.role}`).join(",");
        if (table && signature === tableSignature) continue; // repeated at a page break
        table = buildTable(header, previous, cells);
        tableSignature = signature;
        verticalNames = null;
        previous = cells;
        continue;
      }

      // A single text cell: a heading, a note, a section name (also inside a table).
      const first = filled[0]!;
      if (filled.length === 1 && !isNumeric(first.c)) {
        const t = text(first.c);
        const labelled = /^(.*?)\s*[:=]\s*([\d,]+)\s*$/.exec(t);
        const c = labelled ? classify(labelled[1]!) : null;
        if (labelled && c && COUNT_ROLES.includes(c.role)) {
          const value = Number(labelled[2]!.replace(/,/g, ""));
          verticalFigure(
            ctx.name ?? (generic ? fallbackName : sheetName!),
            c.role as CountRole,
            value,
            row.line,
          );
        } else {
          applyHeading(ctx, t);
          if (looksLikeQuestion(t) || headingJurisdiction(t)) verticalNames = null;
        }
        previous = cells;
        continue;
      }

      // A figure label and its values: the scrutineer's statutory wording.
      const label = !isNumeric(first.c) ? classify(text(first.c)) : null;
      const restNumeric = filled.slice(1).every(({ c }) => isNumeric(c) || cellValue(c).kind === "blank");
      const labelLooksVertical =
        label &&
        (COUNT_ROLES.includes(label.role) || label.role === "pct" || label.role === "turnout") &&
        restNumeric &&
        (!table || /^number of|^total number|^votes cast$|^percentage|turnout/.test(norm(text(first.c))));
      if (labelLooksVertical) {
        table = null;
        if (label.role === "pct" || label.role === "turnout") {
          previous = cells;
          continue;
        }
        for (const { c, i } of filled.slice(1)) {
          const v = cellValue(c);
          if (v.kind !== "count") continue;
          if (!Number.isInteger(v.value) || v.value < 0) {
            problem(row.line, text(first.c), "count.invalid", `"${text(c)}" is not a whole number of votes.`);
            continue;
          }
          const name = verticalNames?.get(i) ?? ctx.name ?? (generic ? fallbackName : sheetName!);
          verticalFigure(name, label.role as CountRole, v.value, row.line);
        }
        previous = cells;
        continue;
      }
      // A name label with text values: "Employer | Trust A" or a row naming the columns of figures below.
      if (!table && filled.length >= 2 && filled.slice(1).every(({ c }) => !isNumeric(c))) {
        const lead = classify(text(first.c));
        if (first.i === 0 && filled.length === 2 && lead?.role === "name") {
          ctx.name = cleanName(text(filled[1]!.c));
          verticalNames = null;
        } else if (first.i > 0 || lead?.role === "name") {
          verticalNames = new Map(
            filled.filter(({ i }) => i > 0).map(({ c, i }) => [i, cleanName(text(c))] as [number, string]),
          );
        } else applyHeading(ctx, filled.map(({ c }) => text(c)).join(" "));
        previous = cells;
        continue;
      }

      if (!table) {
        previous = cells;
        continue;
      }
      // Text only, no figure: a section heading inside the table ("Northern Ireland" | "").
      if (!cells.some((c) => isNumeric(c))) {
        applyHeading(ctx, filled.map(({ c }) => text(c)).join(" "));
        previous = cells;
        continue;
      }
      readTableRow(table, row.line, cells, ctx);
      previous = cells;
    }

    // The figure-per-row blocks, one record per question.
    for (const v of verticals.values()) {
      const questions = [...v.questions.entries()];
      if (questions.length === 0) {
        warn(v.line, "yes", "figures.no_answers", `No Yes or No figures for "${v.name}".`);
        continue;
      }
      for (const [key, q] of questions) {
        const figures = { ...v.shared, ...q.figures };
        rows.push({
          questionKey: key,
          question: q.text,
          kind: q.text ? questionKind(q.text) : null,
          name: v.name,
          jurisdiction: v.jurisdiction,
          importantPublicServices: v.ips,
          entitled: figures.entitled ?? null,
          votesCast: figures.votes_cast ?? null,
          yes: figures.yes ?? null,
          no: figures.no ?? null,
          spoilt: figures.spoilt ?? null,
          hasAnswers: true,
          turnoutPct: null,
          yesPct: null,
          noPct: null,
          sheet: sheetName,
          line: q.line,
        });
      }
    }

    function buildTable(columns: Column[], above: Cell[], headerCells: Cell[]): Column[] {
      // A group row above ("Strike action" over Yes/No): its labels fill rightwards.
      const groups: (string | null)[] = [];
      let current: string | null = null;
      const aboveFilled = above.filter((x) => text(x) !== "");
      const usable =
        aboveFilled.length > 0 &&
        above.some((x, i) => i > 0 && text(x) !== "" && !isNumeric(x)) &&
        !headerOf(above);
      for (let i = 0; i < headerCells.length; i++) {
        const t = usable ? text(above[i]) : "";
        if (t && !isNumeric(above[i]!)) current = t;
        groups.push(current);
      }
      const out: Column[] = [];
      for (const col of columns) {
        const above = usable ? groups[col.index] : null;
        out.push({ ...col, group: col.group ?? (above && looksLikeQuestion(above) ? above : null) });
      }
      // Repeated Yes/No without a question: number the groups in order.
      const yesCols = out.filter((x) => x.role === "yes");
      if (yesCols.length > 1 && yesCols.some((x) => !x.group)) {
        let n = 0;
        for (const col of out) {
          if (col.role === "yes") n++;
          if ((col.role === "yes" || col.role === "no" || col.role === "spoilt") && !col.group && n > 0)
            col.group = `Question ${n}`;
        }
      }
      // One question, one group: "Strike" and "Strike Yes as % of votes cast" are the same.
      const canonical = new Map<string, string>();
      for (const col of out) {
        if (!col.group) continue;
        const key = questionKey(col.group);
        if (!canonical.has(key)) canonical.set(key, col.group);
        col.group = canonical.get(key)!;
      }
      // A bare "%" belongs with the column before it.
      out.sort((a, b) => a.index - b.index);
      for (const [i, col] of out.entries()) {
        if (col.role === "pct" && !col.group && i > 0 && /^\s*%\s*$/.test(col.header))
          col.group = out[i - 1]!.group;
      }
      // No name column named: the first column, if its header cell is blank or unrecognised.
      if (!out.some((x) => x.role === "name" || x.role === "question")) {
        const firstFigure = Math.min(...out.map((x) => x.index));
        if (firstFigure > 0)
          out.push({ index: -1, role: "name", group: null, header: text(headerCells[0]) || "name" });
      }
      return out.sort((a, b) => a.index - b.index);
    }

    function readTableRow(columns: Column[], line: number, cells: Cell[], c: Context): void {
      const nameCols = columns.filter((x) => x.role === "name");
      const nameCol = [...nameCols].sort((a, b) => nameRank(a.header) - nameRank(b.header))[0];
      const questionCol = columns.find((x) => x.role === "question");
      const nationCol = columns.find((x) => x.role === "nation");
      // No column named for the constituency: the first text left of the figures.
      const firstFigure = Math.min(
        ...columns.filter((x) => x.index >= 0 && x.role !== "name").map((x) => x.index),
      );
      const unnamed = cells.slice(0, firstFigure).find((x) => text(x) !== "" && !isNumeric(x));
      let name = nameCol ? cleanName(nameCol.index < 0 ? text(unnamed) : text(cells[nameCol.index])) : "";
      // A name merged down over a constituency's question rows.
      if (!name && questionCol && lastName) name = lastName;
      if (name) lastName = name;
      const questionText = questionCol ? text(cells[questionCol.index]) : "";
      if (!name && !questionCol) {
        if (
          columns.some(
            (x) => COUNT_ROLES.includes(x.role) && cellValue(cells[x.index] ?? null).kind === "count",
          )
        )
          warn(
            line,
            nameCol?.header ?? "name",
            "name.missing",
            "A row of figures with no constituency name was skipped.",
          );
        return;
      }
      if (name && isTotal(name)) return;
      if (questionCol && !questionText) return;
      if (questionCol && isTotal(questionText)) return;
      if (!name) name = c.name ?? (generic ? fallbackName : sheetName!);
      let jurisdiction = c.jurisdiction;
      if (headingJurisdiction(name) === "ni") jurisdiction = "ni";
      for (const col of [...(nationCol ? [nationCol] : []), ...nameCols.filter((x) => x !== nameCol)]) {
        const j = headingJurisdiction(text(cells[col.index]));
        if (j === "ni" || (j && col === nationCol)) jurisdiction = j;
      }
      // Shared figures (no group) and each group's own.
      const answers = (col: Column) =>
        col.role === "yes" ||
        col.role === "no" ||
        (col.role === "pct" && /\byes\b|\bno\b|favour|against/i.test(col.header));
      const groupKeys = new Set<string | null>();
      for (const col of columns) if (answers(col)) groupKeys.add(col.group);
      const hasAnswers = groupKeys.size > 0;
      if (groupKeys.size === 0) groupKeys.add(null);
      const read = (col: Column): number | null => {
        const v = cellValue(cells[col.index] ?? null);
        if (v.kind === "count") {
          if (!Number.isInteger(v.value) || v.value < 0) {
            problem(
              line,
              col.header,
              "count.invalid",
              `"${text(cells[col.index])}" is not a whole number of votes.`,
            );
            return null;
          }
          return v.value;
        }
        if (v.kind === "bad") {
          problem(line, col.header, "count.invalid", `"${v.text}" is not a number.`);
        }
        return null;
      };
      const shared: Partial<Record<CountRole, number | null>> = {};
      let turnout: number | null = null;
      const pcts = (group: string | null) => {
        const out: Record<"turnout" | "yes" | "no", Percent | null> = { turnout: null, yes: null, no: null };
        for (const col of columns) {
          if (col.group !== group) continue;
          const v = cellValue(cells[col.index] ?? null);
          if (col.role === "pct") {
            const k = pctKind(col, columns);
            if (k) out[k] = percentOf(cells[col.index] ?? null);
          } else if (col.role === "turnout" && v.kind === "pct")
            out.turnout = percentOf(cells[col.index] ?? null);
          else if (col.role === "turnout" && v.kind === "count" && !Number.isInteger(v.value))
            out.turnout = percentOf(cells[col.index] ?? null);
        }
        return out;
      };
      const sharedPct = pcts(null);
      for (const col of columns) {
        if (col.group !== null) continue;
        if (COUNT_ROLES.includes(col.role)) shared[col.role as CountRole] = read(col);
        if (col.role === "turnout") {
          // "Turnout" as a count: only beside a turnout percentage column, or when it cannot be a percentage.
          const v = cellValue(cells[col.index] ?? null);
          const besidePct = columns.some((x) => x.role === "pct" && /turnout/i.test(x.header));
          if (
            v.kind === "count" &&
            Number.isInteger(v.value) &&
            (besidePct || v.value > 100) &&
            !columns.some((x) => x.role === "votes_cast")
          )
            turnout = v.value;
        }
      }
      if (shared.votes_cast == null && turnout !== null) shared.votes_cast = turnout;
      for (const group of groupKeys) {
        const own: Partial<Record<CountRole, number | null>> = {};
        for (const col of columns)
          if (col.group === group && group !== null && COUNT_ROLES.includes(col.role))
            own[col.role as CountRole] = read(col);
        const f = { ...shared, ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== null)) };
        const qText = questionCol ? questionText : (group ?? c.question ?? "");
        const ownPct = group === null ? sharedPct : pcts(group);
        const p = {
          turnout: ownPct.turnout ?? sharedPct.turnout,
          yes: ownPct.yes,
          no: ownPct.no,
        };
        const anyFigure = [f.entitled, f.votes_cast, f.yes, f.no, f.spoilt, p.turnout, p.yes, p.no].some(
          (x) => x != null,
        );
        if (!anyFigure) continue;
        const answered = columns.some(
          (col) =>
            answers(col) && col.group === group && cellValue(cells[col.index] ?? null).kind !== "blank",
        );
        if (hasAnswers && !answered) {
          warn(
            line,
            "yes",
            "figures.none",
            `"${name}" has no Yes or No figures${group ? ` for ${group}` : ""}: left out.`,
          );
          continue;
        }
        rows.push({
          questionKey: qText ? questionKey(qText) : "",
          question: qText,
          kind: qText ? questionKind(qText) : null,
          name,
          jurisdiction,
          importantPublicServices: c.ips,
          entitled: f.entitled ?? null,
          votesCast: f.votes_cast ?? null,
          yes: f.yes ?? null,
          no: f.no ?? null,
          spoilt: f.spoilt ?? null,
          hasAnswers,
          turnoutPct: p.turnout,
          yesPct: p.yes,
          noPct: p.no,
          sheet: sheetName,
          line,
        });
      }
    }
  }

  return { ...joinTurnout(rows, warnings), problems };
}

/**
 * Rows without Yes or No (a turnout table) lend their entitled and votes cast to the same constituency's
 * question rows that lack them; then each question without a name gets one ("Question 1").
 */
function joinTurnout(all: ReportRow[], warnings: Problem[]): { rows: ReportRow[]; warnings: Problem[] } {
  const turnoutOnly = all.filter((r) => !r.hasAnswers);
  // A report of turnouts alone: each is a constituency still (a turnout short of the threshold decides).
  const answers = all.some((r) => r.hasAnswers) ? all.filter((r) => r.hasAnswers) : turnoutOnly;
  const byName = new Map<string, ReportRow>();
  for (const t of turnoutOnly) byName.set(`${t.jurisdiction}|${norm(t.name)}`, t);
  for (const r of answers) {
    const t = byName.get(`${r.jurisdiction}|${norm(r.name)}`) ?? byName.get(`gb|${norm(r.name)}`);
    if (!t) continue;
    r.entitled ??= t.entitled;
    r.votesCast ??= t.votesCast;
    r.turnoutPct ??= t.turnoutPct;
    if (t.jurisdiction === "ni") r.jurisdiction = "ni";
  }
  // An unnamed question: the report's only named question if it has one, else "Question 1".
  const named = new Map(answers.filter((r) => r.questionKey).map((r) => [r.questionKey, r]));
  const only = named.size === 1 ? [...named.values()][0]! : null;
  for (const r of answers) {
    if (!r.questionKey) {
      r.questionKey = only?.questionKey ?? "q1";
      r.question = only?.question ?? "Question 1";
      r.kind = only?.kind ?? null;
    }
  }
  return { rows: answers, warnings };
}
