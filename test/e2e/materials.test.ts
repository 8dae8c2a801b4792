import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { OpenDatabase } from "../../src/db/connect.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

/**
 * A national officer adds a leaflet, uploads its English and Welsh files as drafts and approves them;
 * a rep whose browser prefers Welsh is offered the Welsh file and downloads it, on a phone. A draft is
 * never offered to the rep. Screenshots (desktop and phone) go to MANDATE_SCREENSHOTS when it is set.
 */
describe("materials library in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  const shots = process.env.MANDATE_SCREENSHOTS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-materials-"));
  const pdf = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `%PDF-1.4\n% ${text}\n%%EOF\n`);
    return file;
  };

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    web = await openWebApp(open.db, CLOCK);
  });
  after(async () => {
    await web?.close();
    await open?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a national officer adds a leaflet, uploads English and Welsh drafts and approves the English one", async () => {
    const { page, base } = web;
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Materials" }).click();
    await page.getByRole("heading", { name: "Materials", level: 1 }).waitFor();
    await page.getByText("Add a material").click();
    await page.getByLabel("Title").fill("Vote Yes leaflet");
    await page.getByLabel("Description").fill("A4 two-sided: why vote, how to vote, the closing date.");
    await page.getByRole("button", { name: "Add material" }).click();
    const card = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: "Vote Yes leaflet" }) });
    await card.waitFor();
    const upload = async (language: string, file: string) => {
      const details = card.locator("details.material-upload");
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
        await card.getByText("Upload a new version").click();
      }
      await card.getByLabel("Language", { exact: true }).selectOption({ label: language });
      await card.getByLabel("File").setInputFiles(file);
      await card.getByRole("button", { name: "Upload draft" }).click();
      await card.getByRole("button", { name: "Upload draft" }).waitFor({ state: "visible" });
    };
    await upload("English", pdf("vote-yes.pdf", "en"));
    await card.getByText(/1 draft/).waitFor();
    await upload("Welsh (Cymraeg)", pdf("pleidleisiwch-ie.pdf", "cy"));
    await card.getByText(/2 drafts/).waitFor();
    await card.getByText(/Versions \(2\)/).click();
    const english = card.getByRole("listitem").filter({ hasText: "English v1" });
    await english.getByRole("button", { name: "Approve" }).click();
    await english.getByText("Approved", { exact: true }).waitFor();
    await card.getByRole("link", { name: /Download English/ }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/materials-desktop.png`, fullPage: true });
  });

  test("on a phone, a rep preferring Welsh is offered English until the Welsh is approved, and downloads it", async () => {
    const context = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      bypassCSP: true,
      locale: "cy-GB",
      acceptDownloads: true,
    });
    const phone = await context.newPage();
    await signIn(phone, web.base, f.users.rep.email, PASSWORD);
    await phone.goto(`${web.base}/materials`);
    await phone.getByRole("heading", { name: "Materials", level: 1 }).waitFor();
    assert.equal(await phone.getByLabel("Language to offer").inputValue(), "cy");
    await phone.getByRole("link", { name: /Download English/ }).waitFor();
    await phone.getByText(/Not yet approved in Welsh/).waitFor();
    // The Welsh draft is not the rep's to see, nor are the versions or the upload form.
    assert.equal(await phone.getByText("Upload a new version").count(), 0);
    assert.equal(await phone.getByText(/draft/i).count(), 0);

    // Approved by the national officer, the Welsh file is what the rep is offered.
    const welsh = (
      await open.db
        .selectFrom("material_versions")
        .select("id")
        .where("language", "=", "cy")
        .executeTakeFirstOrThrow()
    ).id;
    const { page } = web;
    const approve = await page.evaluate(async (id) => {
      const me = await (await fetch("/api/auth/me")).json();
      const r = await fetch(`/api/materials/versions/${id}/approve`, {
        method: "POST",
        headers: { "x-csrf-token": me.csrfToken },
      });
      return r.status;
    }, welsh);
    assert.equal(approve, 200);
    await phone.reload();
    const link = phone.getByRole("link", { name: /Download Welsh/ });
    await link.waitFor();
    const [download] = await Promise.all([phone.waitForEvent("download"), link.click()]);
    assert.equal(download.suggestedFilename(), "pleidleisiwch-ie.pdf");
    assert.match(fs.readFileSync(await download.path()).toString(), /% cy/);

    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (shots) await phone.screenshot({ path: `${shots}/materials-phone.png`, fullPage: true });
    assert.equal(overflow, false, "no sideways scrolling of the page on a phone");
    assert.deepEqual(describeViolations("materials", await axeViolations(phone)), []);
    await context.close();
  });
});
