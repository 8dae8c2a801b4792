import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { hashPassword } from "../../src/auth/passwords.js";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { createDepartment, setDepartmentMembers } from "../../src/requests/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
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

/**
 * Campaign coordination in the browser, eight days into the ballot: the Yorkshire regional officer starts
 * the region's plan, ties an objective to St James's and gives its rep a task already past its due date;
 * on a phone, raises a request for legal help; a member of the legal department (a London officer, who
 * sees the Yorkshire request only through the department) answers and resolves it; the requester sees the
 * answer; the disputes unit sees the plan's overdue task.
 */
describe("plans and requests in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let base: string;
  let regional: Page;
  let phone: Page;
  let counsel: Page;
  let national: Page;
  let requestId = 0;
  const shots = process.env.MANDATE_SCREENSHOTS;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const system: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    await createDisputeBallots(system, f, {
      ballots: [
        {
          key: "stJames",
          name: "St James's",
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
        },
        {
          key: "camden",
          name: "Camden Town Hall",
          employerId: f.employers.camden,
          workplaceId: f.workplaces.camdenHall,
        },
      ],
      freeze: ["stJames", "camden"],
    });
    const lawyer = await open.db
      .insertInto("users")
      .values({
        union_id: f.unionId,
        email: "counsel@test.example",
        display_name: "Legal counsel",
        password_hash: await hashPassword(PASSWORD),
        role: "regional",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await open.db
      .insertInto("user_scopes")
      .values({ user_id: lawyer.id, region_id: f.regions.london, sector_id: null, workplace_id: null })
      .execute();
    const legal = await createDepartment(system, { code: "legal", name: "Legal" });
    await createDepartment(system, { code: "communications", name: "Communications" });
    await setDepartmentMembers(system, legal.id, { userIds: [lawyer.id] });

    web = await openWebApp(open.db, fixedClock("2026-12-15T10:00:00Z"));
    base = web.base;
    const desk = async () => {
      const c = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      await shiftBrowserClock(c);
      return c.newPage();
    };
    regional = await desk();
    counsel = await desk();
    national = await desk();
    phone = await phonePage(web.browser);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("a regional officer starts the region's plan, ties an objective to St James's and sets a task", async () => {
    await signIn(regional, base, f.users.regional.email, PASSWORD);
    await regional.getByRole("link", { name: "Plans" }).first().click();
    await regional.getByRole("heading", { name: "Start a plan" }).waitFor();
    await regional.getByLabel("Title").fill("Yorkshire turnout plan");
    await regional.getByRole("button", { name: "Start the plan" }).click();
    await regional.getByRole("link", { name: "Yorkshire turnout plan" }).last().click();
    await regional.getByRole("heading", { name: "Yorkshire turnout plan" }).waitFor();

    await regional.getByText("Add an objective").click();
    await regional.getByLabel("Objective", { exact: true }).fill("St James's over the line");
    await regional.getByLabel(/^St James's:/).check();
    await regional.getByRole("button", { name: "Add the objective" }).click();
    await regional.getByRole("listitem").filter({ hasText: "St James's over the line" }).waitFor();

    await regional.getByText("Add a task").click();
    await regional.getByLabel("Task", { exact: true }).fill("Workplace meeting at St James's");
    await regional.getByLabel("Owner").selectOption(String(f.users.rep.id));
    await regional.getByLabel("Due").fill("2026-12-10");
    await regional
      .getByLabel("Objective", { exact: true })
      .last()
      .selectOption({ label: "St James's over the line" });
    await regional.getByRole("button", { name: "Add the task" }).click();
    await regional.getByText("1 overdue").waitFor();
    assert.deepEqual(describeViolations("a plan", await axeViolations(regional)), []);
    if (shots) await regional.screenshot({ path: `${shots}/plan-regional.png`, fullPage: true });
  });

  test("on a phone, the regional officer raises a request for legal help", async () => {
    await signIn(phone, base, f.users.regional.email, PASSWORD);
    await phone.goto(`${base}/requests`);
    await phone.getByLabel("Department").selectOption({ label: "Legal" });
    await phone.getByLabel("Urgency").selectOption("high");
    await phone.getByLabel("What do you need?").fill("Is the workplace list on the notice right?");
    await phone.getByLabel("Details").fill("The employer says two sites are missing.");
    await phone.getByRole("button", { name: "Raise the request" }).click();
    const raised = phone.getByRole("status").getByRole("link");
    await raised.waitFor();
    requestId = Number((await raised.getAttribute("href"))!.split("/").pop());
    assert.ok(requestId > 0);
    await phone.getByText("Answer due").first().waitFor();
    assert.deepEqual(describeViolations("requests on a phone", await axeViolations(phone)), []);
    if (shots) await phone.screenshot({ path: `${shots}/requests-phone.png`, fullPage: true });
  });

  test("a member of the legal department answers and resolves it; the requester sees the answer", async () => {
    await signIn(counsel, base, "counsel@test.example", PASSWORD);
    await counsel.goto(`${base}/requests`);
    await counsel.getByText("yours to answer").waitFor();
    await counsel.getByRole("link", { name: "Is the workplace list on the notice right?" }).click();
    await counsel
      .getByLabel("Your answer")
      .fill("Yes: the two sites closed in March; they are rightly left out.");
    await counsel.getByLabel("This settles the request (resolve it)").check();
    await counsel.getByRole("button", { name: "Send the answer" }).click();
    await counsel.getByText("Answered in time").waitFor();
    if (shots) await counsel.screenshot({ path: `${shots}/request-answered.png`, fullPage: true });

    await phone.goto(`${base}/requests/${requestId}`);
    await phone.getByText("they are rightly left out").waitFor();
    await phone.getByText("Resolved", { exact: true }).waitFor();
    assert.equal(await phone.getByRole("button", { name: "Send the answer" }).count(), 0);
  });

  test("the disputes unit sees the plan's overdue task", async () => {
    await signIn(national, base, f.users.national.email, PASSWORD);
    await national.goto(`${base}/plans`);
    await national.getByRole("heading", { name: /Disputes unit/ }).waitFor();
    const row = national.getByRole("row", { name: /Workplace meeting at St James's/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /5 days/);
    await national.getByText("Greater London (region)").waitFor();
    // St James's has its task (through the objective); Camden, at risk, has none.
    const uncovered = national.getByRole("list", { name: "Constituencies with no task" });
    await uncovered.getByRole("link", { name: "Camden Town Hall" }).waitFor();
    assert.equal(await uncovered.getByRole("link", { name: "St James's" }).count(), 0);
    if (shots) await national.screenshot({ path: `${shots}/plans-national.png`, fullPage: true });
  });
});
