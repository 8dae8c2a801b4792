import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { OpenDatabase } from "../../src/db/connect.js";
import { addDays } from "../../src/law/dates.js";
import { ukDate } from "../../src/shared/clock.js";
import { formatDate } from "../../src/web/format.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import { browserSkipReason, openWebApp, signIn, type WebAppInBrowser } from "./browser.js";

/**
 * A national officer runs a ballot end to end in the browser: a dispute with
 * the fixture's three employers, an aggregated ballot under the employer test
 * (regime C), the electorate frozen, pre-flight blocked by the fixture's known
 * defects (Network Rail v RMT), the voting-paper statement recorded, the
 * defects fixed (members through their pages, a headcount in the database),
 * pre-flight passed, the notices generated and downloaded, and a result with
 * its verdict.
 */
describe("national officer runs a ballot in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let page: Page;
  let base: string;
  let ballotId: number;
  let bradfordHall: number;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    web = await openWebApp(open.db, CLOCK);
    ({ base, page } = web);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  /** Opens a member flagged by a pre-flight check, edits their record and comes back to the checks. */
  async function fixMemberFromPreflight(
    check: string,
    memberId: number,
    edit: (page: Page) => Promise<void>,
  ): Promise<void> {
    await page.locator(`[data-check="${check}"] a[href="/members/${memberId}"]`).click();
    await page.getByTestId("membership-number").waitFor();
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await edit(page);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    await page.getByRole("link", { name: "← Back to the pre-flight checks" }).click();
    await page.getByRole("heading", { name: "Pre-flight checks" }).waitFor();
  }

  test("signs in as the national officer", async () => {
    await signIn(page, base, f.users.national.email, PASSWORD);
  });

  test("creates a dispute with the three employers", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ballots" }).click();
    await page.getByRole("heading", { name: "Ballots", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New dispute" }).click();
    await page.getByLabel("Title", { exact: true }).fill("Pay 2026");
    await page.getByLabel("Matters in issue").fill("The 2026 pay offer and workload.");
    for (const [search, name] of [
      ["Leeds", "Leeds Teaching Hospitals NHS Trust"],
      ["Camden", "London Borough of Camden"],
      ["Bradford", "City of Bradford Metropolitan District Council"],
    ] as const) {
      await page.getByLabel("Search employers").fill(search);
      await page.getByLabel("Search employers").press("Enter");
      await page.getByRole("button", { name: `Add ${name}` }).click();
      await page.getByRole("button", { name: `Remove ${name}` }).waitFor();
    }
    await page.getByRole("button", { name: "Create dispute" }).click();
    await page.waitForURL(/\/ballots\/disputes\/\d+$/);
    await page.getByRole("heading", { name: "Pay 2026", level: 1 }).waitFor();
  });

  test("adds an aggregated ballot under the employer test, seeing the timetable as the dates go in", async () => {
    await page.getByRole("link", { name: "Add a ballot" }).click();
    await page.getByLabel("Name of the constituency").fill("All members at the three employers");
    await page.getByLabel("Aggregated ballot").check();
    await page.getByLabel(/^Employer: every member/).check();
    await page.getByLabel("Why the test is met").fill("Every member employed by the employers in dispute.");
    await page.getByRole("button", { name: "Next →" }).click();

    await page.getByRole("heading", { name: /Step 2 of 5/ }).waitFor();
    assert.equal(await page.getByLabel("Strike", { exact: true }).isChecked(), true);
    // Electronic voting is not in force: the server's refusal comes back to this step.
    await page.getByLabel("Voting method").selectOption("electronic");
    await page.getByRole("button", { name: "Next →" }).click();

    await page.getByRole("heading", { name: /Step 3 of 5/ }).waitFor();
    // Dates from the test's clock, never the real one: opening 17 days ahead leaves time for the notices.
    const opening = addDays(ukDate(CLOCK.now()), 17);
    await page.getByLabel("Opening date").fill(opening);
    await page.getByLabel("Closing date").fill(addDays(opening, 28));
    const preview = page.locator(".timetable-preview");
    await preview.getByText("Regime C").waitFor();
    await preview.getByText(formatDate(addDays(opening, -7))).waitFor(); // notice of ballot: 7 days before opening
    await page.getByRole("button", { name: "Next →" }).click();

    await page.getByRole("heading", { name: /Step 4 of 5/ }).waitFor();
    await page.getByLabel("Scrutineer's name").fill("Civica Election Services");
    await page.getByLabel("Scrutineer's address").fill("33 Clarendon Road, London N8 0NW");
    await page.getByLabel("Return address for voting papers").fill("Freepost Ballot Services");
    await page.getByLabel("Person authorised to call the action").fill("The General Secretary");
    await page.getByRole("button", { name: "Next →" }).click();

    await page.getByRole("heading", { name: /Step 5 of 5/ }).waitFor();
    await page.getByRole("button", { name: "Create the ballot" }).click();
    await page.getByRole("heading", { name: /Step 2 of 5/ }).waitFor();
    await page.getByRole("alert").getByText("The server did not accept the ballot").waitFor();
    await page.getByLabel("Voting method").selectOption("postal");
    for (const step of [3, 4, 5]) {
      await page.getByRole("button", { name: "Next →" }).click();
      await page.getByRole("heading", { name: new RegExp(`Step ${step} of 5`) }).waitFor();
    }
    await page.getByRole("button", { name: "Create the ballot" }).click();
    await page.waitForURL(/\/ballots\/\d+$/);
    ballotId = Number(new URL(page.url()).pathname.split("/").pop());
    assert.ok(ballotId > 0);
    await page.getByRole("heading", { name: "All members at the three employers", level: 1 }).waitFor();
    await page.getByRole("heading", { name: /Needs legal review/ }).waitFor();
  });

  test("freezes the electorate", async () => {
    await page.getByRole("link", { name: "Electorate", exact: true }).click();
    await page.getByRole("button", { name: "Freeze the electorate" }).click();
    await page.getByRole("button", { name: "Freeze the electorate again" }).waitFor();
    // St James's 3, Camden: Evans and Hughes, Bradford: Green. Davies lapsed, Fraser in arrears.
    await page.getByTestId("entitled").getByText("6", { exact: true }).waitFor();
  });

  test("pre-flight blocks, citing Network Rail v RMT", async () => {
    await page.getByRole("link", { name: "Pre-flight", exact: true }).click();
    await page.getByText("Pre-flight blocked").waitFor();
    await page
      .locator('[data-check="workplace.unknown"]')
      .getByText(/Network Rail v RMT/)
      .waitFor();
    for (const code of [
      "workplace.closed",
      "workplace.over_headcount",
      "member.no_address",
      "setup.incomplete",
    ]) {
      await page.locator(`[data-check="${code}"]`).waitFor();
    }
  });

  test("records the statement wording verified by the union's lawyers", async () => {
    const setup = page.locator('[data-check="setup.incomplete"]');
    await setup
      .getByText(/statement wording/i)
      .first()
      .waitFor();
    await page
      .getByLabel("Statement wording verified by the union's lawyers")
      .fill(
        "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. (wording as advised)",
      );
    await page.getByRole("button", { name: "Record the reviewed wording" }).click();
    await setup.waitFor({ state: "detached" });
  });

  test("fixes the flagged members through their pages, and the headcount in the database", async () => {
    await fixMemberFromPreflight("workplace.unknown", f.members.noWorkplace, async (p) => {
      await p.getByLabel("Workplace", { exact: true }).selectOption(String(f.workplaces.camdenHall));
    });
    const hughes = await open.db
      .selectFrom("members")
      .select("workplace_id")
      .where("id", "=", f.members.noWorkplace)
      .executeTakeFirstOrThrow();
    assert.equal(hughes.workplace_id, f.workplaces.camdenHall, "Hughes now works at Camden Town Hall");

    await fixMemberFromPreflight("member.no_address", f.members.stJames[2]!, async (p) => {
      await p.getByLabel("Address line 1").fill("2 Beckett Street");
      await p.getByLabel("Postcode").fill("LS9 7TF");
    });

    // Green's depot closed; Bradford's new site is not on the register yet: added as the register import would.
    bradfordHall = (
      await open.db
        .insertInto("workplaces")
        .values({
          union_id: f.unionId,
          employer_id: f.employers.bradfordCouncil,
          region_id: f.regions.yorkshire,
          name: "Bradford City Hall",
          site_code: "BRD01",
          postcode: "BD1 1HY",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    await fixMemberFromPreflight("workplace.closed", f.members.bradford[0]!, async (p) => {
      await p.getByLabel("Workplace", { exact: true }).selectOption(String(bradfordHall));
    });

    // The employer's headcount at St James's is out of date: the browser cannot reach it.
    await open.db
      .updateTable("workplaces")
      .set({ headcount: 40 })
      .where("id", "=", f.workplaces.stJames)
      .execute();
    const fixed = await open.db
      .selectFrom("members")
      .select(["id", "workplace_id", "address_line1", "home_postcode"])
      .where("id", "in", [f.members.stJames[2]!, f.members.bradford[0]!])
      .orderBy("id")
      .execute();
    assert.deepEqual(
      fixed.map((m) => [m.workplace_id, m.address_line1, m.home_postcode]),
      [
        [f.workplaces.stJames, "2 Beckett Street", "LS9 7TF"],
        [bradfordHall, "1 High Street", "LS1 1AA"],
      ],
    );
  });

  test("freezes again and pre-flight passes", async () => {
    await page.getByRole("button", { name: "Freeze the electorate again" }).click();
    await page.getByText("Pre-flight passed").waitFor();
    assert.equal(await page.locator(".check-block").count(), 0, "no blocking check is left");
  });

  test("generates the notices: one per employer, downloadable as PDF", async () => {
    await page.getByRole("link", { name: "Documents", exact: true }).click();
    await page.getByRole("button", { name: "Generate notices" }).click();
    const notices = page.locator('tr[data-kind="ballot_notice"]');
    await notices.nth(2).waitFor();
    assert.equal(await notices.count(), 3, "a notice of ballot for each employer");
    const employers = await notices.locator('td[data-label="Employer"]').allTextContents();
    assert.deepEqual(employers.map((e) => e.trim()).sort(), [
      "City of Bradford Metropolitan District Council",
      "Leeds Teaching Hospitals NHS Trust",
      "London Borough of Camden",
    ]);
    const href = await notices.first().getByRole("link").getAttribute("href");
    assert.ok(href, "the notice has a download link");
    const download = await page.evaluate(async (url) => {
      const res = await fetch(url, { credentials: "same-origin" });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        status: res.status,
        contentType: res.headers.get("content-type") ?? "",
        magic: String.fromCharCode(...bytes.slice(0, 5)),
      };
    }, href);
    assert.equal(download.status, 200);
    assert.match(download.contentType, /^application\/pdf/);
    assert.equal(download.magic, "%PDF-");
  });

  test("enters a result and sees the verdict", async () => {
    await page.getByRole("link", { name: "Result", exact: true }).click();
    await page.getByLabel("Votes cast").fill("4");
    await page.getByLabel("Strike: Yes").fill("3");
    await page.getByLabel("Strike: No").fill("1");
    await page.getByRole("button", { name: "Record the result" }).click();

    // 4 of 6 voted: 66.67% turnout meets the 50% threshold, and Yes beats No: a mandate for strike action.
    const verdict = page.getByTestId("verdict-strike");
    await verdict.waitFor();
    assert.match((await verdict.textContent()) ?? "", /Strike\s*MANDATE$/);
    const turnout = page.locator('tr[data-test="turnout"]');
    const text = (await turnout.textContent()) ?? "";
    assert.match(text, /Met/);
    assert.doesNotMatch(text, /Not met/);
    assert.match(text, /Entitled to vote\s*6/);
    assert.match(text, /Votes cast\s*4/);
    assert.match(text, /66\.67%/);
    assert.match(text, /Threshold %\s*50%/);
    await page.getByTestId("mandate-last-day").waitFor();
    const state = await open.db
      .selectFrom("ballots")
      .select("state")
      .where("id", "=", ballotId)
      .executeTakeFirstOrThrow();
    assert.equal(state.state, "result_declared");
  });
});
