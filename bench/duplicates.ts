/**
 * `npm run bench -- duplicates [--people 1450000] [--seed 1]`: the import's
 * duplicate search alone (detectDuplicates) over a union of seeded synthetic
 * members (the duplicate engine's own generator, 3% of people duplicated)
 * loaded by COPY in another process, on the PostgreSQL server: its time, the
 * peak resident memory of this process, and what it found.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import type { Ctx } from "../src/context.js";
import { detectDuplicates } from "../src/members/duplicates.service.js";
import { systemClock } from "../src/shared/clock.js";
import { BENCH_ACTOR, createBenchDatabase } from "./bench-database.js";

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const vmHwmMb = (): number | null => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : null;
};

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      people: { type: "string", default: "1450000" },
      seed: { type: "string", default: "1" },
    },
  });
  const bench = await createBenchDatabase("duplicates", { members: 0, employers: 10, poolSize: 5 });
  try {
    const l0 = performance.now();
    execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(import.meta.dirname, "duplicates-seed.ts"),
        bench.url,
        values.people,
        values.seed,
      ],
      { stdio: "inherit" },
    );
    const loadSeconds = (performance.now() - l0) / 1000;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from members`.execute(bench.open.db);
    const ctx: Ctx = { db: bench.open.db, actor: BENCH_ACTOR, clock: systemClock };

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const t0 = performance.now();
    const found = await detectDuplicates(ctx);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const audit = await bench.open.db
      .selectFrom("audit_log")
      .select("details")
      .where("event", "=", "duplicates.detected")
      .executeTakeFirstOrThrow();
    return {
      members: rows[0]!.n,
      people: Number(values.people),
      seed: Number(values.seed),
      load_seconds: round(loadSeconds),
      seconds: round(seconds),
      rss_before_mb: Math.round(rssBefore / 2 ** 20),
      peak_rss_mb: Math.round(peak / 2 ** 20),
      vm_hwm_mb: vmHwmMb(),
      found,
      comparisons: (audit.details as { comparisons: number }).comparisons,
    };
  } finally {
    await bench.dispose();
  }
}
