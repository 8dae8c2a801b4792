import fs from "node:fs";
import { type Browser, chromium } from "playwright-core";

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
