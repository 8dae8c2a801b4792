import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, sql } from "kysely";
import pg from "pg";
import { attachAuditAnchor, closeAuditAnchor } from "../../src/audit/anchor.js";
import { GENESIS_HASH, hashRow } from "../../src/audit/chain.js";
import { connect, type OpenDatabase } from "../../src/db/connect.js";
import { MIGRATION_NAMES, migrateToLatest } from "../../src/db/migrate.js";
import { sha256Hex } from "../../src/shared/hash.js";
import { CLOCK } from "./fixtures.js";

/**
 * Test databases on both back ends. PGlite starts from a migrated template
 * dump (initdb costs seconds; loading a dump well under one); the PostgreSQL
 * server gets a uniquely named database per test file, dropped afterwards.
 */
export type Backend = "pglite" | "postgres";

export const SERVER_URL =
  process.env.MANDATE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const REQUIRE_SERVER = process.env.MANDATE_REQUIRE_SERVER === "1";
const TEMPLATE_DIR = path.resolve(import.meta.dirname, "../../.mandate/test");

/** The template is keyed by the migrations' names and content, so any change rebuilds it. */
export function templatePath(): string {
  const dir = path.resolve(import.meta.dirname, "../../src/db/migrations");
  const content = MIGRATION_NAMES.map((name) => fs.readFileSync(path.join(dir, `${name}.ts`), "utf8")).join(
    "\n",
  );
  return path.join(TEMPLATE_DIR, `template-${sha256Hex(content).slice(0, 12)}.tar.gz`);
}

/** Creates the migrated PGlite template once (the test runner calls this before the files start). */
export async function ensurePgliteTemplate(): Promise<string> {
  const file = templatePath();
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(TEMPLATE_DIR, { recursive: true });
  const pglite = await PGlite.create();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir("gzip");
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  await db.destroy();
  return file;
}

let serverCheck: Promise<string | null> | null = null;

