import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT, WEB_DIST } from "../main.js";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** Builds the web app with Vite when it is missing or older than its sources. */
export async function ensureWebBuilt(log: (line: string) => void): Promise<string | null> {
  const index = path.join(WEB_DIST, "index.html");
  const sources = path.join(PACKAGE_ROOT, "src", "web");
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const stale = !built || (fs.existsSync(sources) && newestMtime(sources) > built);
  if (!stale) return WEB_DIST;
  let vite: typeof import("vite");
  try {
    vite = await import("vite");
  } catch {
    log("The web app is not built and Vite is not installed (npm install): serving the API only.");
    return null;
  }
  log("Building the web app...");
  await vite.build({ configFile: path.join(PACKAGE_ROOT, "vite.config.ts"), logLevel: "warn" });
  return WEB_DIST;
}
