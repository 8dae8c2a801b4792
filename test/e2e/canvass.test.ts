import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, frozenStJamesBallot, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  shiftBrowserClock,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

/**
 * Contact lists at a phone's size: an officer assigns St James's list to its rep; the rep, on a
 * phone, taps "Has voted" for one member (who leaves the list at once) and "Not in" for another; the
 * officer's progress and the constituency's "said they voted" move. The server's day is eight days
 * into the ballot.
 */
describe("contact lists in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let ballotId: number;
  let rep: Page;
  let officer: Page;
  const shots = process.env.MANDATE_SCREENSHOTS;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    ballotId = await frozenStJamesBallot(national, f);
    web = await openWebApp(open.db, fixedClock("2026-12-15T10:00:00Z"));
    base = web.base;
    // Contexts that let axe-core's script in past the app's Content Security Policy.
    const desk = await web.browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await shiftBrowserClock(desk);
    officer = await desk.newPage();
    const phone = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await shiftBrowserClock(phone);
    rep = await phone.newPage();
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("the officer assigns St James's list to its rep", async () => {
    await signIn(officer, base, f.users.national.email, PASSWORD);
    await officer.goto(`${base}/ballots/${ballotId}/canvass`);
    await officer.getByRole("heading", { name: "Contact progress" }).waitFor();
    await officer.getByLabel("Rep").selectOption(String(f.users.rep.id));
    await officer.getByLabel("Workplace").selectOption(String(f.workplaces.stJames));
    await officer.getByRole("button", { name: "Assign this ballot's list" }).click();
    const row = officer.getByTestId("assignments").locator("tbody tr").first();
    await row.waitFor();
    assert.match(
      (await row.textContent()) ?? "",
      /rep.*St James's.*St James's University Hospital.*3.*0.*0.*0/,
    );
  });

  test("on a phone, the rep logs outcomes with one tap each; the member who voted leaves the list", async () => {
    await signIn(rep, base, f.users.rep.email, PASSWORD);
    await rep.goto(`${base}/ballots/${ballotId}/canvass`);
    const cards = rep.getByTestId("canvass-member");
    await cards.first().waitFor();
    assert.equal(await cards.count(), 3);
    assert.match((await rep.getByTestId("list-total").textContent()) ?? "", /^3 members still to reach/);
    // Nothing sideways to scroll at a phone's width.
    const overflow = await rep.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    const ahmed = cards.filter({ hasText: "Alex Ahmed" });
    const button = ahmed.getByRole("button", { name: "Has voted" });
    const box = await button.boundingBox();
    assert.ok(box && box.height >= 44, "a thumb-sized button");
    if (shots) await rep.screenshot({ path: `${shots}/canvass-phone-before.png`, fullPage: true });
    assert.deepEqual(describeViolations("rep's list", await axeViolations(rep)), []);
    await button.tap();
    await rep.getByTestId("logged").getByText("Alex Ahmed: has voted.").waitFor();
    await rep
      .getByTestId("list-total")
      .getByText(/^2 members still to reach/)
      .waitFor();
    assert.equal(await cards.filter({ hasText: "Alex Ahmed" }).count(), 0);
    await rep.getByLabel("In person").check();
    await cards.filter({ hasText: "Alex Brown" }).getByRole("button", { name: "Not in" }).tap();
    await rep.getByTestId("logged").getByText("Alex Brown: not in.").waitFor();
    await cards
      .filter({ hasText: "Alex Brown" })
      .getByText(/last: .*not in/)
      .waitFor();
    if (shots) await rep.screenshot({ path: `${shots}/canvass-phone-after.png`, fullPage: true });
    const contacts = await open.db
      .selectFrom("canvass_contacts")
      .select(["member_id", "contact_type", "outcome"])
      .orderBy("id")
      .execute();
    assert.deepEqual(contacts, [
      { member_id: f.members.stJames[0], contact_type: "phone", outcome: "reached" },
      { member_id: f.members.stJames[1], contact_type: "conversation", outcome: "not_in" },
    ]);
  });

  test("the officer's dashboard moves", async () => {
    await officer.reload();
    const row = officer.getByTestId("assignments").locator("tbody tr").first();
    await row.getByTestId("reported-voted").getByText("1").waitFor();
    assert.match((await row.textContent()) ?? "", /3.*2.*1.*1/);
    assert.equal(await officer.getByTestId(`said-voted-${ballotId}`).textContent(), "1");
    if (shots) await officer.screenshot({ path: `${shots}/canvass-officer.png`, fullPage: true });
    assert.deepEqual(describeViolations("officer's progress", await axeViolations(officer)), []);
  });

  test("a member recorded as opposed in principle leaves the rep's list, and keeps their paper", async () => {
    const oconnor = f.members.stJames[2]!;
    await rep.goto(`${base}/members/${oconnor}`);
    await rep.getByRole("button", { name: "Record as opposed in principle" }).tap();
    await rep
      .getByTestId("member-position")
      .getByText(/^Opposed in principle/)
      .waitFor();
    await rep.goto(`${base}/ballots/${ballotId}/canvass`);
    await rep
      .getByTestId("list-total")
      .getByText(/^1 member still to reach/)
      .waitFor();
    assert.equal(await rep.getByTestId("canvass-member").filter({ hasText: "O'Connor" }).count(), 0);
    const row = await open.db
      .selectFrom("ballot_electorate")
      .select(["included", "paper_number"])
      .where("ballot_id", "=", ballotId)
      .where("member_id", "=", oconnor)
      .executeTakeFirstOrThrow();
    assert.ok(row.included && row.paper_number);
  });
});