/** Null when the server answers, else why not. */
export function serverUnavailableReason(): Promise<string | null> {
  serverCheck ??= (async () => {
    const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return null;
    } catch (e) {
      return `PostgreSQL server not reachable at ${SERVER_URL}: ${(e as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return serverCheck;
}

/**
 * The back ends a suite runs on, each with a skip reason when it cannot run.
 * With MANDATE_REQUIRE_SERVER=1 a missing server is a failure, not a skip.
 */
export async function backends(): Promise<{ backend: Backend; skip: string | false }[]> {
  const reason = await serverUnavailableReason();
  if (reason && REQUIRE_SERVER) throw new Error(`${reason} (MANDATE_REQUIRE_SERVER=1)`);
  if (reason) console.log(`# skipping PostgreSQL server suites: ${reason}`);
  return [
    { backend: "pglite", skip: false },
    { backend: "postgres", skip: reason ?? false },
  ];
}

/**
 * A test database with its own audit key and checkpoints file (in a temp
 * folder removed on close), as src/main.ts gives a real one.
 */
export async function createTestDb(
  backend: Backend,
  options: { poolSize?: number } = {},
): Promise<OpenDatabase> {
  const open = await createBareTestDb(backend, options.poolSize);
  const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-audit-"));
  attachAuditAnchor(open.db, {
    key: randomBytes(32),
    checkpointsFile: path.join(auditDir, "checkpoints.jsonl"),
  });
  return {
    ...open,
    close: async () => {
      await closeAuditAnchor(open.db, CLOCK.now());
      await open.close();
      fs.rmSync(auditDir, { recursive: true, force: true });
    },
  };
}

const databaseUrl = (name: string) => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * Runs `work` on the server's admin database holding the test template's lock: one process at a time
 * builds the template, and no database is copied from it while it is being built.
 */
async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(hashtext('mandate test template'))");
    await ensureServerTemplate(admin);
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** The migrated template database on the server, named by the migrations as the PGlite dump is. */
const serverTemplate = () =>
  `mandate_template_${path.basename(templatePath(), ".tar.gz").slice("template-".length)}`;
let serverTemplateChecked = false;

/**
 * Each test database on the server is a copy of a migrated template (a copy takes a fraction of
 * running the migrations). Built once per set of migrations; templates of other migrations are dropped.
 */
async function ensureServerTemplate(admin: pg.Client): Promise<void> {
  if (serverTemplateChecked) return;
  const name = serverTemplate();
  const found = await admin.query(
    "select datname from pg_database where datname like 'mandate\\_template\\_%'",
  );
  if (!found.rows.some((r) => r.datname === name)) {
    const building = `${name}_${process.pid}`;
    await admin.query(`drop database if exists ${building}`);
    await admin.query(`create database ${building}`);
    const open = await connect({ databaseUrl: databaseUrl(building), poolSize: 1 });
    try {
      await migrateToLatest(open.db);
    } finally {
      await open.close();
    }
    await admin.query(`alter database ${building} rename to ${name}`);
  }
  for (const { datname } of found.rows) {
    if (datname !== name) await admin.query(`drop database if exists ${datname} with (force)`);
  }
  serverTemplateChecked = true;
}

async function createBareTestDb(backend: Backend, poolSize = 5): Promise<OpenDatabase> {
  if (backend === "pglite") {
    const file = await ensurePgliteTemplate();
    const blob = new Blob([fs.readFileSync(file)]);
    return connect({ databaseUrl: null, loadDataDir: blob });
  }
  const name = `mandate_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await asAdmin((admin) => admin.query(`create database ${name} template ${serverTemplate()}`));
  const open = await connect({ databaseUrl: databaseUrl(name), poolSize });
  return {
    ...open,
    close: async () => {
      await open.close();
      const drop = new pg.Client({ connectionString: SERVER_URL });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/** Lets a test rewrite an audit row as an attacker with database access would. */
export async function tamper(open: OpenDatabase, statement: string): Promise<void> {
  await sql.raw("alter table audit_log disable trigger audit_log_no_update").execute(open.db);
  await sql.raw(statement).execute(open.db);
  await sql.raw("alter table audit_log enable trigger audit_log_no_update").execute(open.db);
}

/**
 * Rewrites the audit chain from row `fromSeq` to the end as a database
 * superuser without the audit key would: each row's plain SHA-256 recomputed
 * over its (possibly edited) content and the previous hash, and the head moved
 * to match. `version` 1 also marks the rows as written before keyed chaining.
 */
export async function rechainWithoutKey(open: OpenDatabase, fromSeq: number, version: 1 | 2): Promise<void> {
  const rows = await open.db
    .selectFrom("audit_log")
    .selectAll()
    .where("seq", ">=", fromSeq)
    .orderBy("seq")
    .execute();
  const before = await open.db
    .selectFrom("audit_log")
    .select("hash")
    .where("seq", "=", fromSeq - 1)
    .executeTakeFirst();
  let prev = before?.hash ?? GENESIS_HASH;
  await sql.raw("alter table audit_log disable trigger audit_log_no_update").execute(open.db);
  for (const r of rows) {
    const hash = hashRow({
      seq: r.seq,
      at: r.at,
      unionId: r.union_id,
      actorUserId: r.actor_user_id,
      actorLabel: r.actor_label,
      event: r.event,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      outcome: r.outcome,
      details: r.details,
      prevHash: prev,
    });
    await sql`update audit_log set prev_hash = ${prev}, hash = ${hash}, chain_version = ${version} where seq = ${r.seq}`.execute(
      open.db,
    );
    prev = hash;
  }
  await sql.raw("alter table audit_log enable trigger audit_log_no_update").execute(open.db);
  await sql`update audit_head set seq = ${rows.at(-1)?.seq ?? fromSeq - 1}, hash = ${prev} where id = 1`.execute(
    open.db,
  );
}
