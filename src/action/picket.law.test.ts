import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { overGuidance, picketLaw } from "./picket.law.js";

/** "Supervisor required?" over dated vectors: the law data keyed by the picketing day and jurisdiction. */
describe("picket law on the day", () => {
  const vectors: [string, "gb" | "ni", boolean, RegExp][] = [
    ["2011-11-30", "gb", false, /Code of Practice/],
    ["2017-02-28", "gb", false, /Code of Practice/],
    ["2017-03-01", "gb", true, /s\.220A/],
    ["2026-02-17", "gb", true, /s\.220A/],
    ["2026-02-18", "gb", false, /repeal/],
    ["2026-02-19", "gb", false, /repeal/],
    ["2027-01-20", "gb", false, /repeal/],
    ["2020-06-01", "ni", false, /TULR\(NI\)O/],
    ["2026-02-17", "ni", false, /TULR\(NI\)O/],
  ];
  for (const [day, jurisdiction, required, citation] of vectors) {
    test(`${day} ${jurisdiction}: supervisor ${required ? "required" : "not required"}`, () => {
      const law = picketLaw(day, jurisdiction);
      assert.equal(law.supervisorRequired, required);
      assert.match(law.supervisor.citation, citation);
    });
  }

  test("regime B's duty is confirmed; Northern Ireland's position needs legal review", () => {
    assert.equal(picketLaw("2026-02-17", "gb").supervisor.unconfirmed, null);
    assert.ok(picketLaw("2026-02-17", "ni").supervisor.unconfirmed);
  });

  test("the Code's six at an entrance, from the law data; more is flagged, never refused", () => {
    const law = picketLaw("2027-01-20", "gb");
    assert.equal(law.numbers.perEntrance, 6);
    assert.match(law.numbers.citation, /Code of Practice on Picketing/);
    assert.equal(overGuidance({ expected: 6, actual: null }, 6), false);
    assert.equal(overGuidance({ expected: 7, actual: null }, 6), true);
    assert.equal(overGuidance({ expected: 4, actual: 9 }, 6), true);
    assert.equal(picketLaw("2027-01-20", "ni").numbers.perEntrance, 6);
  });

  test("a day before the law data begins is refused", () => {
    assert.throws(() => picketLaw("2001-01-01", "gb"));
  });
});
