import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { verifyAudit } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { jobHandlers } from "../job-handlers.js";
import { cancelJob, getJob, Worker } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { createDispute } from "./disputes.service.js";
import { electorateHasher } from "./electorate.js";
import { FREEZE_JOB, freezeElectorate, queueFreeze } from "./freeze.service.js";
import { createBallot, getBallot } from "./setup.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

for (const { backend, skip } of await backends()) {
  describe(`the freeze as a job on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    let disputeId: number;
    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      disputeId = (
        await createDispute(national, {
          title: "Pay 2026",
          mattersInIssue: "Pay.",
          coalition: "",
          employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
        })
      ).id;
    });
    after(() => open?.close());

    const newBallot = (name: string) => createBallot(national, disputeId, ballotInput(f, { name }));

    test("queued, run by a worker, and the same snapshot as a freeze run directly; the rows hash to the fingerprint", async () => {
      const b = await newBallot("By a job");
      const queued = await queueFreeze(national, b.id);
      assert.equal(queued.kind, FREEZE_JOB);
      assert.equal(queued.state, "queued");
      await assert.rejects(queueFreeze(national, b.id), refused("ballots.freeze_running"));
      await assert.rejects(
        queueFreeze({ ...national, actor: f.actors.rep }, b.id),
        refused("auth.forbidden"),
      );
      const worker = new Worker({
        db: open.db,
        clock: CLOCK,
        handlers: jobHandlers({ uploadDir: "/nonexistent" }),
      });
      assert.equal(await worker.runOnce(), true);
      const job = await getJob(national, queued.id);
      assert.equal(job.state, "succeeded", job.errorMessage ?? "");
      const result = job.result as { hash: string; entitled: number; excluded: number };
      assert.equal(job.done, result.entitled + result.excluded);
      assert.equal(job.total, job.done);

      // The rows written with COPY, read back and hashed, give the fingerprint the freeze recorded.
      const rows = await open.db
        .selectFrom("ballot_electorate")
        .selectAll()
        .where("ballot_id", "=", b.id)
        .orderBy("member_id")
        .execute();
      const ballot = await getBallot(national, b.id);
      const hasher = electorateHasher(ballot.electorate!.asAt);
      for (const r of rows) {
        hasher.add({
          memberId: r.member_id,
          unionId: r.member_union_id,
          membershipNumber: r.membership_number,
          included: r.included,
          reason: r.reason as never,
          employerId: r.employer_id,
          workplaceId: r.workplace_id,
          jobCategory: r.job_category,
          checkOff: r.check_off,
          leftOn: r.left_on,
          paperNumber: r.paper_number,
          name: r.name,
          addressLines: r.address_lines,
          postcode: r.postcode,
        });
      }
      assert.equal(hasher.digest(), result.hash);
      assert.equal(ballot.state, "frozen");
      assert.ok(ballot.actions.find((a) => a.action === "freeze")?.allowed);

      const direct = await newBallot("Directly");
      const summary = await freezeElectorate(national, direct.id);
      assert.equal(summary.hash, result.hash, "same members, same day: same fingerprint");
      assert.equal(summary.entitled, result.entitled);
      assert.ok((await verifyAudit({ ...national, actor: f.actors.dpo })).ok);
    });

    test("a cancelled freeze leaves the ballot as it was", async () => {
      const b = await newBallot("Cancelled");
      const queued = await queueFreeze(national, b.id);
      await cancelJob(national, queued.id);
      const worker = new Worker({
        db: open.db,
        clock: CLOCK,
        handlers: jobHandlers({ uploadDir: "/nonexistent" }),
      });
      await worker.runOnce();
      assert.equal((await getJob(national, queued.id)).state, "cancelled");
      assert.equal((await getBallot(national, b.id)).state, "draft");
      assert.equal((await getBallot(national, b.id)).electorate, null);
    });
  });
}
