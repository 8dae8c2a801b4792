/**
 * The scrutineer's periodic turnout returns as a CSV file: one row per constituency and date, with the
 * papers returned so far (a running total, spoilt papers included: every paper returned counts towards
 * turnout, decision 0011).
 *
 *   constituency,date,papers_returned
 *   Leeds Teaching Hospitals,2026-12-14,412
 *   ballot_id,date,returned
 *   17,2026-12-14,412
 *
 * The constituency is named by the ballot's id, its name, or the name of its one workplace (a
 * disaggregated ballot's constituency is a workplace); names are matched without regard to case, spaces
 * or punctuation, among the ballots of the dispute only. Pure: every problem is returned with its line
 * and field, none thrown; the caller refuses the whole file if there is any.
 */
import { parse } from "csv-parse/sync";
import type { Problem } from "../shared/problems.js";

export interface ReturnsTarget {
  ballotId: number;
  name: string;
  /** The workplace names that also name this constituency (its only workplace). */
  aliases: string[];
  openingDate: string;
  closingDate: string;
  /** The frozen electorate; null before the freeze (returns are refused then). */
  entitled: number | null;
}

export interface ReturnRow {
  line: number;
  ballotId: number;
  date: string;
  papersReturned: number;
}

/** More rows than any real file of returns (a national dispute's constituencies x weeks). */
export const MAX_RETURN_ROWS = 50_000;

type Column = "ballot_id" | "constituency" | "date" | "papers_returned";

const HEADERS: Record<string, Column> = {
  ballot_id: "ballot_id",
  ballot: "ballot_id",
  id: "ballot_id",
  constituency: "constituency",
  constituency_name: "constituency",
  workplace: "constituency",
  workplace_name: "constituency",
  ballot_name: "constituency",
  name: "constituency",
  date: "date",
  as_at: "date",
  as_of: "date",
  return_date: "date",
  papers_returned: "papers_returned",
  returned: "papers_returned",
  papers: "papers_returned",
  returns: "papers_returned",
  votes_cast: "papers_returned",
  turnout: "papers_returned",
};

export function normaliseName(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

type ProblemAt = (line: number, field: string, code: string, message: string) => void;

/**
 * Finds a constituency of the dispute by its ballot id or by its name (or one of its workplaces'), as the
 * returns file and the has-voted feed name them; a name two constituencies share is never guessed.
 */
export function constituencyFinder<T extends { ballotId: number; name: string; aliases: readonly string[] }>(
  targets: readonly T[],
) {
  const byId = new Map(targets.map((t) => [t.ballotId, t]));
  const byName = new Map<string, T[]>();
  for (const t of targets)
    for (const n of new Set([t.name, ...t.aliases].map(normaliseName)))
      byName.set(n, [...(byName.get(n) ?? []), t]);
  return {
    byBallotId(raw: string, line: number, problem: ProblemAt): T | undefined {
      const target = /^\d{1,9}$/.test(raw) ? byId.get(Number(raw)) : undefined;
      if (!target)
        problem(
          line,
          "ballot_id",
          "ballot.unmatched",
          `No ballot ${JSON.stringify(raw.slice(0, 60))} in this dispute.`,
        );
      return target;
    },
    byName(raw: string, line: number, problem: ProblemAt): T | undefined {
      const found = byName.get(normaliseName(raw)) ?? [];
      if (found.length === 1) return found[0];
      if (found.length === 0)
        problem(
          line,
          "constituency",
          "constituency.unmatched",
          `"${raw.slice(0, 60)}" is not a constituency of this dispute.`,
        );
      else
        problem(
          line,
          "constituency",
          "constituency.ambiguous",
          `"${raw.slice(0, 60)}" names ${found.length} constituencies of this dispute; give the ballot_id.`,
        );
      return undefined;
    },
  };
}

/** A CSV's records with the line each ends on, or null with the problem given (unreadable, too many rows). */
export function readCsvRecords(
  text: string,
  maxRows: number,
  rowsName: string,
  problem: (line: number, field: string, code: string, message: string) => void,
): { record: string[]; info: { lines: number } }[] | null {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/\r\n?/g, "\n"), {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
      to: maxRows + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    problem(line, "file", "csv.invalid", "The file is not readable CSV (an unclosed quote or a broken row).");
    return null;
  }
  if (records.length > maxRows + 1) {
    problem(maxRows + 2, "file", "rows.too_many", `More than ${maxRows} ${rowsName}.`);
    return null;
  }
  return records;
}

