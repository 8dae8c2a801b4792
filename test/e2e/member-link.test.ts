import assert from "node:assert/strict";
import fs from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { tokensOf } from "../fixtures/indicative.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, frozenStJamesBallot, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  phonePage,
  shiftBrowserClock,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

const SCREENSHOTS = process.env.MANDATE_SCREENSHOTS ?? null;
/** Eight days into the ballot (it opens on 7 December 2026). */
const DURING = fixedClock("2026-12-15T10:00:00Z");

/**
 * Done-when of the member link for a statutory ballot: a national officer issues the links of a
 * frozen electorate on the ballot's Turnout tab, a member opens theirs on a phone and taps "I have
 * voted", and they leave the rep's list of members not yet reported voted while the officer's
 * turnout counts the report.
 */
describe("a statutory ballot's member link, on a phone", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let ballotId: number;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    ballotId = await frozenStJamesBallot(national, f);
    web = await openWebApp(open.db, DURING);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("the officer issues links, the member reports voted on a phone, and leaves the rep's list", async () => {
    const { base, browser } = web;
    const member = await open.db
      .selectFrom("members")
      .select(["membership_number", "forenames", "surname"])
      .where("id", "=", f.members.stJames[0]!)
      .executeTakeFirstOrThrow();
    const fullName = `${member.forenames} ${member.surname}`;

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await shiftBrowserClock(desk);
    const officer = await desk.newPage();
    await signIn(officer, base, f.users.national.email, PASSWORD);
    await officer.goto(`${base}/ballots/${ballotId}?tab=turnout&view=reports`);
    await officer.getByRole("heading", { name: "Member links" }).waitFor();
    // The printable sheet first (issuing again below replaces its links).
    const [sheet] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Issue as a printable sheet (PDF)" }).click(),
    ]);
    const pdf = await fs.readFile((await sheet.path())!);
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    assert.equal(sheet.suggestedFilename(), `member-links-ballot-${ballotId}.pdf`);
    const [download] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Issue links (CSV)" }).click(),
    ]);
    const csv = await fs.readFile((await download.path())!, "utf8");
    const tokens = tokensOf(csv);
    const token = tokens.get(member.membership_number)!;
    assert.ok(token, "the member's link is in the file");
    const url = new RegExp(`(http://\\S+/m#${token})`).exec(csv)![1]!;
    await officer.getByText(/links issued and downloaded/).waitFor();
    const voted = officer.getByTestId("reports-voted");
    assert.equal((await voted.textContent())?.trim(), "0");
    await officer
      .getByRole("table", { name: "Member links" })
      .getByRole("cell", { name: fullName })
      .waitFor();

    // The rep of St James's sees the member among those not yet reported voted.
    const repDesk = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await shiftBrowserClock(repDesk);
    const rep = await repDesk.newPage();
    await signIn(rep, base, f.users.rep.email, PASSWORD);
    await rep.goto(`${base}/ballots/${ballotId}?tab=turnout&view=reports`);
    const repList = rep.getByTestId("not-voted");
    await repList.getByText(fullName).waitFor();

    const page = await phonePage(browser);
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url);
    await page.getByRole("heading", { name: `Hello ${member.forenames}` }).waitFor();
    await page.getByRole("heading", { name: "St James's" }).waitFor();
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/statutory-link.png`, fullPage: true });
    assert.deepEqual(describeViolations("statutory member link", await axeViolations(page)), []);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, "the member's page scrolls sideways on a phone");

    // Asking for a replacement needs a reason; then the member reports having voted.
    await page.getByRole("button", { name: "I need a replacement paper" }).tap();
    await page.getByRole("group", { name: "Why do you need a new paper?" }).waitFor();
    if (SCREENSHOTS)
      await page.screenshot({ path: `${SCREENSHOTS}/statutory-replacement.png`, fullPage: true });
    assert.deepEqual(describeViolations("replacement form", await axeViolations(page)), []);
    await page.getByRole("button", { name: "Cancel" }).tap();
    await page.getByRole("button", { name: "I have voted" }).tap();
    await page.getByText("you have told us you voted").waitFor();
    assert.equal(await page.getByRole("button", { name: "I have voted" }).count(), 0);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/statutory-voted.png`, fullPage: true });
    assert.deepEqual(describeViolations("after voting", await axeViolations(page)), []);
    assert.ok(!requests.some((r) => r.includes(token)), "the token went to the server in a URL");

    // Within a minute (the screens poll every 5 seconds): off the rep's list, counted for the officer.
    await rep.waitForFunction(
      (name) => !document.querySelector('[data-testid="not-voted"]')?.textContent?.includes(name),
      fullName,
      { timeout: 30_000 },
    );
    await officer.waitForFunction(
      () => document.querySelector('[data-testid="reports-voted"]')?.textContent?.trim() === "1",
      undefined,
      { timeout: 30_000 },
    );
    if (SCREENSHOTS)
      await officer.screenshot({ path: `${SCREENSHOTS}/statutory-officer.png`, fullPage: true });

    // A second visit says so again and offers no second report; only one report is stored.
    await page.reload();
    await page.getByText("you have told us you voted").waitFor();
    const rows = await open.db
      .selectFrom("turnout_self_reports")
      .select(["kind", "source"])
      .where("ballot_id", "=", ballotId)
      .execute();
    assert.deepEqual(rows, [{ kind: "voted", source: "member_link" }]);
    await page.context().close();
    await repDesk.close();
    await desk.close();
  });

  test("the officer imports the scrutineer's feed of papers returned; the member leaves the rep's list", async () => {
    const { base, browser } = web;
    const member = await open.db
      .selectFrom("members")
      .select(["membership_number", "forenames", "surname"])
      .where("id", "=", f.members.stJames[1]!)
      .executeTakeFirstOrThrow();
    const fullName = `${member.forenames} ${member.surname}`;
    const repDesk = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await shiftBrowserClock(repDesk);
    const rep = await repDesk.newPage();
    await signIn(rep, base, f.users.rep.email, PASSWORD);
    await rep.goto(`${base}/ballots/${ballotId}?tab=turnout&view=reports`);
    await rep.getByTestId("not-voted").getByText(fullName).waitFor();
    // Reps do not import the scrutineer's feed.
    assert.equal(await rep.getByRole("heading", { name: "Scrutineer's feed of papers returned" }).count(), 0);

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await shiftBrowserClock(desk);
    const officer = await desk.newPage();
    await signIn(officer, base, f.users.national.email, PASSWORD);
    await officer.goto(`${base}/ballots/${ballotId}?tab=turnout&view=reports`);
    await officer.getByRole("heading", { name: "Scrutineer's feed of papers returned" }).waitFor();
    const file = (csv: string) => ({
      name: "papers-returned.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    // A bad row refuses the file, naming its line and field.
    await officer.getByLabel("Papers returned (CSV)").setInputFiles(file("membership_number\nNOSUCH\n"));
    await officer.getByRole("button", { name: "Import papers returned" }).click();
    await officer.getByText(/papers-returned\.csv:2: membership_number: "NOSUCH" is not a member/).waitFor();
    assert.deepEqual(describeViolations("feed refused", await axeViolations(officer)), []);
    await officer
      .getByLabel("Papers returned (CSV)")
      .setInputFiles(file(`membership_number\n${member.membership_number}\n`));
    await officer.getByRole("button", { name: "Import papers returned" }).click();
    await officer
      .getByTestId("voted-feed-result")
      .getByText(/1 member recorded as having voted/)
      .waitFor();
    assert.deepEqual(describeViolations("feed imported", await axeViolations(officer)), []);
    if (SCREENSHOTS) await officer.screenshot({ path: `${SCREENSHOTS}/scrutineer-feed.png`, fullPage: true });
    await rep.waitForFunction(
      (name) => !document.querySelector('[data-testid="not-voted"]')?.textContent?.includes(name),
      fullName,
      { timeout: 30_000 },
    );
    const rows = await open.db
      .selectFrom("turnout_self_reports")
      .select(["member_id", "source"])
      .where("ballot_id", "=", ballotId)
      .where("source", "=", "scrutineer")
      .execute();
    assert.deepEqual(rows, [{ member_id: f.members.stJames[1], source: "scrutineer" }]);
    await repDesk.close();
    await desk.close();
  });
});
