/**
 * A node:test reporter that writes, per test file, the summed time of its top-level tests, longest
 * first: what to split or speed up, or start first, when the suite grows (`MANDATE_TEST_TIMINGS=FILE
 * npm test`).
 */
interface TestEvent {
  type: string;
  data?: { file?: string; nesting?: number; details?: { duration_ms?: number } };
}

export default async function* timings(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const files = new Map<string, number>();
  const started = Date.now();
  for await (const { type, data } of source) {
    if ((type !== "test:pass" && type !== "test:fail") || data?.nesting !== 0 || !data.file) continue;
    const file = data.file.replace(`${process.cwd()}/`, "");
    files.set(file, (files.get(file) ?? 0) + (data.details?.duration_ms ?? 0));
  }
  const rows = [...files].sort((a, b) => b[1] - a[1]);
  yield `# ${rows.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s; seconds of tests per file\n`;
  for (const [file, ms] of rows) yield `${(ms / 1000).toFixed(1).padStart(8)}  ${file}\n`;
}
