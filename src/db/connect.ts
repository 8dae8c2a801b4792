import fs from "node:fs";
import path from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { registerEmbedded, registerServerClient } from "./copy.js";
import type { Database } from "./database.js";
import { lockDataFolder } from "./folder-lock.js";

/** SQL `date` stays a "YYYY-MM-DD" string; 64-bit counts become numbers. */
const DATE_OID = 1082;
const INT8_OID = 20;

export type Backend = "pglite" | "postgres";

export interface OpenDatabase {
  db: Kysely<Database>;
  backend: Backend;
  /** Where the data lives, for messages: a folder or a server URL without password. */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl: string | null;
  dataDir?: string | null;
  /** Restore the embedded database from a dump (tests start from a migrated template). */
  loadDataDir?: Blob | File;
  poolSize?: number;
  /** What this process is, for the message a second process gets (the embedded folder is locked to one). */
  command?: string;
}

export async function connect(options: ConnectOptions): Promise<OpenDatabase> {
  if (options.databaseUrl) return connectServer(options.databaseUrl, options.poolSize ?? 10);
  return connectEmbedded(options.dataDir ?? null, options.loadDataDir, options.command);
}

async function connectServer(url: string, poolSize: number): Promise<OpenDatabase> {
  const types = {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === DATE_OID) return (v: string) => v;
      if (oid === INT8_OID) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as pg.CustomTypesConfig });
  // An idle connection closed by the server (restart, admin) must not crash the process; the pool replaces it.
  pool.on("error", (e) => process.emitWarning(`PostgreSQL connection lost: ${e.message}`));
  // Registered so a transaction can reach its own connection for COPY (copy.ts).
  pool.on("connect", (client) => registerServerClient(client, true));
  pool.on("remove", (client) => registerServerClient(client, false));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: "postgres",
    location: redactUrl(url),
    close: () => db.destroy(),
  };
}

async function connectEmbedded(
  dataDir: string | null,
  loadDataDir?: Blob | File,
  command = "a Mandate process",
): Promise<OpenDatabase> {
  let unlock = () => {};
  if (dataDir) {
    fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
    unlock = lockDataFolder(dataDir, command);
    fs.mkdirSync(dataDir, { recursive: true });
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      parsers: { [DATE_OID]: (v: string) => v },
    });
  } catch (e) {
    unlock();
    throw e;
  }
  // The open transaction is kept where COPY can reach it (copy.ts): Kysely's dialect holds it privately,
  // and a statement sent to the instance outside it would wait for the transaction to end.
  const current: { tx: Transaction | null } = { tx: null };
  const tracked = new Proxy(pglite, {
    get(target, prop) {
      if (prop === "transaction") {
        return <T>(fn: (tx: Transaction) => Promise<T>) =>
          target.transaction(async (tx) => {
            current.tx = tx;
            try {
              return await fn(tx);
            } finally {
              current.tx = null;
            }
          });
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const copy = registerEmbedded(pglite, current);
  await pglite.query("select set_config('mandate.connection', $1, false)", [copy.key]);
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: tracked }) });
  return {
    db,
    backend: "pglite",
    location: dataDir ?? "memory",
    close: async () => {
      copy.release();
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres";
  }
}

/** One round trip to the database, for the health check. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
