import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { DEMO_PASSWORD } from "../demo/demo.generate.js";
import { seedDemo } from "../demo/demo.seed.js";
import { cliActor, openDatabase, resolveUnionId } from "../main.js";
import { systemClock } from "../shared/clock.js";
import { makeOutput, type Output, table } from "./output.js";

export const DEFAULT_DEMO_MEMBERS = 50_000;
export const DEFAULT_DEMO_SEED = 2011;

/** What every command group gets from the command line: the global options and a database context. */
export interface Cli {
  /** --json was given. */
  json(): boolean;
  /** --union, when given. */
  union(): string | undefined;
  output(): Output;
  /** Opens the database (migrating it), builds the command's context, runs, and always closes. */
  withContext<T>(fn: (ctx: Ctx, open: OpenDatabase, out: Output) => Promise<T>): Promise<T>;
}

export function makeCli(program: Command): Cli {
  const globals = (): { json?: boolean; union?: string } => program.opts();
  const cli: Cli = {
    json: () => globals().json === true,
    union: () => globals().union,
    output: () => makeOutput(cli.json()),
    async withContext(fn) {
      const out = cli.output();
      const open = await openDatabase(loadConfig());
      try {
        const unionId = await resolveUnionId(open.db, cli.union());
        const ctx: Ctx = {
          db: open.db,
          actor: cliActor(unionId, `cli:${os.userInfo().username}`),
          clock: systemClock,
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
