import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { attachAuditAnchor, closeAuditAnchor, resolveAuditAnchor } from "../../src/audit/anchor.js";
import type { CliDeps } from "../../src/cli/cli-context.js";
import { runCli } from "../../src/cli/main.js";
import { type Config, loadConfig } from "../../src/config.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import type { Clock } from "../../src/shared/clock.js";
import { type Backend, createTestDb } from "./db.js";
import { CLOCK } from "./fixtures.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `mandate` command line run in the test's own process, on one test database shared by the
 * file's commands, as a user types it (same parsing, output and exit codes as bin/mandate.js),
 * without the seconds a new process and a fresh embedded database cost each time.
 */
export interface TestCli {
  run(...args: string[]): Promise<CliRun>;
  /** The same with some of what the command line runs with replaced (another database, say). */
  runWith(over: Partial<CliDeps>, ...args: string[]): Promise<CliRun>;
  open: OpenDatabase;
  config: Config;
  /** The folder standing for the data folder's parent: uploads, audit key, checkpoints. */
  dir: string;
  close(): Promise<void>;
}

export async function createTestCli(
  options: { backend?: Backend; clock?: Clock; newPassword?: string } = {},
): Promise<TestCli> {
  const clock = options.clock ?? CLOCK;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-cli-"));
  const config = loadConfig({ MANDATE_DATA_DIR: path.join(dir, "db") }, dir);
  const open = await createTestDb(options.backend ?? "pglite");
  // The audit key and checkpoints in the audit folder beside the data folder, as a real process keeps them.
  attachAuditAnchor(open.db, resolveAuditAnchor(config));
  const runWith = async (over: Partial<CliDeps>, ...args: string[]): Promise<CliRun> => {
    let stdout = "";
    let stderr = "";
    const deps: CliDeps = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      clock,
      config: () => config,
      // A process closes its database at the end of each command, writing a last checkpoint.
      openDatabase: async () => ({ ...open, close: () => closeAuditAnchor(open.db, clock.now()) }),
      connect: async () => ({ ...open, close: async () => {} }),
      operator: () => "test",
      newPassword: () => options.newPassword,
      ...over,
    };
    const code = await runCli(["node", "mandate", ...args], deps);
    return { code, stdout, stderr };
  };
  return {
    open,
    config,
    dir,
    run: (...args) => runWith({}, ...args),
    runWith,
    async close() {
      await open.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
