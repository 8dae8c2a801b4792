/**
 * The electorate freeze of one ballot over every employer of a union of 1.2
 * million members on the PostgreSQL server, run as a job by a worker: queued
 * as the HTTP route queues it, then claimed and run to the end. Time from the
 * queueing to the job's end, the seconds of each phase of the freeze (from the
 * job's result), the fingerprint (to compare two versions of the code on the
 * same generated union), and the peak resident memory of the process.
 *
 *   npm run bench -- freeze [--members 1200000] [--employers 5000] [--keep]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { queueFreeze } from "../src/ballots/freeze.service.js";
import type { Ctx } from "../src/context.js";
import { jobHandlers } from "../src/job-handlers.js";
import { getJob, Worker } from "../src/jobs/index.js";
import { fixedClock } from "../src/shared/clock.js";
import { BENCH_ACTOR, createAllEmployersBallot, createBenchDatabase } from "./bench-database.js";

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: "string", default: "1200000" },
      employers: { type: "string", default: "5000" },
      keep: { type: "boolean", default: false },
    },
  });
  const bench = await createBenchDatabase("freeze", {
    members: Number(values.members),
    employers: Number(values.employers),
  });
  const { db } = bench.open;
  try {
    const clock = fixedClock("2026-11-27T09:00:00Z");
    const ctx: Ctx = { db, actor: BENCH_ACTOR, clock };
    const { employerIds, ballotId } = await createAllEmployersBallot(ctx, {
      employers: "great_britain",
      dispute: { title: "Pensions 2026", mattersInIssue: "Changes to the pension scheme." },
      ballot: { name: "All members in the pension scheme", questions: ["strike"], actionShortTypes: [] },
      statement: "Statutory statement as advised by the union's solicitors.",
    });

    // Baseline, same process and data: one bare INSERT ... SELECT of the same members' columns into a
    // scratch table (what the database alone spends reading and writing the rows, with no decisions,
    // no fingerprint and no indexes).
    const ids = employerIds.join(",");
    const baseStart = performance.now();
    await sql`create table bench_bare_snapshot as select id, union_id, membership_number, status, in_arrears,
      joined_on, left_on, employer_id, workplace_id, job_category, check_off, forenames || ' ' || surname as name,
      array_remove(array[address_line1, address_line2, town], null) as address_lines, home_postcode
      from members where union_id = 1 and employer_id in (${sql.raw(ids)})`.execute(db);
    const baseSeconds = (performance.now() - baseStart) / 1000;
    await sql`drop table bench_bare_snapshot`.execute(db);
    console.error(`bare INSERT ... SELECT of the same rows: ${round(baseSeconds)} s`);

    const worker = new Worker({ db, clock, handlers: jobHandlers({ uploadDir: "/nonexistent" }) });
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const loadAtStart = os.loadavg()[0]!;
    const start = performance.now();
    const queued = await queueFreeze(ctx, ballotId);
    await worker.runOnce();
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const job = await getJob(ctx, queued.id);
    if (job.state !== "succeeded") throw new Error(`freeze job ${job.state}: ${job.errorMessage}`);
    const result = job.result as {
      entitled: number;
      excluded: number;
      hash: string;
      phases: { phase: string; seconds: number }[];
    };
    console.error(`freeze job: ${round(seconds)} s, peak ${Math.round(peak / 2 ** 20)} MB`);
    console.error(`fingerprint ${result.hash}`);
    for (const { phase, seconds } of result.phases)
      console.error(`  ${phase.padEnd(24)} ${seconds.toFixed(3)} s`);
    return {
      backend: "postgres",
      members: Number(values.members),
      members_listed: result.entitled + result.excluded,
      members_entitled: result.entitled,
      employers: employerIds.length,
      fingerprint: result.hash,
      load_seconds: round(bench.copySeconds),
      seconds: round(seconds),
      phases_seconds: Object.fromEntries(result.phases.map((p) => [p.phase, p.seconds])),
      bare_insert_select_seconds: round(baseSeconds),
      ratio_to_bare_insert_select: round(seconds / baseSeconds),
      members_per_second: Math.round((result.entitled + result.excluded) / seconds),
      peak_rss_mb: Math.round(peak / 2 ** 20),
      reads: "COPY of the members' facts, windows of 50,000 member ids",
      writes:
        "COPY per window of 50,000 listed: each member's name and address read with COPY, the row built and hashed " +
        "in the worker, written with COPY; from 50,000 listed, into a table of the ballot's own, indexed and " +
        "attached as its partition (decisions/0026)",
      load_average: { at_start: round(loadAtStart), at_end: round(os.loadavg()[0]!) },
      machine: os.cpus()[0]?.model ?? "unknown",
      goal_seconds: 15,
      goal_rss_mb: 1024,
      goal_met: seconds < 15 && peak < 2 ** 30,
    };
  } finally {
    await bench.dispose(values.keep);
  }
}
