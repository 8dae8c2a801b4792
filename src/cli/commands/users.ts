import { type Command, Option } from "commander";
import { ROLES } from "../../auth/permissions.js";
import { createUser } from "../../auth/users.service.js";
import { AppError } from "../../shared/errors.js";
import type { Cli } from "../cli-context.js";

/** `mandate users ...`: user accounts. */
export function addUsersCommands(program: Command, cli: Cli): void {
  const users = program.command("users").description("user accounts");
  users
    .command("add")
    .description("create a user with a role and scope")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--name <name>", "display name")
    .addOption(new Option("--role <role>", "role").choices([...ROLES]).makeOptionMandatory())
    .option("--password <password>", "password (default: $MANDATE_NEW_PASSWORD)")
    .option("--region <code...>", "region codes (regional officers)")
    .option("--sector <code...>", "sector codes (sector officers)")
    .option("--workplace <siteCode...>", "workplace site codes (workplace reps)")
    .action(
      (opts: {
        email: string;
        name: string;
        role: (typeof ROLES)[number];
        password?: string;
        region?: string[];
        sector?: string[];
        workplace?: string[];
      }) =>
        cli.withContext(async (ctx, _open, out) => {
          const password = opts.password ?? cli.deps.newPassword();
          if (!password) throw new AppError("cli.usage", "Give --password or set MANDATE_NEW_PASSWORD.");
          const created = await createUser(ctx, {
            email: opts.email,
            displayName: opts.name,
            password,
            role: opts.role,
            regionCodes: opts.region ?? [],
            sectorCodes: opts.sector ?? [],
            workplaceCodes: opts.workplace ?? [],
          });
          out.result(
            { id: created.id, email: opts.email.toLowerCase(), role: opts.role },
            () => `Created user ${created.id} (${opts.email}, ${opts.role}).`,
          );
        }),
    );
}
