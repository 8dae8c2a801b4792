/**
 * COPY in and out on the connection of an open transaction, on both back ends:
 * the PostgreSQL server through pg-copy-streams, the embedded database
 * through COPY ... FROM/TO '/dev/blob'. Bulk writes of a million rows run
 * several times faster than INSERT statements, and the rows stay inside the
 * caller's transaction.
 *
 * Kysely does not hand out its connection, so each connection is registered
 * when it is opened (connect.ts) under a key the connection itself can tell:
 * the server's backend process id, or a session setting on the embedded
 * database. A transaction asks its connection for the key and finds the raw
 * client by it.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import { sql } from "kysely";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { Db } from "./database.js";

type Raw =
  | { kind: "postgres"; client: pg.ClientBase }
  | { kind: "pglite"; pglite: PGlite; current: { tx: PGliteTransaction | null } };

const servers = new Map<number, pg.ClientBase>();
const embedded = new Map<string, Extract<Raw, { kind: "pglite" }>>();
let embeddedCount = 0;

/** Called by connect.ts for each server connection the pool opens, and when it is removed. */
export function registerServerClient(client: pg.ClientBase & { processID?: number }, present: boolean): void {
  const pid = client.processID;
  if (typeof pid !== "number") return;
  if (present) servers.set(pid, client);
  else servers.delete(pid);
}

/** Called by connect.ts for an embedded database: the key to set on its session, and a release. */
export function registerEmbedded(
  pglite: PGlite,
  current: { tx: PGliteTransaction | null },
): { key: string; release(): void } {
  const key = `pglite-${process.pid}-${++embeddedCount}`;
  embedded.set(key, { kind: "pglite", pglite, current });
  return { key, release: () => embedded.delete(key) };
}

async function rawOf(tx: Db): Promise<Raw> {
  if (!tx.isTransaction) throw new Error("COPY runs inside a transaction");
  const { rows } = await sql<{ pid: number; key: string | null }>`
    select pg_backend_pid() as pid, current_setting('mandate.connection', true) as key`.execute(tx);
  const key = rows[0]?.key;
  if (key) {
    const e = embedded.get(key);
    if (e) return e;
  }
  const client = servers.get(Number(rows[0]?.pid));
  if (client) return { kind: "postgres", client };
  throw new Error("this connection was not opened by connect(): COPY is not available on it");
}

/**
 * True on the embedded database, whose one connection the open transaction
 * holds: a statement sent outside it waits for it to end, so progress must be
 * written inside it (and shows when it commits).
 */
export async function connectionIsShared(tx: Db): Promise<boolean> {
  return (await rawOf(tx)).kind === "pglite";
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_ALL = /[\\\n\r\t]/g;
const ARRAY_SPECIAL = /["\\]/;
const ARRAY_SPECIAL_ALL = /["\\]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One value in COPY's text format: \N for null, backslash escapes for the rest. */
export function copyText(v: string | number | boolean | null): string {
  if (v === null) return "\\N";
  if (typeof v === "string")
    return COPY_SPECIAL.test(v) ? v.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]!) : v;
  if (typeof v === "boolean") return v ? "t" : "f";
  return String(v);
}

/** A text[] value in COPY's text format. */
export function copyTextArray(values: readonly string[]): string {
  let literal = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    literal += `${i ? "," : ""}"${ARRAY_SPECIAL.test(v) ? v.replace(ARRAY_SPECIAL_ALL, (c) => `\\${c}`) : v}"`;
  }
  return copyText(`${literal}}`);
}

/**
 * Writes rows (each a line in COPY's text format, ending with a newline) into
 * the table's columns, on the transaction's connection.
 */
export async function copyIn(
  tx: Db,
  table: string,
  columns: readonly string[],
  lines: string,
): Promise<void> {
  if (!lines) return;
  if (!/^[a-z_]+$/.test(table) || columns.some((c) => !/^[a-z_]+$/.test(c)))
    throw new Error("bad identifier");
  const raw = await rawOf(tx);
  const target = `${table} (${columns.join(", ")})`;
  if (raw.kind === "postgres") {
    await pipeline(Readable.from([lines]), raw.client.query(copyFrom(`copy ${target} from stdin`)));
  } else {
    const on = raw.current.tx ?? raw.pglite;
    await on.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([lines]) });
  }
}

/**
 * The rows of a query in COPY's text format. The query is plain SQL without
 * parameters (COPY takes none): callers build it from numbers only.
 */
export async function copyOut(tx: Db, query: string): Promise<string> {
  const raw = await rawOf(tx);
  if (raw.kind === "postgres") {
    const chunks: Buffer[] = [];
    const stream = raw.client.query(copyTo(`copy (${query}) to stdout`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  const on = raw.current.tx ?? raw.pglite;
  const result = await on.query(`copy (${query}) to '/dev/blob'`);
  return result.blob ? await result.blob.text() : "";
}

/** Splits one line of COPY's text format into its values (null for \N). */
export function parseCopyLine(line: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const field of line.split("\t")) {
    if (field === "\\N") out.push(null);
    else if (!field.includes("\\")) out.push(field);
    else
      out.push(
        field.replace(/\\(.)/g, (_, c: string) =>
          c === "n"
            ? "\n"
            : c === "r"
              ? "\r"
              : c === "t"
                ? "\t"
                : c === "b"
                  ? "\b"
                  : c === "f"
                    ? "\f"
                    : c === "v"
                      ? "\v"
                      : c,
        ),
      );
  }
  return out;
}
