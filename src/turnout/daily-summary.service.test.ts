import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { fixedClock } from "../shared/clock.js";

/** Eight days into the ballot (it opens on 7 December 2026). */
const DURING = fixedClock("2026-12-15T10:00:00Z");

for (const { backend, skip } of await backends()) {
  describe(`the day's turnout summary as a PDF on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e, workplaces: w } = f;
      await createDisputeBallots(national, f, {
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
        ],
        freeze: ["stJames", "camden"],
      });
      app = await buildTestApp({ ...open }, null, DURING);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("national and by region, each reader's own constituencies; bad views and roles refused", async () => {
      const ballot = (
        await open.db
          .selectFrom("ballots")
          .select("id")
          .where("name", "=", "St James's")
          .executeTakeFirstOrThrow()
      ).id;
      const national = await signIn(app, f.users.national.email);
      const res = await as(app, national, { url: `/api/ballots/${ballot}/turnout/summary.pdf` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers["content-type"], "application/pdf");
      assert.match(
        res.headers["content-disposition"] as string,
        /turnout-summary-ballot-\d+-2026-12-15\.pdf/,
      );
      const text = await pdfText(res.rawPayload);
      assert.ok(text.includes("Turnout summary: Pay 2026"), text);
      assert.ok(text.includes("St James's") && text.includes("Camden"), text);
      assert.ok(text.includes("National"));

      const regional = await signIn(app, f.users.regional.email);
      const own = await as(app, regional, {
        url: `/api/ballots/${ballot}/turnout/summary.pdf?level=region&groupId=${f.regions.yorkshire}`,
      });
      assert.equal(own.statusCode, 200, own.body);
      const regionText = await pdfText(own.rawPayload);
      assert.ok(regionText.includes("St James's") && !regionText.includes("Camden"), regionText);

      const other = await as(app, regional, {
        url: `/api/ballots/${ballot}/turnout/summary.pdf?level=region&groupId=${f.regions.london}`,
      });
      assert.equal(other.statusCode, 404);
      assert.equal(other.json().error.code, "turnout.no_such_group");
      const dpo = await signIn(app, f.users.dpo.email);
      assert.equal(
        (await as(app, dpo, { url: `/api/ballots/${ballot}/turnout/summary.pdf` })).statusCode,
        403,
      );
    });
  });
}
