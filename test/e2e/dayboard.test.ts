import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { addCoalitionMember, agreeToCoalition, createCoalition } from "../../src/coalition/index.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
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

/**
 * The day itself at a phone's size: a rep reports a picket up and numbers out at St James's; the
 * national board's figures move and the workplace is on the map (drawn with no network); axe finds
 * nothing on either screen. (The strike pay flow is covered in action.test.ts.)
 */
describe("the day of action's board in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let rep: Page;
  let officer: Page;
  const DAY = "2027-01-20";
  const shots = process.env.MANDATE_SCREENSHOTS;
  const shot = async (page: Page, name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, `dayboard-${name}.png`), fullPage: true });
  };

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    web = await openWebApp(open.db, fixedClock(`${DAY}T10:00:00Z`));
    base = web.base;
    const phone = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      bypassCSP: true,
    });
    await shiftBrowserClock(phone);
    rep = await phone.newPage();
    const officerPhone = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      bypassCSP: true,
    });
    await shiftBrowserClock(officerPhone);
    officer = await officerPhone.newPage();
    // No request leaves the machine: the map's boundaries ship with the application.
    for (const page of [rep, officer]) {
      await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    }
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("the national board starts empty", async () => {
    await signIn(officer, base, f.users.national.email, PASSWORD);
    await officer.goto(`${base}/action/board?day=${DAY}`);
    await officer.getByRole("heading", { name: "Day of action board" }).waitFor();
    await officer.getByText("No reports yet.").waitFor();
  });

  test("a rep reports a picket up and numbers out on a phone; the board moves and maps the workplace", async () => {
    await signIn(rep, base, f.users.rep.email, PASSWORD);
    await rep.goto(`${base}/action/report?day=${DAY}`);
    await rep.getByRole("heading", { name: "St James's University Hospital" }).waitFor();
    await rep.getByText("Opposed in principle", { exact: true }).waitFor();
    await rep.getByLabel("Yes").check();
    await rep.getByLabel("Out on strike", { exact: true }).fill("37");
    await rep.getByRole("button", { name: "At work: one more" }).click();
    await rep.getByRole("button", { name: "Exempt for cover: one more" }).click();
    await rep.getByRole("button", { name: "Exempt for cover: one more" }).click();
    await rep.getByRole("button", { name: "Send the report" }).click();
    await rep.getByText("Report sent: 37 out at St James's University Hospital.").waitFor();
    await shot(rep, "report-phone");
    const repProblems = describeViolations("rep /action/report", await axeViolations(rep));

    // The board: the kept figures last a moment, then the page's next load shows the report.
    await new Promise((r) => setTimeout(r, 2200));
    await officer.reload();
    const out = officer.locator(".stat", { hasText: "Out on strike" }).locator("dd");
    await officer.waitForFunction(() => {
      const stat = [...document.querySelectorAll(".stat")].find((s) =>
        s.textContent?.includes("Out on strike"),
      );
      return stat?.querySelector("dd")?.textContent === "37";
    });
    assert.equal(await out.textContent(), "37");
    assert.equal(
      await officer.locator(".stat", { hasText: "Picket lines up" }).locator("dd").textContent(),
      "1",
    );
    assert.equal(
      await officer.locator(".stat", { hasText: "Cover in place" }).locator("dd").textContent(),
      "1",
    );
    const dot = officer.locator(`svg.uk-map circle[data-workplace="${f.workplaces.stJames}"]`);
    await dot.waitFor();
    assert.equal(await dot.getAttribute("fill"), "#1d6330", "green: picket up");
    assert.ok((await officer.locator("svg.uk-map path.land").count()) >= 1, "the UK is drawn");
    await officer.getByRole("row", { name: /St James's University Hospital Picket up 37/ }).waitFor();
    await shot(officer, "board-phone");
    await officer.setViewportSize({ width: 1280, height: 800 });
    await shot(officer, "board-desktop");
    const problems = [
      ...repProblems,
      ...describeViolations("national /action/board", await axeViolations(officer)),
    ];
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test("an incident recorded by the rep shows on the board; the officer adds a follow-up and closes it", async () => {
    await rep.goto(`${base}/action/board?day=${DAY}`);
    await rep
      .getByLabel("Workplace", { exact: true })
      .selectOption({ label: "St James's University Hospital" });
    await rep.getByLabel("Kind").selectOption("police");
    await rep.getByLabel(/What happened/).fill("Police asked the line to move back from the main gate.");
    await rep.getByRole("button", { name: "Record the incident" }).click();
    // In the log (the form's own box may still hold the words for a moment as it clears).
    await rep
      .getByRole("article")
      .getByText("Police asked the line to move back from the main gate.")
      .waitFor();
    assert.equal(
      await rep.getByRole("button", { name: "Close the incident" }).count(),
      0,
      "reps do not manage",
    );
    await officer.goto(`${base}/action/board?day=${DAY}`);
    await officer
      .getByRole("article")
      .getByText("Police asked the line to move back from the main gate.")
      .waitFor();
    await officer.getByLabel("Who").fill("Regional organiser");
    await officer.getByLabel("What", { exact: true }).fill("Call the police liaison officer");
    await officer.getByRole("button", { name: "Add the follow-up" }).click();
    await officer.getByText(/Regional organiser: Call the police liaison officer/).waitFor();
    await officer.getByRole("button", { name: "Close the incident" }).click();
    await officer.getByRole("button", { name: "Reopen the incident" }).waitFor();
    await shot(officer, "incident-desktop");
  });

  test("by union: the coalition's other unions' totals on the day, beside the union's own", async () => {
    const national = { db: open.db, actor: f.actors.national, clock: CLOCK };
    const coalition = await createCoalition(national, {
      name: "Joint day coalition",
      key: "hpsu",
      daysOfAction: [DAY],
    });
    await addCoalitionMember(national, coalition.id, {
      key: "partner",
      name: "Partner Union",
      unionSlug: "partner",
    });
    await agreeToCoalition({ db: open.db, actor: f.actors.partnerNational, clock: CLOCK }, coalition.id);
    // The partner's own board on this installation: one workplace with 14 out and a picket up.
    const employer = await open.db
      .insertInto("employers")
      .values({ union_id: f.partnerUnionId, name: "Partner employer" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const site = await open.db
      .insertInto("workplaces")
      .values({ union_id: f.partnerUnionId, employer_id: employer.id, name: "Partner site" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await open.db
      .insertInto("action_board_workplaces")
      .values({
        union_id: f.partnerUnionId,
        day: DAY,
        workplace_id: site.id,
        out_count: 14,
        picket_up: true,
        reports: 1,
      })
      .execute();
    await officer.goto(`${base}/action/board?day=${DAY}`);
    const byUnion = officer.getByRole("region", { name: "By union" });
    await byUnion.getByRole("row", { name: /Partner Union 1 14 0 0 1 0 0/ }).waitFor();
    await byUnion.getByRole("row", { name: /Default union 1 37/ }).waitFor();
    await byUnion.getByText(/totals they share with the coalition, with no workplace named/).waitFor();
    // No partner workplace is listed among the union's own.
    assert.equal(await officer.getByText("Partner site").count(), 0);
    await shot(officer, "by-union-desktop");
  });
});
