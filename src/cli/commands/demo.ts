import { type Command, Option } from "commander";
import { unionIsEmpty } from "../../demo/demo.seed.js";
import { writeMessyExport } from "../../demo/messy-export.service.js";
import { AppError } from "../../shared/errors.js";
import { positiveInt } from "../args.js";
import {
  type Cli,
  DEFAULT_DEMO_MEMBERS,
  DEFAULT_DEMO_SEED,
  demoLoginsText,
  seedWithProgress,
} from "../cli-context.js";

/** `mandate demo ...`: demonstration data. */
export function addDemoCommands(program: Command, cli: Cli): void {
  const demo = program.command("demo").description("demonstration data");
  demo
    .command("seed")
    .description("load a generated demo union into an empty database")
    .addOption(
      new Option("--members <n>", "members to generate")
        .default(DEFAULT_DEMO_MEMBERS)
        .argParser(positiveInt("members")),
    )
    .addOption(
      new Option("--seed <s>", "random seed").default(DEFAULT_DEMO_SEED).argParser(positiveInt("seed")),
    )
    .action((opts: { members: number; seed: number }) =>
      cli.withContext(async (ctx, _open, out) => {
        if (!(await unionIsEmpty(ctx.db, ctx.actor.unionId))) {
          throw new AppError(
            "cli.usage",
            "The union already has data; the demo is only loaded into an empty union (use a fresh MANDATE_DATA_DIR).",
          );
        }
        const result = await seedWithProgress(ctx, out, opts.members, opts.seed);
        out.result(result, () =>
          [
            `Loaded ${result.unionName}: ${result.regions} regions, ${result.employers} employers, ${result.workplaces} workplaces, ${result.members} members.`,
            demoLoginsText(result.users),
          ].join("\n"),
        );
      }),
    );

  demo
    .command("members")
    .description("write a messy membership export and its ground truth over the registers in the database")
    .addOption(new Option("--rows <n>", "rows to write").default(100_000).argParser(positiveInt("rows")))
    .addOption(new Option("--seed <s>", "random seed").default(1).argParser(positiveInt("seed")))
    .requiredOption("--out <dir>", "folder for members.csv and truth.csv")
    .action((opts: { rows: number; seed: number; out: string }) =>
      cli.withContext(async (ctx, _open, out) => {
        const result = await writeMessyExport(ctx, { rows: opts.rows, seed: opts.seed, outDir: opts.out });
        out.result(
          result,
          () =>
            `Wrote ${result.rows.toLocaleString("en-GB")} rows to ${result.members}, ground truth in ${result.truth}.`,
        );
      }),
    );
}
