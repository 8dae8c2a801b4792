/**
 * A job run by a real `mandate worker` process, SIGKILLed half-way and taken
 * over by another worker once its lease has expired, compared with the same
 * job run straight through: on the embedded database (the folder's lock is
 * taken over from the dead process) and on the PostgreSQL server.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { attachAuditAnchor, auditKeyOf, closeAuditAnchor } from "../../src/audit/anchor.js";
import type { CommsOptions } from "../../src/comms/index.js";
import type { Ctx } from "../../src/context.js";
import { connect, type OpenDatabase } from "../../src/db/connect.js";
import type { Db } from "../../src/db/database.js";
import { jobHandlers } from "../../src/job-handlers.js";
import { getJob, type JobDto, Worker } from "../../src/jobs/index.js";
import { PACKAGE_ROOT } from "../../src/main.js";
import { type Backend, createTestDb, ensurePgliteTemplate } from "./db.js";
import { CLOCK, type Fixture, seedFixture } from "./fixtures.js";

export interface KillCase<O> {
  /** Seeds what the job needs and queues it as `ctx` (a national officer); returns the job's id. */
  queue(ctx: Ctx, f: Fixture): Promise<number>;
  /** What the job left, in a form two databases can be compared by. */
  outcome(db: Db, ctx: Ctx): Promise<O>;
  /** MANDATE_JOB_STEP_DELAY_MS for the worker processes: long enough to kill one half-way. */
  stepDelayMs: number;
  /** More environment for the worker processes only (not the straight run). */
  workerEnv?: NodeJS.ProcessEnv;
  /** Resolves when the first worker is to be killed (default: once it has reported two steps). */
  killWhen?: () => Promise<void>;
  /** Communications settings for the straight run's worker (sends). */
  comms?: CommsOptions;
}

const LEASE_SECONDS = 2;

/** The job run straight through by a worker in this process. */
export async function straightRun<O>(
  backend: Backend,
  c: KillCase<O>,
  dir: string,
): Promise<{ outcome: O; job: JobDto }> {
  const open = await createTestDb(backend);
  try {
    const f = await seedFixture(open.db);
    const ctx: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    const jobId = await c.queue(ctx, f);
    const worker = new Worker({
      db: open.db,
      clock: CLOCK,
      handlers: jobHandlers({ uploadDir: dir, ...(c.comms ? { comms: c.comms } : {}) }),
    });
    assert.equal(await worker.runOnce(), true);
    const job = await getJob(ctx, jobId);
    assert.equal(job.state, "succeeded", job.errorMessage ?? "");
    return { outcome: await c.outcome(open.db, ctx), job };
  } finally {
    await open.close();
  }
}

/**
 * The job queued in a fresh database, run by a `mandate worker` process that
 * is SIGKILLed once it has committed at least one step, then finished by a
 * `mandate worker --once` after the lease has expired.
 */
export async function killedRun<O>(
  backend: Backend,
  c: KillCase<O>,
  dir: string,
): Promise<{ half: O; halfJob: JobDto; outcome: O; job: JobDto }> {
  const dataDir = path.join(dir, "data", "db");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MANDATE_AUDIT_DIR: path.join(dir, "audit"),
    MANDATE_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    MANDATE_JOB_STEP_DELAY_MS: String(c.stepDelayMs),
    MANDATE_DATA_DIR: dataDir,
    ...c.workerEnv,
  };
  delete env.DATABASE_URL;
  let open: OpenDatabase;
  // The embedded database is closed while a worker process has it; the server's stays open.
  let reopen: () => Promise<OpenDatabase>;
  if (backend === "postgres") {
    open = await createTestDb("postgres");
    env.DATABASE_URL = open.location;
    // The key this test database's chain is keyed with: another would be refused.
    env.MANDATE_AUDIT_KEY = auditKeyOf(open.db).toString("hex");
    const server = open;
    reopen = async () => server;
  } else {
    const template = new Blob([fs.readFileSync(await ensurePgliteTemplate())]);
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    open = await connect({ databaseUrl: null, dataDir, loadDataDir: template, command: "a test" });
    const key = randomBytes(32);
    fs.mkdirSync(path.join(dir, "test-audit"), { recursive: true });
    attachAuditAnchor(open.db, { key, checkpointsFile: path.join(dir, "test-audit", "checkpoints.jsonl") });
    env.MANDATE_AUDIT_KEY = key.toString("hex");
    reopen = () => connect({ databaseUrl: null, dataDir, command: "a test" });
  }
  const f = await seedFixture(open.db);
  const ctxOf = (db: Db): Ctx => ({ db, actor: f.actors.national, clock: CLOCK });
  const jobId = await c.queue(ctxOf(open.db), f);
  if (backend === "pglite") {
    await closeAuditAnchor(open.db, CLOCK.now());
    await open.close();
  }

  const bin = path.join(PACKAGE_ROOT, "bin/mandate.js");
  // Killed once it has reported two steps: the first of them is committed by then.
  const first = spawn(process.execPath, [bin, "worker"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker never got half-way:\n${log}`)), 120_000);
      first.stderr!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (!c.killWhen && (log.match(/^Job \d+ \(.*\): .* done\.$/gm) ?? []).length >= 2) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.killWhen?.().then(() => {
        clearTimeout(timer);
        resolve();
      }, reject);
      first.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the worker stopped by itself (${code}):\n${log}`));
      });
    });
    first.removeAllListeners("exit");
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
  } finally {
    if (first.exitCode === null && first.signalCode === null) first.kill("SIGKILL");
  }
  const killedAt = Date.now();

  open = await reopen();
  const halfJob = await getJob(ctxOf(open.db), jobId);
  const half = await c.outcome(open.db, ctxOf(open.db));
  if (backend === "pglite") await open.close();

  // Another worker takes the job over once the lease has expired, and runs until nothing is due.
  await new Promise((r) => setTimeout(r, Math.max(0, LEASE_SECONDS * 1000 + 500 - (Date.now() - killedAt))));
  const second = spawn(process.execPath, [bin, "worker", "--once"], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let secondLog = "";
  second.stderr!.on("data", (chunk: Buffer) => {
    secondLog += chunk.toString();
  });
  const code = await new Promise((r) => second.once("exit", r));
  assert.equal(code, 0, secondLog);

  open = await reopen();
  try {
    const job = await getJob(ctxOf(open.db), jobId);
    return { half, halfJob, outcome: await c.outcome(open.db, ctxOf(open.db)), job };
  } finally {
    await open.close();
  }
}

/** Both runs, and what every kill test asserts of them. */
export async function assertKilledRunMatches<O>(backend: Backend, c: KillCase<O>, dir: string) {
  const straight = await straightRun(backend, c, path.join(dir, "straight"));
  const killed = await killedRun(backend, c, path.join(dir, "killed"));
  assert.equal(killed.halfJob.state, "running", "killed while running");
  // A job that learns its total only as it goes (a member import) has none yet.
  assert.ok(
    killed.halfJob.done > 0 && killed.halfJob.done < (killed.halfJob.total ?? straight.job.done),
    `killed half-way: ${killed.halfJob.done} of ${killed.halfJob.total ?? straight.job.done}`,
  );
  assert.notDeepEqual(killed.half, straight.outcome, "nothing like finished when killed");
  assert.equal(killed.job.state, "succeeded", killed.job.errorMessage ?? "");
  assert.ok(killed.job.attempts >= 2, "resumed by another worker");
  assert.equal(killed.job.done, straight.job.done);
  assert.deepEqual(killed.outcome, straight.outcome);
  return { straight, killed };
}
