import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { seedBoard } from "../../test/fixtures/board.js";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import type { BoardDto } from "./board.model.js";
import { forgetBoards } from "./board.service.js";

for (const { backend, skip } of await backends()) {
  describe(`the disputes unit board (${backend})`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let seeded: Awaited<ReturnType<typeof seedBoard>>;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      seeded = await seedBoard(open, f);
      app = await buildTestApp(open, null, CLOCK);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("a national officer sees the timetable with its conflict, turnout, the overdue task and the late request", async () => {
      const national = await signIn(app, f.users.national.email);
      const res = await as(app, national, { method: "GET", url: "/api/board" });
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json() as BoardDto;
      assert.equal(board.view, "full");
      const c = board.coalitions.find((x) => x.id === seeded.coalitionId)!;
      assert.deepEqual(c.timetable.daysOfAction, ["2027-01-12"]);
      assert.ok(c.timetable.conflicts.length > 0, "the day of action conflicts with a ballot");
      // The other union only as published (disclosure-controlled), never the union's own release again.
      assert.deepEqual(
        c.partners.map((p) => p.union),
        ["partner"],
      );
      assert.ok(board.disputes.some((d) => d.ballot.id === seeded.hpsuBallot));
      assert.ok(board.disputes.every((d) => d.national.constituencies >= 1));
      assert.deepEqual(
        board.plans?.overdueTasks.map((t) => [t.title, t.daysOverdue]),
        [["Book the Leeds General hall", 10]],
      );
      assert.deepEqual(
        board.requests?.pastServiceLevel.map((q) => q.title),
        ["Check the notice wording"],
      );
      assert.deepEqual(board.dayOfAction.days, [
        {
          day: "2027-01-12",
          coalition: "NHS pay coalition",
          conflicts: c.timetable.conflicts.filter((x) => x.day === "2027-01-12").length,
        },
      ]);
      assert.doesNotMatch(res.body, /Member\d|Sam /, "no member is named");
    });

    test("kept figures: the same bytes and tag; 304 to a matching If-None-Match, only after sign-in and permission", async () => {
      forgetBoards(open.db);
      const national = await signIn(app, f.users.national.email);
      const first = await as(app, national, { method: "GET", url: "/api/board" });
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[\w-]{32}"$/);
      const second = await as(app, national, { method: "GET", url: "/api/board" });
      assert.equal(second.body, first.body);
      const again = await as(app, national, {
        method: "GET",
        url: "/api/board",
        headers: { "if-none-match": etag },
      });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, "");
      // Without a session, or with a role refused the board, the tag gets nothing but the refusal.
      const anon = await app.inject({ method: "GET", url: "/api/board", headers: { "if-none-match": etag } });
      assert.equal(anon.statusCode, 401);
      const regional = await signIn(app, f.users.regional.email);
      const refused = await as(app, regional, {
        method: "GET",
        url: "/api/board",
        headers: { "if-none-match": etag },
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, "auth.forbidden");
      assert.equal(refused.headers.etag, undefined);
    });

    test("regional officers, reps and scrutineers are refused; an observer sees counts only", async () => {
      for (const role of ["regional", "sector", "rep", "scrutineer", "dpo"] as const) {
        const s = await signIn(app, f.users[role].email);
        for (const url of ["/api/board", "/api/board/briefing.pdf"]) {
          const res = await as(app, s, { method: "GET", url });
          assert.equal(res.statusCode, 403, `${role} ${url}`);
        }
      }
      const observer = await signIn(app, f.users.observer.email);
      const res = await as(app, observer, { method: "GET", url: "/api/board" });
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json() as BoardDto;
      assert.equal(board.view, "counts");
      assert.equal(board.plans, null);
      assert.equal(board.requests, null);
      assert.doesNotMatch(res.body, /Book the Leeds|Check the notice/);
    });

    test("the partner union's national officer sees its own board, not HPSU's plans or requests", async () => {
      const partner = await signIn(app, f.users.partnerNational.email);
      const res = await as(app, partner, { method: "GET", url: "/api/board" });
      assert.equal(res.statusCode, 200, res.body);
      const board = res.json() as BoardDto;
      assert.ok(board.disputes.every((d) => d.ballot.id !== seeded.hpsuBallot));
      assert.deepEqual(board.plans?.overdueTasks, []);
      assert.deepEqual(board.requests?.pastServiceLevel, []);
      assert.deepEqual(
        board.coalitions.flatMap((c) => c.partners.map((p) => p.union)),
        ["hpsu"],
      );
    });

    test("the daily briefing is a PDF", async () => {
      const national = await signIn(app, f.users.national.email);
      const res = await as(app, national, { method: "GET", url: "/api/board/briefing.pdf" });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "application/pdf");
      assert.equal(res.rawPayload.subarray(0, 5).toString(), "%PDF-");
      assert.match(String(res.headers["content-disposition"]), /disputes-unit-briefing-2026-11-20\.pdf/);
    });
  });
}
