import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { ENUMERATION_THRESHOLD, REFUSALS_RECORDED_PER_WINDOW } from "./refusals.js";

/** Refused requests reach the audit log, over HTTP as a browser makes them. */
for (const { backend, skip } of await backends()) {
  describe(`refused requests on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    const sessions: Record<string, Session> = {};

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildTestApp(open);
      for (const role of ["national", "regional", "rep"] as const) {
        sessions[role] = await signIn(app, f.users[role].email);
      }
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    const rowsOf = (event: string) =>
      open.db.selectFrom("audit_log").selectAll().where("event", "=", event).orderBy("seq").execute();

    test("a request refused by the permission gate is recorded with role, action and route, and still refused", async () => {
      const res = await as(app, sessions.regional!, { url: "/api/audit?page=1" });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, "auth.forbidden");
      const rows = await rowsOf("auth.access_denied");
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.equal(row.outcome, "failure");
      assert.equal(row.actor_user_id, f.users.regional.id);
      assert.equal(row.subject_type, "user");
      assert.equal(row.subject_id, String(f.users.regional.id));
      assert.deepEqual(row.details, {
        role: "regional",
        action: "audit.read",
        method: "GET",
        route: "/api/audit",
      });
    });

    test("the member id asked for is not in the refusal's row", async () => {
      const id = f.members.camden[0]!;
      const res = await as(app, sessions.rep!, { method: "DELETE", url: `/api/members/${id}` });
      assert.equal(res.statusCode, 403, res.body);
      const last = (await rowsOf("auth.access_denied")).at(-1)!;
      assert.equal(last.details.action, "members.delete");
      assert.equal(last.details.route, "/api/members/:id");
      assert.equal(last.subject_id, String(f.users.rep.id));
      assert.ok(
        !Object.values(last.details).includes(id) && !JSON.stringify(last.details).includes(`/${id}`),
      );
    });

    test("many not-found answers to one user in a minute write one enumeration row, not one per request", async () => {
      const before = (await rowsOf("auth.id_enumeration")).length;
      for (let i = 0; i < ENUMERATION_THRESHOLD * 2; i++) {
        const res = await as(app, sessions.national!, { url: `/api/members/${900_000 + i}` });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().error.code, "members.not_found");
      }
      const rows = await rowsOf("auth.id_enumeration");
      assert.equal(rows.length, before + 1);
      const row = rows.at(-1)!;
      assert.equal(row.actor_user_id, f.users.national.id);
      assert.equal(row.details.notFound, ENUMERATION_THRESHOLD + 1);
      assert.equal(row.details.route, "/api/members/:id");
      assert.doesNotMatch(JSON.stringify(row), /9000\d\d/, "the ids asked for are not recorded");
    });

    test("a few not-found answers are not reported", async () => {
      const before = (await rowsOf("auth.id_enumeration")).length;
      for (let i = 0; i < ENUMERATION_THRESHOLD; i++) {
        await as(app, sessions.regional!, { url: `/api/employers/${800_000 + i}` });
      }
      assert.equal((await rowsOf("auth.id_enumeration")).length, before);
    });

    test("a flood of refusals writes the first ten rows of each minute, then one summary row with the count", async () => {
      let now = CLOCK.now().getTime() + 3_600_000;
      now -= now % 60_000;
      const clock = { now: () => new Date(now) };
      const own = await buildApp({
        db: open.db,
        clock,
        secureCookies: false,
        webDir: null,
        logLevel: "silent",
      });
      try {
        const sue = await signIn(own, f.users.sector.email);
        const deniedOf = async () =>
          (await rowsOf("auth.access_denied")).filter((r) => r.actor_user_id === f.users.sector.id);
        for (let i = 0; i < 50; i++) {
          const res = await as(own, sue, { url: "/api/audit?page=1" });
          assert.equal(res.statusCode, 403, "every one still refused");
        }
        assert.equal((await deniedOf()).length, REFUSALS_RECORDED_PER_WINDOW);
        assert.equal((await rowsOf("auth.access_denied_summary")).length, 0);
        // The next minute's first refusal writes the last minute's summary, and is itself recorded.
        now += 60_000;
        assert.equal((await as(own, sue, { url: "/api/audit?page=1" })).statusCode, 403);
        const summaries = await rowsOf("auth.access_denied_summary");
        assert.equal(summaries.length, 1);
        assert.equal(summaries[0]!.actor_user_id, f.users.sector.id);
        assert.deepEqual(
          {
            recorded: (summaries[0]!.details as Record<string, unknown>).recorded,
            notRecordedOneByOne: (summaries[0]!.details as Record<string, unknown>).notRecordedOneByOne,
          },
          { recorded: REFUSALS_RECORDED_PER_WINDOW, notRecordedOneByOne: 50 - REFUSALS_RECORDED_PER_WINDOW },
        );
        assert.equal((await deniedOf()).length, REFUSALS_RECORDED_PER_WINDOW + 1);
        // A minute cut short by the server stopping still gets its summary.
        for (let i = 0; i < 12; i++) await as(own, sue, { url: "/api/audit?page=1" });
        await own.close();
        assert.equal((await rowsOf("auth.access_denied_summary")).length, 2);
      } finally {
        await own.close();
      }
    });
  });
}
