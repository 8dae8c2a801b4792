/**
 * The employers of an import batch: each distinct employer/workplace string
 * is looked up once among the strings already known (a reviewer's decision
 * is never overwritten) and the new ones matched once, on a pool of threads
 * when there are enough of them to pay for it, then stored in one statement.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import type { Db } from "../db/database.js";
import {
  type MatchCandidate,
  type MatchIndex,
  type MatchQuery,
  type MatchResult,
  matchOrganisation,
  type RegisterEntry,
} from "../matching/index.js";
import type { OrgStringMatch } from "./org-strings.service.js";

/** What is kept of a match: the answer and the five best candidates a reviewer is shown. */
export interface CompactMatch {
  status: MatchResult["status"];
  confidence: number;
  reason: string;
  employerId: number | null;
  workplaceId: number | null;
  candidates: MatchCandidate[];
}

export function compactMatch(r: MatchResult): CompactMatch {
  return {
    status: r.status,
    confidence: r.confidence,
    reason: r.reason,
    employerId: r.status === "auto" ? (r.best?.employerId ?? null) : null,
    workplaceId: r.status === "auto" ? (r.best?.workplaceId ?? null) : null,
    candidates: r.candidates.slice(0, 5),
  };
}

/**
 * New strings below this many in a batch are matched on the main thread: a
 * thread builds its own matcher over the registers first (about a second
 * over the 35,000 NHS sites), which only pays on a large file.
 */
export const POOL_MIN_STRINGS = 4000;
const CHUNK = 250;

/**
 * How many matching threads an import uses: MANDATE_IMPORT_THREADS (0: match
 * on the main thread), else one per core but one, at least one and at most 4,
 * the main thread reading the next batch meanwhile.
 */
export function importThreads(): number {
  const set = process.env.MANDATE_IMPORT_THREADS;
  if (set !== undefined && set !== "") return Math.max(0, Math.floor(Number(set)) || 0);
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/** The tsx loader, then the worker's module: the sources are TypeScript run without a build. */
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(new URL("./member-import-match.worker.ts", import.meta.url).href)}); });`;

export class MatchPool {
  private workers: Promise<Worker>[] = [];
  private seq = 0;

  constructor(
    private readonly entries: RegisterEntry[],
    private readonly size: number,
  ) {}

  private start(): Promise<Worker>[] {
    if (this.workers.length) return this.workers;
    this.workers = Array.from(
      { length: this.size },
      () =>
        new Promise<Worker>((resolve, reject) => {
          const w = new Worker(BOOT, { eval: true, workerData: { entries: this.entries } });
          w.once("error", reject);
          w.once("message", () => resolve(w));
        }),
    );
    return this.workers;
  }

  /** Matches the queries, in order, over all the threads. */
  async match(queries: MatchQuery[]): Promise<CompactMatch[]> {
    const workers = await Promise.all(this.start());
    const out: CompactMatch[] = new Array(queries.length);
    let next = 0;
    await Promise.all(
      workers.map(async (w) => {
        while (next < queries.length) {
          const from = next;
          next += CHUNK;
          const id = ++this.seq;
          const results = await new Promise<CompactMatch[]>((resolve, reject) => {
            const onMessage = (m: { id: number; results: CompactMatch[] }) => {
              if (m.id !== id) return;
              w.off("message", onMessage);
              w.off("error", reject);
              resolve(m.results);
            };
            w.on("message", onMessage);
            w.once("error", reject);
            w.postMessage({ id, queries: queries.slice(from, from + CHUNK) });
          });
          for (let k = 0; k < results.length; k++) out[from + k] = results[k]!;
        }
      }),
    );
    return out;
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map(async (w) => (await w.catch(() => null))?.terminate()));
  }
}

export interface WantedString {
  key: string;
  employerText: string | null;
  workplaceText: string | null;
  postcode: string | null;
}

/**
 * Fills the cache with the org string of every wanted key: known ones from
 * the database, new ones matched and inserted (committed at once: a string
 * stored by a run that then died is simply found by the run that resumes).
 * Returns how many strings were matched.
 */
export async function resolveImportOrgStrings(
  db: Db,
  unionId: number,
  matcher: { index: MatchIndex; pool: MatchPool | null },
  cache: Map<string, OrgStringMatch>,
  wanted: readonly WantedString[],
): Promise<number> {
  const missing = new Map<string, WantedString>();
  for (const w of wanted) if (!cache.has(w.key) && !missing.has(w.key)) missing.set(w.key, w);
  if (!missing.size) return 0;
  const known = await sql<{
    id: number;
    match_key: string;
    status: OrgStringMatch["status"];
    employer_id: number | null;
    workplace_id: number | null;
    confidence: number | null;
  }>`select id, match_key, status, employer_id, workplace_id, confidence from org_strings
      where union_id = ${unionId} and match_key = any(${[...missing.keys()]}::text[])`.execute(db);
  for (const k of known.rows) {
    cache.set(k.match_key, {
      id: k.id,
      status: k.status,
      employerId: k.employer_id,
      workplaceId: k.workplace_id,
      confidence: k.confidence,
    });
    missing.delete(k.match_key);
  }
  if (!missing.size) return 0;
  const fresh = [...missing.values()];
  const queries = fresh.map((m) => ({
    employer: m.employerText,
    workplace: m.workplaceText,
    postcode: m.postcode,
  }));
  const results =
    matcher.pool && fresh.length >= POOL_MIN_STRINGS
      ? await matcher.pool.match(queries)
      : queries.map((q) => compactMatch(matchOrganisation(matcher.index, q)));
  for (let i = 0; i < fresh.length; i += 10_000) {
    const rows = fresh.slice(i, i + 10_000).map((m, k) => {
      const r = results[i + k]!;
      return {
        union_id: unionId,
        match_key: m.key,
        employer_text: m.employerText ?? "",
        workplace_text: m.workplaceText ?? "",
        status: r.status,
        employer_id: r.employerId,
        workplace_id: r.workplaceId,
        confidence: r.confidence,
        reason: r.reason,
        candidates: r.candidates,
      };
    });
    const inserted = await sql<{ id: number; match_key: string }>`
      insert into org_strings (union_id, match_key, employer_text, workplace_text, status, employer_id, workplace_id, confidence, reason, candidates)
      select union_id, match_key, employer_text, workplace_text, status, employer_id, workplace_id, confidence, reason, candidates
        from json_populate_recordset(null::org_strings, ${JSON.stringify(rows)}::json)
      returning id, match_key`.execute(db);
    const idByKey = new Map(inserted.rows.map((r) => [r.match_key, r.id]));
    for (const r of rows) {
      cache.set(r.match_key, {
        id: idByKey.get(r.match_key)!,
        status: r.status,
        employerId: r.employer_id,
        workplaceId: r.workplace_id,
        confidence: r.confidence,
      });
    }
  }
  return fresh.length;
}
