import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { forgetDayBoards } from "./dayboard.service.js";

/** The board and incident log over HTTP: entity tags, gzip, codes for bad input (never a 500), scope. */
describe("day-of-action board API", () => {
  let open: OpenDatabase;
  let f: Fixture;
  let app: App;
  const s: Record<string, Session> = {};
  const DAY = "2027-01-20";

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    app = await buildTestApp(open);
    for (const role of ["national", "rep", "observer"] as const)
      s[role] = await signIn(app, f.users[role].email);
  });
  after(async () => {
    await app?.close();
    await open?.close();
  });

  test("the board answers with an entity tag, 304 when unchanged, gzip when asked", async () => {
    const report = await as(app, s.rep!, {
      method: "POST",
      url: "/api/action/reports",
      payload: { day: DAY, workplaceId: f.workplaces.stJames, outCount: 12, picketUp: true },
    });
    assert.equal(report.statusCode, 201, report.body);
    forgetDayBoards();
    const board = await as(app, s.national!, { method: "GET", url: `/api/action/board/${DAY}` });
    assert.equal(board.statusCode, 200, board.body);
    assert.equal(board.json().totals.out, 12);
    const etag = board.headers.etag as string;
    assert.ok(etag);
    const again = await as(app, s.national!, {
      method: "GET",
      url: `/api/action/board/${DAY}`,
      headers: { "if-none-match": etag },
    });
    assert.equal(again.statusCode, 304);
    const zipped = await as(app, s.national!, {
      method: "GET",
      url: `/api/action/board/${DAY}`,
      headers: { "accept-encoding": "gzip" },
    });
    assert.equal(zipped.headers["content-encoding"], "gzip");
    // The version held: only what changed since (nothing here); another scope's or an unknown one: the whole.
    const version = board.headers["x-board-version"] as string;
    const changes = await as(app, s.national!, {
      method: "GET",
      url: `/api/action/board/${DAY}?since=${version}`,
    });
    assert.equal(changes.statusCode, 200, changes.body);
    assert.equal(changes.json().since, version);
    assert.deepEqual(changes.json().workplaces, []);
    const unknown = await as(app, s.national!, {
      method: "GET",
      url: `/api/action/board/${DAY}?since=elsewhere.1`,
    });
    assert.equal(unknown.json().since, null);
    assert.equal(unknown.json().workplaces.length, 1);
  });

  test("bad input answers 400 naming the field and changes nothing; out of role answers 403", async () => {
    const badDay = await as(app, s.national!, { method: "GET", url: "/api/action/board/2027-02-30" });
    assert.equal(badDay.statusCode, 400);
    const longSince = await as(app, s.national!, {
      method: "GET",
      url: `/api/action/board/${DAY}?since=${"x".repeat(41)}`,
    });
    assert.equal(longSince.statusCode, 400);
    assert.match(longSince.body, /since/);
    const long = await as(app, s.rep!, {
      method: "POST",
      url: "/api/action/incidents",
      payload: { day: DAY, workplaceId: f.workplaces.stJames, kind: "police", description: "x".repeat(2001) },
    });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /description/);
    const kind = await as(app, s.rep!, {
      method: "POST",
      url: "/api/action/incidents",
      payload: { day: DAY, workplaceId: f.workplaces.stJames, kind: "riot", description: "x" },
    });
    assert.equal(kind.statusCode, 400);
    assert.match(kind.body, /kind/);
    const list = await as(app, s.national!, { method: "GET", url: `/api/action/incidents/${DAY}` });
    assert.deepEqual(list.json(), []);
    const observer = await as(app, s.observer!, { method: "GET", url: `/api/action/board/${DAY}` });
    assert.equal(observer.statusCode, 403);
    const ok = await as(app, s.rep!, {
      method: "POST",
      url: "/api/action/incidents",
      payload: {
        day: DAY,
        workplaceId: f.workplaces.stJames,
        kind: "safety",
        description: "Ice at the gate.",
      },
    });
    assert.equal(ok.statusCode, 201, ok.body);
    const close = await as(app, s.rep!, {
      method: "PATCH",
      url: `/api/action/incidents/${ok.json().id}`,
      payload: { state: "closed" },
    });
    assert.equal(close.statusCode, 403);
  });
});
