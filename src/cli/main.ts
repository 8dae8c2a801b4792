import { Command, CommanderError } from "commander";
import { AppError } from "../shared/errors.js";
import { type Cli, type CliDeps, makeCli, processCliDeps } from "./cli-context.js";
import { addActionCommands } from "./commands/action.js";
import { addAuditCommands } from "./commands/audit.js";
import { addBallotsCommands } from "./commands/ballots.js";
import { addCoalitionCommands } from "./commands/coalition.js";
import { addCommsCommands } from "./commands/comms.js";
import { addDbCommands } from "./commands/db.js";
import { addDemoCommands } from "./commands/demo.js";
import { addLawCommands } from "./commands/law.js";
import { addLawCommencementsCommands } from "./commands/law-commencements.js";
import { addMembersCommands } from "./commands/members.js";
import { addPartnersCommands } from "./commands/partners.js";
import { addPlansCommands } from "./commands/plans.js";
import { addRegisterCommands } from "./commands/register.js";
import { addResultsCommands } from "./commands/results.js";
import { addStartCommands } from "./commands/start.js";
import { addTurnoutCommands } from "./commands/turnout.js";
import { addUsersCommands } from "./commands/users.js";
import { addWorkerCommands } from "./commands/worker.js";
import { reportFailure } from "./output.js";

/**
 * The `mandate` command line: one file per command group under ./commands, wired here. A fresh
 * program for each run, so that a test can run many command lines in one process.
 */
export function createProgram(deps: CliDeps): { program: Command; cli: Cli } {
  const program = new Command("mandate")
    .description("Mandate: membership by employer, statutory ballots, notices and turnout for trade unions.")
    .option("--json", "machine-readable output")
    .option("--union <slug>", "the union to act on (default: the first union)")
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
    .showHelpAfterError()
    .exitOverride();
  const cli = makeCli(program, deps);
  addStartCommands(program, cli);
  addWorkerCommands(program, cli);
  addDbCommands(program, cli);
  addDemoCommands(program, cli);
  addUsersCommands(program, cli);
  addRegisterCommands(program, cli);
  addBallotsCommands(program, cli);
  addPartnersCommands(program, cli);
  addMembersCommands(program, cli);
  addLawCommencementsCommands(addLawCommands(program, cli.json, deps), cli);
  addResultsCommands(program, cli);
  addAuditCommands(program, cli);
  addTurnoutCommands(program, cli);
  addCommsCommands(program, cli);
  addPlansCommands(program, cli);
  addCoalitionCommands(program, cli);
  addActionCommands(program, cli);
  return { program, cli };
}

/** Runs one command line (argv as process.argv: node, script, words...) and gives its exit code. */
export async function runCli(argv: string[], deps: CliDeps = processCliDeps(argv)): Promise<number> {
  const { program, cli } = createProgram(deps);
  const json = argv.includes("--json");
  try {
    await program.parseAsync(argv);
    return cli.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.help" ||
        e.code === "commander.version"
      )
        return 0;
      return reportFailure(new AppError("cli.usage", e.message.replace(/^error: /, "")), json, deps);
    }
    return reportFailure(e, json, deps);
  }
}
