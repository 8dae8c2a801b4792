/**
 * The matcher's answers, frozen: over a fixed corpus of a few thousand
 * generated member strings on the real registers
 * (test/fixtures/matching/answer-corpus.ts; skipped with the reason printed
 * when ../shared/data is absent), every result (status, employer, site,
 * score, confidence, candidates, evidence and reason) is what the matcher
 * gave when the list was frozen. A change made for speed must leave this
 * green; a change meant to alter answers refreezes it, and says so:
 *
 *   MANDATE_FREEZE=1 npx tsx --test src/matching/frozen-answers.test.ts
 *
 * One line per query in test/fixtures/matching/frozen-answers.txt: the
 * status's first letter and the first 12 hex digits of the SHA-256 of the
 * result as JSON.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { loadRegisters } from "../../bench/matching.js";
import { answerCorpus } from "../../test/fixtures/matching/answer-corpus.js";
import { SHARED_DATA, sharedDataSkip } from "../../test/helpers/shared-data.js";
import { buildMatchIndex, type MatchResult, matchOrganisation } from "./index.js";

const FIXTURE = path.resolve(import.meta.dirname, "../../test/fixtures/matching/frozen-answers.txt");
const CORPUS_SIZE = { memberStrings: 600, export: 2000 } as const;

function answerLine(r: MatchResult): string {
  return r.status[0] + createHash("sha256").update(JSON.stringify(r)).digest("hex").slice(0, 12);
}

const loaded = loadRegisters(SHARED_DATA);
const skip = sharedDataSkip("missing" in loaded ? loaded.missing : null);

test("every answer over the frozen corpus is as frozen", { skip }, (t) => {
  if ("missing" in loaded) return;
  const got: string[] = [];
  const queries: { register: string; query: unknown; result: MatchResult }[] = [];
  for (const reg of loaded.registers) {
    const index = buildMatchIndex(reg.entries);
    for (const q of answerCorpus(reg, CORPUS_SIZE)) {
      const result = matchOrganisation(index, q);
      got.push(answerLine(result));
      queries.push({ register: reg.name, query: q, result });
    }
  }
  if (process.env.MANDATE_FREEZE === "1") {
    fs.writeFileSync(FIXTURE, `${got.join("\n")}\n`);
    t.diagnostic(`froze ${got.length} answers into ${FIXTURE}`);
    return;
  }
  const want = fs.readFileSync(FIXTURE, "utf8").trimEnd().split("\n");
  assert.equal(got.length, want.length, "the corpus has as many queries as when frozen");
  const differ = got.flatMap((g, i) => (g === want[i] ? [] : [i]));
  for (const i of differ.slice(0, 5))
    t.diagnostic(
      `#${i} ${JSON.stringify(queries[i]!.query)}: ${want[i]} now ${got[i]} ${JSON.stringify(queries[i]!.result)}`,
    );
  assert.equal(differ.length, 0, `${differ.length} of ${got.length} answers differ from the frozen ones`);
  // Status counts, for the reader of the log.
  const counts = new Map<string, number>();
  for (const q of queries) {
    const key = `${q.register} ${q.result.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  t.diagnostic(JSON.stringify(Object.fromEntries(counts)));
});
