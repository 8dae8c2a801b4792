import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb, templatePath } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, seedFixture } from "../../test/helpers/fixtures.js";
import { attachAuditAnchor, auditKeyOf, closeAuditAnchor } from "../audit/index.js";
import type { Ctx } from "../context.js";
import { connect, type OpenDatabase } from "../db/connect.js";
import type { Db } from "../db/database.js";
import { getJob } from "../jobs/index.js";
import { PACKAGE_ROOT } from "../main.js";
import { sha256Hex } from "../shared/hash.js";
import { createDispute } from "./disputes.service.js";
import { freezeElectorate, queueFreeze } from "./freeze.service.js";
import { createBallot, getBallot } from "./setup.service.js";

/**
 * A freeze run as a job by a real `mandate worker` process, SIGKILLed in the
 * middle of its transaction, leaves nothing behind; the worker that takes it
 * over once the lease has expired freezes the same snapshot as a freeze run
 * straight through on the same data: the same rows, counts and fingerprint.
 * Enough members for two windows of the freeze, so the kill lands between them.
 */
const MEMBERS = 60_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-killed-freeze-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The snapshot in a form two ballots can be compared by (without the ballot's id). */
async function snapshot(db: Db, ballotId: number) {
  const rows = await sql<{ line: string }>`
    select concat_ws('|', member_id, member_union_id, membership_number, included, reason, employer_id,
      workplace_id, job_category, check_off, left_on, paper_number, name, array_to_string(address_lines, ';'), postcode) as line
    from ballot_electorate where ballot_id = ${ballotId} order by member_id`.execute(db);
  const ballot = await db
    .selectFrom("ballots")
    .select(["state", "electorate_hash", "electorate_entitled", "electorate_as_at"])
    .where("id", "=", ballotId)
    .executeTakeFirstOrThrow();
  return {
    rows: rows.rows.length,
    rowsFingerprint: sha256Hex(rows.rows.map((r) => r.line).join("\n")),
    state: ballot.state,
    hash: ballot.electorate_hash,
    entitled: ballot.electorate_entitled,
    asAt: ballot.electorate_as_at,
  };
}

/** The fixture union, with enough members at one employer for a freeze to take a while. */
async function prepare(db: Db) {
  const f = await seedFixture(db);
  const ctx: Ctx = { db, actor: f.actors.national, clock: CLOCK };
  await sql`insert into members (union_id, membership_number, forenames, surname, employer_id, workplace_id,
      status, in_arrears, address_line1, town, home_postcode, joined_on, job_category)
    select ${f.unionId}::int, 'K' || g, 'Alex', 'Person' || g, ${f.employers.camden}::int,
      case when g % 7 = 0 then null else ${f.workplaces.camdenHall}::int end,
      case when g % 31 = 0 then 'lapsed' else 'active' end, g % 53 = 0,
      g || ' High Street', 'London', 'NW1 ' || (g % 9) || 'AA', date '2020-01-01', 'Administrative'
    from generate_series(1, ${MEMBERS}::int) g`.execute(db);
  const dispute = await createDispute(ctx, {
    title: "Pay 2026",
    mattersInIssue: "Pay.",
    coalition: "",
    employerIds: [f.employers.camden],
  });
  const ballot = (name: string) =>
    createBallot(
      ctx,
      dispute.id,
      ballotInput(f, { name, scope: [{ employerId: f.employers.camden, workplaceId: null }] }),
    );
  const straight = await ballot("Straight through");
  const killed = await ballot("Killed half-way");
  return { ctx, straight: straight.id, killed: killed.id };
}

for (const { backend, skip } of await backends()) {
  describe(`a freeze killed half-way ends as one run straight through, on ${backend}`, { skip }, () => {
    test("SIGKILL of the worker process mid-freeze, taken over by a second worker", async (t) => {
      const work = fs.mkdtempSync(path.join(dir, `${backend}-`));
      const dataDir = path.join(work, "data");
      const key = randomBytes(32);
      // The server database is shared with the worker processes; the embedded one is handed over
      // (one process at a time), so it lives in a folder.
      const reopen = async (): Promise<OpenDatabase> => {
        const open = await connect({ databaseUrl: null, dataDir });
        attachAuditAnchor(open.db, { key, checkpointsFile: path.join(work, "checkpoints.jsonl") });
        live = open;
        return open;
      };
      // Whatever fails, the database this test holds is closed, or its process would never end.
      let live: OpenDatabase | null = null;
      const close = async () => {
        const db = live;
        live = null;
        await db?.close();
      };
      t.after(close);
      let open: OpenDatabase;
      if (backend === "postgres") open = await createTestDb("postgres");
      else {
        open = await connect({
          databaseUrl: null,
          dataDir,
          loadDataDir: new Blob([fs.readFileSync(templatePath())]),
        });
        attachAuditAnchor(open.db, { key, checkpointsFile: path.join(work, "checkpoints.jsonl") });
      }
      live = open;
      const { ctx, straight, killed } = await prepare(open.db);
      await freezeElectorate(ctx, straight);
      const expected = await snapshot(open.db, straight);
      assert.ok(expected.rows > MEMBERS && expected.entitled! > MEMBERS * 0.9, JSON.stringify(expected));
      const queued = await queueFreeze(ctx, killed);
      const env = {
        ...process.env,
        MANDATE_AUDIT_KEY: auditKeyOf(open.db).toString("hex"),
        MANDATE_AUDIT_DIR: path.join(work, "audit"),
        MANDATE_JOB_LEASE_SECONDS: "2",
        ...(backend === "postgres"
          ? { DATABASE_URL: open.location, MANDATE_DATA_DIR: path.join(work, "unused") }
          : { DATABASE_URL: "", MANDATE_DATA_DIR: dataDir }),
      };
      if (backend === "pglite") {
        await closeAuditAnchor(open.db, CLOCK.now());
        await close();
      }
      const bin = path.join(PACKAGE_ROOT, "bin/mandate.js");
      // The worker pauses after each page it reports (and logs it), so that it is killed with the
      // freeze's transaction open, however fast the machine: once it has reported a page, not all.
      const first: ChildProcess = spawn(process.execPath, [bin, "worker"], {
        env: { ...env, MANDATE_JOB_STEP_DELAY_MS: "1500" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let log = "";
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`the worker never got half-way:\n${log}`)),
            120_000,
          );
          first.stderr!.on("data", (chunk: Buffer) => {
            log += chunk.toString();
            const page = /^Job \d+ \(.*\): ([\d,]+) of ([\d,]+) done\.$/m.exec(log);
            if (page) {
              clearTimeout(timer);
              const [done, total] = [page[1], page[2]].map((n) => Number(n!.replaceAll(",", "")));
              if (done! < total!) resolve();
              else reject(new Error(`the freeze reported all of it at once: make it longer\n${log}`));
            }
          });
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
      if (backend === "pglite") open = await reopen();
      const half = await snapshot(open.db, killed);
      assert.equal(half.rows, 0, "nothing of the killed freeze is left");
      assert.equal(half.state, "draft");
      const running = await getJob({ ...ctx, db: open.db }, queued.id);
      assert.equal(running.state, "running", "killed while it ran, not before it was taken");
      if (backend === "pglite") {
        await closeAuditAnchor(open.db, CLOCK.now());
        await close();
      }

      // A second worker takes it over once the lease has expired, and runs until nothing is due.
      await new Promise((r) => setTimeout(r, 2500));
      const next = spawn(process.execPath, [bin, "worker", "--once"], { env, stdio: "ignore" });
      assert.equal(await new Promise((r) => next.once("exit", r)), 0);
      if (backend === "pglite") open = await reopen();
      const job = await getJob({ ...ctx, db: open.db }, queued.id);
      assert.equal(job.state, "succeeded", job.errorMessage ?? "");
      assert.ok(job.attempts >= 2, "resumed by another worker");
      const after = await snapshot(open.db, killed);
      assert.deepEqual(after, expected);
      assert.equal((await getBallot({ ...ctx, db: open.db }, killed)).electorate?.hash, expected.hash);
      await close();
    });
  });
}
