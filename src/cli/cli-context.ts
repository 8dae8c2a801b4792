import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { type Config, loadConfig } from "../config.js";
import type { Ctx } from "../context.js";
import { connect, type OpenDatabase } from "../db/connect.js";
import { DEMO_PASSWORD } from "../demo/demo.generate.js";
import { seedDemo } from "../demo/demo.seed.js";
import { cliActor, commandOfThisProcess, openDatabase, resolveUnionId } from "../main.js";
import { type Clock, systemClock } from "../shared/clock.js";
import { type CliIo, makeOutput, type Output, table } from "./output.js";

export const DEFAULT_DEMO_MEMBERS = 50_000;
export const DEFAULT_DEMO_SEED = 2011;

/**
 * What the command line runs with. A process gets its own streams, environment, clock and
 * database (processCliDeps); tests run the same commands in their process with their own.
 */
export interface CliDeps extends CliIo {
  clock: Clock;
  config(): Config;
  /** The database migrated, with the audit anchor attached (src/main.ts openDatabase). */
  openDatabase(config: Config): Promise<OpenDatabase>;
  /** The database as it is, for `db migrate` to report what it applies. */
  connect(config: Config): Promise<OpenDatabase>;
  /** Who is at the keyboard, for the audit log's actor label. */
  operator(): string;
  /** The password `users add` uses when --password is not given. */
  newPassword(): string | undefined;
}

export function processCliDeps(argv: string[]): CliDeps {
  const command = commandOfThisProcess(argv);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    clock: systemClock,
    config: () => loadConfig(),
    openDatabase: (config) => openDatabase(config, command),
    connect: (config) => connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command }),
    operator: () => os.userInfo().username,
    newPassword: () => process.env.MANDATE_NEW_PASSWORD,
  };
}

/** What every command group gets from the command line: the global options and a database context. */
export interface Cli {
  deps: CliDeps;
  /** --json was given. */
  json(): boolean;
  /** --union, when given. */
  union(): string | undefined;
  output(): Output;
  /** Opens the database (migrating it), builds the command's context, runs, and always closes. */
  withContext<T>(fn: (ctx: Ctx, open: OpenDatabase, out: Output) => Promise<T>): Promise<T>;
  /** The exit code when the command ran but its answer is "no" (pre-flight blocked, chain broken). */
  exitCode: number;
}

export function makeCli(program: Command, deps: CliDeps): Cli {
  const globals = (): { json?: boolean; union?: string } => program.opts();
  const cli: Cli = {
    deps,
    exitCode: 0,
    json: () => globals().json === true,
    union: () => globals().union,
    output: () => makeOutput(cli.json(), deps),
    async withContext(fn) {
      const out = cli.output();
      const open = await deps.openDatabase(deps.config());
      try {
        const unionId = await resolveUnionId(open.db, cli.union());
        const ctx: Ctx = {
          db: open.db,
          actor: cliActor(unionId, `cli:${deps.operator()}`),
          clock: deps.clock,
        };
        return await fn(ctx, open, out);
      } finally {
        await open.close();
      }
    },
  };
  return cli;
}

export async function seedWithProgress(ctx: Ctx, out: Output, members: number, seed: number) {
  const bar = out.progress("Members", members);
  try {
    return await seedDemo(ctx, { members, seed, onProgress: (done) => bar.update(done) });
  } finally {
    bar.stop();
  }
}

export function demoLoginsText(users: { email: string; role: string; scope: string }[]): string {
  return `Demo sign-ins (password "${DEMO_PASSWORD}"):\n${table(users.map((u) => ({ email: u.email, role: u.role, scope: u.scope })))}`;
}

/** Where uploaded member files wait for their import job: beside the data folder. */
export function uploadDirOf(config: { dataDir: string }): string {
  return path.join(path.dirname(config.dataDir), "uploads");
}
