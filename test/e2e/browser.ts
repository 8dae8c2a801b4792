import fs from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { buildApp } from "../../src/http/app.js";
import type { AppDeps } from "../../src/http/types.js";
import { WEB_DIST } from "../../src/main.js";
import type { Clock } from "../../src/shared/clock.js";

export const CHROMIUM_PATH = process.env.MANDATE_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Why the browser suites cannot run here, or false. With
 * MANDATE_REQUIRE_BROWSER=1 a missing browser is an error instead.
 */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM_PATH)) return false;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.MANDATE_REQUIRE_BROWSER === "1") throw new Error(`${reason} (MANDATE_REQUIRE_BROWSER=1)`);
  console.log(`# skipping browser suites: ${reason}`);
  return reason;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export interface WebAppInBrowser {
  /** Where the server answers: http://127.0.0.1:<port>. */
  base: string;
  page: Page;
  /** For more pages (another user, another screen size), each in its own context. */
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The server with the built web app (`npx vite build` first) on a free port,
 * and a browser page to drive it. Whatever started is closed again if the rest
 * fails, since a suite's `after` never sees a half-made result. `extra.comms` lets the server's own
 * worker send email (to a test SMTP server).
 */
export async function openWebApp(
  db: AppDeps["db"],
  clock: Clock,
  extra: Pick<AppDeps, "comms"> = {},
): Promise<WebAppInBrowser> {
  const app = await buildApp({
    ...extra,
    db,
    clock,
    secureCookies: false,
    webDir: WEB_DIST,
    logLevel: "silent",
  });
  let browser: Browser | undefined;
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    browser = await launchBrowser();
    const page = await browser.newPage();
    await shiftBrowserClock(page);
    const opened = browser;
    return {
      base,
      page,
      browser: opened,
      close: async () => {
        await opened.close();
        await app.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await app.close();
    throw error;
  }
}

/**
 * With MANDATE_TEST_SHIFT_DAYS set, the page's clock moves as the test
 * processes' do (test/helpers/shift-clock.mjs), so a screen that wrongly reads
 * the browser's date shows up in the shifted run.
 */
export async function shiftBrowserClock(page: Page | BrowserContext): Promise<void> {
  const days = Number(process.env.MANDATE_TEST_SHIFT_DAYS ?? "0");
  if (!days) return;
  await page.addInitScript(
    (offset: number) => {
      const RealDate = Date;
      class ShiftedDate extends RealDate {
        // biome-ignore lint/suspicious/noExplicitAny: Date's constructor overloads
        constructor(...args: any[]) {
          if (args.length === 0) super(RealDate.now() + offset);
          // @ts-expect-error spread into Date's overloads
          else super(...args);
        }
        static override now(): number {
          return RealDate.now() + offset;
        }
      }
      globalThis.Date = ShiftedDate as DateConstructor;
    },
    Math.round(days * 86_400_000),
  );
}

/**
 * A page as on a phone (390 by 844, touch, twice the pixels), on the test clock, in its own context; the
 * app's Content Security Policy is bypassed so axe-core's script can run in it.
 */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    bypassCSP: true,
  });
  await shiftBrowserClock(context);
  return context.newPage();
}

/** Signs in through the login form, as a user would, and waits for the home page. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
}

/** The WCAG 2.0-2.2 A and AA rules, as axe-core tags them. */
export const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (a context made with `bypassCSP: true`: the app's
 * policy refuses the injected script) against the WCAG A and AA rules and returns the
 * violations (an empty list when the page passes).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const require = createRequire(import.meta.url);
  if (!(await page.evaluate(() => "axe" in window)))
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(
    async (tags) => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is the global the script tag installs
      const axe = (window as any).axe;
      const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
      return result.violations.map((v: AxeViolation) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    [...WCAG_AA_TAGS],
  );
}

/** Violations as lines a person can act on: rule, what it asks, and where. */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string[] {
  return violations.flatMap((v) => [
    `${where}: ${v.id} (${v.impact ?? "?"}) ${v.help} ${v.helpUrl}`,
    ...v.nodes
      .slice(0, 5)
      .map(
        (n) =>
          `    at ${n.target.join(" ")}${n.failureSummary ? ` : ${n.failureSummary.replace(/\s+/g, " ")}` : ""}`,
      ),
  ]);
}
