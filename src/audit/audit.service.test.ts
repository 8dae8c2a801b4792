import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb, rechainWithoutKey, tamper } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { createMember, updateMember } from "../members/index.js";
import { anchorCheckpoints, attachAuditAnchor, auditKeyOf, writeCheckpoint } from "./anchor.js";
import { listAudit, verifyAudit, verifyAuditChain } from "./audit.service.js";
import { GENESIS_HASH, hashRow } from "./chain.js";

for (const { backend, skip } of await backends()) {
  describe(`audit log on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const ctx = (): Ctx => ({ db: open.db, actor: f.actors.national, clock: CLOCK });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    });
    after(() => open?.close());

    test("every member change writes a chained row and the chain verifies", async () => {
      await updateMember(ctx(), f.members.camden[0]!, {
        email: "evans@example.org",
        mobile: "+447700900001",
      });
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, true, v.reason ?? "");
      assert.ok(v.rows >= 10);
      const rows = await open.db
        .selectFrom("audit_log")
        .selectAll()
        .orderBy("seq", "desc")
        .limit(1)
        .execute();
      assert.equal(rows[0]!.event, "member.updated");
      assert.deepEqual(rows[0]!.details.fields, ["email", "mobile"]);
      assert.doesNotMatch(JSON.stringify(rows[0]), /evans@example\.org/, "values never enter the log");
    });

    test("concurrent writers still make one unbroken chain", async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createMember(ctx(), {
            membershipNumber: `C${i}`,
            forenames: "Con",
            surname: `Current${i}`,
            regionId: f.regions.london,
            status: "active",
            inArrears: false,
            checkOff: false,
            consentEmail: false,
            consentSms: false,
          }),
        ),
      );
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, true, v.reason ?? "");
    });

    test("the log refuses updates and deletes", async () => {
      await assert.rejects(
        sql`update audit_log set actor_label = 'x' where seq = 1`.execute(open.db),
        /append-only/,
      );
      await assert.rejects(sql`delete from audit_log where seq = 1`.execute(open.db), /append-only/);
    });

    test("a row altered behind the trigger's back is found, with its number", async () => {
      await tamper(open, `update audit_log set details = '{"fields":["surname"]}' where seq = 3`);
      const v = await verifyAudit({ db: open.db, actor: f.actors.dpo, clock: CLOCK });
      assert.equal(v.ok, false);
      assert.equal(v.brokenAtSeq, 3);
      const last = await listAudit(
        { db: open.db, actor: f.actors.dpo, clock: CLOCK },
        { page: 1, pageSize: 1 },
      );
      assert.equal(last.items[0]!.event, "audit.verified");
      assert.equal(last.items[0]!.outcome, "failure", "a failed verification is itself recorded");
    });

    test("rows removed from the end are found through the chain head", async () => {
      const fresh = await createTestDb(backend);
      try {
        const g = await seedFixture(fresh.db);
        await updateMember({ db: fresh.db, actor: g.actors.national, clock: CLOCK }, g.members.camden[0]!, {
          jobTitle: "Clerk",
        });
        assert.equal((await verifyAuditChain(fresh.db)).ok, true);
        await tamper(fresh, "delete from audit_log where seq = (select max(seq) from audit_log)");
        const v = await verifyAuditChain(fresh.db);
        assert.equal(v.ok, false);
        assert.match(v.reason ?? "", /removed from the end/);
      } finally {
        await fresh.close();
      }
    });

    test("only the data protection officer lists the log, and only their union's rows", async () => {
      await assert.rejects(
        listAudit({ db: open.db, actor: f.actors.national, clock: CLOCK }, { page: 1, pageSize: 10 }),
        /may not/,
      );
      const page = await listAudit(
        { db: open.db, actor: f.actors.dpo, clock: CLOCK },
        { page: 1, pageSize: 200 },
      );
      assert.ok(page.items.every((r) => r.unionId === f.unionId));
      assert.ok(page.total > 0);
    });
  });

  describe(`audit log rewritten by a database superuser on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const ctx = (): Ctx => ({ db: open.db, actor: f.actors.national, clock: CLOCK });
    const dpo = (): Ctx => ({ db: open.db, actor: f.actors.dpo, clock: CLOCK });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    });
    after(() => open?.close());
    // Each test starts from a fresh database: the attacks below leave the chain broken.
    const fresh = async () => {
      await open.close();
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    };
    const rows = async () =>
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(open.db)).rows[0]!.n,
      );

    test("an edited row is found even with its plain SHA-256 and every later hash recomputed", async () => {
      await fresh();
      assert.equal((await verifyAuditChain(open.db)).ok, true);
      await tamper(open, `update audit_log set details = '{"fields":["surname"]}' where seq = 3`);
      await rechainWithoutKey(open, 3, 2);
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.equal(v.brokenAtSeq, 3);
      assert.match(v.reason ?? "", /keyed hash/);
    });

    test("marking rewritten rows as written before keyed chaining does not get them past", async () => {
      await fresh();
      await tamper(open, `update audit_log set details = '{"fields":["surname"]}' where seq = 3`);
      await rechainWithoutKey(open, 3, 1);
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.equal(v.brokenAtSeq, 3);
      assert.match(v.reason ?? "", /follows keyed rows/);
    });

    test("a whole chain rewritten without the key is found by the checkpoints", async () => {
      await fresh();
      const checkpoint = await writeCheckpoint(open.db, CLOCK.now());
      assert.equal(checkpoint.seq, await rows());
      await tamper(open, `update audit_log set actor_label = 'someone-else' where seq = 2`);
      await rechainWithoutKey(open, 1, 1);
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.equal(v.brokenAtSeq, checkpoint.seq);
      assert.match(v.reason ?? "", /checkpoint/);
    });

    test("rows deleted from the end, with the head moved back to match, are found", async () => {
      await fresh();
      const n = await rows();
      const verified = await verifyAudit(dpo());
      assert.equal(verified.ok, true, verified.reason ?? "");
      assert.equal(
        anchorCheckpoints(open.db).checkpoints.at(-1)?.seq,
        n + 1,
        "verification anchors the head",
      );
      await tamper(open, `delete from audit_log where seq > ${n - 2}`);
      await sql`update audit_head set seq = ${n - 2}, hash = (select hash from audit_log where seq = ${n - 2}) where id = 1`.execute(
        open.db,
      );
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.match(v.reason ?? "", /anchors \d+ rows but the log has \d+/);
      assert.equal(v.brokenAtSeq, n - 1);
    });

    test("a database rolled back to an earlier state and written to again is found", async () => {
      await fresh();
      const earlier = await rows();
      await updateMember(ctx(), f.members.camden[0]!, { jobTitle: "Clerk" });
      await updateMember(ctx(), f.members.camden[0]!, { jobTitle: "Senior clerk" });
      const later = await writeCheckpoint(open.db, CLOCK.now());
      assert.equal(later.seq, earlier + 2);
      // Restore the earlier state (as from a backup), then carry on working past the checkpoint.
      await tamper(open, `delete from audit_log where seq > ${earlier}`);
      await sql`update audit_head set seq = ${earlier}, hash = (select hash from audit_log where seq = ${earlier}) where id = 1`.execute(
        open.db,
      );
      for (const jobTitle of ["Porter", "Cook", "Driver"]) {
        await updateMember(ctx(), f.members.camden[1]!, { jobTitle });
      }
      assert.ok((await rows()) > later.seq);
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.equal(v.brokenAtSeq, later.seq);
      assert.match(v.reason ?? "", /rolled back/);
    });

    test("an edited checkpoints file is refused", async () => {
      await fresh();
      await writeCheckpoint(open.db, CLOCK.now());
      const { file, checkpoints } = anchorCheckpoints(open.db);
      const forged = { ...checkpoints.at(-1)!, seq: 1 };
      fs.appendFileSync(file!, `${JSON.stringify(forged)}\n`);
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.match(v.reason ?? "", /not signed with this audit key/);
    });

    test("another key does not verify the chain", async () => {
      await fresh();
      attachAuditAnchor(open.db, { key: Buffer.alloc(32, 7), checkpointsFile: null });
      const v = await verifyAuditChain(open.db);
      assert.equal(v.ok, false);
      assert.equal(v.brokenAtSeq, 1);
    });

    test("rows chained before keyed chaining still verify, and keyed rows follow them", async () => {
      const old = await createTestDb(backend);
      try {
        // A database from before keyed chaining: plain SHA-256 rows, version 1.
        let prev = GENESIS_HASH;
        for (let seq = 1; seq <= 3; seq++) {
          const row = {
            seq,
            at: CLOCK.now(),
            unionId: 1,
            actorUserId: null,
            actorLabel: "cli:old",
            event: "union.updated",
            subjectType: "union",
            subjectId: "1",
            outcome: "success",
            details: { fields: ["name"] },
            prevHash: prev,
          };
          const hash = hashRow(row);
          await old.db
            .insertInto("audit_log")
            .values({
              seq,
              at: row.at,
              union_id: 1,
              actor_user_id: null,
              actor_label: row.actorLabel,
              event: row.event,
              subject_type: row.subjectType,
              subject_id: row.subjectId,
              outcome: row.outcome,
              details: JSON.stringify(row.details),
              prev_hash: prev,
              hash,
              chain_version: 1,
            })
            .execute();
          prev = hash;
        }
        await old.db.updateTable("audit_head").set({ seq: 3, hash: prev }).where("id", "=", 1).execute();
        assert.equal((await verifyAuditChain(old.db)).ok, true);
        const g = await seedFixture(old.db);
        const v = await verifyAuditChain(old.db);
        assert.equal(v.ok, true, v.reason ?? "");
        const versions = await old.db
          .selectFrom("audit_log")
          .select("chain_version")
          .orderBy("seq")
          .execute();
        assert.deepEqual(
          versions.slice(0, 4).map((r) => r.chain_version),
          [1, 1, 1, 2],
        );
        assert.ok(g.unionId > 0);
        assert.ok(auditKeyOf(old.db).length >= 32);
      } finally {
        await old.close();
      }
    });
  });
}
