/**
 * `mandate law ...`: the statutory rules and the threshold verdict. They need
 * no database, so bin/mandate.js runs them through runLawCli without loading
 * the rest of the application (a verdict in a fraction of a second).
 */
import { Command, CommanderError, Option } from "commander";
import {
  type Evaluation,
  evaluateBallot,
  type Jurisdiction,
  lawAt,
  type QuestionKind,
} from "../../law/index.js";
import { AppError } from "../../shared/errors.js";
import { isoDate, positiveInt } from "../args.js";
import { type CliIo, makeOutput, reportFailure } from "../output.js";

function evaluationText(e: Evaluation): string {
  const yesNo = (met: boolean) => (met ? "met" : "NOT MET");
  const lines = [
    `Regime ${e.regime} (${e.regimeName}), opening ${e.openingDate}`,
    ...e.commencements.map(
      (c) =>
        `Commencement recorded by the union: ${c.title} from ${c.commencedOn ?? "(not in force)"} [${c.source}]`,
    ),
    `Verdict: ${e.mandate ? `MANDATE for ${e.mandateFor.join(" and ").replaceAll("_", " ")}` : "NO MANDATE"}`,
    "",
    ...e.tests.map(
      (t) =>
        `  ${t.name}${t.question ? ` (${t.question.replaceAll("_", " ")})` : ""}: ${yesNo(t.met)}  ${Object.entries(
          t.figures,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}  [${t.citation}]`,
    ),
    ...e.notApplicable.map((n) => `  ${n.name}: not applicable: ${n.reason} [${n.citation}]`),
    "",
    `Mandate period: ${e.mandatePeriod.rule}${e.mandatePeriod.lastDay ? ` Last day: ${e.mandatePeriod.lastDay}.` : ""}`,
  ];
  if (e.legalReview.length) {
    lines.push("", "NEEDS LEGAL REVIEW:", ...e.legalReview.map((r) => `  - ${r.rule}: ${r.reason}`));
  }
  return lines.join("\n");
}

/** The `law` command group; the full command line adds `law commencements`, which needs the database. */
export function addLawCommands(program: Command, json: () => boolean, io: CliIo = process): Command {
  const law = program.command("law").description("the statutory rules for ballots, by date");
  law
    .command("evaluate")
    .description("does a ballot result give a mandate? The tests of the regime in force on the opening day")
    .requiredOption(
      "--opening-date <date>",
      "first day voting papers were sent (YYYY-MM-DD)",
      isoDate("opening-date"),
    )
    .option(
      "--closing-date <date>",
      "last day votes could be cast, to date the mandate",
      isoDate("closing-date"),
    )
    .requiredOption("--entitled <n>", "members entitled to vote", positiveInt("entitled"))
    .requiredOption("--votes-cast <n>", "papers returned, spoilt ones included", positiveInt("votes-cast"))
    .requiredOption("--yes <n>", "Yes answers", positiveInt("yes"))
    .requiredOption("--no <n>", "No answers", positiveInt("no"))
    .option("--spoilt <n>", "of the votes cast, how many were spoilt or invalid", positiveInt("spoilt"))
    .addOption(
      new Option("--question <kind>", "the question")
        .choices(["strike", "action_short_of_strike"])
        .default("strike"),
    )
    .option(
      "--important-public-services",
      "most of those entitled normally work in important public services",
    )
    .option("--wales-devolved", "the employer is a devolved Welsh public authority")
    .addOption(
      new Option(
        "--jurisdiction <j>",
        "gb: TULRCA 1992; ni: the Trade Union and Labour Relations (NI) Order 1995",
      )
        .choices(["gb", "ni"])
        .default("gb"),
    )
    .action(
      (opts: {
        openingDate: string;
        closingDate?: string;
        entitled: number;
        votesCast: number;
        yes: number;
        no: number;
        spoilt?: number;
        question: QuestionKind;
        importantPublicServices?: boolean;
        walesDevolved?: boolean;
        jurisdiction: Jurisdiction;
      }) => {
        const out = makeOutput(json(), io);
        const evaluation = evaluateBallot({
          openingDate: opts.openingDate,
          closingDate: opts.closingDate ?? null,
          entitled: opts.entitled,
          votesCast: opts.votesCast,
          questions: [{ question: opts.question, yes: opts.yes, no: opts.no, spoilt: opts.spoilt ?? null }],
          importantPublicServices: opts.importantPublicServices === true,
          walesDevolved: opts.walesDevolved === true,
          jurisdiction: opts.jurisdiction,
        });
        out.result(evaluation, () => evaluationText(evaluation));
      },
    );
  law
    .command("rules")
    .description("every rule in force on a date, with its citation")
    .requiredOption("--date <date>", "the date (YYYY-MM-DD)", isoDate("date"))
    .addOption(
      new Option(
        "--jurisdiction <j>",
        "gb: TULRCA 1992; ni: the Trade Union and Labour Relations (NI) Order 1995",
      )
        .choices(["gb", "ni"])
        .default("gb"),
    )
    .action((opts: { date: string; jurisdiction: Jurisdiction }) => {
      const out = makeOutput(json(), io);
      const result = lawAt(opts.date, {}, {}, opts.jurisdiction);
      out.result(result, () =>
        [
          `Regime ${result.regime.id} (${result.regime.name}) on ${result.date}`,
          ...result.rules.map(
            (r) =>
              `- ${r.title}: ${r.version ? `${r.version.summary} [${r.version.citation}]${r.version.unconfirmed ? " NEEDS LEGAL REVIEW" : ""}` : "(none)"}`,
          ),
          ...result.switches.map(
            (s) =>
              `- ${s.title}: ${s.inForce ? `in force from ${s.commencedOn}` : "not in force"} [${s.citation}]`,
          ),
        ].join("\n"),
      );
    });
  return law;
}

/** The law commands alone, with the same options and exit codes as the full command line. */
export async function runLawCli(argv: string[], io: CliIo = process): Promise<number> {
  const program = new Command("mandate")
    .option("--json", "machine-readable output")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  addLawCommands(program, () => program.opts().json === true, io);
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
