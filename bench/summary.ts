/**
 * Members summary over 1.5 million members on the PostgreSQL server:
 * p50/p95 latency of GET /api/members/summary under 50 concurrent clients,
 * beside the bare SQL aggregate over the members table measured in the same
 * run. Generates its own data and loads it with COPY.
 *
 *   npm run bench -- summary [--members 1500000] [--concurrency 50] [--requests 5000]
 */

import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { buildApp } from "../src/http/app.js";
import { systemClock } from "../src/shared/clock.js";
import { BENCH_PASSWORD, createBenchDatabase } from "./bench-database.js";

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: "string", default: "1500000" },
      employers: { type: "string", default: "3000" },
      concurrency: { type: "string", default: "50" },
      requests: { type: "string", default: "5000" },
      keep: { type: "boolean", default: false },
    },
  });
  const members = Number(values.members);
  const concurrency = Number(values.concurrency);
  const requests = Number(values.requests);
  const bench = await createBenchDatabase("summary", { members, employers: Number(values.employers) });
  const { open, demo, copySeconds } = bench;
  try {
    // The bare aggregate the summary answers, straight over the members table.
    const bare = async () => {
      const t = performance.now();
      await sql`
        select m.region_id, e.sector_id, m.employer_id, m.status, count(*),
               count(*) filter (where m.status = 'active' and (m.address_line1 is null or m.home_postcode is null))
          from members m left join employers e on e.id = m.employer_id
         where m.union_id = 1
         group by grouping sets ((m.region_id), (e.sector_id), (m.employer_id), (m.status), ())`.execute(
        open.db,
      );
      return performance.now() - t;
    };
    await bare();
    const bareRuns = [await bare(), await bare(), await bare(), await bare(), await bare()].sort(
      (a, b) => a - b,
    );

    const app = await buildApp({
      db: open.db,
      clock: systemClock,
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "national@demo.mandate.test", password: BENCH_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;

    // The clients run on their own thread so their work does not sit in the server's event loop.
    const latencies: number[] = await new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), {
        workerData: { url: `${base}/api/members/summary`, cookie, concurrency, requests, warmup: 200 },
      });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await app.close();
    latencies.sort((a, b) => a - b);
    const p95 = percentile(latencies, 95);
    const bareMedian = bareRuns[2]!;
    return {
      members,
      employers: demo.employers.length,
      workplaces: demo.workplaces.length,
      backend: "postgres",
      copy_seconds: round(copySeconds),
      concurrency,
      requests: latencies.length,
      p50_ms: round(percentile(latencies, 50)),
      p95_ms: round(p95),
      p99_ms: round(percentile(latencies, 99)),
      max_ms: round(latencies[latencies.length - 1] ?? 0),
      bare_sql_ms: round(bareMedian),
      p95_to_bare_sql_ratio: round(p95 / bareMedian, 3),
      goal_p95_ms: 50,
      goal_met: p95 < 50,
    };
  } finally {
    await bench.dispose(values.keep);
  }
}
