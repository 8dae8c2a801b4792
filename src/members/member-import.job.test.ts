import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { sql } from "kysely";
import { type Backend, createTestDb, serverUnavailableReason } from "../../test/helpers/db.js";
import { CLOCK, seedFixture } from "../../test/helpers/fixtures.js";
import { auditKeyOf } from "../audit/anchor.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { Db } from "../db/database.js";
import { jobHandlers } from "../job-handlers.js";
import { enqueueJob, getJob, Worker } from "../jobs/index.js";
import { openDatabase, PACKAGE_ROOT } from "../main.js";
import { sha256Hex } from "../shared/hash.js";
import { MEMBER_IMPORT_JOB } from "./member-import.job.js";
import { createMemberImport } from "./member-import.service.js";

/**
 * A member import run as a job by a real `mandate worker` process, killed
 * with SIGKILL half-way and taken over by another worker once its lease has
 * expired, ends exactly as an import run straight through: the same members,
 * history, rejects and duplicate groups, nothing twice. On the server and on
 * the embedded database; the workers load in small batches, the straight run
 * in one, so the result does not depend on where the batches fall either.
 */
const ROWS = 20_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-killed-import-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeExport(file: string): void {
  const employers = [
    "Leeds Teaching Hospitals NHS Trust",
    "London Borough of Camden",
    "Bradford Council",
    "",
  ];
  const lines = ["Membership No,Surname,Forename(s),Post Code,Employer"];
  for (let i = 0; i < ROWS; i++) {
    // Every 97th row has no number (a reject); every 1000th repeats an earlier person (a possible duplicate).
    const number = i % 97 === 5 ? "" : `K${100000 + i}`;
    const surname = i % 1000 === 999 ? `Person${i - 500}` : `Person${i}`;
    lines.push(
      `${number},${surname},Alex,LS${(i % 9) + 1} ${(i % 9) + 1}AA,${employers[i % employers.length]}`,
    );
  }
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

/** What the import left, in a form two databases can be compared by. */
async function outcome(db: Db) {
  const members = await sql<{ line: string }>`
    select concat_ws('|', membership_number, surname, forenames, home_postcode, employer_id, status, import_line) as line
    from members where import_job_id is not null order by membership_number`.execute(db);
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
    );
  return {
    members: members.rows.length,
    fingerprint: sha256Hex(members.rows.map((r) => r.line).join("\n")),
    history: await count("member_history"),
    rejects: await count("import_rejects"),
    duplicateGroups: await count("duplicate_groups"),
    orgStrings: await count("org_strings"),
  };
}

async function prepare(file: string): Promise<{ open: OpenDatabase; ctx: Ctx; jobId: number }> {
  const open = await createTestDb("postgres");
  return { open, ...(await queueImport(open.db, file)) };
}

async function queueImport(db: Db, file: string): Promise<{ ctx: Ctx; jobId: number }> {
  const f = await seedFixture(db);
  const ctx: Ctx = { db, actor: f.actors.national, clock: CLOCK };
  const importJob = await createMemberImport(ctx, { filePath: file });
  const job = await enqueueJob(ctx, MEMBER_IMPORT_JOB, { importJobId: importJob.id, upload: null });
  return { ctx, jobId: job.id };
}

/** Straight through, in this process, on a database of the back end. */
async function straightRun(backend: Backend, file: string) {
  const open = await createTestDb(backend);
  const { ctx, jobId } = await queueImport(open.db, file);
  const worker = new Worker({ db: open.db, clock: CLOCK, handlers: jobHandlers({ uploadDir: dir }) });
  assert.equal(await worker.runOnce(), true);
  assert.equal((await getJob(ctx, jobId)).state, "succeeded");
  const expected = await outcome(open.db);
  await open.close();
  assert.ok(expected.members > ROWS * 0.9 && expected.rejects > 0, JSON.stringify(expected));
  return expected;
}

const bin = path.join(PACKAGE_ROOT, "bin/mandate.js");
/** Small batches in the worker processes: many commits to be killed between (the straight run uses one batch). */
const BATCH_ROWS = "2000";

function runWorker(env: NodeJS.ProcessEnv, once: boolean): ChildProcess {
  const child = spawn(process.execPath, [bin, "worker", ...(once ? ["--once"] : [])], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr!.resume();
  return child;
}

/** Resolves when the worker says (on stderr) it is taking jobs: it has opened the database. */
const started = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    let out = "";
    child.stderr!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("taking jobs")) resolve();
    });
    child.once("exit", () => resolve());
  });

const exited = (child: ChildProcess) =>
  new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once("exit", r),
  );

const serverReason = await serverUnavailableReason();

