/**
 * A published result report, read whole: the grid (grid.ts), what it means (layout.ts) and the verdicts
 * (verdicts.ts). Pure but for nothing: the caller gives the bytes. A file that cannot be used throws
 * AppError "results.file_invalid" listing its problems by file, sheet, line and field.
 */
import { AppError } from "../shared/errors.js";
import { formatProblem, type Problem } from "../shared/problems.js";
import { GridError, readGrid } from "./grid.js";
import { type ReportRow, readLayout } from "./layout.js";
import { type ResultsReport, reportVerdicts, type VerdictOptions } from "./verdicts.js";

/** The most problems a refusal lists. */
const SHOWN_PROBLEMS = 50;

export function refuse(problems: Problem[]): never {
  const first = problems.slice(0, 5).map(formatProblem);
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
  const code = problems[0]?.code === "file.too_large" ? "results.file_too_large" : "results.file_invalid";
  throw new AppError(code, `${first.join("; ")}${more}`, { problems: problems.slice(0, SHOWN_PROBLEMS) });
}

/** The rows of a report (each constituency's figures per question), or a refusal. */
export async function readReportRows(
  bytes: Uint8Array,
  file: string,
): Promise<{ rows: ReportRow[]; warnings: Problem[] }> {
  let sheets: Awaited<ReturnType<typeof readGrid>>;
  try {
    sheets = await readGrid(bytes, file);
  } catch (e) {
    if (e instanceof GridError) refuse([e.problem]);
    throw e;
  }
  const { rows, problems, warnings } = readLayout(sheets, file);
  if (problems.length) refuse(problems);
  if (rows.length === 0)
    refuse([
      {
        file,
        line: 1,
        field: "file",
        code: "results.none",
        message:
          'No results found: no table with Yes and No figures (a header naming them, e.g. Constituency, Entitled, Votes cast, Yes, No) and no scrutineer\'s figures ("Number of individuals answering Yes").',
      },
    ]);
  return { rows, warnings };
}

/** `mandate results evaluate`: every constituency's verdict per question. */
export async function evaluateReport(
  bytes: Uint8Array,
  file: string,
  options: VerdictOptions,
): Promise<{ report: ResultsReport; warnings: Problem[] }> {
  const { rows, warnings } = await readReportRows(bytes, file);
  const verdicts = reportVerdicts(rows, options, file);
  if (verdicts.problems.length) refuse(verdicts.problems);
  return { report: verdicts.report, warnings: [...warnings, ...verdicts.warnings] };
}