/** YYYY-MM-DD or DD/MM/YYYY (UK order), as a checked calendar date; null if neither. */
export function readDate(text: string): string | null {
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO.exec(text);
  const uk = UK.exec(text);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (uk) [y, m, d] = [Number(uk[3]), Number(uk[2]), Number(uk[1])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export function parseReturns(
  text: string,
  file: string,
  targets: readonly ReturnsTarget[],
  today: string,
): { rows: ReturnRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (line: number, field: string, code: string, message: string) => {
    if (problems.length < 200) problems.push({ file, line, field, code, message });
  };
  const records = readCsvRecords(text, MAX_RETURN_ROWS, "rows of returns", problem);
  if (!records) return { rows: [], problems };
  const header = (records[0]?.record ?? []).map(
    (h) =>
      HEADERS[
        h
          .toLowerCase()
          .replace(/[^a-z]+/g, "_")
          .replace(/^_|_$/g, "")
      ],
  );
  const named = header.includes("ballot_id") || header.includes("constituency");
  if (!named)
    problem(
      1,
      "constituency",
      "header.missing",
      'No "constituency" (or "workplace", or "ballot_id") column.',
    );
  for (const need of ["date", "papers_returned"] as const)
    if (!header.includes(need)) problem(1, need, "header.missing", `No "${need}" column.`);
  if (problems.length) return { rows: [], problems };

  const find = constituencyFinder(targets);

  const rows: ReturnRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const col = (name: Column) => record[header.indexOf(name)] ?? "";
    let target: ReturnsTarget | undefined;
    if (header.includes("ballot_id") && col("ballot_id") !== "") {
      target = find.byBallotId(col("ballot_id"), line, problem);
    } else if (header.includes("constituency")) {
      const raw = col("constituency");
      if (raw === "") problem(line, "constituency", "constituency.missing", "No constituency named.");
      else target = find.byName(raw, line, problem);
    } else {
      problem(line, "ballot_id", "ballot.missing", "No ballot id.");
    }
    const date = readDate(col("date"));
    if (!date)
      problem(
        line,
        "date",
        "date.invalid",
        `"${col("date").slice(0, 60)}" is not a date (YYYY-MM-DD or DD/MM/YYYY).`,
      );
    const rawCount = col("papers_returned").replace(/,/g, "");
    const papers = /^\d{1,9}$/.test(rawCount) ? Number(rawCount) : null;
    if (papers === null)
      problem(
        line,
        "papers_returned",
        "number.invalid",
        `"${col("papers_returned").slice(0, 60)}" is not a whole number.`,
      );
    if (!target || !date || papers === null) continue;
    if (target.entitled === null) {
      problem(
        line,
        "constituency",
        "ballot.not_frozen",
        `${target.name}: the electorate is not frozen, so there is no turnout yet.`,
      );
      continue;
    }
    if (date < target.openingDate || date > target.closingDate)
      problem(
        line,
        "date",
        "date.outside_ballot",
        `${date} is outside the ballot (${target.openingDate} to ${target.closingDate}).`,
      );
    else if (date > today) problem(line, "date", "date.future", `${date} is after today (${today}).`);
    if (papers > target.entitled)
      problem(
        line,
        "papers_returned",
        "number.above_entitled",
        `${papers} papers returned, more than the ${target.entitled} entitled to vote.`,
      );
    const key = `${target.ballotId}|${date}`;
    if (seen.has(key)) {
      problem(
        line,
        "date",
        "return.repeated",
        `A second return for this constituency on ${date} (the first on line ${seen.get(key)}).`,
      );
      continue;
    }
    seen.set(key, line);
    rows.push({ line, ballotId: target.ballotId, date, papersReturned: papers });
  }
  if (records.length < 2) problem(2, "date", "rows.missing", "No returns after the header.");
  return { rows, problems };
}

/**
 * Running totals never go down: each constituency's returns in date order, the file's with those
 * already recorded (a file's return replaces a recorded one of the same date), checked for a fall.
 */
export function checkRunningTotals(
  file: string,
  rows: readonly ReturnRow[],
  recorded: readonly { ballotId: number; date: string; papersReturned: number }[],
): Problem[] {
  const problems: Problem[] = [];
  const series = new Map<number, Map<string, { papers: number; line: number | null }>>();
  for (const r of recorded) {
    const s = series.get(r.ballotId) ?? new Map();
    s.set(r.date, { papers: r.papersReturned, line: null });
    series.set(r.ballotId, s);
  }
  for (const r of rows) {
    const s = series.get(r.ballotId) ?? new Map();
    s.set(r.date, { papers: r.papersReturned, line: r.line });
    series.set(r.ballotId, s);
  }
  for (const s of series.values()) {
    const ordered = [...s.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (let i = 1; i < ordered.length; i++) {
      const [prevDate, prev] = ordered[i - 1]!;
      const [date, cur] = ordered[i]!;
      if (cur.papers >= prev.papers) continue;
      const line = cur.line ?? prev.line;
      if (line === null) continue;
      problems.push({
        file,
        line,
        field: "papers_returned",
        code: "return.decreasing",
        message: `Papers returned fall from ${prev.papers} on ${prevDate} to ${cur.papers} on ${date}; returns are running totals.`,
      });
    }
  }
  return problems;
}
