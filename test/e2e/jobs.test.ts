import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import type { OpenDatabase } from "../../src/db/connect.js";
import { enqueueJob, getJob } from "../../src/jobs/index.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import { browserSkipReason, openWebApp, signIn, type WebAppInBrowser } from "./browser.js";

/**
 * A national officer follows background jobs: a waiting job with its progress
 * bar is cancelled, then put back in the queue; a failed job shows its error;
 * a register loaded from the Employers screen runs as a job.
 */
describe("background jobs in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let page: Page;
  let base: string;
  let waiting: number;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    // No worker here runs "report" jobs: it waits. An import of a job that does not exist fails.
    waiting = (await enqueueJob(ctx, "report", {}, { total: 10 })).id;
    await enqueueJob(ctx, "member_import", { importJobId: 999_999, upload: null });
    web = await openWebApp(open.db, CLOCK);
    ({ base, page } = web);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("the jobs screen shows each job with its state, a bar while it waits or runs, and the error of a failed one", async () => {
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    const report = page.getByRole("listitem").filter({ hasText: `report #${waiting}` });
    await report.getByText("Waiting").waitFor();
    assert.equal(await report.getByRole("progressbar").count(), 1);
    const failed = page.getByRole("listitem").filter({ hasText: "Member import" });
    await failed.getByText("Failed").waitFor();
    await failed.getByRole("button", { name: /^Retry member import/ }).waitFor();
  });

  test("cancel, then retry: the job is cancelled at once and goes back in the queue", async () => {
    const report = page.getByRole("listitem").filter({ hasText: `report #${waiting}` });
    await report.getByRole("button", { name: `Cancel report #${waiting}` }).click();
    await report.getByText("Cancelled").waitFor();
    assert.equal(
      (await getJob({ db: open.db, actor: f.actors.national, clock: CLOCK }, waiting)).state,
      "cancelled",
    );
    await report.getByRole("button", { name: `Retry report #${waiting}` }).click();
    await report.getByText("Waiting").waitFor();
    assert.equal(
      (await getJob({ db: open.db, actor: f.actors.national, clock: CLOCK }, waiting)).state,
      "queued",
    );
  });

  test("a register loaded from the Employers screen runs as a job, named on the Jobs screen", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Employers" }).click();
    const form = page.getByRole("form", { name: "Load a register" });
    await form.getByLabel("Register", { exact: true }).selectOption("csv");
    await form.getByLabel("Register file").setInputFiles({
      name: "own-register.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("code,name,parent code,postcode\nWEB1,Browser Test Employer Ltd,,LS1 1AA\n"),
    });
    await form.getByRole("button", { name: "Load the register" }).click();
    await form.getByText("Loaded own-register.csv: employers 1 new").waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("listitem").filter({ hasText: "Register import" }).getByText("Finished").waitFor();
  });

  test("a workplace rep has no jobs screen", async () => {
    const context = page.context();
    await context.clearCookies();
    await signIn(page, base, f.users.rep.email, PASSWORD);
    assert.equal(
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).count(),
      0,
    );
  });
});
