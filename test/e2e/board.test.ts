import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { OpenDatabase } from "../../src/db/connect.js";
import { seedBoard } from "../fixtures/board.js";
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
 * Done-when of the disputes unit board: the national officer opens it and sees the joint timetable with
 * a conflict, the overdue task and the escalated request, on a desktop and on a phone.
 */
describe("the disputes unit board", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    await seedBoard(open, f);
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
    test(`the national officer sees the timetable with a conflict, the overdue task and the late request (${device})`, async () => {
      const context = await web.browser.newContext({
        viewport,
        bypassCSP: true,
        isMobile: device === "phone",
      });
      await shiftBrowserClock(context);
      const page = await context.newPage();
      await signIn(page, web.base, f.users.national.email, PASSWORD);
      await page.goto(`${web.base}/board`);
      await page.getByRole("heading", { name: "Disputes unit board" }).waitFor();
      assert.ok(await page.getByRole("img", { name: "Joint timetable" }).isVisible());
      assert.ok(await page.getByRole("heading", { name: "Conflicts with the days of action" }).isVisible());
      assert.ok(await page.getByRole("heading", { name: "Day of action" }).isVisible());
      const overdue = page.getByRole("region", { name: /Overdue tasks/ });
      assert.ok(await overdue.getByText("Book the Leeds General hall").isVisible());
      const late = page.getByRole("region", { name: /Requests past their service level/ });
      assert.ok(await late.getByText("Check the notice wording").isVisible());
      assert.ok(await late.getByText("escalated").isVisible());
      assert.ok(await page.getByRole("heading", { name: "Every union's turnout" }).isVisible());
      const text = (await page.textContent("main")) ?? "";
      assert.doesNotMatch(text, /Member\d/);
      if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/board-${device}.png`, fullPage: true });
      assert.deepEqual(describeViolations(`board ${device}`, await axeViolations(page)), []);
      if (device === "phone") {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false, "the page scrolls sideways on a phone");
      }
      await context.close();
    });
  }
});
