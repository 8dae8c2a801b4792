import { Command, CommanderError } from "commander";
import { AppError } from "../shared/errors.js";
import { makeCli } from "./cli-context.js";
import { addAuditCommands } from "./commands/audit.js";
import { addBallotsCommands } from "./commands/ballots.js";
import { addDbCommands } from "./commands/db.js";
import { addDemoCommands } from "./commands/demo.js";
import { addLawCommands } from "./commands/law.js";
import { addLawCommencementsCommands } from "./commands/law-commencements.js";
import { addMembersCommands } from "./commands/members.js";
import { addPartnersCommands } from "./commands/partners.js";
import { addRegisterCommands } from "./commands/register.js";
import { addStartCommands } from "./commands/start.js";
import { addUsersCommands } from "./commands/users.js";
import { addWorkerCommands } from "./commands/worker.js";
import { reportFailure } from "./output.js";

/** The `mandate` command line: one file per command group under ./commands, wired here. */
const program = new Command("mandate")
  .description("Mandate: membership by employer, statutory ballots, notices and turnout for trade unions.")
  .option("--json", "machine-readable output")
  .option("--union <slug>", "the union to act on (default: the first union)")
  .showHelpAfterError()
  .exitOverride();
const cli = makeCli(program);
addStartCommands(program, cli);
addWorkerCommands(program, cli);
addDbCommands(program, cli);
addDemoCommands(program, cli);
addUsersCommands(program, cli);
addRegisterCommands(program, cli);
addBallotsCommands(program, cli);
addPartnersCommands(program, cli);
addMembersCommands(program, cli);
addLawCommencementsCommands(addLawCommands(program, cli.json), cli);
addAuditCommands(program, cli);

export async function runCli(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.help" ||
        e.code === "commander.version"
      )
        return 0;
      return reportFailure(
        new AppError("cli.usage", e.message.replace(/^error: /, "")),
        argv.includes("--json"),
      );
    }
    return reportFailure(e, argv.includes("--json"));
  }
}
