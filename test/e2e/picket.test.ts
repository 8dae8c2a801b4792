import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { planActionDay } from "../../src/action/calendar.service.js";
import { addExemption, recordCover } from "../../src/action/cover.service.js";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import { browserSkipReason, openWebApp, shiftBrowserClock, signIn, type WebAppInBrowser } from "./browser.js";

/**
 * Picket lines and cover at a phone's size: the regional officer adds a picket line and names the
 * supervisor (the screen says no supervisor is required by law on the day, with the citation); the rep
 * puts a member on the rota; a member opposed in principle is refused; the cover agreed shows numbers.
 */
describe("picket lines and cover in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let disputeId: number;
  let officer: Page;
  let rep: Page;
  const shots = process.env.MANDATE_SCREENSHOTS;
  const shot = async (page: Page, name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, `picket-${name}.png`), fullPage: true });
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
      ],
    });
    disputeId = made.dispute.id;
    await planActionDay(national, disputeId, { day: "2027-01-20", kind: "strike", types: [], note: "" });
    await open.db
      .insertInto("member_positions")
      .values({
        union_id: f.unionId,
        member_id: f.members.stJames[1]!,
        opposed_in_principle: true,
        recorded_by: null,
        recorded_at: CLOCK.now(),
      })
      .execute();
    const cover = await recordCover(national, disputeId, "2027-01-20", {
      employerId: f.employers.leedsTrust,
      items: [{ service: "Emergency department", post: "Band 5 nurse", number: 3 }],
      unionAgreedName: "Regional organiser",
      employerAgreedName: "Director of workforce",
      employerAgreedRole: "",
      agreedAt: "2027-01-15T15:00:00Z",
      namingAgreed: false,
      note: "",
    });
    await addExemption(national, cover.id, {
      workplaceId: f.workplaces.stJames,
      memberId: null,
      number: 3,
      post: "",
    });
    web = await openWebApp(open.db, fixedClock("2027-01-19T10:00:00Z"));
    base = web.base;
    const phone = () =>
      web.browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
    const officerContext = await phone();
    await shiftBrowserClock(officerContext);
    officer = await officerContext.newPage();
    const repContext = await phone();
    await shiftBrowserClock(repContext);
    rep = await repContext.newPage();
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("an officer adds a picket line and names the supervisor on a phone", async () => {
    await signIn(officer, base, f.users.regional.email, PASSWORD);
    await officer.goto(`${base}/ballots/disputes/${disputeId}/action?tab=picket`);
    await officer.getByRole("heading", { name: "Picket lines" }).waitFor();
    await officer.getByText("No supervisor required by law").waitFor();
    await officer.getByText(/repeal of TULRCA 1992 s\.220A/).waitFor();
    await officer.getByText("Add a picket line").click();
    await officer.getByLabel("Location").fill("Main gate, Beckett Street");
    await officer.getByLabel("Entrance").fill("Staff car park");
    await officer.getByLabel("Expected").fill("8");
    await officer.getByRole("button", { name: "Add the line" }).click();
    await officer.getByText("Main gate, Beckett Street").waitFor();
    await officer.getByText("More than 6 at this entrance").waitFor();
    await officer.getByText("Name the lead and supervisor").click();
    // The lead chosen from the register; the supervisor, an officer who is not a member, typed.
    await officer.getByLabel("Lead (member or officer)").fill("Ahmed");
    await officer.getByRole("button", { name: /Alex Ahmed · / }).click();
    await officer.getByText("A member from the register.").waitFor();
    await officer.getByLabel("Picket supervisor").fill("Sam Steward");
    await officer.getByText("Not chosen from the register: the name is recorded as typed.").waitFor();
    await officer.getByRole("button", { name: "Save" }).click();
    await officer.getByRole("link", { name: /supervisor's letter of approval/ }).waitFor();
    await officer.locator("dd", { hasText: /^Alex Ahmed$/ }).waitFor();
    await officer.getByText("3 exempt for cover").waitFor();
    await shot(officer, "officer-phone");
  });

  test("a rep puts a member on the rota; one opposed in principle is refused", async () => {
    await signIn(rep, base, f.users.rep.email, PASSWORD);
    await rep.goto(`${base}/ballots/disputes/${disputeId}/action?tab=picket`);
    await rep.getByText("Main gate, Beckett Street").waitFor();
    assert.equal(await rep.getByText("Add a picket line").count(), 0, "reps do not plan lines");
    await rep.getByText("Add to the rota").click();
    await rep.getByLabel("Member (name or membership number)").fill("Brown");
    await rep.getByRole("button", { name: /Brown/ }).click();
    await rep.getByRole("button", { name: "Put on the rota" }).click();
    await rep.getByText(/cannot be put on the rota/).waitFor();
    await rep.getByLabel("Member (name or membership number)").fill("Ahmed");
    await rep.getByRole("button", { name: /Alex Ahmed/ }).click();
    await rep.getByRole("button", { name: "Put on the rota" }).click();
    await rep.getByText(/Alex Ahmed · 07:00 to 12:00/).waitFor();
    await rep.getByText("On the rota 1").waitFor();
    await rep.getByLabel("On the line now").fill("5");
    await rep.getByRole("button", { name: "Record" }).click();
    await rep.getByText("Actual 5").waitFor();
    await shot(rep, "rep-phone");
  });

  test("at desktop size the national officer sees the plan, the rota and the cover", async () => {
    const desk = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await shiftBrowserClock(desk);
    const page = await desk.newPage();
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page.goto(`${base}/ballots/disputes/${disputeId}/action?tab=picket`);
    await page.getByText(/Alex Ahmed · 07:00 to 12:00/).waitFor();
    await page.getByText("3 members · St James's University Hospital").waitFor();
    const [rota] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the day's rota (CSV)" }).click(),
    ]);
    const csv = fs.readFileSync((await rota.path())!, "utf8");
    assert.match(csv, /Alex Ahmed,07:00,12:00/);
    await shot(page, "national-desktop");
    await desk.close();
  });
});
