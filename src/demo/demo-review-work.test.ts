import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, systemActor } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { DEMO_PASSWORD } from "./demo.generate.js";
import { type SeedResult, seedDemo } from "./demo.seed.js";

/** A newcomer signing in to the demo finds work in the employer review and duplicate queues. */
describe("the demo union's review queues", () => {
  let open: OpenDatabase;
  let app: App;
  let national: Session;
  let seeded: SeedResult;

  before(async () => {
    open = await createTestDb("pglite");
    seeded = await seedDemo({ db: open.db, actor: systemActor(1), clock: CLOCK }, { members: 2500, seed: 3 });
    app = await buildTestApp(open);
    national = await signIn(app, "national@demo.mandate.test", DEMO_PASSWORD);
  });
  after(async () => {
    await app?.close();
    await open?.close();
  });

  test("employer texts wait for review, each with candidates and the members who wrote it", async () => {
    const page = (await as(app, national, { url: "/api/org-strings?status=review&pageSize=50" })).json();
    assert.ok(page.total >= 5, `${page.total} strings in review`);
    assert.equal(page.total, seeded.reviewWork.orgStrings);
    for (const item of page.items) {
      assert.ok(item.candidates.length > 0, item.employerText);
      assert.ok(item.members > 0, item.employerText);
    }
    const inReview = (await as(app, national, { url: "/api/members?problem=in_review" })).json();
    assert.equal(inReview.total, seeded.reviewWork.members);
  });

  test("possible duplicates wait for review, each group two records", async () => {
    const page = (await as(app, national, { url: "/api/duplicates?status=review&pageSize=50" })).json();
    assert.ok(page.total >= 2, `${page.total} groups in review`);
    assert.equal(page.total, seeded.reviewWork.duplicateGroups.review);
    for (const group of page.items) assert.equal(group.members.length, 2);
  });

  test("the same seed gives the same queues", async () => {
    const again = await createTestDb("pglite");
    try {
      const second = await seedDemo(
        { db: again.db, actor: systemActor(1), clock: CLOCK },
        { members: 2500, seed: 3 },
      );
      assert.deepEqual(second.reviewWork, seeded.reviewWork);
      const strings = async (db: OpenDatabase["db"]) =>
        (
          await db.selectFrom("org_strings").select(["match_key", "status"]).orderBy("match_key").execute()
        ).map((r) => `${r.match_key} ${r.status}`);
      assert.deepEqual(await strings(again.db), await strings(open.db));
    } finally {
      await again.close();
    }
  });
});
