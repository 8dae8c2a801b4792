import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { planActionDay } from "../../src/action/calendar.service.js";
import { setPayRules } from "../../src/action/pay.service.js";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { tokensOf } from "../fixtures/indicative.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import { browserSkipReason, openWebApp, shiftBrowserClock, signIn, type WebAppInBrowser } from "./browser.js";

/**
 * The day of action at a phone's size: the calendar says where a strike day is lawful and why not
 * elsewhere; a rep enters a member's strike pay claim in a few taps; the regional officer approves it;
 * the national officer's payment export holds it once, and a second export holds nothing. A member
 * claims for themselves through their strike pay link on a phone, and their day is paid once too.
 */
describe("day of action in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let disputeId: number;
  let rep: Page;
  let officer: Page;
  const shots = process.env.MANDATE_SCREENSHOTS;
  const shot = async (page: Page, name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, `action-${name}.png`), fullPage: true });
  };

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    const made = await createDisputeBallots(national, f, {
      ballots: [
        {
          key: "stJames",
          name: "St James's",
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
        },
        {
          key: "lgi",
          name: "Leeds General",
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.lgi,
        },
      ],
      // Frozen: strike pay links go to the members of the dispute's ballots.
      freeze: ["stJames", "lgi"],
    });
    disputeId = made.dispute.id;
    for (const key of ["stJames", "lgi"]) {
      await open.db
        .insertInto("ballot_results")
        .values({
          ballot_id: made.ballots[key]!,
          entitled: 10,
          votes_cast: 6,
          questions: JSON.stringify([]),
          source: "entered",
          evaluation: JSON.stringify({ mandateFor: ["strike"] }),
          declared_on: "2027-01-05",
          recorded_by: null,
          recorded_at: CLOCK.now(),
        })
        .execute();
    }
    // Notice at St James's only: Leeds General's day is not lawful, for want of a notice.
    await open.db
      .insertInto("action_notices")
      .values({
        ballot_id: made.ballots.stJames!,
        continuous: false,
        start_date: null,
        dates: JSON.stringify(["2027-01-20"]),
        kinds: ["strike"],
        given_on: "2027-01-06",
        shorter_notice_agreed: false,
        created_at: CLOCK.now(),
        created_by: null,
        employer_ids: [f.employers.leedsTrust],
      })
      .execute();
    await planActionDay(national, disputeId, { day: "2027-01-20", kind: "strike", types: [], note: "" });
    await setPayRules(national, disputeId, {
      ratePence: 5000,
      unpaidDays: 0,
      maxPaidDays: null,
      maxPencePerMember: null,
      hardshipMaxPence: 20_000,
      hardshipCriteria: ["income below threshold"],
    });
    web = await openWebApp(open.db, fixedClock("2027-01-21T10:00:00Z"));
    base = web.base;
    const desk = await web.browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    await shiftBrowserClock(desk);
    officer = await desk.newPage();
    const phone = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
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

  test("the calendar shows where the day is lawful, and why not elsewhere", async () => {
    await signIn(officer, base, f.users.national.email, PASSWORD);
    await officer.goto(`${base}/ballots/disputes/${disputeId}/action`);
    await officer.getByRole("heading", { name: "Days of action" }).waitFor();
    await officer.getByText("Lawful at 1 of 2 places.").waitFor();
    await officer.getByText(/No notice of strike action has been given/).waitFor();
    await shot(officer, "calendar-desktop");
    await signIn(rep, base, f.users.rep.email, PASSWORD);
    await rep.goto(`${base}/ballots/disputes/${disputeId}/action`);
    await rep.getByText("Lawful at 1 of 1 place.").waitFor();
    await shot(rep, "calendar-phone");
  });

  test("a rep enters a claim on a phone, the regional officer approves, the export holds it once", async () => {
    await rep.getByRole("button", { name: "Strike pay" }).click();
    await rep.getByLabel("Member (name or membership number)").fill("Ahmed");
    await rep.getByRole("button", { name: /Alex Ahmed/ }).click();
    await rep.getByLabel("Wednesday 20 Jan 2027").check();
    await rep.getByLabel("Evidence (a note)").fill("On the picket line all day.");
    await rep.getByRole("button", { name: "Enter the claim" }).click();
    await rep.getByText("Claim entered for Alex Ahmed.").waitFor();
    await rep.getByText("Strike pay for 20 Jan 2027").waitFor();
    await shot(rep, "claim-phone");
    // The same day again is refused: a day is paid once.
    await rep.getByLabel("Member (name or membership number)").fill("Ahmed");
    await rep.getByRole("button", { name: /Alex Ahmed/ }).click();
    await rep.getByLabel("Wednesday 20 Jan 2027").check();
    await rep.getByRole("button", { name: "Enter the claim" }).click();
    await rep.getByText(/already claimed: a day is paid once/).waitFor();
    assert.equal(await rep.getByRole("button", { name: "Approve" }).count(), 0, "reps do not approve");

    const regional = await web.browser.newPage({ viewport: { width: 390, height: 844 } });
    await shiftBrowserClock(regional.context());
    await signIn(regional, base, f.users.regional.email, PASSWORD);
    await regional.goto(`${base}/ballots/disputes/${disputeId}/action?tab=pay`);
    await regional.getByRole("button", { name: "Approve" }).click();
    await regional.getByText("No claims here.").waitFor();
    await regional.getByLabel("Show").selectOption("approved");
    await regional.getByText("Strike pay for 20 Jan 2027").waitFor();
    await shot(regional, "approved-phone");
    await regional.close();

    await officer.goto(`${base}/ballots/disputes/${disputeId}/action?tab=pay`);
    await officer.getByLabel("From").fill("2027-01-01");
    await officer.getByLabel("To").fill("2027-01-31");
    const [download] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Export payments (CSV)" }).click(),
    ]);
    const file = await download.path();
    const csv = fs.readFileSync(file!, "utf8");
    assert.equal(csv.match(/strike_pay,2027-01-20/g)?.length, 1);
    assert.match(csv, /Ahmed,Alex,.*strike_pay,2027-01-20,5000,50\.00/);
    await shot(officer, "export-desktop");
    const [again] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Export payments (CSV)" }).click(),
    ]);
    assert.doesNotMatch(fs.readFileSync((await again.path())!, "utf8"), /2027-01-20/);
  });

  test("a member claims through their strike pay link on a phone, the officer approves, the export holds it once", async () => {
    await officer.goto(`${base}/ballots/disputes/${disputeId}/action?tab=pay`);
    const [linksFile] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Issue strike pay links (CSV)" }).click(),
    ]);
    await officer.getByText(/link\(s\) issued: the file downloaded is their only copy/).waitFor();
    const tokens = tokensOf(fs.readFileSync((await linksFile.path())!, "utf8"));
    // Not Alex Ahmed, whose day the rep has already claimed.
    const ahmed = await open.db
      .selectFrom("members")
      .select("membership_number")
      .where("union_id", "=", f.unionId)
      .where("surname", "=", "Ahmed")
      .executeTakeFirstOrThrow();
    const [number, token] = [...tokens].find(([n]) => n !== ahmed.membership_number)!;

    const phone = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await shiftBrowserClock(phone);
    const member = await phone.newPage();
    await member.goto(`${base}/m#${token}`);
    await member.getByRole("heading", { name: /^Strike pay: / }).waitFor();
    await member.getByLabel("20 Jan 2027").check();
    await member.getByLabel(/What shows this/).fill("On the picket line at the main gate.");
    await member.getByRole("button", { name: "Send my claim" }).click();
    await member.getByText("Thank you: your claim is sent.", { exact: false }).waitFor();
    await member.getByText("20 Jan 2027: claimed, waiting for approval", { exact: true }).waitFor();
    await member.getByText("Strike pay for 20 Jan 2027: claimed, waiting for approval").waitFor();
    await shot(member, "member-claim-phone");
    await phone.close();

    const regional = await web.browser.newPage({ viewport: { width: 390, height: 844 } });
    await shiftBrowserClock(regional.context());
    await signIn(regional, base, f.users.regional.email, PASSWORD);
    await regional.goto(`${base}/ballots/disputes/${disputeId}/action?tab=pay`);
    await regional.getByText("On the picket line at the main gate.").waitFor();
    await regional.getByRole("button", { name: "Approve" }).click();
    await regional.getByText("No claims here.").waitFor();
    await regional.close();

    await officer.getByLabel("From").fill("2027-01-01");
    await officer.getByLabel("To").fill("2027-01-31");
    const [download] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Export payments (CSV)" }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    assert.equal(csv.match(new RegExp(`${number},.*strike_pay,2027-01-20`, "g"))?.length, 1, csv);
    const [again] = await Promise.all([
      officer.waitForEvent("download"),
      officer.getByRole("button", { name: "Export payments (CSV)" }).click(),
    ]);
    assert.doesNotMatch(fs.readFileSync((await again.path())!, "utf8"), /2027-01-20/);
  });
});
