import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { createDispute } from "../../src/ballots/disputes.service.js";
import { generateBallotNotices } from "../../src/ballots/documents.service.js";
import { freezeElectorate } from "../../src/ballots/freeze.service.js";
import { recordResult } from "../../src/ballots/results.service.js";
import { createBallot, reviewStatement } from "../../src/ballots/setup.service.js";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { formatDate } from "../../src/web/format.js";
import { createTestDb } from "../helpers/db.js";
import { ballotInput, CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
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
 * A national officer records, through the screens, a scrutineer's report
 * (s.231B) on a declared ballot and a commencement date with its legal source
 * (decision 0013), and previews a notice of action's affected employees
 * (s.234A(3)(a)); the open forms pass axe-core. The server's day is two days
 * after the ballot closed (2027-01-04).
 */
describe("ballot records and law settings in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let ballotId: number;
  const SERVER_DAY = "2027-01-06";

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    // The fixture's known defects fixed, so the notices of ballot can be given.
    await sql`update members set workplace_id = ${f.workplaces.camdenHall} where id = ${f.members.noWorkplace}`.execute(
      open.db,
    );
    await sql`update members set address_line1 = '2 Beckett Street', home_postcode = 'LS9 7TF' where id = ${f.members.stJames[2]!}`.execute(
      open.db,
    );
    await sql`update workplaces set headcount = 40 where id = ${f.workplaces.stJames}`.execute(open.db);
    await sql`update workplaces set closed_on = null where id = ${f.workplaces.bradfordDepot}`.execute(
      open.db,
    );
    const disputeId = (
      await createDispute(national, {
        title: "Pay 2026",
        mattersInIssue: "The 2026 pay offer.",
        coalition: "",
        employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
      })
    ).id;
    ballotId = (await createBallot(national, disputeId, ballotInput(f))).id;
    await reviewStatement(
      national,
      ballotId,
      "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. (Wording as advised by the union's solicitors.)",
    );
    await freezeElectorate(national, ballotId);
    await generateBallotNotices(national, ballotId);
    await recordResult({ ...national, clock: fixedClock("2027-01-04T09:00:00Z") }, ballotId, {
      votesCast: 6,
      declaredOn: "2027-01-04",
      questions: [{ question: "strike", yes: 5, no: 1 }],
    });
    web = await openWebApp(open.db, fixedClock(`${SERVER_DAY}T10:00:00Z`));
    base = web.base;
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  async function asNational(run: (page: Page) => Promise<void>, viewport = { width: 1280, height: 800 }) {
    const context = await web.browser.newContext({ viewport, bypassCSP: true });
    await shiftBrowserClock(context);
    try {
      const page = await context.newPage();
      await signIn(page, base, f.users.national.email, PASSWORD);
      await run(page);
    } finally {
      await context.close();
    }
  }

  /** Every folded form opened, then axe-core against WCAG 2.2 A and AA. */
  async function axeWithFormsOpen(page: Page, label: string): Promise<string[]> {
    await page.waitForFunction(() => !document.querySelector(".loading"), undefined, { timeout: 15_000 });
    await page.evaluate(() => {
      for (const d of document.querySelectorAll("details")) d.open = true;
    });
    return describeViolations(label, await axeViolations(page));
  }

  test("records a qualified scrutineer's report through the form and sees it listed, then its review (s.231B)", async () => {
    await asNational(async (page) => {
      await page.goto(`${base}/ballots/${ballotId}?tab=records`);
      await page.getByRole("heading", { name: "Scrutineer's report" }).waitFor();
      assert.equal(await page.getByTestId("scrutineer-report").count(), 0, "nothing recorded yet");
      const form = page.getByRole("form", { name: "Record the scrutineer's report" });
      await page.getByText("Record the scrutineer's report", { exact: true }).click();
      // The form starts on the server's day, not the browser's.
      assert.equal(await form.getByLabel("Date received").inputValue(), SERVER_DAY);
      await form.getByLabel("Date received").fill("2027-01-05");
      await form.getByLabel(/^\(b\) the arrangements/).uncheck();
      await form.getByRole("button", { name: "Record the report" }).click();
      // A qualified report without particulars is stopped before it is sent.
      await form.getByText("Fill in: Particulars the scrutineer gave.").waitFor();
      await form
        .getByLabel("Particulars the scrutineer gave")
        .fill("Returned envelopes were stored overnight in an unlocked room.");
      await form.getByRole("button", { name: "Record the report" }).click();
      const listed = page.getByTestId("scrutineer-report");
      await listed.waitFor();
      const text = (await listed.textContent()) ?? "";
      assert.ok(text.includes(`Received ${formatDate("2027-01-05")}`), text);
      assert.match(text, /Qualified/);
      assert.match(text, /unlocked room/);
      assert.match(text, /Security arrangements reasonably practicable: not stated/);
      assert.match(text, /Not yet reviewed/);

      // The review, then the report is no longer waiting for one.
      await page.getByText("Record the review of the qualified report", { exact: true }).click();
      const review = page.getByRole("form", { name: "Record the review of the qualified report" });
      await review
        .getByLabel("Conclusion of the review")
        .fill("Counsel advised the defect could not affect the result.");
      await review.getByRole("button", { name: "Record the review" }).click();
      await page.getByText(/Reviewed .*Counsel advised/).waitFor();
      // The form goes with the list's next render, which may follow the review's line by a moment.
      await page
        .getByText("Record the review of the qualified report")
        .waitFor({ state: "detached", timeout: 10_000 });
      assert.equal(await page.getByText("Record the review of the qualified report").count(), 0);

      // A copy request by a member, then its supply (s.231B(2)).
      await page.getByText("Record a request for a copy of the report", { exact: true }).click();
      const request = page.getByRole("form", { name: "Record a request for a copy of the report" });
      await request.getByLabel("Membership number").fill("M-1001");
      await request.getByRole("button", { name: "Record the request" }).click();
      await page.getByText(/Member \(M-1001\) · copy not yet supplied/).waitFor();
      const supplied = page.getByRole("form", { name: /Copy supplied for request/ });
      await supplied.getByRole("button", { name: "Record supplied" }).click();
      await page.getByText(/Member \(M-1001\) · copy supplied/).waitFor();

      const problems = await axeWithFormsOpen(page, "national records tab");
      assert.deepEqual(problems, [], problems.join("\n"));
    });
  });

  test("the server's refusal is said next to the form (a report before the date of the ballot)", async () => {
    await asNational(async (page) => {
      await page.goto(`${base}/ballots/${ballotId}?tab=records`);
      await page.getByText("Record a corrected scrutineer's report", { exact: true }).click();
      const form = page.getByRole("form", { name: "Record a corrected scrutineer's report" });
      await form.getByLabel("Date received").fill("2027-01-01");
      await form.getByRole("button", { name: "Record the report" }).click();
      const alert = form.getByRole("alert");
      await alert.waitFor();
      assert.match(
        (await alert.textContent()) ?? "",
        /The report was not recorded.*after the date of the ballot/,
      );
    });
  });

  test("the notice of action previews the affected employees on the day and lets the officer leave an employer out (s.234A(3)(a))", async () => {
    await asNational(async (page) => {
      await page.goto(`${base}/ballots/${ballotId}?tab=documents`);
      await page.getByText("Notices of industrial action", { exact: true }).click();
      const preview = page.getByTestId("action-notice-preview");
      await preview.getByText(/Give the date of the notice and the first day of action/).waitFor();
      await page.getByLabel("Start date").fill("2027-01-25");
      await preview.getByRole("table").waitFor();
      const summary = (await preview.textContent()) ?? "";
      assert.match(summary, /affected of \d+ balloted/);
      const boxes = preview.getByRole("checkbox");
      const before = await boxes.count();
      assert.ok(before >= 2, "employers with affected employees can be chosen");
      assert.match(summary, new RegExp(`Notice goes to ${before} of 3 employers`));
      await boxes.first().uncheck();
      await preview.getByText(`Notice goes to ${before - 1} of 3 employers`).waitFor();
      const problems = await axeWithFormsOpen(page, "national documents tab");
      assert.deepEqual(problems, [], problems.join("\n"));
    });
  });

  test("records a commencement date with its legal source on the settings screen (decision 0013)", async () => {
    await asNational(async (page) => {
      await page.goto(`${base}/settings`);
      await page.getByRole("link", { name: "Law in force: commencement dates" }).click();
      await page.getByRole("heading", { name: "Law in force: commencement dates" }).waitFor();
      const card = page.locator('[data-switch="electronic_voting"]');
      await card.waitFor();
      assert.match((await card.textContent()) ?? "", /Not in force/);
      await card.getByText(/^Record the commencement of/).click();
      await card.getByLabel("In force from a date").check();
      await card.getByLabel("Commencement date").fill("2026-10-01");
      await card.getByRole("button", { name: "Record", exact: true }).click();
      await card.getByText(/Give the legal source/).waitFor();
      await card
        .getByLabel("Legal source")
        .fill("The Employment Rights Act 2025 (Commencement No. 9) Regulations, reg. 3");
      await card.getByRole("button", { name: "Record", exact: true }).click();
      await card.getByText(`In force from ${formatDate("2026-10-01")}, as recorded by the union`).waitFor();
      const text = (await card.textContent()) ?? "";
      assert.match(text, /as recorded by the union/);
      assert.match(text, /Commencement No\. 9/);
      assert.match(text, /by you/);
      const problems = await axeWithFormsOpen(page, "national law settings");
      assert.deepEqual(problems, [], problems.join("\n"));
    });
  });
});
