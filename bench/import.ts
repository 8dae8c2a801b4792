/**
 * Member import over the real registers: NHS trusts as of 2016, then the
 * 2026 trusts file over them (renames become former names), then the 34,932
 * trust sites; a generated messy export of N rows over those registers
 * (members still writing former names among the variants); the import timed
 * beside a bare COPY of the same file in the same run; then quality against
 * the ground truth: precision and coverage of auto-accepted employer matches
 * by variant kind, duplicate pairs precision and recall, and per-employer
 * count error.
 *
 * The import's time is broken down by phase (parse and normalise, match,
 * stage with COPY, merge into members and the counts, history, rejects,
 * duplicates, finish). On the server the import runs as the product runs it:
 * a job of the queue taken by a `mandate worker --once` process of its own,
 * whose peak RSS (the kernel's high-water mark) is reported apart from this
 * process's (which holds the ground truth for scoring); `--cpu-prof DIR` has
 * that worker write a V8 CPU profile into DIR. `--embedded` runs it all on
 * PGlite in this process instead of the PostgreSQL server
 * (MANDATE_BENCH_DATABASE_URL).
 *
 * `--keep` leaves the server's database in place (its name is printed) to look into afterwards;
 * `--worker-heap MB` starts the worker with that heap limit (node --max-old-space-size).
 *
 *   npm run bench -- import [--rows 100000] [--seed 1] [--embedded] [--cpu-prof DIR] [--keep] [--worker-heap MB]
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { attachAuditAnchor } from "../src/audit/anchor.js";
import type { Actor } from "../src/auth/permissions.js";
import type { Ctx } from "../src/context.js";
import { connect } from "../src/db/connect.js";
import { copyIn } from "../src/db/copy.js";
import type { Db } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { writeMessyExport } from "../src/demo/messy-export.service.js";
import { enqueueJob } from "../src/jobs/index.js";
import { PACKAGE_ROOT } from "../src/main.js";
import { MEMBER_IMPORT_JOB, type MemberImportPayload } from "../src/members/member-import.job.js";
import {
  createMemberImport,
  getImportJob,
  importBatchRows,
  importSummary,
  runMemberImport,
} from "../src/members/member-import.service.js";
import { emptyProfile } from "../src/members/member-import-batch.js";
import { importRegister } from "../src/registers/register-import.service.js";
import { systemClock } from "../src/shared/clock.js";

const SERVER = process.env.MANDATE_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SHARED = path.resolve(import.meta.dirname, "../../shared/data/ods");
const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: "string", default: "100000" },
      seed: { type: "string", default: "1" },
      embedded: { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
      keep: { type: "boolean", default: false },
      "worker-heap": { type: "string" },
    },
  });
  const rows = Number(values.rows);
  const seed = Number(values.seed);
  const embedded = values.embedded === true;
  const cpuProfDir = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : null;
  for (const f of ["etr.csv", "etr-2026.csv", "ets.csv"]) {
    if (!fs.existsSync(path.join(SHARED, f)))
      throw new Error(`The import benchmark needs the real registers: ${path.join(SHARED, f)} is missing.`);
  }
  const dbName = `mandate_bench_import_${Date.now().toString(36)}`;
  const url = new URL(SERVER);
  url.pathname = `/${dbName}`;
  let admin: pg.Client | null = null;
  let db: Db;
  let close: () => Promise<void>;
  if (embedded) {
    // In memory, opened as the product opens it.
    const open = await connect({ databaseUrl: null });
    db = open.db;
    close = open.close;
  } else {
    admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    const open = await connect({ databaseUrl: url.toString(), poolSize: 5 });
    db = open.db;
    close = open.close;
  }
  // A throw-away benchmark database: a random audit key, no checkpoints kept.
  const auditKey = randomBytes(32);
  attachAuditAnchor(db, { key: auditKey, checkpointsFile: null });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-bench-import-"));
  try {
    await migrateToLatest(db);
    const actor: Actor = {
      kind: "system",
      userId: null,
      unionId: 1,
      role: "national",
      label: "bench",
      regionIds: [],
      sectorIds: [],
      workplaceIds: [],
    };
    const ctx: Ctx = { db, actor, clock: systemClock };
    const t0 = performance.now();
    for (const f of ["etr.csv", "etr-2026.csv", "ets.csv"]) {
      await importRegister(ctx, { format: "ods", file: f, bytes: fs.readFileSync(path.join(SHARED, f)) });
    }
    const registerSeconds = (performance.now() - t0) / 1000;
    const written = await writeMessyExport(ctx, { rows, seed, outDir: work });

    // Baseline: the same file into a plain text table with COPY, in this run, on the same back end.
    const baseline = `create table copy_baseline (${Array.from({ length: 14 }, (_, i) => `c${i} text`).join(", ")})`;
    let copySeconds: number;
    if (embedded) {
      await sql.raw(baseline).execute(db);
      const text = fs.readFileSync(written.members, "utf8");
      const c0 = performance.now();
      await db.transaction().execute((tx) => copyIn(tx, "copy_baseline", null, text, { csv: true }));
      copySeconds = (performance.now() - c0) / 1000;
    } else {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(baseline);
      const c0 = performance.now();
      await pipeline(
        fs.createReadStream(written.members),
        client.query(copyFrom("copy copy_baseline from stdin with (format csv, header true)")),
      );
      copySeconds = (performance.now() - c0) / 1000;
      await client.end();
    }

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    let importSeconds: number;
    let result: Awaited<ReturnType<typeof runMemberImport>>;
    let phases: Record<string, number>;
    let stringsMatched: number;
    let worker: { peak_rss_mb: number; job_seconds: number; startup_seconds: number } | null = null;
    const i0 = performance.now();
    const job = await createMemberImport(ctx, { filePath: written.members });
    if (embedded) {
      // PGlite in memory is this process's own: the import runs here.
      const profile = emptyProfile();
      result = await runMemberImport(ctx, job.id, undefined, { profile });
      importSeconds = (performance.now() - i0) / 1000;
      ({ stringsMatched, ...phases } = profile);
    } else {
      // As the product runs it: a job of the queue, taken by a worker process of its own.
      const queued = await enqueueJob(ctx, MEMBER_IMPORT_JOB, {
        importJobId: job.id,
        upload: null,
      } satisfies MemberImportPayload);
      const audit = path.join(work, "audit");
      fs.mkdirSync(audit);
      const child = spawn(
        process.execPath,
        [
          ...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []),
          ...(values["worker-heap"] ? [`--max-old-space-size=${Number(values["worker-heap"])}`] : []),
          path.join(PACKAGE_ROOT, "bin/mandate.js"),
          "worker",
          "--once",
        ],
        {
          cwd: work,
          env: {
            ...process.env,
            DATABASE_URL: url.toString(),
            MANDATE_AUDIT_KEY: auditKey.toString("hex"),
            MANDATE_AUDIT_DIR: audit,
            MANDATE_LOG_LEVEL: "warn",
          },
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      let workerPeak = 0;
      const watch = setInterval(() => {
        workerPeak = Math.max(workerPeak, peakRssMb(child.pid!));
      }, 200);
      const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
      clearInterval(watch);
      importSeconds = (performance.now() - i0) / 1000;
      if (code !== 0) throw new Error(`the worker stopped with ${code}`);
      const ran = await db
        .selectFrom("jobs")
        .select(["state", "result", "started_at", "finished_at", "error_message"])
        .where("id", "=", queued.id)
        .executeTakeFirstOrThrow();
      if (ran.state !== "succeeded")
        throw new Error(`the import job ended ${ran.state}: ${ran.error_message}`);
      const r = ran.result as { phases: Record<string, number>; stringsMatched: number };
      phases = r.phases;
      stringsMatched = r.stringsMatched;
      const jobSeconds = (ran.finished_at!.getTime() - ran.started_at!.getTime()) / 1000;
      worker = {
        peak_rss_mb: workerPeak,
        job_seconds: round(jobSeconds, 2),
        startup_seconds: round(importSeconds - jobSeconds, 2),
      };
      result = await getImportJob(ctx, job.id);
    }
    clearInterval(sampler);
    const quality = await evaluate(ctx, written.truth);
    return {
      rows: written.rows,
      seconds: round(importSeconds, 2),
      rows_per_second: Math.round(written.rows / importSeconds),
      // The import's own process: the worker on the server; this process with --embedded.
      peak_rss_mb: worker ? worker.peak_rss_mb : Math.round(peakRss / 2 ** 20),
      bench_peak_rss_mb: Math.round(peakRss / 2 ** 20),
      worker,
      copy_seconds: round(copySeconds, 3),
      ratio_to_copy: round(importSeconds / copySeconds, 1),
      register_load_seconds: round(registerSeconds, 2),
      backend: embedded ? "pglite" : "postgres",
      batch_rows: importBatchRows(),
      // Seconds by phase; parse and the merges overlap (the next batch is read while one merges).
      phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v, 2)])),
      strings_matched: stringsMatched,
      summary: importSummary(result),
      job: {
        inserted: result.rowsInserted,
        rejected: result.rowsRejected,
        matching: result.matching,
        duplicates: result.duplicates,
      },
      ...quality,
    };
  } finally {
    await close();
    if (admin) {
      if (values.keep) console.error(`kept the database ${url.toString()}`);
      else await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Peak resident memory of a live process, from the kernel's high-water mark (MB). */
function peakRssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

async function evaluate(ctx: Ctx, truthFile: string) {
  const truth = parse(fs.readFileSync(truthFile), { columns: true }) as Record<string, string>[];
  const got = await sql<{
    membership_number: string;
    code: string | null;
    status: string | null;
    group_id: number | null;
    group_status: string | null;
  }>`
    select m.membership_number, e.ods_code as code, os.status, dg.id as group_id, dg.status as group_status
      from members m
      left join employers e on e.id = m.employer_id
      left join org_strings os on os.id = m.org_string_id
      left join duplicate_groups dg on dg.id = m.duplicate_group_id`.execute(ctx.db);
  const byNumber = new Map(got.rows.map((r) => [r.membership_number, r]));

  type Tally = { rows: number; matchable: number; auto: number; autoCorrect: number; autoMatchable: number };
  const kinds = new Map<string, Tally>();
  const tally = (k: string) => {
    let t = kinds.get(k);
    if (!t) {
      t = { rows: 0, matchable: 0, auto: 0, autoCorrect: 0, autoMatchable: 0 };
      kinds.set(k, t);
    }
    return t;
  };
  const predicted = new Map<string, number>();
  const actualAmongAuto = new Map<string, number>();
  const truthCount = new Map<string, number>();
  for (const t of truth) {
    const g = byNumber.get(t.membership_number!);
    const isAuto = g?.status === "auto" && g.code !== null;
    const correct = isAuto && g!.code === t.employer_code;
    for (const k of [t.variant_kind!, "all"]) {
      const x = tally(k);
      x.rows++;
      if (t.matchable === "1") x.matchable++;
      if (isAuto) x.auto++;
      if (correct) x.autoCorrect++;
      if (isAuto && t.matchable === "1") x.autoMatchable++;
    }
    if (t.employer_code) truthCount.set(t.employer_code, (truthCount.get(t.employer_code) ?? 0) + 1);
    if (isAuto) {
      predicted.set(g!.code!, (predicted.get(g!.code!) ?? 0) + 1);
      if (t.employer_code)
        actualAmongAuto.set(t.employer_code, (actualAmongAuto.get(t.employer_code) ?? 0) + 1);
    }
  }
  const byKind = Object.fromEntries(
    [...kinds.entries()].map(([k, t]) => [
      k,
      {
        rows: t.rows,
        matchable: t.matchable,
        auto: t.auto,
        precision: t.auto ? round(t.autoCorrect / t.auto, 4) : null,
        coverage: t.matchable ? round(t.autoMatchable / t.matchable, 4) : null,
      },
    ]),
  );
  const all = kinds.get("all")!;

  // Count error per employer after auto-accept: members wrongly put on (or taken from) an employer's count.
  let worst = { code: "", error: 0, truth: 0 };
  for (const code of new Set([...predicted.keys(), ...actualAmongAuto.keys()])) {
    const error = (predicted.get(code) ?? 0) - (actualAmongAuto.get(code) ?? 0);
    if (Math.abs(error) > Math.abs(worst.error)) worst = { code, error, truth: truthCount.get(code) ?? 0 };
  }

  // Duplicate pairs against the truth's person ids.
  const groupOf = (status: (s: string | null) => boolean) => {
    const groups = new Map<number, string[]>();
    for (const t of truth) {
      const g = byNumber.get(t.membership_number!);
      if (g?.group_id != null && status(g.group_status))
        groups.set(g.group_id, [...(groups.get(g.group_id) ?? []), t.person_id!]);
    }
    let pairs = 0;
    let correct = 0;
    for (const persons of groups.values()) {
      for (let i = 0; i < persons.length; i++)
        for (let j = i + 1; j < persons.length; j++) {
          pairs++;
          if (persons[i] === persons[j]) correct++;
        }
    }
    return { pairs, correct };
  };
  const byPerson = new Map<string, number>();
  for (const t of truth) byPerson.set(t.person_id!, (byPerson.get(t.person_id!) ?? 0) + 1);
  let truePairs = 0;
  for (const n of byPerson.values()) truePairs += (n * (n - 1)) / 2;
  const linked = groupOf((s) => s === "linked");
  const any = groupOf((s) => s === "linked" || s === "review");
  return {
    precision: all.auto ? round(all.autoCorrect / all.auto, 4) : null,
    coverage: all.matchable ? round(all.autoMatchable / all.matchable, 4) : null,
    matching_by_variant: byKind,
    largest_employer_count_error: worst,
    duplicates: {
      true_pairs: truePairs,
      linked_pairs: linked.pairs,
      linked_precision: linked.pairs ? round(linked.correct / linked.pairs, 4) : null,
      linked_recall: truePairs ? round(linked.correct / truePairs, 4) : null,
      linked_or_review_recall: truePairs ? round(any.correct / truePairs, 4) : null,
      linked_or_review_precision: any.pairs ? round(any.correct / any.pairs, 4) : null,
    },
  };
}
