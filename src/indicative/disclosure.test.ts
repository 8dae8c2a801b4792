import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ConstituencyTally, discloseResults } from "./disclosure.js";

const Q = [{ text: "Strike?", choices: ["Yes", "No"] }];
const c = (key: string, yes: number, no: number, roll = 50): ConstituencyTally => ({
  key,
  label: key,
  roll,
  voted: yes + no,
  votes: [[yes, no]],
});

describe("disclosure control of indicative results", () => {
  test("while open, no answers anywhere: turnout only", () => {
    const r = discloseResults(Q, [c("a", 30, 20)], 10, false);
    assert.equal(r.overall.questions, null);
    assert.equal(r.overall.withheld, "open");
    assert.equal(r.constituencies[0]!.withheld, "open");
    assert.equal(r.constituencies[0]!.voted, 50);
  });

  test("closed: constituencies at or above the minimum are shown with their counts", () => {
    const r = discloseResults(Q, [c("a", 30, 20), c("b", 6, 4)], 10, true);
    assert.deepEqual(
      r.constituencies.map((x) => [x.key, x.withheld, x.questions?.[0]?.choices.map((y) => y.votes)]),
      [
        ["a", null, [30, 20]],
        ["b", null, [6, 4]],
      ],
    );
    assert.deepEqual(
      r.overall.questions?.[0]?.choices.map((y) => y.votes),
      [36, 24],
    );
  });

  test("one small constituency: it and the next smallest are withheld, so overall less shown does not give it", () => {
    const r = discloseResults(Q, [c("a", 30, 20), c("b", 12, 0), c("small", 2, 1)], 10, true);
    const w = Object.fromEntries(r.constituencies.map((x) => [x.key, x.withheld]));
    assert.deepEqual(w, { a: null, b: "complementary", small: "below_minimum" });
    assert.ok(r.overall.questions, "the overall stays shown");
  });

  test("small constituencies that together reach the minimum need no complementary withholding", () => {
    const r = discloseResults(Q, [c("a", 30, 20), c("s1", 3, 3), c("s2", 2, 2)], 10, true);
    const w = Object.fromEntries(r.constituencies.map((x) => [x.key, x.withheld]));
    assert.deepEqual(w, { a: null, s1: "below_minimum", s2: "below_minimum" });
  });

  test("a constituency with no votes needs no protection", () => {
    const r = discloseResults(Q, [c("a", 30, 20), c("none", 0, 0)], 10, true);
    assert.equal(r.constituencies.find((x) => x.key === "a")!.withheld, null);
  });

  test("overall below the minimum: withheld", () => {
    const r = discloseResults(Q, [c("a", 3, 2)], 10, true);
    assert.equal(r.overall.withheld, "below_minimum");
    assert.equal(r.overall.questions, null);
  });
});
