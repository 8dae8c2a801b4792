/**
 * `mandate results evaluate`: needs no database, so bin/mandate.js runs it through runResultsCli
 * without loading the rest of the application. It imports the reader's files directly (the command
 * line is a composition root), not results/index.ts, which brings the ballots in.
 */
import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { RESULT_LIMITS } from "../../results/grid.js";
import { evaluateReport } from "../../results/report.js";
import type { ResultsReport } from "../../results/verdicts.js";
import { AppError } from "../../shared/errors.js";
import { formatProblem } from "../../shared/problems.js";
import { isoDate } from "../args.js";
import { type CliIo, makeOutput, reportFailure, table } from "../output.js";

const SHORT_HELP = `
votes_short, for each test that applies to the constituency (0 when met, null when the report's
figures cannot tell):
  turnout                       votes needed for the turnout threshold less the votes cast
  majority                      No - Yes + 1: the further Yes answers needed for more Yes than No
  important_public_services_40  40% of those entitled less the Yes answers (only with
                                --important-public-services, or a section of the report headed as
                                requiring 40%; regime B; never in Northern Ireland)
Northern Ireland (the TULR(NI) Order 1995: no turnout or 40% test) where the report's sheet,
section heading or the constituency's name says so ("Northern Ireland", "NI", "not requiring a
50% turnout"); otherwise Great Britain. mandate is null where a figure the verdict depends on is
left out (a count given only as a percentage is never turned into a count; a printed percentage
decides a test only where no rounding of it could: 51% turnout is met, 50% is unknown). Warnings (rows left
out, figures missing) go to standard error. Exit code 1 for a file that cannot be used, 2 for a
wrong command line.`;

/** The file's bytes, refused before reading when larger than the cap. */
export function readReportFile(file: string): Uint8Array {
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

/** `results evaluate` under the given `results` command group. */
export function addResultsEvaluateCommand(results: Command, json: () => boolean, io: CliIo = process): void {
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
        const out = makeOutput(json(), io);
        const { report, warnings } = await evaluateReport(readReportFile(file), path.basename(file), {
          openingDate: opts.openingDate,
          importantPublicServices: opts.importantPublicServices === true,
          walesDevolved: opts.walesDevolved === true,
        });
        for (const w of warnings) io.stderr.write(`warning: ${formatProblem(w)}\n`);
        out.result(report, () => reportText(report));
      },
    );
}

/** `mandate results evaluate` alone, with the same options and exit codes as the full command line. */
export async function runResultsCli(argv: string[], io: CliIo = process): Promise<number> {
  const program = new Command("mandate")
    .option("--json", "machine-readable output")
    .option("--union <slug>", "the union to act on (not used by results evaluate)")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  const results = program.command("results").description("scrutineers' result reports as published");
  addResultsEvaluateCommand(results, () => program.opts().json === true, io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.help") return 0;
      return reportFailure(
        new AppError("cli.usage", e.message.replace(/^error: /, "")),
        argv.includes("--json"),
        io,
      );
    }
    return reportFailure(e, argv.includes("--json"), io);
  }
}
