import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { Db } from "../db/database.js";
import { AppError } from "../shared/errors.js";
import { cancelJob, enqueueJob, getJob, type JobHandler, listJobs, retryJob, Worker } from "./index.js";
import { claimJob, setProgress } from "./jobs.store.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts 1..n into a table, one number per committed step: a resumed run carries on after its step. */
function counter(table: string): JobHandler<{ n: number }> {
  return {
    kind: "count",
    async run(job) {
      const from = typeof job.step === "number" ? job.step + 1 : 1;
      for (let i = from; i <= job.payload.n; i++) {
        job.throwIfStopped();
        await job.ctx.db.transaction().execute(async (tx) => {
          await sql`insert into ${sql.table(table)} (n, job_id) values (${i}, ${job.id})`.execute(tx);
          await job.commitStep(tx, i, { done: i, total: job.payload.n });
        });
      }
      return { counted: job.payload.n };
    },
  };
}

async function auditEvents(db: Db, jobId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("audit_log")
    .select("event")
    .where("subject_type", "=", "job")
    .where("subject_id", "=", String(jobId))
    .orderBy("seq")
    .execute();
  return rows.map((r) => r.event);
}

for (const { backend, skip } of await backends()) {
  describe(`the job queue on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const as = (role: keyof Fixture["actors"]): Ctx => ({ db: open.db, actor: f.actors[role], clock: CLOCK });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      for (const t of ["counted_a", "counted_b", "counted_c", "counted_d"]) {
        await sql`create table ${sql.table(t)} (n integer, job_id integer, primary key (job_id, n))`.execute(
          open.db,
        );
      }
    });
    after(async () => {
      await open?.close();
    });

    test("a job runs once, with its progress, result and audit pair", async () => {
      const job = await enqueueJob(as("national"), "count", { n: 5 });
      assert.equal(job.state, "queued");
      const worker = new Worker({ db: open.db, clock: CLOCK, handlers: [counter("counted_a")] });
      assert.equal(await worker.runOnce(), true);
      assert.equal(await worker.runOnce(), false, "nothing else is due");
      const done = await getJob(as("national"), job.id);
      assert.equal(done.state, "succeeded");
      assert.deepEqual([done.done, done.total, done.attempts], [5, 5, 1]);
      assert.deepEqual(done.result, { counted: 5 });
      assert.deepEqual(await auditEvents(open.db, job.id), ["job.started", "job.finished"]);
    });

    test("a job whose worker died is taken over when its lease expires, and resumes after its last step", async () => {
      const job = await enqueueJob(as("national"), "count", { n: 10 });
      // A first worker claims it under a short lease, commits four steps, then dies (no heartbeat).
      const claimed = await claimJob(open.db, "dead-worker", ["count"], 1);
      assert.equal(claimed?.id, job.id);
      for (let i = 1; i <= 4; i++) {
        await open.db.transaction().execute(async (tx) => {
          await sql`insert into counted_b (n, job_id) values (${i}, ${job.id})`.execute(tx);
          assert.equal(await setProgress(tx, job.id, "dead-worker", { step: i, done: i }), true);
        });
      }
      const second = new Worker({ db: open.db, clock: CLOCK, handlers: [counter("counted_b")] });
      assert.equal(await second.runOnce(), false, "not while the lease holds");
      await sleep(1300);
      assert.equal(await second.runOnce(), true);
      const done = await getJob(as("national"), job.id);
      assert.equal(done.state, "succeeded");
      assert.equal(done.attempts, 2);
      const rows = await sql<{
        n: number;
      }>`select n from counted_b where job_id = ${job.id} order by n`.execute(open.db);
      assert.deepEqual(
        rows.rows.map((r) => r.n),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        "every number once",
      );
      // The dead worker, had it woken, could commit nothing more: its lease is gone.
      assert.equal(await setProgress(open.db, job.id, "dead-worker", { step: 99 }), false);
      assert.deepEqual(await auditEvents(open.db, job.id), ["job.started", "job.finished"]);
    });

    test("a job that keeps losing its worker is given up after its attempts", async () => {
      const job = await enqueueJob(as("national"), "count", { n: 3 }, { maxAttempts: 1 });
      await claimJob(open.db, "dead-1", ["count"], 1);
      await sleep(1300);
      const worker = new Worker({ db: open.db, clock: CLOCK, handlers: [counter("counted_c")] });
      assert.equal(await worker.runOnce(), true);
      const failed = await getJob(as("national"), job.id);
      assert.equal(failed.state, "failed");
      assert.equal(failed.errorCode, "jobs.gave_up");
    });

    test("cancel: a queued job at once; a running job at its next step", async () => {
      const queued = await enqueueJob(as("national"), "count", { n: 3 });
      assert.equal((await cancelJob(as("national"), queued.id)).state, "cancelled");

      const slow: JobHandler<unknown> = {
        kind: "slow",
        async run(job) {
          for (;;) {
            job.throwIfStopped();
            await sleep(50);
          }
        },
      };
      const running = await enqueueJob(as("national"), "slow", {});
      const worker = new Worker({ db: open.db, clock: CLOCK, handlers: [slow], leaseSeconds: 0.6 });
      const ran = worker.runOnce();
      await sleep(150);
      await cancelJob(as("national"), running.id);
      await ran;
      const cancelled = await getJob(as("national"), running.id);
      assert.equal(cancelled.state, "cancelled");
      assert.deepEqual(await auditEvents(open.db, running.id), [
        "job.started",
        "job.cancel_requested",
        "job.cancelled",
      ]);
    });

    test("a failed job keeps its error code and a safe message, and retry resumes it", async () => {
      let fail = true;
      const flaky: JobHandler<unknown> = {
        kind: "flaky",
        async run(job) {
          await job.problem("Line 3: the employer is unknown.");
          if (fail) throw new AppError("import.file_invalid", "The file cannot be read.");
          return "ok";
        },
      };
      const job = await enqueueJob(as("national"), "flaky", {});
      const worker = new Worker({ db: open.db, clock: CLOCK, handlers: [flaky] });
      await worker.runOnce();
      const failed = await getJob(as("national"), job.id);
      assert.deepEqual([failed.state, failed.errorCode], ["failed", "import.file_invalid"]);
      fail = false;
      assert.equal((await retryJob(as("national"), job.id)).state, "queued");
      await worker.runOnce();
      assert.equal((await getJob(as("national"), job.id)).state, "succeeded");
      await assert.rejects(
        retryJob(as("national"), job.id),
        (e) => e instanceof AppError && e.code === "jobs.not_retryable",
      );
    });

    test("jobs are seen by the national officer and by whoever asked for them, no one else", async () => {
      const mine = await enqueueJob(as("regional"), "count", { n: 1 });
      assert.equal((await getJob(as("regional"), mine.id)).id, mine.id);
      assert.equal((await getJob(as("national"), mine.id)).id, mine.id);
      await assert.rejects(
        getJob(as("rep"), mine.id),
        (e) => e instanceof AppError && e.code === "jobs.not_found",
      );
      await assert.rejects(
        getJob(as("partnerNational"), mine.id),
        (e) => e instanceof AppError && e.code === "jobs.not_found",
      );
      assert.ok((await listJobs(as("rep"), { limit: 50 })).every((j) => j.id !== mine.id));
      await cancelJob(as("national"), mine.id);
    });

    test("two workers share the queue: every job runs exactly once", {
      skip: backend === "pglite" ? "one connection: no concurrency to test" : false,
    }, async () => {
      const ids: number[] = [];
      for (let i = 0; i < 24; i++) ids.push((await enqueueJob(as("national"), "count", { n: 3 })).id);
      const workers = ["w1", "w2"].map(
        (owner) =>
          new Worker({ db: open.db, clock: CLOCK, handlers: [counter("counted_d")], owner, pollMs: 20 }),
      );
      await Promise.all(
        workers.map(async (w) => {
          while (await w.runOnce()) {
            // keep taking jobs until none is due
          }
        }),
      );
      const rows = await sql<{ n: number }>`select count(*)::int as n from counted_d`.execute(open.db);
      assert.equal(rows.rows[0]?.n, 24 * 3);
      for (const id of ids) assert.equal((await getJob(as("national"), id)).state, "succeeded");
    });
  });
}
