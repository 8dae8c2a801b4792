import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import {
  evaluateReport,
  importDisputeResults,
  RESULT_LIMITS,
  type ResultsReport,
} from "../../results/index.js";
import { AppError } from "../../shared/errors.js";
import { formatProblem } from "../../shared/problems.js";
import { isoDate, positiveInt } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

const SHORT_HELP = `
votes_short, for each test that applies to the constituency (0 when met, null when the report's
figures cannot tell):
  turnout                       votes needed for the turnout threshold less the votes cast
  majority                      No - Yes + 1: the further Yes answers needed for more Yes than No
  important_public_services_40  40% of those entitled less the Yes answers (only with
                                --important-public-services, or a section of the report headed as
                                requiring 40%; never in Northern Ireland)
Northern Ireland (the TULR(NI) Order 1995: no turnout or 40% test) where the report's sheet,
section heading or the constituency's name says so ("Northern Ireland", "NI", "not requiring a
50% turnout"); otherwise Great Britain. mandate is null where a figure the verdict depends on is
left out (a count given only as a percentage is never turned into a count).`;

/** The file's bytes, refused before reading when larger than the cap. */
function readReportFile(file: string): Uint8Array {
  const name = path.basename(file);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new AppError("results.file_invalid", `${name}: no such file.`, {});
  }
  if (size > RESULT_LIMITS.fileBytes)
    throw new AppError(
      "results.file_too_large",
      `${name}: the file is larger than ${RESULT_LIMITS.fileBytes / 1024 / 1024} MB; a result report is far smaller.`,
      {},
    );
  return fs.readFileSync(file);
}

function reportText(report: ResultsReport): string {
  return report.questions
    .map((q) =>
      [
        q.question,
        table(
          q.constituencies.map((c) => ({
            constituency: c.name,
            law: c.jurisdiction === "ni" ? "NI Order" : "GB",
            entitled: c.entitled ?? "-",
            votes_cast: c.votes_cast ?? "-",
            yes: c.yes ?? "-",
            no: c.no ?? "-",
            verdict: c.mandate === null ? "UNKNOWN" : c.mandate ? "MANDATE" : "NO MANDATE",
            votes_short: Object.entries(c.votes_short)
              .filter(([, v]) => v !== 0)
              .map(([k, v]) => `${k} ${v ?? "?"}`)
              .join(", "),
          })),
        ),
      ].join("\n"),
    )
    .join("\n\n");
}

/** `mandate results ...`: scrutineers' reports as published. */
export function addResultsCommands(program: Command, cli: Cli): void {
  const results = program
    .command("results")
    .description("scrutineers' result reports as published (CSV or .xlsx)");
  results
    .command("evaluate")
    .description("the verdict per question and constituency of a result report, under the law in force")
    .argument("<file>", "the report: CSV or .xlsx, as the scrutineer or union published it")
    .requiredOption(
      "--opening-date <date>",
      "first day voting papers were sent (YYYY-MM-DD)",
      isoDate("opening-date"),
    )
    .option(
      "--important-public-services",
      "the 40% Yes test applies to every Great Britain constituency (most of those entitled normally work in important public services)",
    )
    .option("--wales-devolved", "the employers are devolved Welsh public authorities")
    .addHelpText("after", SHORT_HELP)
    .action(
      async (
        file: string,
        opts: { openingDate: string; importantPublicServices?: boolean; walesDevolved?: boolean },
      ) => {
        const out = cli.output();
        const { report, warnings } = await evaluateReport(readReportFile(file), path.basename(file), {
          openingDate: opts.openingDate,
          importantPublicServices: opts.importantPublicServices === true,
          walesDevolved: opts.walesDevolved === true,
        });
        for (const w of warnings) cli.deps.stderr.write(`warning: ${formatProblem(w)}\n`);
        out.result(report, () => reportText(report));
      },
    );
  results
    .command("import")
    .description(
      "record the result of every ballot of a dispute from one report, matching its constituencies by name (refused whole if any is unmatched)",
    )
    .argument("<file>", "the report: CSV or .xlsx")
    .requiredOption("--dispute <id>", "the dispute", positiveInt("dispute"))
    .requiredOption(
      "--declared-on <date>",
      "the day the result was declared (YYYY-MM-DD)",
      isoDate("declared-on"),
    )
    .action((file: string, opts: { dispute: number; declaredOn: string }) =>
      cli.withContext(async (ctx, _open, out) => {
        const bytes = readReportFile(file);
        const imported = await importDisputeResults(ctx, opts.dispute, {
          filename: path.basename(file),
          bytes,
          declaredOn: opts.declaredOn,
        });
        out.result(imported, () =>
          table(
            imported.ballots.map((b) => ({
              ballot: b.ballotId,
              constituency: b.name,
              votes_cast: b.votesCast,
              verdict: b.mandate ? "MANDATE" : "NO MANDATE",
            })),
          ),
        );
      }),
    );
}
