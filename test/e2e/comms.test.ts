import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { smtpTransport } from "../../src/comms/email.transport.js";
import type { CommsOptions } from "../../src/comms/index.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { recordSelfReport } from "../../src/turnout/index.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, frozenStJamesBallot, PASSWORD, seedFixture } from "../helpers/fixtures.js";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink.js";
import {
  axeViolations,
  browserSkipReason,
  describeViolations,
  openWebApp,
  signIn,
  type WebAppInBrowser,
} from "./browser.js";

/**
 * A national officer builds an audience of one employer's members, writes a campaign email in English
 * and Welsh, previews both, approves and sends it to a test SMTP server, and watches the ledger's
 * counts; a member unsubscribes through the message's link and drops out of the next send's count.
 * Screenshots (desktop and phone) go to MANDATE_SCREENSHOTS when it is set.
 */
describe("communications in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let sink: SmtpSink;
  let web: WebAppInBrowser;
  let base: string;
  let page: Page;
  const shots = process.env.MANDATE_SCREENSHOTS;
  const address = (id: number) => `member${id}@mail.example`;
  let leeds: number[];
  let reachable = 0;
  let ballotId: number;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    sink = await startSmtpSink({
      rejectRecipient: (a) =>
        a.startsWith("gone") ? { code: 550, message: "5.1.1 No such user here" } : null,
    });
    // The Leeds trust's members: emails and consent; one Welsh-speaking; one address that bounces.
    leeds = [...f.members.stJames, ...f.members.lgi];
    for (const id of leeds)
      await open.db
        .updateTable("members")
        .set({ email: address(id), consent_email: true })
        .where("id", "=", id)
        .execute();
    await open.db.updateTable("members").set({ language: "cy" }).where("id", "=", leeds[0]!).execute();
    await open.db
      .updateTable("members")
      .set({ email: "gone@mail.example" })
      .where("id", "=", leeds[1]!)
      .execute();
    // A frozen ballot at St James's, for a reminder to those who have not reported voting.
    ballotId = await frozenStJamesBallot({ db: open.db, actor: f.actors.national, clock: CLOCK }, f);
    // Where unsubscribe links point: the server's own address, known once it listens.
    const comms: CommsOptions = {
      from: "HPSU <ballots@hpsu.example>",
      publicUrl: "http://127.0.0.1",
      emailTransport: (n) => smtpTransport({ url: sink.url, maxConnections: n }),
      concurrency: 2,
      emailPerSecond: 1000,
    };
    web = await openWebApp(open.db, CLOCK, { comms });
    ({ base, page } = web);
    comms.publicUrl = base;
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  after(async () => {
    await web?.close();
    await sink?.close();
    await open?.close();
  });

  const audiences = () => page.getByRole("region", { name: "Audiences" });
  const templates = () => page.getByRole("region", { name: "Templates" });
  const sends = () => page.getByRole("region", { name: "Sends" });

  test("an audience is built from the pickers and counted, with why members are not reached", async () => {
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Communications" })
      .click();
    await page.getByRole("heading", { name: "Communications", level: 1 }).waitFor();
    const form = audiences().getByRole("form", { name: "Build an audience" });
    await form.getByLabel("Name of the audience").fill("Leeds trust");
    await form.getByLabel("Region").selectOption({ label: "Yorkshire & Humberside" });
    await form.getByLabel("Find an employer").fill("Leeds");
    await form.getByRole("button", { name: "Find" }).click();
    await form
      .getByLabel("Employer", { exact: true })
      .locator("option", { hasText: "Leeds Teaching" })
      .waitFor({ state: "attached" });
    await form
      .getByLabel("Employer", { exact: true })
      .selectOption({ label: "Leeds Teaching Hospitals NHS Trust" });
    await form.getByRole("button", { name: "Save the audience" }).click();
    await form.getByText("Saved “Leeds trust”.").waitFor();
    const count = audiences().getByTestId("audience-count");
    await count.getByText("Members in the audience").waitFor();
    const figure = async (name: string) =>
      Number(
        (
          await count
            .locator(".stat", { has: page.getByText(name, { exact: true }) })
            .locator("dd")
            .textContent()
        )?.replace(/,/g, ""),
      );
    reachable = await figure("Will get the message");
    // The trust's active members, every one with an email address and consent.
    assert.equal(await figure("Members in the audience"), reachable);
    assert.ok(reachable >= 3, `the audience reaches the trust's members (${reachable})`);
  });

  test("a template is written in English and Welsh, approved and previewed side by side", async () => {
    const create = templates().getByRole("form", { name: "Create a template" });
    await create.getByLabel("Name of the template").fill("Vote yes");
    await create.getByRole("button", { name: "Create the template" }).click();
    await templates()
      .getByLabel("Template", { exact: true })
      .locator("option:checked", { hasText: "Vote yes" })
      .waitFor({ state: "attached" });
    await templates().getByText("{{ member.forename }}").waitFor({ state: "attached" });
    const en = templates().getByRole("form", { name: "English version" });
    await en.getByLabel("Subject (English)").fill("{{ member.forename }}, your vote counts");
    await en
      .getByLabel("Text (English)")
      .fill("Dear {{ member.forename }},\n\nThe ballot at {{ member.workplace }} closes soon.");
    await en.getByRole("button", { name: /Save as a new draft/ }).click();
    await en.getByRole("button", { name: "Approve version 1 (English)" }).click();
    await en.getByText("Version 1: approved").waitFor();
    const cy = templates().getByRole("form", { name: "Welsh (Cymraeg) version" });
    await cy
      .getByLabel("Subject (Welsh (Cymraeg))")
      .fill("{{ member.forename }}, mae eich pleidlais yn cyfrif");
    await cy.getByLabel("Text (Welsh (Cymraeg))").fill("Annwyl {{ member.forename }},\n\nPleidleisiwch.");
    await cy.getByRole("button", { name: /Save as a new draft/ }).click();
    await cy.getByRole("button", { name: "Approve version 1 (Welsh (Cymraeg))" }).click();
    await cy.getByText("Version 1: approved").waitFor();

    await templates()
      .getByLabel(/As member id/)
      .fill(String(leeds[0]));
    await templates().getByRole("button", { name: "Preview", exact: true }).click();
    const enPreview = templates().getByRole("figure", { name: "English preview" });
    const cyPreview = templates().getByRole("figure", { name: "Welsh (Cymraeg) preview" });
    await enPreview.getByText(/The ballot at .* closes soon/).waitFor();
    await cyPreview.getByText("Pleidleisiwch.").first().waitFor();
    const frame = cyPreview.locator("iframe");
    assert.equal(await frame.getAttribute("sandbox"), "");
    assert.match((await frame.getAttribute("srcdoc")) ?? "", /Pleidleisiwch/);
    // The frame runs no script and reaches nothing of the app's.
    assert.match(
      (await page.frameLocator("iframe[title='English email as HTML']").locator("body").textContent()) ?? "",
      /closes soon/,
    );
    if (shots) await page.screenshot({ path: `${shots}/comms-templates-desktop.png`, fullPage: true });
    if (shots) await frame.screenshot({ path: `${shots}/comms-preview-frame.png` });
  });

  test("a send to the test SMTP server: progress, then sent, failed and not sent with the reasons", async () => {
    const form = sends().getByRole("form", { name: "Send a message" });
    await form.getByLabel("Approved template").selectOption({ label: "Vote yes (Email)" });
    await form.getByLabel("To the audience").selectOption({ label: "Leeds trust" });
    await form.getByTestId("audience-count").waitFor();
    await form.getByRole("button", { name: "Send…" }).click();
    await form.getByText("Send now?").waitFor();
    await form.getByRole("button", { name: /^Confirm: send to \d+ members?$/ }).click();
    const progress = sends().getByTestId("send-progress");
    await progress.getByText("Finished").waitFor({ timeout: 30_000 });
    const stat = async (name: string) =>
      Number(
        (
          await progress
            .locator(".stat", { has: page.getByText(name, { exact: true }) })
            .locator("dd")
            .textContent()
        )?.replace(/,/g, ""),
      );
    assert.equal(await stat("Failed"), 1, "the address that bounced");
    assert.equal(await stat("Sent"), reachable - 1);
    assert.equal(await stat("Still to send"), 0);
    assert.equal(sink.messages.length, reachable - 1);
    const welsh = sink.messages.find((m) => m.to.includes(address(leeds[0]!)));
    assert.ok(welsh, "the Welsh-speaking member got the message");
    assert.match(welsh.headers.subject ?? "", /=\?UTF-8\?|pleidlais/i);
    if (shots) await page.screenshot({ path: `${shots}/comms-send-desktop.png`, fullPage: true });
    // The deliverability panel counts the send: the refused address is a hard bounce.
    const panel = page.getByTestId("deliverability");
    const panelStat = async (name: string) =>
      (
        await panel
          .locator(".stat", { has: page.getByText(name, { exact: true }) })
          .locator("dd")
          .textContent()
      )?.split(" ")[0];
    await panel.getByRole("table").waitFor();
    assert.equal(await panelStat("Hard bounces"), "1");
    assert.equal(await panelStat("Sent"), String(reachable));
    assert.equal(await panelStat("Delivered"), String(reachable - 1));
    await panel.getByLabel("Show").selectOption({ label: "By workplace" });
    await panel.getByRole("rowheader", { name: "St James's University Hospital" }).waitFor();
    if (shots) await panel.screenshot({ path: `${shots}/comms-deliverability-desktop.png` });
  });

  test("a member unsubscribes through the link and is not counted in the next send", async () => {
    const message = sink.messages.find((m) => m.to.includes(address(leeds[2]!)));
    assert.ok(message, "a message to the member");
    const link = /<(http[^>]+)>/.exec(message.headers["list-unsubscribe"] ?? "")?.[1];
    assert.ok(link?.startsWith(`${base}/api/comms/unsubscribe/`), `the link points at the server: ${link}`);
    const member = await page.context().browser()!.newPage();
    await member.goto(link!);
    await member.getByRole("button", { name: "Unsubscribe" }).click();
    await member.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
    await member.close();

    await page.reload();
    const form = sends().getByRole("form", { name: "Send a message" });
    await form.getByLabel("Approved template").selectOption({ label: "Vote yes (Email)" });
    await form.getByLabel("To the audience").selectOption({ label: "Leeds trust" });
    await form.getByText(/1 unsubscribed/).waitFor();
    await form.getByText(/1 the address bounced/).waitFor();
    const next = form
      .getByTestId("audience-count")
      .locator(".stat", { has: page.getByText("Will get the message", { exact: true }) });
    assert.equal(Number(await next.locator("dd").textContent()), reachable - 2);
  });

  test("a reminder's audience leaves out a member once they report having voted", async () => {
    const form = audiences().getByRole("form", { name: "Build an audience" });
    await form.getByLabel("Name of the audience").fill("St James's: not yet voted");
    await form.getByLabel("Ballot").selectOption({ label: "St James's (Pay 2026)" });
    await form.getByLabel("Voting").selectOption({ label: "Has not reported voting" });
    await form.getByRole("button", { name: "Save the audience" }).click();
    await form.getByText("Saved “St James's: not yet voted”.").waitFor();
    await audiences().getByLabel("Purpose").selectOption("reminder");
    const count = audiences().getByTestId("audience-count");
    const members = async () =>
      Number(
        await count
          .locator(".stat", { has: page.getByText("Members in the audience", { exact: true }) })
          .locator("dd")
          .textContent(),
      );
    const before = await members();
    assert.ok(before >= 1, `the electorate not yet reported voting (${before})`);
    await recordSelfReport(
      { db: open.db, actor: f.actors.national, clock: fixedClock("2026-12-10T10:00:00Z") },
      ballotId,
      { memberId: f.members.stJames[0]!, kind: "voted", source: "rep_conversation" },
    );
    await page.reload();
    await audiences()
      .getByLabel("Audience", { exact: true })
      .selectOption({ label: "St James's: not yet voted" });
    await audiences().getByLabel("Purpose").selectOption("reminder");
    await count.getByText("Members in the audience").waitFor();
    assert.equal(await members(), before - 1);
  });

  test("on a phone the screen fits the width and meets WCAG AA", async () => {
    // axe-core is injected as a script: the app's policy refuses it unless bypassed.
    const context = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      bypassCSP: true,
    });
    const phone = await context.newPage();
    await signIn(phone, base, f.users.national.email, PASSWORD);
    await phone.goto(`${base}/comms`);
    await phone.getByRole("heading", { name: "Communications", level: 1 }).waitFor();
    await phone
      .getByRole("region", { name: "Templates" })
      .getByLabel("Template", { exact: true })
      .selectOption({ label: "Vote yes (Email)" });
    await phone.getByRole("figure", { name: "English preview" }).locator("iframe").waitFor();
    const sendForm = phone.getByRole("form", { name: "Send a message" });
    await sendForm.getByLabel("To the audience").selectOption({ label: "Leeds trust" });
    await phone
      .getByRole("region", { name: "Sends" })
      .getByRole("button", { name: /^Send #1/ })
      .click();
    await phone.getByTestId("send-progress").getByText("Finished").waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (shots) {
      await phone.screenshot({ path: `${shots}/comms-phone.png`, fullPage: true });
      await phone
        .getByRole("region", { name: "Sends" })
        .screenshot({ path: `${shots}/comms-phone-sends.png` });
      await phone
        .getByRole("form", { name: "Build an audience" })
        .screenshot({ path: `${shots}/comms-phone-audience.png` });
      await phone
        .getByTestId("deliverability")
        .screenshot({ path: `${shots}/comms-phone-deliverability.png` });
    }
    assert.equal(overflow, false, "no sideways scrolling of the page on a phone");
    assert.deepEqual(describeViolations("communications", await axeViolations(phone)), []);
    await context.close();
  });

  test("a scrutineer has no communications screen", async () => {
    const context = await web.browser.newContext();
    const other = await context.newPage();
    await signIn(other, base, f.users.scrutineer.email, PASSWORD);
    const nav = other.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link").first().waitFor();
    assert.equal(await nav.getByRole("link", { name: "Communications" }).count(), 0);
    await context.close();
  });
});