describe("a member import killed half-way resumes to the same result", () => {
  test("server: SIGKILL of the worker process mid-import, taken over by a second worker", {
    skip: serverReason ?? false,
  }, async () => {
    const file = path.join(dir, "members.csv");
    writeExport(file);
    const expected = await straightRun("postgres", file);

    // Killed: a real worker process, SIGKILLed once it has committed some batches but not all.
    const killed = await prepare(file);
    const env = {
      ...process.env,
      DATABASE_URL: killed.open.location,
      // The key this test database's chain is keyed with: another would be refused.
      MANDATE_AUDIT_KEY: auditKeyOf(killed.open.db).toString("hex"),
      MANDATE_AUDIT_DIR: path.join(dir, "audit"),
      MANDATE_JOB_LEASE_SECONDS: "2",
      MANDATE_DATA_DIR: path.join(dir, "data"),
      MANDATE_IMPORT_BATCH_ROWS: BATCH_ROWS,
    };
    const first = runWorker(env, false);
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const job = await getJob(killed.ctx, killed.jobId);
        if (job.done > 0 && job.state === "running") break;
        assert.notEqual(
          job.state,
          "succeeded",
          "the import finished before it could be killed: make it longer",
        );
        assert.ok(Date.now() < deadline, "the worker never started the import");
        await new Promise((r) => setTimeout(r, 50));
      }
      first.kill("SIGKILL");
      await exited(first);
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill("SIGKILL");
    }
    const half = await outcome(killed.open.db);
    assert.ok(half.members < expected.members, "killed half-way");

    // A second worker takes it over once the lease has expired, and runs until nothing is due.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await exited(runWorker(env, true)), 0);
    const job = await getJob(killed.ctx, killed.jobId);
    assert.equal(job.state, "succeeded");
    assert.ok(job.attempts >= 2, "resumed by another worker");
    assert.deepEqual(await outcome(killed.open.db), expected);
    await killed.open.close();
  });

  test("embedded: SIGKILL of the worker process mid-import, taken over by the next worker on the folder", async () => {
    const file = path.join(dir, "members-embedded.csv");
    writeExport(file);
    const expected = await straightRun("pglite", file);

    const dataDir = path.join(dir, "embedded", "db");
    const config = {
      databaseUrl: null,
      dataDir,
      auditKey: randomBytes(32).toString("hex"),
      auditDir: path.join(dir, "embedded", "audit"),
      auditDirSet: true,
    };
    const { DATABASE_URL: _server, ...inherited } = process.env;
    const env = {
      ...inherited,
      MANDATE_DATA_DIR: dataDir,
      MANDATE_AUDIT_KEY: config.auditKey,
      MANDATE_AUDIT_DIR: config.auditDir,
      MANDATE_JOB_LEASE_SECONDS: "2",
      MANDATE_IMPORT_BATCH_ROWS: BATCH_ROWS,
    };
    let open = await openDatabase(config, "the kill test");
    const { jobId } = await queueImport(open.db, file);
    await open.close();
    // The folder belongs to one process at a time, so progress is read between runs: a worker is
    // killed after a while, and again later, until a kill lands after some batches and before the end.
    let wait = 4000;
    let half: Awaited<ReturnType<typeof outcome>> | null = null;
    // At most three kills: each is an attempt of the job, which gives up after five.
    for (let attempt = 0; attempt < 3 && !half; attempt++) {
      const worker = runWorker(env, false);
      await started(worker);
      await new Promise((r) => setTimeout(r, wait));
      worker.kill("SIGKILL");
      await exited(worker);
      open = await openDatabase(config, "the kill test");
      const state = await sql<{
        state: string;
        done: number;
      }>`select state, done from jobs where id = ${jobId}`.execute(open.db);
      const now = await outcome(open.db);
      await open.close();
      assert.notEqual(
        state.rows[0]?.state,
        "succeeded",
        "the import finished before it could be killed: make it longer",
      );
      if (now.members > 0) half = now;
      else wait += 4000;
      // The killed worker's lease must expire before the next one may take the job over.
      await new Promise((r) => setTimeout(r, 2500));
    }
    assert.ok(half && half.members < expected.members, "killed half-way");

    assert.equal(await exited(runWorker(env, true)), 0);
    open = await openDatabase(config, "the kill test");
    const job = await sql<{
      state: string;
      attempts: number;
    }>`select state, attempts from jobs where id = ${jobId}`.execute(open.db);
    assert.equal(job.rows[0]?.state, "succeeded");
    assert.ok(job.rows[0]!.attempts >= 2, "resumed by another worker");
    assert.deepEqual(await outcome(open.db), expected);
    await open.close();
  });
});
