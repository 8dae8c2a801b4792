import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { OpenDatabase } from "../../src/db/connect.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

/**
 * A national officer publishes an announcement to reps and makes the daily digests; a rep opens it on a
 * phone, and the officer sees the receipt. Screenshots go to MANDATE_SCREENSHOTS when it is set.
 */
describe("bulletins in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  const shots = process.env.MANDATE_SCREENSHOTS;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    web = await openWebApp(open.db, CLOCK);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("a national officer publishes to reps; a rep opens it on a phone; the officer sees the receipt", async () => {
    const { page, base } = web;
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page.goto(`${base}/bulletins`);
    await page.getByText("Publish a bulletin").click();
    await page.getByLabel("Title").fill("Picket lines on 12 January");
    await page.getByLabel("Text").fill("Meet at the main gate from 6am. Bring the union's banners.");
    await page.getByLabel("Workplace reps").check();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("heading", { name: "Picket lines on 12 January" }).waitFor();
    await page.getByRole("button", { name: "Make today's digests" }).click();
    await page.getByText(/3 digests made/).waitFor();

    const context = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      bypassCSP: true,
    });
    const phone = await context.newPage();
    await signIn(phone, base, f.users.rep.email, PASSWORD);
    await phone.goto(`${base}/bulletins`);
    const card = phone
      .getByRole("listitem")
      .filter({ has: phone.getByRole("heading", { name: "Picket lines on 12 January" }) });
    await card.getByText("New").waitFor();
    await card.getByText("Read", { exact: true }).click();
    await card.getByText(/Meet at the main gate/).waitFor();
    await card.getByText("New").waitFor({ state: "detached" });
    // The rep sees their region's digest, not London's.
    await phone.getByRole("heading", { name: /Daily digest: Yorkshire/ }).waitFor();
    assert.equal(await phone.getByRole("heading", { name: /Greater London/ }).count(), 0);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (shots) await phone.screenshot({ path: `${shots}/bulletins-phone.png`, fullPage: true });
    assert.equal(overflow, false, "no sideways scrolling of the page on a phone");
    assert.deepEqual(describeViolations("bulletins", await axeViolations(phone)), []);
    await context.close();

    await page.reload();
    const mine = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: "Picket lines on 12 January" }) });
    await mine.getByText("Who has read it").click();
    await mine.getByText("Read by 1 of 1.").waitFor();
    if (shots) await page.screenshot({ path: `${shots}/bulletins-desktop.png`, fullPage: true });
  });
});
