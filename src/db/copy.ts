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

/**
 * Writes rows into the table's columns on the transaction's connection: lines
 * in COPY's text format (each ending with a newline), or with `csv` a CSV file
 * with its header line (the import benchmark's baseline). Given in pieces, a
 * large load is never joined into one string.
 */
export async function copyIn(
  tx: Db,
  table: string,
  columns: readonly string[] | null,
  lines: string | readonly string[],
  options: { csv?: boolean } = {},
): Promise<void> {
  const pieces = typeof lines === "string" ? [lines] : lines;
  if (!pieces.some((p) => p.length)) return;
  if (!/^[a-z_][a-z0-9_]*$/.test(table) || columns?.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c)))
    throw new Error("bad identifier");
  const raw = await rawOf(tx);
  const target = columns ? `${table} (${columns.join(", ")})` : table;
  const format = options.csv ? " with (format csv, header true)" : "";
  if (raw.kind === "postgres") {
    await pipeline(Readable.from(pieces), raw.client.query(copyFrom(`copy ${target} from stdin${format}`)));
  } else {
    const on = raw.current.tx ?? raw.pglite;
    await on.query(`copy ${target} from '/dev/blob'${format}`, [], { blob: new Blob([...pieces]) });
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

/**
 * The rows of a one-column query that never gives null, streamed as they
 * come: `onChunk` receives the values' bytes as they are (COPY's escapes
 * undone), each value followed by a newline. On the server the rows stream
 * through pg-copy-streams; the embedded database hands them over at once.
 */
export async function copyOutValues(
  tx: Db,
  query: string,
  onChunk: (bytes: Uint8Array) => void,
): Promise<void> {
  const raw = await rawOf(tx);
  const decode = copyValueDecoder();
  if (raw.kind === "postgres") {
    const stream = raw.client.query(copyTo(`copy (${query}) to stdout`));
    for await (const chunk of stream) onChunk(decode(chunk as Buffer));
  } else {
    const on = raw.current.tx ?? raw.pglite;
    const result = await on.query(`copy (${query}) to '/dev/blob'`);
    if (result.blob) onChunk(decode(new Uint8Array(await result.blob.arrayBuffer())));
  }
  onChunk(decode(null));
}

const BACKSLASH = 0x5c;
/** What follows a backslash in COPY's text output, and the byte it stands for. */
const UNESCAPED: Record<number, number> = {
  92: 0x5c, // \\
  98: 0x08, // \b
  102: 0x0c, // \f
  110: 0x0a, // \n
  114: 0x0d, // \r
  116: 0x09, // \t
  118: 0x0b, // \v
};

/**
 * Undoes COPY's text-format escapes in the bytes of one-column output, chunk
 * by chunk (an escape may straddle two chunks); null ends the stream. A
 * backslash byte never occurs inside a multi-byte UTF-8 character, so bytes
 * can be scanned one by one; chunks without a backslash pass through as they are.
 */
export function copyValueDecoder(): (chunk: Uint8Array | null) => Uint8Array {
  let pending = false;
  return (chunk) => {
    if (chunk === null) {
      if (pending) throw new Error("COPY output ends inside an escape");
      return new Uint8Array(0);
    }
    if (!pending && chunk.indexOf(BACKSLASH) < 0) return chunk;
    const out = new Uint8Array(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (pending) {
        const u = UNESCAPED[b];
        if (u === undefined) throw new Error("unexpected escape in COPY output");
        out[n++] = u;
        pending = false;
      } else if (b === BACKSLASH) pending = true;
      else out[n++] = b;
    }
    return out.subarray(0, n);
  };
}
