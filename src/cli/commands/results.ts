import path from "node:path";
import type { Command } from "commander";
import { importDisputeResults } from "../../results/index.js";
import { isoDate, positiveInt } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";
import { addResultsEvaluateCommand, readReportFile } from "./results-evaluate.js";

/** `mandate results ...`: scrutineers' reports as published. */
export function addResultsCommands(program: Command, cli: Cli): void {
  const results = program
    .command("results")
    .description("scrutineers' result reports as published (CSV or .xlsx)");
  addResultsEvaluateCommand(results, cli.json, cli.deps);
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
