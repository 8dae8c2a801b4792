import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { recordResult } from "../../src/ballots/index.js";
import { smtpTransport } from "../../src/comms/email.transport.js";
import type { CommsOptions } from "../../src/comms/index.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { fixedClock } from "../../src/shared/clock.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
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
 * After the result is recorded, a national officer tells the members on the ballot's result tab and
 * watches how many were told, by channel, and why the rest were not; a rep sees the same counts on a
 * phone, without the button. Screenshots go to MANDATE_SCREENSHOTS when it is set.
 */
describe("the result notice in the browser", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let sink: SmtpSink;
  let web: WebAppInBrowser;
  let ballotId = 0;
  const shots = process.env.MANDATE_SCREENSHOTS;
  const afterClose = fixedClock("2027-01-05T10:00:00Z");

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    sink = await startSmtpSink();
    const [ahmed, brown] = f.members.stJames;
    await open.db
      .updateTable("members")
      .set({ email: "ahmed@mail.example" })
      .where("id", "=", ahmed!)
      .execute();
    await open.db
      .updateTable("members")
      .set({ email: "brown@mail.example" })
      .where("id", "=", brown!)
      .execute();
    const national = { db: open.db, actor: f.actors.national, clock: CLOCK };
    const { ballots } = await createDisputeBallots(national, f, {
      ballots: [
        {
          key: "stJames",
          name: "St James's",
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
        },
      ],
      freeze: ["stJames"],
    });
    ballotId = ballots.stJames!;
    await open.db.updateTable("ballots").set({ state: "closed" }).where("id", "=", ballotId).execute();
    await recordResult({ ...national, clock: afterClose }, ballotId, {
      votesCast: 3,
      questions: [{ question: "strike", yes: 2, no: 1 }],
      declaredOn: "2027-01-05",
    });
    const comms: CommsOptions = {
      from: "HPSU <ballots@hpsu.example>",
      publicUrl: "https://mandate.hpsu.example",
      emailTransport: (n) => smtpTransport({ url: sink.url, maxConnections: n }),
      concurrency: 2,
      emailPerSecond: 1000,
    };
    web = await openWebApp(open.db, afterClose, { comms });
  });
  after(async () => {
    await web?.close();
    await sink?.close();
    await open?.close();
  });

  test("a national officer tells the members and sees who was told, by which channel", async () => {
    const { page, base } = web;
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page.goto(`${base}/ballots/${ballotId}?tab=result`);
    const panel = page.getByTestId("result-notice");
    await panel.getByRole("button", { name: "Tell members the result" }).click();
    await panel
      .getByText("By email 2, by text 0, by letter 0.")
      .waitFor({ timeout: 30_000 })
      .catch(async (e) => {
        if (shots) await page.screenshot({ path: `${shots}/result-notice-failed.png`, fullPage: true });
        throw e;
      });
    assert.equal(sink.messages.length, 2);
    await panel.getByText(/no email, mobile or postal address/).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/result-notice-desktop.png`, fullPage: true });
  });

  test("a rep sees the counts on a phone, without the button", async () => {
    const context = await web.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      bypassCSP: true,
    });
    const phone = await context.newPage();
    await signIn(phone, web.base, f.users.rep.email, PASSWORD);
    await phone.goto(`${web.base}/ballots/${ballotId}?tab=result`);
    const panel = phone.getByTestId("result-notice");
    await panel.getByText("By email 2, by text 0, by letter 0.").waitFor();
    assert.equal(await panel.getByRole("button").count(), 0);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    if (shots) await panel.screenshot({ path: `${shots}/result-notice-phone.png` });
    assert.equal(overflow, false, "no sideways scrolling of the page on a phone");
    assert.deepEqual(describeViolations("result notice", await axeViolations(phone)), []);
    await context.close();
  });
});
