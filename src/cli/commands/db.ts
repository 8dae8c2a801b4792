import type { Command } from "commander";
import { migrateToLatest } from "../../db/migrate.js";
import type { Cli } from "../cli-context.js";

/** `mandate db ...`: database housekeeping. */
export function addDbCommands(program: Command, cli: Cli): void {
  const db = program.command("db").description("database housekeeping");
  db.command("migrate")
    .description("bring the database schema up to date")
    .action(async () => {
      const out = cli.output();
      const open = await cli.deps.connect(cli.deps.config());
      try {
        const result = await migrateToLatest(open.db);
        out.result({ ...result, database: open.location }, () =>
          result.applied.length ? `Applied: ${result.applied.join(", ")}` : "The schema is up to date.",
        );
      } finally {
        await open.close();
      }
    });
}
