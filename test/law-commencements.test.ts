import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { OpenDatabase } from "../src/db/connect.js";
import type { App } from "../src/http/types.js";
import { loadCommencements } from "../src/settings/law-commencements.js";
import { as, buildTestApp, type Session, signIn } from "./helpers/app.js";
import { createTestDb } from "./helpers/db.js";
import { type Fixture, seedFixture } from "./helpers/fixtures.js";

describe("commencement settings: recorded by a national officer with the source, read by all, audited (decision 0013)", () => {
  let open: OpenDatabase;
  let app: App;
  let fx: Fixture;
  let national: Session;
  let rep: Session;
  before(async () => {
    open = await createTestDb("pglite");
    fx = await seedFixture(open.db);
    app = await buildTestApp(open);
    national = await signIn(app, fx.users.national.email);
    rep = await signIn(app, fx.users.rep.email);
  });
  after(async () => {
    await app.close();
    await open.close();
  });

  const source = "Trade Unions (Permissible Means of Voting) Order 2026, art. 1 (as advised by counsel)";

  test("every switch is listed, off by default, to any signed-in user", async () => {
    const res = await as(app, rep, { url: "/api/law/commencements" });
    assert.equal(res.statusCode, 200, res.body);
    const list = res.json();
    assert.deepEqual(
      list.map((c: { id: string }) => c.id),
      ["turnout_threshold_repeal", "electronic_voting", "hybrid_voting", "workplace_voting"],
    );
    assert.ok(list.every((c: { recorded: unknown }) => c.recorded === null));
  });

  test("a rep may not record one: 403, nothing stored", async () => {
    const res = await as(app, rep, {
      method: "PUT",
      url: "/api/law/commencements/electronic_voting",
      payload: { commencedOn: "2026-08-15", source },
    });
    assert.equal(res.statusCode, 403);
    assert.deepEqual((await loadCommencements(open.db, fx.unionId)).overrides, {});
  });

  test("a national officer records one with its source; it is audited with the previous value", async () => {
    const res = await as(app, national, {
      method: "PUT",
      url: "/api/law/commencements/electronic_voting",
      payload: { commencedOn: "2026-08-15", source },
    });
    assert.equal(res.statusCode, 200, res.body);
    const e = res.json().find((c: { id: string }) => c.id === "electronic_voting");
    assert.deepEqual([e.recorded.commencedOn, e.recorded.source], ["2026-08-15", source]);
    const law = await loadCommencements(open.db, fx.unionId);
    assert.equal(law.overrides.electronic_voting, "2026-08-15");
    assert.equal(law.sources.electronic_voting, source);
    const audit = await open.db
      .selectFrom("audit_log")
      .select(["subject_id", "details"])
      .where("event", "=", "law.commencement_recorded")
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.subject_id, "electronic_voting");
    assert.deepEqual((audit[0]!.details as { previous: unknown }).previous, null);
    // Recorded as not in force again: the audit keeps what it was.
    const off = await as(app, national, {
      method: "PUT",
      url: "/api/law/commencements/electronic_voting",
      payload: { commencedOn: null, source: "Order not yet approved (advice of 1 September 2026)" },
    });
    assert.equal(off.statusCode, 200);
    const last = await open.db
      .selectFrom("audit_log")
      .select("details")
      .where("event", "=", "law.commencement_recorded")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    assert.equal((last.details as { previous: { commencedOn: string } }).previous.commencedOn, "2026-08-15");
  });

  test("no source, or an unknown switch, is a 4xx with a stable code", async () => {
    const noSource = await as(app, national, {
      method: "PUT",
      url: "/api/law/commencements/hybrid_voting",
      payload: { commencedOn: "2026-08-15", source: "  " },
    });
    assert.equal(noSource.statusCode, 422);
    assert.equal(noSource.json().error.code, "law.commencement_source_required");
    const unknown = await as(app, national, {
      method: "PUT",
      url: "/api/law/commencements/postal_voting",
      payload: { commencedOn: "2026-08-15", source },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, "law.unknown_commencement");
  });
});
