import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";

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
}

export async function connect(options: ConnectOptions): Promise<OpenDatabase> {
  if (options.databaseUrl) return connectServer(options.databaseUrl, options.poolSize ?? 10);
  return connectEmbedded(options.dataDir ?? null, options.loadDataDir);
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: "postgres",
    location: redactUrl(url),
    close: () => db.destroy(),
  };
}

async function connectEmbedded(dataDir: string | null, loadDataDir?: Blob | File): Promise<OpenDatabase> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: { [DATE_OID]: (v: string) => v },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    backend: "pglite",
    location: dataDir ?? "memory",
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
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
