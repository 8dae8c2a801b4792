/**
 * Runs the test files named on the command line with node's test runner, in the order given (the
 * `--test` command line sorts them by name; `run()` keeps the order, so the longest can start first).
 * Started by scripts/test.ts with tsx loaded, which each file's process inherits.
 *
 *   MANDATE_TEST_CONCURRENCY=3    files at a time
 *   MANDATE_TEST_TIMINGS=FILE     also write each file's time there, longest first
 */
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import timings from "../test/helpers/timing-reporter.js";

const stream = run({
  files: process.argv.slice(2).map((f) => path.resolve(f)),
  concurrency: Number(process.env.MANDATE_TEST_CONCURRENCY ?? "3"),
  // A test that hangs fails after ten minutes, and a file whose tests are done ends even if something
  // it opened is left open: a stuck file must not hold the whole run.
  timeout: 600_000,
  forceExit: true,
});
stream.on("test:summary", (summary) => {
  if (summary.file === undefined && !summary.success) process.exitCode = 1;
});
const toScreen = new PassThrough({ objectMode: true });
stream.pipe(toScreen);
toScreen.compose(spec).pipe(process.stdout);
if (process.env.MANDATE_TEST_TIMINGS) {
  const toFile = new PassThrough({ objectMode: true });
  stream.pipe(toFile);
  toFile.compose(timings).pipe(fs.createWriteStream(process.env.MANDATE_TEST_TIMINGS));
}
