/**
 * Officer bulletins: announcements to users by role and region with read receipts, and digests per
 * region of the ballots running there and the messages sent (counts only), each seen only by those it
 * is addressed to.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { AppError } from "../shared/errors.js";
import {
  bulletinReceipts,
  listBulletins,
  makeDigests,
  openBulletin,
  publishAnnouncement,
} from "./bulletins.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

for (const { backend, skip } of await backends()) {
  describe(`officer bulletins on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    });
    after(async () => open?.close());

    test("an announcement reaches the roles and region it names, and each opening is a receipt", async () => {
      const national = ctx(f.actors.national);
      const b = await publishAnnouncement(national, {
        title: "Strike dates announced",
        body: "Picket lines from 6am on 12 January.",
        roles: ["regional", "rep"],
        regionIds: [f.regions.yorkshire],
      });
      assert.equal(b.kind, "announcement");
      const titles = async (actor: Actor) => (await listBulletins(ctx(actor))).map((x) => x.title);
      assert.deepEqual(await titles(f.actors.rep), ["Strike dates announced"]);
      assert.deepEqual(await titles(f.actors.regional), ["Strike dates announced"]);
      assert.deepEqual(await titles(f.actors.sector), []);
      await assert.rejects(listBulletins(ctx(f.actors.observer)), refused("auth.forbidden"));
      await assert.rejects(openBulletin(ctx(f.actors.sector), b.id), refused("bulletins.not_found"));

      assert.equal((await listBulletins(ctx(f.actors.rep)))[0]!.readAt, null);
      const opened = await openBulletin(ctx(f.actors.rep), b.id);
      assert.ok(opened.readAt);
      // Opening it again keeps the first receipt.
      assert.equal((await openBulletin(ctx(f.actors.rep), b.id)).readAt, opened.readAt);
      const receipts = await bulletinReceipts(national, b.id);
      assert.equal(receipts.addressed, 2);
      assert.equal(receipts.read, 1);
      assert.deepEqual(
        receipts.readers.map((r) => [r.role, r.readAt !== null]),
        [
          ["rep", true],
          ["regional", false],
        ],
      );
      await assert.rejects(bulletinReceipts(ctx(f.actors.rep), b.id), refused("auth.forbidden"));
      await assert.rejects(
        publishAnnouncement(ctx(f.actors.regional), { title: "x", body: "y" }),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        publishAnnouncement(national, { title: "x", body: "y", regionIds: [999_999] }),
        refused("bulletins.invalid"),
      );
    });

    test("a digest per region: its ballots' returns against 50%, counts only, for that region's officers and reps", async () => {
      const national = ctx(f.actors.national);
      const { ballots } = await createDisputeBallots(national, f, {
        ballots: [
          {
            key: "stJames",
            name: "St James's",
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.stJames,
          },
        ],
        freeze: ["stJames"],
      });
      await open.db
        .updateTable("ballots")
        .set({ state: "open" })
        .where("id", "=", ballots.stJames!)
        .execute();
      await open.db
        .insertInto("turnout_returns")
        .values({
          union_id: f.unionId,
          ballot_id: ballots.stJames!,
          as_of: "2026-11-19",
          papers_returned: 1,
          source: "entered",
          recorded_by: null,
          recorded_at: CLOCK.now(),
        })
        .execute();
      const digests = await makeDigests(national, "daily");
      assert.equal(digests.length, 3);
      const yorkshire = digests.find((d) => d.figures?.region === "Yorkshire & Humberside")!;
      assert.equal(yorkshire.figures!.ballots.length, 1);
      const sj = yorkshire.figures!.ballots[0]!;
      assert.deepEqual([sj.entitled, sj.returned, sj.neededFor50, sj.atRisk], [3, 1, 1, true]);
      assert.match(yorkshire.body, /1 of 3 returned \(33.3%\), 1 more needed for 50% — AT RISK/);
      const london = digests.find((d) => d.figures?.region === "Greater London")!;
      assert.equal(london.figures!.ballots.length, 0);
      // No member's name in any digest.
      for (const d of digests) assert.ok(!/Ahmed|Brown|O'Connor/.test(JSON.stringify(d)));
      const regionalTitles = (await listBulletins(ctx(f.actors.regional))).map((b) => b.title);
      assert.ok(regionalTitles.some((t) => t.includes("Yorkshire")));
      assert.ok(!regionalTitles.some((t) => t.includes("London") || t.includes("whole union")));
      const sectorTitles = (await listBulletins(ctx(f.actors.sector))).map((b) => b.title);
      assert.deepEqual(sectorTitles.length, 1);
      assert.match(sectorTitles[0]!, /whole union/);
    });

    test("over HTTP: a rep reads and opens, and may not publish", async () => {
      const app = await buildTestApp(open);
      try {
        const rep = await signIn(app, f.users.rep.email);
        const list = await as(app, rep, { url: "/api/bulletins" });
        assert.equal(list.statusCode, 200);
        const unread = list.json().find((b: { readAt: string | null }) => b.readAt === null);
        assert.ok(unread);
        const read = await as(app, rep, { method: "POST", url: `/api/bulletins/${unread.id}/read` });
        assert.equal(read.statusCode, 200);
        assert.ok(read.json().readAt);
        const publish = await as(app, rep, {
          method: "POST",
          url: "/api/bulletins",
          payload: { title: "x", body: "y" },
        });
        assert.equal(publish.statusCode, 403);
        const national = await signIn(app, f.users.national.email);
        const bad = await as(app, national, {
          method: "POST",
          url: "/api/bulletins/digests",
          payload: { period: "hourly" },
        });
        assert.equal(bad.statusCode, 400);
      } finally {
        await app.close();
      }
    });
  });
}
