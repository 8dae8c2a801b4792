import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_CERTAIN_AT, DEFAULT_REVIEW_AT, findDuplicates } from "./index.js";
import { evaluate, generateSynthetic } from "./synthetic.js";

const SEED = 20261127;

test("synthetic list of 50,000 people, 3% duplicated: precision of certain pairs >= 99%, recall >= 90%", () => {
  const list = generateSynthetic({ people: 50_000, duplicateRate: 0.03, seed: SEED });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = findDuplicates(list.records);
  const ms = performance.now() - started;
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  const f = evaluate(list, result, DEFAULT_CERTAIN_AT);

  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  console.log(
    [
      `records ${list.records.length}, true duplicate pairs ${f.truePairs}, comparisons ${result.comparisons}`,
      `certain (p >= ${DEFAULT_CERTAIN_AT}): ${f.certainPairs} pairs, precision ${pct(f.certainPrecision)}, recall ${pct(f.certainRecall)}`,
      `certain + review (p >= ${DEFAULT_REVIEW_AT}): ${f.foundPairs} pairs, recall ${pct(f.recall)}, review queue ${f.foundPairs - f.certainPairs}`,
      `pairs implied by certain clusters: ${f.certainClusterPairs}, precision ${pct(f.certainClusterPrecision)}`,
      `false certain by relationship: ${JSON.stringify(f.falseCertainByRelation)}`,
      `findDuplicates: ${Math.round(ms)} ms wall, ${Math.round(cpuMs)} ms CPU`,
    ].join("\n"),
  );

  assert.ok(f.certainPrecision >= 0.99, `certain precision ${pct(f.certainPrecision)}`);
  assert.ok(f.certainClusterPrecision >= 0.99, `certain cluster precision ${pct(f.certainClusterPrecision)}`);
  assert.ok(f.recall >= 0.9, `recall ${pct(f.recall)}`);
  // An unaltered copy under a new membership number must always be found.
  assert.equal(f.missedByCorruption["(no corruption)"], undefined);
  for (const p of result.pairs) assert.ok(p.probability >= DEFAULT_REVIEW_AT);
});

test("the generator is seeded: same seed, same list; another seed, another list", () => {
  const a = generateSynthetic({ people: 2_000, seed: 7 });
  const b = generateSynthetic({ people: 2_000, seed: 7 });
  const c = generateSynthetic({ people: 2_000, seed: 8 });
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.person, b.person);
  assert.notDeepEqual(a.records.slice(0, 50), c.records.slice(0, 50));
});

test("the generator makes the hard cases: common names collide, relatives share homes, duplicates are corrupted", () => {
  const list = generateSynthetic({ people: 20_000, seed: SEED });
  const names = new Map<string, number>();
  for (const r of list.records) {
    const key = `${r.forenames.split(" ")[0]} ${r.surname}`;
    names.set(key, (names.get(key) ?? 0) + 1);
  }
  const top = Math.max(...names.values());
  assert.ok(top >= 5, `most common full name only ${top} times`);
  const relations = new Set(list.relation);
  for (const r of ["spouse", "twin", "father/son same name"]) assert.ok(relations.has(r), r);
  const duplicates = list.records.length - 20_000;
  assert.ok(duplicates > 450 && duplicates < 750, `${duplicates} duplicate records`);
  const kinds = new Set(list.corruptions.flat());
  for (const k of [
    "nickname",
    "surname change",
    "dob day/month swap",
    "moved",
    "email missing",
    "forename typo",
  ]) {
    assert.ok(kinds.has(k), k);
  }
});
