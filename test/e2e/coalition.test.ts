import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { OpenDatabase } from "../../src/db/connect.js";
import { seedPublishedCoalition } from "../fixtures/coalition.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  shiftBrowserClock,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

const SCREENSHOTS = process.env.MANDATE_SCREENSHOTS ?? null;

/**
 * Done-when of the coalition: the coordinator sees two unions' aggregates and the joint timetable with
 * a conflict flagged, on a desktop and on a phone; a coalition observer sees the same, never a name.
 */
describe("the coalition screen", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    await seedPublishedCoalition(open, f);
    web = await openWebApp(open.db, CLOCK);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  for (const [device, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    test(`the coordinator sees both unions, the timeline and the conflict (${device})`, async () => {
      const context = await web.browser.newContext({
        viewport,
        bypassCSP: true,
        isMobile: device === "phone",
      });
      await shiftBrowserClock(context);
      const page = await context.newPage();
      await signIn(page, web.base, f.users.national.email, PASSWORD);
      await page.goto(`${web.base}/coalition`);
      await page.getByRole("heading", { name: "Conflicts with the days of action" }).waitFor();
      await page.getByRole("heading", { name: "Shared aggregates" }).waitFor();
      if (SCREENSHOTS)
        await page.screenshot({ path: `${SCREENSHOTS}/coalition-${device}.png`, fullPage: true });
      assert.ok(await page.getByRole("img", { name: "Joint timetable" }).isVisible());
      assert.ok(await page.getByText("Ballot closes too late").isVisible());
      assert.ok(
        await page
          .getByText(/earliest day of action is 14\/01\/2027|earliest day of action is 2027-01-14/)
          .isVisible(),
      );
      const aggregates = page.getByRole("region", { name: "Shared aggregates" });
      assert.ok(
        await aggregates
          .getByRole("heading", { name: /Default union/ })
          .first()
          .isVisible(),
      );
      assert.ok(await aggregates.getByRole("heading", { name: /Partner Union/ }).isVisible());
      assert.ok(
        await page.getByRole("heading", { name: "Employers balloted by several unions" }).isVisible(),
      );
      const text = (await page.textContent("main")) ?? "";
      assert.doesNotMatch(text, /Member\d|Ahmed|Brown/);
      if (SCREENSHOTS)
        await page.screenshot({ path: `${SCREENSHOTS}/coalition-${device}.png`, fullPage: true });
      assert.deepEqual(describeViolations(`coalition ${device}`, await axeViolations(page)), []);
      if (device === "phone") {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false, "the page scrolls sideways on a phone");
      }
      await context.close();
    });
  }
});
