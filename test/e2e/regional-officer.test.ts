import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { OpenDatabase } from "../../src/db/connect.js";
import { DEMO_PASSWORD } from "../../src/demo/demo.generate.js";
import { seedDemo } from "../../src/demo/demo.seed.js";
import { systemClock } from "../../src/shared/clock.js";
import { createTestDb } from "../helpers/db.js";
import { systemActor } from "../helpers/fixtures.js";
import { browserSkipReason, openWebApp, signIn, type WebAppInBrowser } from "./browser.js";

/**
 * A regional officer signs in, sees only their region's members, opens one,
 * and cannot open a member of another region by typing its address.
 */
describe("regional officer in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let web: WebAppInBrowser;
  let page: Page;
  let base: string;
  let yorkshireId: number;

  before(async () => {
    open = await createTestDb("pglite");
    await seedDemo({ db: open.db, actor: systemActor(1), clock: systemClock }, { members: 3000, seed: 11 });
    yorkshireId = (
      await open.db
        .selectFrom("regions")
        .select("id")
        .where("code", "=", "yorkshire-humberside")
        .executeTakeFirstOrThrow()
    ).id;
    web = await openWebApp(open.db, systemClock);
    ({ base, page } = web);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("every screen address, the home page included, serves the web app", async () => {
    for (const address of ["/", "/members/123", "/employers"]) {
      const res = await fetch(`${base}${address}`);
      assert.equal(res.status, 200, address);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    }
    const missingAsset = await fetch(`${base}/assets/nope.js`);
    assert.equal(missingAsset.status, 404, "a missing asset is not answered with the page");
  });

  test("signs in and sees their scope", async () => {
    await signIn(page, base, "yorkshire.officer@demo.mandate.test", DEMO_PASSWORD);
    const scope = await page.getByTestId("scope-label").textContent();
    assert.match(scope ?? "", /Yorkshire/);
  });

  test("the member list holds only members of Yorkshire", async () => {
    await page.goto(`${base}/members`);
    await page.locator("table tbody tr a[href*='/members/']").first().waitFor();
    const hrefs = await page
      .locator("table tbody tr a[href*='/members/']")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    const ids = [...new Set(hrefs.map((h) => Number(h.split("/members/")[1])))].filter((n) =>
      Number.isInteger(n),
    );
    assert.ok(ids.length >= 10, `expected a page of members, got ${ids.length}`);
    const regions = await open.db.selectFrom("members").select("region_id").where("id", "in", ids).execute();
    assert.equal(regions.length, ids.length);
    assert.ok(
      regions.every((r) => r.region_id === yorkshireId),
      "every listed member is in the officer's region",
    );
  });

  test("opens a member of their region", async () => {
    const link = page.locator("table tbody tr a[href*='/members/']").first();
    const href = (await link.getAttribute("href")) ?? "";
    const id = Number(href.split("/members/")[1]);
    const member = await open.db
      .selectFrom("members")
      .select("membership_number")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    await link.click();
    await page.getByTestId("membership-number").waitFor();
    assert.equal(
      (await page.getByTestId("membership-number").textContent())?.trim(),
      member.membership_number,
    );
  });

  test("a member of another region, opened by URL, is not found", async () => {
    const other = await open.db
      .selectFrom("members")
      .select(["id", "membership_number", "surname"])
      .where("region_id", "!=", yorkshireId)
      .where("region_id", "is not", null)
      .orderBy("id")
      .limit(1)
      .executeTakeFirstOrThrow();
    await page.goto(`${base}/members/${other.id}`);
    await page
      .getByText(/not found/i)
      .first()
      .waitFor();
    const body = (await page.textContent("body")) ?? "";
    assert.doesNotMatch(body, new RegExp(other.membership_number));
    assert.equal(await page.getByTestId("membership-number").count(), 0);
  });
});
