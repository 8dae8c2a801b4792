import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb, tamper } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { createMember, updateMember } from "../members/members.service.js";
import { listAudit, verifyAudit, verifyAuditChain } from "./audit.service.js";

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
}
