/**
 * `npm test`: prepares what the test files share (the migrated PGlite
 * template, the built web app for the browser tests), then runs every
 * *.test.ts with node's test runner, three files at a time (most files spend much of their time
 * waiting on the database, the browser or a worker process), in a time zone far
 * from the UK so date arithmetic cannot slip a day unseen. A test that hangs
 * fails after ten minutes.
 *
 *   npm test                      all tests
 *   npm test -- src/members       only files under a path
 *   MANDATE_TEST_TIMINGS=/tmp/t.txt npm test
 *                                 also writes each file's time, longest first
 *   MANDATE_TEST_CONCURRENCY=2 npm test
 *                                 files at a time (3 unless set)
 *   MANDATE_TEST_SHIFT_DAYS=365 npm test
 *                                 every process and the browser a year ahead,
 *                                 to prove no test depends on the real date
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureWebBuilt } from "../src/cli/web-build.js";
import { PACKAGE_ROOT } from "../src/main.js";
import { ensurePgliteTemplate } from "../test/helpers/db.js";

function findTests(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") findTests(full, out);
    } else if (entry.name.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

/**
 * Files known to take minutes start first (longest first), so the lanes end together instead of one
 * long file running alone at the end. `MANDATE_TEST_TIMINGS=FILE npm test` shows which they are.
 */
const LONG_FIRST = [
  "test/e2e/accessibility.test.ts",
  "src/action/pay.concurrency.test.ts",
  "src/audit/audit.service.test.ts",
  "src/ballots/freeze.kill.test.ts",
  "src/ballots/documents.job.test.ts",
  "src/members/member-import.job.test.ts",
  "src/comms/send.kill.test.ts",
  "src/registers/register-import.job.test.ts",
  "src/bulletins/digests.kill.test.ts",
  "src/db/folder-lock.test.ts",
  "src/memberlink/memberlink.test.ts",
];
/**
 * Then the browser suites (each some 15 to 30 s), then the rest, mostly short: the files left at the end
 * are small, so the lanes end together.
 */
const rank = (f: string) => {
  const relative = path.relative(PACKAGE_ROOT, f).split(path.sep).join("/");
  const i = LONG_FIRST.indexOf(relative);
  if (i !== -1) return i;
  return relative.startsWith("test/e2e/") ? LONG_FIRST.length : LONG_FIRST.length + 1;
};

const filters = process.argv.slice(2).map((f) => path.resolve(f));
const files = [...findTests(path.join(PACKAGE_ROOT, "src")), ...findTests(path.join(PACKAGE_ROOT, "test"))]
  .filter((f) => !filters.length || filters.some((p) => f.startsWith(p)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (!files.length) {
  console.error("No test files matched.");
  process.exit(1);
}

const shiftDays = Number(process.env.MANDATE_TEST_SHIFT_DAYS ?? "0");
const SHIFT_CLOCK = pathToFileURL(path.join(PACKAGE_ROOT, "test/helpers/shift-clock.mjs")).href;
if (shiftDays) console.log(`# the real clock of every test process is moved ${shiftDays} days`);

await ensurePgliteTemplate();
if (files.some((f) => f.includes(`${path.sep}e2e${path.sep}`))) {
  await ensureWebBuilt((line) => console.log(line));
}

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "scripts/test-files.ts", ...files.map((f) => path.relative(PACKAGE_ROOT, f))],
  {
    cwd: PACKAGE_ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      TZ: process.env.MANDATE_TEST_TZ ?? "Pacific/Auckland",
      // Each test file is a process of its own: V8's compiled code of the dependencies is kept on
      // disk for the next one (about a tenth of each file's start).
      NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(PACKAGE_ROOT, ".mandate/compile-cache"),
      ...(shiftDays
        ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${SHIFT_CLOCK}`.trim() }
        : {}),
    },
  },
);
process.exit(result.status ?? 1);
