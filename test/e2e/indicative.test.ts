import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Ctx } from "../../src/context.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { issueIndicativeLinks } from "../../src/memberlink/index.js";
import { voteByLink } from "../../src/memberlink/memberlink.service.js";
import { indicativeWorld, tokensOf } from "../fixtures/indicative.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../helpers/fixtures.js";
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

const SCREENSHOTS = process.env.MANDATE_SCREENSHOTS ?? null;

/**
 * Done-when of the indicative ballot: a national officer opens it on the
 * screen, a member opens their link on a phone, confirms their address and
 * votes, and the officer sees the turnout move; nothing on the officer's side
 * can say how the member voted (the answers wait for the close).
 */
describe("an indicative ballot through a member's link, on a phone", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let f: Fixture;
  let web: WebAppInBrowser;
  let national: Ctx;
  let world: Awaited<ReturnType<typeof indicativeWorld>>;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    national = { db: open.db, actor: f.actors.national, clock: CLOCK };
    world = await indicativeWorld(national, f);
    web = await openWebApp(open.db, CLOCK);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  test("the officer opens it, the member votes on a phone, the officer sees the count move", async () => {
    const { base, browser } = web;
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await shiftBrowserClock(desk);
    const page = await desk.newPage();
    await signIn(page, base, f.users.national.email, PASSWORD);
    await page.getByRole("link", { name: "Indicative" }).click();
    await page.getByRole("link", { name: "Would you vote for action?" }).click();
    await page.getByRole("button", { name: "Open (fix the roll)" }).click();
    const voted = page.getByTestId("voted-overall");
    await voted.waitFor();
    assert.equal((await voted.textContent())?.trim(), "0");
    assert.ok(await page.getByText("Answers are shown when the ballot closes").isVisible());

    const file = await issueIndicativeLinks(national, world.indicativeId, base);
    await file.trail.finished();
    const number = (
      await open.db
        .selectFrom("members")
        .select("membership_number")
        .where("id", "=", world.stJames[0]!)
        .executeTakeFirstOrThrow()
    ).membership_number;
    const link = [...file.csv.split("\r\n")].find((l) => l.startsWith(`${number},`))!;
    const url = /(http:\/\/\S+\/m#[A-Za-z0-9_-]{43})/.exec(link)![1]!;
    assert.ok(tokensOf(file.csv).size >= 10);

    const member = await phonePage(browser);
    const requests: string[] = [];
    member.on("request", (r) => requests.push(r.url()));
    await member.goto(url);
    await member.getByRole("heading", { name: "Hello Alex" }).waitFor();
    if (SCREENSHOTS) await member.screenshot({ path: `${SCREENSHOTS}/member-link.png`, fullPage: true });
    const violations = await axeViolations(member);
    assert.deepEqual(describeViolations("member link", violations), []);
    // Nothing fits sideways: the page is one column on a phone.
    const overflow = await member.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, "the member's page scrolls sideways on a phone");

    await member.getByRole("button", { name: "This is right" }).tap();
    await member.getByText("Thank you for confirming your address.").waitFor();

    await member
      .getByRole("group", { name: "Would you vote yes to strike action?" })
      .getByRole("radio", { name: "Yes" })
      .tap();
    await member
      .getByRole("group", { name: "Which action?" })
      .getByRole("radio", { name: "Action short of a strike" })
      .tap();
    await member.getByRole("button", { name: "Send my vote" }).tap();
    await member.getByText("your vote has been counted").waitFor();
    if (SCREENSHOTS) await member.screenshot({ path: `${SCREENSHOTS}/member-voted.png`, fullPage: true });
    // The token never travelled in a URL the server saw.
    const token = url.split("#")[1]!;
    assert.ok(!requests.some((r) => r.includes(token)), "the token went to the server in a URL");

    // The officer's screen follows the turnout: one vote, and no answers while open.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="voted-overall"]')?.textContent?.trim() === "1",
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(
      await page.getByRole("columnheader", { name: /^Q1 / }).count(),
      0,
      "answers shown while open",
    );
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/officer-turnout.png`, fullPage: true });

    // A second visit to the link says the vote is in and offers no second one.
    await member.reload();
    await member.getByText("your vote has been counted").waitFor();
    assert.equal(await member.getByRole("button", { name: "Send my vote" }).count(), 0);
    await member.context().close();

    // Five more at St James's (Yes, Yes, No, Yes, No), then the officer closes: counted, and shown.
    const tokens = tokensOf(file.csv);
    const numbers = await open.db
      .selectFrom("members")
      .select(["id", "membership_number"])
      .where("id", "in", world.stJames.slice(1, 6))
      .orderBy("id")
      .execute();
    for (const [i, m] of numbers.entries())
      await voteByLink(
        { db: open.db, clock: CLOCK },
        tokens.get(m.membership_number)!,
        [[0, 0, 1, 0, 1][i]!, 2],
        "e2e",
      );
    await page.getByRole("button", { name: "Close voting" }).click();
    await page.getByRole("columnheader", { name: "Q1 Yes" }).waitFor();
    const stJames = page.getByRole("row", { name: /St James/ });
    assert.deepEqual(
      (await stJames.getByRole("cell").allTextContents()).map((t) => t.trim()),
      ["6", "9", "4", "2", "0", "1", "5"],
    );
    assert.deepEqual(describeViolations("officer's indicative screen", await axeViolations(page)), []);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/officer-results.png`, fullPage: true });
    await desk.close();
  });
});
