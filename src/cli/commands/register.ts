import fs from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import { importRegister } from "../../registers/register-import.service.js";
import { AppError } from "../../shared/errors.js";
import { formatProblem } from "../../shared/problems.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

/** `mandate register ...`: official registers. */
export function addRegisterCommands(program: Command, cli: Cli): void {
  const register = program.command("register").description("official registers of employers and workplaces");
  register
    .command("import")
    .description("load a register file (NHS ODS, DfE GIAS, local authorities, or a generic CSV)")
    .addOption(
      new Option("--format <format>", "file format")
        .choices(["ods", "gias", "la", "csv"])
        .makeOptionMandatory(),
    )
    .argument("<file>", "the register file")
    .action((file: string, opts: { format: "ods" | "gias" | "la" | "csv" }) =>
      cli.withContext(async (ctx, _open, out) => {
        if (!fs.existsSync(file)) throw new AppError("cli.usage", `No such file: ${file}`);
        const bytes = fs.readFileSync(file);
        const result = await importRegister(ctx, { format: opts.format, file: path.basename(file), bytes });
        out.result(result, () =>
          [
            `Loaded ${result.file} (${result.linesRead.toLocaleString("en-GB")} lines, import ${result.importId}).`,
            table([
              { "": "employers", ...result.employers },
              { "": "workplaces", ...result.workplaces },
            ]),
            `Aliases added: ${result.aliasesAdded}.`,
            result.problemsTotal
              ? `${result.problemsTotal} line(s) not used:\n${result.problems.slice(0, 20).map(formatProblem).join("\n")}${result.problemsTotal > 20 ? "\n..." : ""}`
              : "Every line was used.",
          ].join("\n"),
        );
      }),
    );
}
