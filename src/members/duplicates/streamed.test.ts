import assert from "node:assert/strict";
import { test } from "node:test";
import { findDuplicates, type PersonRecord } from "./index.js";
import { type BlockingValues, NameCache } from "./model.js";
import { BLOCKING_RULES, BlockedSearch, type BlockRow, blockingValuesOf, listCounts } from "./streamed.js";
import { generateSynthetic } from "./synthetic.js";

/**
 * The search one block at a time, fed as the database feeds it (each rule's
 * records grouped by its key, in pages), against findDuplicates over the
 * whole list in memory: the same pairs, clusters and comparisons.
 */
function streamed(
  records: readonly PersonRecord[],
  page: number,
  window: number,
  alone: "kept" | "left out",
) {
  const names = new NameCache();
  const values: BlockingValues[] = [];
  for (let i = 0; i < records.length; i += 5_000)
    values.push(...blockingValuesOf(records.slice(i, i + 5_000), names));
  const search = new BlockedSearch(listCounts(values), {}, window);
  for (const rule of BLOCKING_RULES) {
    const rows: BlockRow[] = [];
    records.forEach((record, ord) => {
      const key = rule.fields.map((f) => values[ord]![f]);
      if (key.every((k) => k !== null)) rows.push({ ord, record, key: key as (string | number)[] });
    });
    // Grouped by key as ORDER BY would; keys in reverse order and records within a key shuffled, to show neither matters.
    const text = (r: BlockRow) => JSON.stringify(r.key);
    rows.sort((x, y) =>
      text(x) < text(y) ? 1 : text(x) > text(y) ? -1 : ((x.ord * 7919) % 13) - ((y.ord * 7919) % 13),
    );
    // The database leaves out records alone under their key.
    const count = new Map<string, number>();
    for (const r of rows) count.set(text(r), (count.get(text(r)) ?? 0) + 1);
    const fed = alone === "kept" ? rows : rows.filter((r) => count.get(text(r))! > 1);
    for (let i = 0; i < fed.length; i += page) search.add(fed.slice(i, i + page));
    search.endRule();
  }
  const needed = search.pendingRecords();
  return search.finish(new Map(needed.map((ord) => [ord, records[ord]!])));
}

test("blocks streamed in pages give the same pairs, clusters and comparisons as the whole list in memory", () => {
  const list = generateSynthetic({ people: 30_000, duplicateRate: 0.03, seed: 20261127 });
  const whole = findDuplicates(list.records);
  const blocks = streamed(list.records, 7_777, 5_000, "left out");
  assert.equal(blocks.comparisons, whole.comparisons);
  assert.equal(blocks.pairs.length, whole.pairs.length);
  assert.deepEqual(blocks.pairs, whole.pairs);
  assert.deepEqual(blocks.clusters, whole.clusters);
  assert.ok(
    whole.clusters.some((c) => c.keys.length > 2 && c.certain),
    "a certain cluster of three or more",
  );
  assert.ok(
    whole.clusters.some((c) => !c.certain),
    "a cluster for review",
  );
});

test("a block larger than a window, and a list of one record, are handled", () => {
  const list = generateSynthetic({ people: 3_000, seed: 5 });
  // Everyone at one office postcode: one block far over the window and over the cap.
  const records = list.records.map((r) => ({ ...r, postcode: "LS1 4AP" }));
  const whole = findDuplicates(records);
  const blocks = streamed(records, 500, 200, "kept");
  assert.deepEqual(blocks.pairs, whole.pairs);
  assert.deepEqual(blocks.clusters, whole.clusters);
  assert.equal(blocks.comparisons, whole.comparisons);
  const one = streamed(records.slice(0, 1), 10, 10, "left out");
  assert.deepEqual(one, { pairs: [], clusters: [], comparisons: 0 });
});
