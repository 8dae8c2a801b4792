import assert from "node:assert/strict";
import fs from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { importReturns, recordSelfReport } from "../../src/turnout/index.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

/**
 * A national officer opens a ballot's Turnout tab eight days into the ballot: the dashboard (figures,
 * charts, constituencies by status), a region's view, the printable summary, readiness and the aggregation
 * advisor; a regional officer sees their region's constituencies only. Screenshots go to
 * MANDATE_SCREENSHOTS when it is set.
 */
describe("turnout dashboards in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let page: Page;
  let ballots: Record<string, number>;
  const DURING = fixedClock("2026-12-15T10:00:00Z");
  const shots = process.env.MANDATE_SCREENSHOTS;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    const { employers: e, workplaces: w } = f;
    ({ ballots } = await createDisputeBallots(national, f, {
      ballots: [
        { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
        { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
        { key: "bradford", name: "Bradford", employerId: e.bradfordCouncil, workplaceId: null },
      ],
      freeze: ["stJames", "camden", "bradford"],
    }));
    const during: Ctx = { ...national, clock: DURING };
    await importReturns(during, ballots.stJames!, {
      fileName: "returns.csv",
      csv: [
        "constituency,date,papers_returned",
        "St James's,2026-12-09,0",
        "St James's,2026-12-12,1",
        "St James's,2026-12-14,2",
        "Camden,2026-12-14,1",
        "Bradford,2026-12-14,1",
      ].join("\n"),
    });
    await recordSelfReport(during, ballots.stJames!, {
      memberId: f.members.stJames[0]!,
      kind: "will_vote",
      source: "rep_conversation",
    });
    web = await openWebApp(open.db, DURING);
    base = web.base;
    // axe-core is injected as a script: the app's policy refuses it unless bypassed.
    page = await (
      await web.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    ).newPage();
    await signIn(page, base, f.users.national.email, PASSWORD);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("the national dashboard: figures, the three charts, constituencies by status", async () => {
    await page.goto(`${base}/ballots/${ballots.stJames}?tab=turnout`);
    const dash = page.getByTestId("turnout-dashboard");
    await dash.waitFor();
    const text = (await dash.textContent()) ?? "";
    assert.match(text, /Turnout: Pay 2026, national/);
    assert.match(text, /Constituencies3/);
    for (const title of ["Returns over time", "Votes needed", "Contact activity"])
      assert.ok(await page.getByRole("heading", { name: title }).isVisible(), title);
    await page.locator(".recharts-line").first().waitFor();
    assert.equal(await page.locator("[data-testid=by-status-table] tbody tr").count(), 3);
    const violations = await axeViolations(page);
    assert.deepEqual(describeViolations("turnout dashboard", violations), []);
    if (shots) await page.screenshot({ path: `${shots}/turnout-dashboard-desktop.png`, fullPage: true });
  });

  test("a region's view; the printed summary leaves out the navigation", async () => {
    await page.getByLabel("View", { exact: true }).selectOption("region");
    await page.getByLabel("Region", { exact: true }).selectOption({ label: "Greater London" });
    await page.getByText("Turnout: Pay 2026, Greater London").waitFor();
    assert.equal(await page.locator("[data-testid=by-status-table] tbody tr").count(), 1);
    // The same view as a PDF to print.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Summary as PDF" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^turnout-summary-ballot-\d+-region-\d+\.pdf$/);
    const pdf = await fs.readFile((await download.path())!);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator(".topbar").isVisible(), false);
    assert.equal(await page.getByRole("button", { name: "Print the day's summary" }).isVisible(), false);
    if (shots) await page.screenshot({ path: `${shots}/turnout-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });
  });

  test("readiness and the advisor", async () => {
    await page.goto(`${base}/ballots/${ballots.stJames}?tab=turnout&view=readiness`);
    const readiness = page.getByTestId("turnout-readiness");
    await readiness.waitFor();
    assert.equal(await readiness.locator("tbody tr").count(), 3);
    assert.match((await readiness.textContent()) ?? "", /frozen electorate/);
    await page.goto(`${base}/ballots/${ballots.stJames}?tab=turnout&view=advisor`);
    await page.getByRole("button", { name: "Compare" }).click();
    const table = page.getByTestId("advice-table");
    await table.waitFor();
    assert.equal(await table.locator("tbody tr").count(), 4);
    assert.match((await table.textContent()) ?? "", /s\.228A\(4\)/);
    const violations = await axeViolations(page);
    assert.deepEqual(describeViolations("aggregation advisor", violations), []);
    if (shots) await page.screenshot({ path: `${shots}/turnout-advisor-desktop.png`, fullPage: true });
  });

  test("on a phone, and for a regional officer: their region's constituencies only", async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const phone = await context.newPage();
    await signIn(phone, base, f.users.regional.email, PASSWORD);
    await phone.goto(`${base}/ballots/${ballots.stJames}?tab=turnout`);
    await phone.getByTestId("turnout-dashboard").waitFor();
    const names = await phone
      .locator("[data-testid=by-status-table] tbody tr td:nth-child(2)")
      .allTextContents();
    assert.deepEqual(names.sort(), ["Bradford", "St James's"]);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, "no sideways scrolling of the page on a phone");
    if (shots) await phone.screenshot({ path: `${shots}/turnout-dashboard-phone.png`, fullPage: true });
    await context.close();
  });
});
