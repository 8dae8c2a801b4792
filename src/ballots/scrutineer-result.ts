/**
 * The scrutineer's result as a CSV file: one row per question, with the
 * papers returned (spoilt ones included) on every row.
 *
 *   question,votes_cast,yes,no,spoilt
 *   strike,326,308,16,2
 *   action_short_of_strike,326,308,18,0
 *
 * Headers are matched loosely ("Votes cast", "spoiled", "Question"); the
 * question may be written "Strike" or "Action short of a strike". Every
 * problem is returned with its line and field, none thrown.
 */
import { parse } from "csv-parse/sync";
import type { QuestionKind } from "../law/index.js";
import type { Problem } from "../shared/problems.js";

export interface ScrutineerResult {
  votesCast: number;
  questions: { question: QuestionKind; yes: number; no: number; spoilt: number }[];
}

const HEADERS: Record<string, "question" | "votes_cast" | "yes" | "no" | "spoilt"> = {
  question: "question",
  votes_cast: "votes_cast",
  votescast: "votes_cast",
  papers_returned: "votes_cast",
  turnout: "votes_cast",
  yes: "yes",
  no: "no",
  spoilt: "spoilt",
  spoiled: "spoilt",
  spoilt_or_invalid: "spoilt",
  spoiled_or_invalid: "spoilt",
  invalid: "spoilt",
};

function questionOf(text: string): QuestionKind | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[^a-z]+/g, " ")
    .trim();
  if (t === "strike" || t === "strike action") return "strike";
  if (/^(industrial )?action short of (a )?strike$/.test(t) || t === "asos") return "action_short_of_strike";
  return null;
}

export function parseScrutineerResult(
  text: string,
  file: string,
): { result: ScrutineerResult | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (line: number, field: string, code: string, message: string) =>
    problems.push({ file, line, field, code, message });
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    problem(1, "file", "csv.invalid", e instanceof Error ? e.message : String(e));
    return { result: null, problems };
  }
  const header = (records[0] ?? []).map(
    (h) =>
      HEADERS[
        h
          .toLowerCase()
          .replace(/[^a-z]+/g, "_")
          .replace(/^_|_$/g, "")
      ],
  );
  for (const need of ["question", "votes_cast", "yes", "no"] as const) {
    if (!header.includes(need))
      problem(
        1,
        need,
        "header.missing",
        `No "${need}" column; the header must name question, votes_cast, yes, no (and spoilt).`,
      );
  }
  if (problems.length) return { result: null, problems };
  const col = (row: string[], name: string) => row[header.indexOf(name as never)] ?? "";
  const votes = new Set<number>();
  const questions: ScrutineerResult["questions"] = [];
  records.slice(1).forEach((row, i) => {
    const line = i + 2;
    const question = questionOf(col(row, "question"));
    if (!question)
      problem(
        line,
        "question",
        "question.unknown",
        `"${col(row, "question")}" is not "strike" or "action short of a strike".`,
      );
    const num = (field: string, optional = false) => {
      const raw = col(row, field).replace(/,/g, "");
      if (optional && raw === "") return null;
      if (!/^\d+$/.test(raw)) {
        problem(line, field, "number.invalid", `"${col(row, field)}" is not a whole number.`);
        return 0;
      }
      return Number(raw);
    };
    const votesCast = num("votes_cast") ?? 0;
    const yes = num("yes") ?? 0;
    const no = num("no") ?? 0;
    const spoilt = header.includes("spoilt") ? num("spoilt", true) : null;
    votes.add(votesCast);
    if (question) {
      if (questions.some((q) => q.question === question))
        problem(line, "question", "question.repeated", "This question is given twice.");
      questions.push({ question, yes, no, spoilt: spoilt ?? votesCast - yes - no });
    }
  });
  if (records.length < 2) problem(2, "question", "rows.missing", "No result rows after the header.");
  if (votes.size > 1) {
    problem(
      2,
      "votes_cast",
      "votes_cast.differs",
      "Every row must give the same number of papers returned (votes cast counts every paper, spoilt ones included).",
    );
  }
  if (problems.length) return { result: null, problems };
  return { result: { votesCast: [...votes][0]!, questions }, problems };
}
