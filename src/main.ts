import path from "node:path";
import { fileURLToPath } from "node:url";
import { attachAuditAnchor, checkAuditKey, closeAuditAnchor, resolveAuditAnchor } from "./audit/anchor.js";
import type { Actor } from "./auth/permissions.js";
import type { Config } from "./config.js";
import { connect, type OpenDatabase } from "./db/connect.js";
import { migrateToLatest } from "./db/migrate.js";
import { systemClock } from "./shared/clock.js";
import { AppError } from "./shared/errors.js";

/** The package root (where package.json is), whatever the working directory. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WEB_DIST = path.join(PACKAGE_ROOT, "dist", "web");

/**
 * Opens the configured database, brings its schema up to date and attaches
 * the audit anchor (key and checkpoints): every command starts here. Closing
 * writes a last checkpoint of the audit chain's head.
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir" | "auditKey" | "auditDir" | "auditDirSet">,
  command = commandOfThisProcess(),
): Promise<OpenDatabase> {
  // A server is shared by processes started from anywhere: a key file made afresh in each one's
  // working directory would key the chain with a different key each time, breaking it for good.
  if (config.databaseUrl && !config.auditKey && !config.auditDirSet) {
    throw new AppError(
      "audit.key_not_configured",
      "With DATABASE_URL, set MANDATE_AUDIT_KEY (64 hex digits) or MANDATE_AUDIT_DIR (a folder kept outside " +
        "the database, the same for every process), so that every Mandate process uses the same audit key.",
    );
  }
  const anchor = resolveAuditAnchor(config);
  const open = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command });
  try {
    await migrateToLatest(open.db);
    attachAuditAnchor(open.db, anchor);
    await checkAuditKey(open.db);
  } catch (e) {
    await open.close();
    throw e;
  }
  return {
    ...open,
    close: async () => {
      await closeAuditAnchor(open.db, systemClock.now());
      await open.close();
    },
  };
}

/**
 * "mandate users add" for this process: the command's words, never its option
 * values (a password may be among them). Named in the message a second process
 * gets when the embedded database is in use.
 */
export function commandOfThisProcess(argv = process.argv): string {
  const words: string[] = [];
  const args = argv.slice(2);
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("-")) words.push(arg);
    else if (words.length) break;
    else if (arg === "--union") i++; // the global option's value
  }
  return words.length ? `mandate ${words.join(" ")}` : path.basename(argv[1] ?? "node");
}

/** The union single-union commands act on: the one named, or the first (the default union of a fresh database). */
export { resolveUnionId } from "./org/index.js";

/** The command line acts as a national officer of the union for the operator at the keyboard. */
export function cliActor(unionId: number, label: string): Actor {
  return {
    kind: "system",
    userId: null,
    unionId,
    role: "national",
    label,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
}
