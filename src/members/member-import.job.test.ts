import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestDb, serverUnavailableReason } from "../../test/helpers/db.js";
import { CLOCK, seedFixture } from "../../test/helpers/fixtures.js";
import { auditKeyOf } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { Db } from "../db/database.js";
import { jobHandlers } from "../job-handlers.js";
import { enqueueJob, getJob, Worker } from "../jobs/index.js";
import { PACKAGE_ROOT } from "../main.js";
import { sha256Hex } from "../shared/hash.js";
import { MEMBER_IMPORT_JOB } from "./member-import.job.js";
import { createMemberImport } from "./member-import.service.js";

/**
 * A member import run as a job by a real `mandate worker` process, killed
 * with SIGKILL half-way and taken over by another worker once its lease has
 * expired, ends exactly as an import run straight through: the same members,
 * history, rejects and duplicate groups, nothing twice.
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
  const f = await seedFixture(open.db);
  const ctx: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
  const importJob = await createMemberImport(ctx, { filePath: file });
  const job = await enqueueJob(ctx, MEMBER_IMPORT_JOB, { importJobId: importJob.id, upload: null });
  return { open, ctx, jobId: job.id };
}

const serverReason = await serverUnavailableReason();

describe("a member import killed half-way resumes to the same result", {
  skip: serverReason ?? false,
}, () => {
  test("SIGKILL of the worker process mid-import, taken over by a second worker", async () => {
    const file = path.join(dir, "members.csv");
    writeExport(file);

    // Straight through, in this process.
    const straight = await prepare(file);
    const worker = new Worker({
      db: straight.open.db,
      clock: CLOCK,
      handlers: jobHandlers({ uploadDir: dir }),
    });
    assert.equal(await worker.runOnce(), true);
    assert.equal((await getJob(straight.ctx, straight.jobId)).state, "succeeded");
    const expected = await outcome(straight.open.db);
    await straight.open.close();
    assert.ok(expected.members > ROWS * 0.9 && expected.rejects > 0, JSON.stringify(expected));

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
    };
    const bin = path.join(PACKAGE_ROOT, "bin/mandate.js");
    const first: ChildProcess = spawn(process.execPath, [bin, "worker"], {
      env,
      stdio: "ignore",
    });
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
      await new Promise((r) => first.once("exit", r));
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill("SIGKILL");
    }
    const half = await outcome(killed.open.db);
    assert.ok(half.members < expected.members, "killed half-way");

    // A second worker takes it over once the lease has expired, and runs until nothing is due.
    await new Promise((r) => setTimeout(r, 2500));
    const runOnceMore = async () => {
      const next = spawn(process.execPath, [bin, "worker", "--once"], {
        env,
        stdio: "ignore",
      });
      return new Promise((r) => next.once("exit", r));
    };
    assert.equal(await runOnceMore(), 0);
    const job = await getJob(killed.ctx, killed.jobId);
    assert.equal(job.state, "succeeded");
    assert.ok(job.attempts >= 2, "resumed by another worker");
    assert.deepEqual(await outcome(killed.open.db), expected);
    await killed.open.close();
  });
});
