import { type Command, Option } from "commander";
import { listCommencements, recordCommencement, SWITCH_IDS } from "../../settings/law-commencements.js";
import { AppError } from "../../shared/errors.js";
import { isoDate } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

/**
 * `mandate law commencements`: the union's commencement dates for changes in the law. Added to the
 * `law` group of the full command line only: it reads and records the union's settings in the database.
 */
export function addLawCommencementsCommands(law: Command, cli: Cli): void {
  law
    .command("commencements")
    .description(
      "the union's commencement dates for changes in the law (decision 0013); --set records one, audited",
    )
    .addOption(new Option("--set <switch>", "the change to record").choices(SWITCH_IDS))
    .option("--date <date>", "the day it commences (YYYY-MM-DD); with --off, not in force", isoDate("date"))
    .option("--off", "record that the change is not in force")
    .option("--source <text>", "the legal source: the commencement order, or the advice relied on")
    .action((opts: { set?: string; date?: string; off?: boolean; source?: string }) =>
      cli.withContext(async (ctx, _open, out) => {
        if (opts.set && !opts.date && !opts.off) {
          throw new AppError("cli.usage", "Give --date YYYY-MM-DD, or --off for not in force.");
        }
        const list = opts.set
          ? await recordCommencement(ctx, opts.set, {
              commencedOn: opts.off ? null : (opts.date ?? null),
              source: opts.source ?? "",
            })
          : await listCommencements(ctx);
        out.result(list, () =>
          table(
            list.map((c) => ({
              switch: c.id,
              title: c.title,
              "in force from": c.recorded ? (c.recorded.commencedOn ?? "not in force") : "not set (off)",
              source: c.recorded?.source ?? c.citation,
            })),
          ),
        );
      }),
    );
}
