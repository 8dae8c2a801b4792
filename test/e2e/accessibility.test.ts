import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { planActionDay } from "../../src/action/calendar.service.js";
import { addExemption, recordCover } from "../../src/action/cover.service.js";
import { addPicketLine, picketDay, setPicketPlan } from "../../src/action/picket.service.js";
import type { OpenDatabase } from "../../src/db/connect.js";
import { DEMO_PASSWORD } from "../../src/demo/demo.generate.js";
import { type SeedResult, seedDemo } from "../../src/demo/demo.seed.js";
import { enqueueJob } from "../../src/jobs/index.js";
import { createTestDb } from "../helpers/db.js";
import { CLOCK, systemActor } from "../helpers/fixtures.js";
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
 * Every screen of the web app (each route in src/web/main.tsx, and each tab of
 * a ballot), as the roles that can open it, at desktop and phone width,
 * checked by axe-core against WCAG 2.2 A and AA. One violation fails the test,
 * and every violation is listed with the rule and the element.
 */
const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

describe("accessibility of every screen (axe-core, WCAG 2.2 AA)", { skip: browserSkipReason() }, () => {
  let open: OpenDatabase;
  let web: WebAppInBrowser;
  let browser: Browser;
  let base: string;
  let seeded: SeedResult;
  const ids = { employer: 0, member: 0, yorkshireMember: 0, dispute: 0, ballot: 0 };

  before(async () => {
    open = await createTestDb("pglite");
    seeded = await seedDemo(
      { db: open.db, actor: systemActor(1), clock: CLOCK },
      { members: 1500, seed: 11 },
    );
    // Jobs in two states for the jobs screen: an import of a job that does not exist fails at once in
    // the server's worker; a kind no worker here runs stays waiting, with its bar and a cancel button.
    const jobsCtx = { db: open.db, actor: systemActor(1), clock: CLOCK };
    await enqueueJob(jobsCtx, "member_import", { importJobId: 999_999, upload: null });
    await enqueueJob(jobsCtx, "report", {}, { total: 10 });
    // A weekly digest schedule, so the settings screen shows every control of it.
    await sql`insert into digest_schedules (union_id, frequency, hour, weekday, since, updated_at)
      values (1, 'weekly', 9, 1, ${CLOCK.now()}, ${CLOCK.now()})`.execute(open.db);
    ids.dispute = seeded.ballot!.disputeId;
    ids.ballot = seeded.ballot!.ballotId;
    const first = await open.db
      .selectFrom("members")
      .select(["id", "employer_id"])
      .where("employer_id", "is not", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    ids.member = first.id;
    ids.employer = first.employer_id!;
    ids.yorkshireMember = (
      await open.db
        .selectFrom("members")
        .innerJoin("regions", "regions.id", "members.region_id")
        .select("members.id")
        .where("regions.code", "=", "yorkshire-humberside")
        .orderBy("members.id")
        .executeTakeFirstOrThrow()
    ).id;
    // A day of action with a picket line, a named supervisor and cover agreed, for the picket screen.
    const demo = { db: open.db, actor: systemActor(1), clock: CLOCK };
    await planActionDay(demo, ids.dispute, { day: "2027-01-20", kind: "strike", types: [], note: "" });
    const [place] = (await picketDay(demo, ids.dispute, "2027-01-20")).workplaces;
    if (place) {
      await addPicketLine(demo, ids.dispute, "2027-01-20", place.workplaceId, {
        location: "Main entrance",
        entrance: "Front gate",
        startsAt: "07:00",
        endsAt: "12:00",
        expected: 8,
      });
      await setPicketPlan(demo, ids.dispute, "2027-01-20", place.workplaceId, {
        lead: { memberId: null, name: "Lead organiser" },
        supervisor: { memberId: null, name: "Sam Steward" },
        supervisorContact: "07700 900123",
      });
      const cover = await recordCover(demo, ids.dispute, "2027-01-20", {
        employerId: place.employerId,
        items: [{ service: "Emergency cover", post: "Duty officer", number: 2 }],
        unionAgreedName: "Regional organiser",
        employerAgreedName: "Director of workforce",
        employerAgreedRole: "",
        agreedAt: "2027-01-15T15:00:00Z",
        namingAgreed: false,
        note: "",
      });
      await addExemption(demo, cover.id, {
        workplaceId: place.workplaceId,
        memberId: null,
        number: 2,
        post: "",
      });
    }
    web = await openWebApp(open.db, CLOCK);
    ({ base, browser } = web);
  });
  after(async () => {
    await web?.close();
    await open?.close();
  });

  /**
   * Opens an address and waits until the screen has drawn its data: no request of the page's own in
   * flight for a moment, and no loading message left. (Counting the page's requests answers as soon
   * as they are done, where waiting for the network to be idle waits half a second on every screen.)
   */
  async function visit(page: Page, address: string): Promise<void> {
    await page.goto(`${base}${address}`);
    await page.locator("main h1").first().waitFor();
    await page.waitForFunction(
      () => {
        const w = window as unknown as { inFlight?: number; lastAnswer?: number };
        return (
          !w.inFlight && performance.now() - (w.lastAnswer ?? 0) > 150 && !document.querySelector(".loading")
        );
      },
      undefined,
      { timeout: 15_000, polling: 50 },
    );
  }

  /** Counts the page's requests in flight and notes when the last one was answered (see visit). */
  function countRequests(): void {
    const w = window as unknown as { inFlight: number; lastAnswer: number };
    w.inFlight = 0;
    w.lastAnswer = 0;
    const fetch = window.fetch.bind(window);
    window.fetch = (...args: Parameters<typeof window.fetch>) => {
      w.inFlight++;
      return fetch(...args).finally(() => {
        w.inFlight--;
        w.lastAnswer = performance.now();
      });
    };
  }

  /** Both sizes at once, each in its own browser context (the waits, not the checks, take the time). */
  async function check(who: string, email: string | null, addresses: readonly string[]): Promise<string[]> {
    const bySize = await Promise.all(
      Object.entries(VIEWPORTS).map(async ([size, viewport]) => {
        const problems: string[] = [];
        // The app's CSP refuses inline scripts, as it should; the test lets axe in.
        const context = await browser.newContext({ viewport, bypassCSP: true });
        await shiftBrowserClock(context);
        await context.addInitScript(countRequests);
        try {
          const page = await context.newPage();
          if (email) await signIn(page, base, email, DEMO_PASSWORD);
          for (const address of addresses) {
            if (email) await visit(page, address);
            else await page.goto(`${base}${address}`);
            problems.push(...describeViolations(`${who} ${size} ${address}`, await axeViolations(page)));
          }
        } finally {
          await context.close();
        }
        return problems;
      }),
    );
    return bySize.flat();
  }

  test("the sign-in page", async () => {
    const problems = await check("signed out", null, ["/login"]);
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test("national officer: every screen and every ballot tab", async () => {
    const b = `/ballots/${ids.ballot}`;
    const problems = await check("national", "national@demo.mandate.test", [
      "/",
      "/employers",
      `/employers/${ids.employer}`,
      "/members",
      "/members?problem=no_address",
      `/members/${ids.member}`,
      "/ballots",
      `/ballots/disputes/${ids.dispute}`,
      `/ballots/disputes/${ids.dispute}/new`,
      b,
      `${b}?tab=electorate`,
      `${b}?tab=preflight`,
      `${b}?tab=documents`,
      `${b}?tab=timetable`,
      `${b}?tab=result`,
      `${b}?tab=turnout`,
      `${b}?tab=turnout&view=readiness`,
      `${b}?tab=turnout&view=advisor`,
      `${b}?tab=turnout&view=reports`,
      `${b}?tab=records`,
      `${b}/edit`,
      "/indicative",
      "/comms",
      "/plans",
      "/requests",
      "/board",
      "/action/board",
      "/action/report",
      "/coalition",
      "/bulletins",
      "/imports",
      "/review",
      "/quality",
      "/quality?by=region",
      "/duplicates",
      "/jobs",
      "/settings",
      "/settings/law",
      "/no-such-screen",
    ]);
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test("regional officer, sector officer and workplace rep: the screens of their scope", async () => {
    const b = `/ballots/${ids.ballot}`;
    const problems = [
      ...(await check("regional", "yorkshire.officer@demo.mandate.test", [
        "/",
        "/employers",
        "/members",
        `/members/${ids.yorkshireMember}`,
        "/ballots",
        b,
        "/quality",
        "/plans",
        "/requests",
      ])),
      ...(await check("sector", "health.officer@demo.mandate.test", [
        "/",
        "/employers",
        `${b}?tab=documents`,
      ])),
      ...(await check("rep", "rep@demo.mandate.test", [
        "/",
        "/employers",
        "/members",
        b,
        `${b}?tab=records`,
        `${b}?tab=turnout`,
        `${b}?tab=turnout&view=reports`,
        "/indicative",
        "/comms",
        "/bulletins",
        "/action/report",
        "/action/board",
        "/settings/law",
      ])),
    ];
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test("the day of action's picket lines and cover, as a national officer and a regional officer", async () => {
    const picket = `/ballots/disputes/${ids.dispute}/action?tab=picket`;
    const problems = [
      ...(await check("national", "national@demo.mandate.test", [picket])),
      ...(await check("regional", "yorkshire.officer@demo.mandate.test", [picket])),
    ];
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test("scrutineer, observer and data protection officer", async () => {
    const b = `/ballots/${ids.ballot}`;
    const problems = [
      ...(await check("scrutineer", "scrutineer@demo.mandate.test", ["/", `${b}?tab=result`, "/members"])),
      ...(await check("observer", "observer@demo.mandate.test", ["/", "/quality", "/coalition", "/board"])),
      ...(await check("dpo", "dpo@demo.mandate.test", ["/", "/audit", "/settings/law"])),
    ];
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  test("the current page's navigation link shows where the keyboard focus is (2.4.7)", async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    await shiftBrowserClock(context);
    await context.addInitScript(countRequests);
    try {
      const page = await context.newPage();
      await signIn(page, base, "national@demo.mandate.test", DEMO_PASSWORD);
      await visit(page, "/members");
      const current = page.locator(".nav-link.active");
      const look = () =>
        current.evaluate((el) => {
          const style = getComputedStyle(el);
          return `${style.backgroundColor} ${style.color} ${style.outlineStyle} ${style.outlineColor}`;
        });
      const unfocused = await look();
      // Tab from the top of the page, as a keyboard user does, until the current page's link has focus.
      await page.locator("body").click({ position: { x: 1, y: 1 } });
      for (let i = 0; i < 20 && !(await current.evaluate((el) => el === document.activeElement)); i++)
        await page.keyboard.press("Tab");
      assert.ok(await current.evaluate((el) => el === document.activeElement), "the link takes focus");
      assert.notEqual(await look(), unfocused, "focus changes how the current page's link looks");
    } finally {
      await context.close();
    }
  });

  test("the audit log's rows scroll by keyboard: the area takes focus and is named", async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone });
    await shiftBrowserClock(context);
    await context.addInitScript(countRequests);
    try {
      const page = await context.newPage();
      await signIn(page, base, "dpo@demo.mandate.test", DEMO_PASSWORD);
      await visit(page, "/audit");
      const area = page.getByRole("region", { name: /Audit log rows/ });
      assert.equal(await area.getAttribute("tabindex"), "0");
      await area.focus();
      await page.keyboard.press("ArrowRight");
      assert.ok(
        await area.evaluate((el) => el.scrollWidth > el.clientWidth),
        "the rows are wider than a phone",
      );
    } finally {
      await context.close();
    }
  });

  test("what a role sees fits it: one-bar charts are a figure, cards link to members, rules by title", async () => {
    const as = async (email: string, run: (page: Page) => Promise<void>) => {
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
      await shiftBrowserClock(context);
      await context.addInitScript(countRequests);
      try {
        const page = await context.newPage();
        await signIn(page, base, email, DEMO_PASSWORD);
        await run(page);
      } finally {
        await context.close();
      }
    };
    await as("yorkshire.officer@demo.mandate.test", async (page) => {
      await visit(page, "/");
      assert.match((await page.getByTestId("chart-single").first().textContent()) ?? "", /Yorkshire/);
    });
    await as("national@demo.mandate.test", async (page) => {
      await visit(page, "/");
      await page.getByRole("link", { name: /Show these members \(no home address\)/ }).click();
      await page.waitForURL(/\/members\?problem=no_address/);
      await page.getByRole("link", { name: "Export members (CSV)" }).waitFor();
      await visit(page, `/ballots/${ids.ballot}`);
      const banner = (await page.locator(".legal-review").first().textContent()) ?? "";
      assert.match(banner, /Turnout threshold|Statement on the voting paper|Independent scrutineer/);
      assert.doesNotMatch(banner, /\b[a-z]+_[a-z_]+\b/, "no internal rule ids");
    });
  });
});
