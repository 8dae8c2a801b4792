/**
 * A node:test reporter that writes, per test file, its wall time (first to last event seen) and the
 * summed time of its top-level tests, longest first: what to split or speed up when the suite grows.
 * `MANDATE_TEST_TIMINGS=FILE npm test`.
 */
export default async function* timings(source) {
  const files = new Map();
  const started = Date.now();
  for await (const event of source) {
    const file = event.data?.file?.replace(process.cwd() + "/", "");
    if (!file) continue;
    const now = Date.now();
    const row = files.get(file) ?? { first: now, last: now, tests: 0 };
    row.last = now;
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0) {
      row.tests += event.data.details?.duration_ms ?? 0;
    }
    files.set(file, row);
  }
  const rows = [...files].sort((a, b) => b[1].last - b[1].first - (a[1].last - a[1].first));
  yield `# ${rows.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s; wall s, tests s, file\n`;
  for (const [file, r] of rows) {
    yield `${((r.last - r.first) / 1000).toFixed(1).padStart(8)} ${(r.tests / 1000).toFixed(1).padStart(8)}  ${file}\n`;
  }
}
