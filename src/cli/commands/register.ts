import fs from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import { jobHandlers } from "../../job-handlers.js";
import { queueRegisterImport } from "../../registers/register-import.job.js";
import type { RegisterImportResult } from "../../registers/register-import.service.js";
import { AppError } from "../../shared/errors.js";
import { formatProblem } from "../../shared/problems.js";
import { type Cli, uploadDirOf } from "../cli-context.js";
import { runJobWithProgress } from "../jobs.js";
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
    .option("--detach", "queue the import and print its job id: `mandate start` or `mandate worker` runs it")
    .action((file: string, opts: { format: "ods" | "gias" | "la" | "csv"; detach?: boolean }) =>
      cli.withContext(async (ctx, _open, out) => {
        if (!fs.existsSync(file)) throw new AppError("cli.usage", `No such file: ${file}`);
        // A job of the queue, as from the web app: loaded in steps, a run killed half-way resumes.
        const queued = await queueRegisterImport(ctx, {
          format: opts.format,
          file: path.basename(file),
          path: file,
          upload: false,
        });
        if (opts.detach) {
          out.result({ job: queued.id, state: queued.state }, () =>
            [
              `Queued as job ${queued.id}.`,
              "`mandate start` or `mandate worker` runs it; follow it in the web app's Jobs screen.",
            ].join("\n"),
          );
          return;
        }
        const ended = await runJobWithProgress(
          ctx,
          out,
          queued.id,
          "Records",
          jobHandlers({ uploadDir: uploadDirOf(cli.deps.config()) }),
        );
        const result = ended.result as RegisterImportResult;
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
