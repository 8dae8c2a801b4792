import assert from "node:assert/strict";
import { test } from "node:test";
import { type AdvisorUnit, adviseAggregation } from "./advisor.js";

const unit = (i: number, over: Partial<AdvisorUnit> = {}): AdvisorUnit => ({
  workplaceId: i,
  workplaceName: `Workplace ${String(i).padStart(3, "0")}`,
  employerId: 1 + (i % 3),
  employerName: `Employer ${1 + (i % 3)}`,
  occupation: i % 2 ? "nurse" : "porter",
  entitled: 1000,
  turnout: 50,
  yesShare: 80,
  affected: true,
  importantPublicServices: false,
  walesDevolved: false,
  jurisdiction: "gb",
  ...over,
});

/**
 * The reference national ballot (2021): aggregate turnout 50.6%, yet only 52 of 141 constituencies reached
 * 50% with a Yes majority. 52 workplaces at 58% and 89 at 46.3% give 71,367 votes of 141,000 (50.6%).
 */
const national = Array.from({ length: 141 }, (_, i) => unit(i + 1, { turnout: i < 52 ? 58 : 46.3 }));

test("the 2021 national ballot: 52 of 141 separate ballots win; one aggregated ballot wins for everyone", () => {
  const advice = adviseAggregation({ openingDate: "2021-10-01", units: national });
  const by = Object.fromEntries(advice.options.map((o) => [o.option, o]));
  const separate = by.separate_workplaces!;
  assert.equal(separate.constituencies.length, 141);
  assert.equal(separate.won, 52);
  assert.equal(separate.membersCovered, 52_000);
  assert.ok(separate.constituencies.filter((c) => !c.wins).every((c) => c.fails.join() === "turnout"));
  assert.equal(separate.legalTests[0]!.citation, "TULRCA 1992 s.228(3), s.226(3)");
  const all = by.common_dispute!;
  assert.equal(all.constituencies.length, 1);
  assert.equal(all.constituencies[0]!.turnout, 50.6);
  assert.equal(all.constituencies[0]!.votes, 71_367);
  assert.equal(all.constituencies[0]!.votesNeeded, 70_500);
  assert.equal(all.won, 1);
  assert.equal(all.membersCovered, 141_000);
  assert.match(all.legalTests[0]!.citation, /s\.228A\(2\)/);
  assert.ok(all.legalTests[0]!.unconfirmed, "s.228A(5) was not retrieved: flagged for legal review");
  // Three employers, each a mix of both kinds of workplace: all three reach 50%.
  assert.equal(by.employer!.constituencies.length, 3);
  assert.equal(by.employer!.legalTests[0]!.citation, "TULRCA 1992 s.228A(4)");
  assert.equal(by.occupation!.constituencies.map((c) => c.name).join(), "nurse,porter");
  assert.equal(by.occupation!.legalTests[0]!.citation, "TULRCA 1992 s.228A(3)");
});

test("the best option covers most members; ties go to fewer constituencies", () => {
  const advice = adviseAggregation({ openingDate: "2021-10-01", units: national });
  const covered = advice.options.map((o) => [o.option, o.membersCovered]);
  assert.deepEqual(covered, [
    ["separate_workplaces", 52_000],
    ["employer", 141_000],
    ["occupation", 141_000],
    ["common_dispute", 141_000],
  ]);
  assert.equal(advice.best, "common_dispute");
});

test("a workplace with no member affected rules out the common dispute test; unknown occupations the occupation test", () => {
  const units = national.map((u, i) => (i === 7 ? { ...u, affected: false, occupation: null } : u));
  const advice = adviseAggregation({ openingDate: "2021-10-01", units });
  const by = Object.fromEntries(advice.options.map((o) => [o.option, o]));
  assert.equal(by.common_dispute!.available, false);
  assert.match(by.common_dispute!.unavailableReason!, /1 workplace \(Workplace 008\)/);
  assert.deepEqual(by.common_dispute!.constituencies, []);
  assert.equal(by.common_dispute!.membersCovered, 0);
  assert.equal(by.occupation!.available, false);
  assert.match(by.occupation!.unavailableReason!, /1 of 141 units/);
  assert.equal(advice.best, "employer");
});

test("the 40% rule where most members work in important public services, and the majority", () => {
  const ips = national.map((u) => ({ ...u, importantPublicServices: true, yesShare: 75 }));
  const advice = adviseAggregation({ openingDate: "2021-10-01", units: ips });
  const all = advice.options.find((o) => o.option === "common_dispute")!.constituencies[0]!;
  assert.equal(all.yesNeeded40, 56_400);
  assert.deepEqual(all.fails, ["support_40"], "50.6% x 75% = 38% of those entitled");
  const withBetterYes = adviseAggregation({
    openingDate: "2021-10-01",
    units: ips.map((u) => ({ ...u, yesShare: 80 })),
  }).options.find((o) => o.option === "common_dispute")!.constituencies[0]!;
  assert.equal(withBetterYes.wins, true);
  // Under the Employment Rights Act 2025 (from 18 February 2026) the 40% rule is gone.
  const regimeC = adviseAggregation({ openingDate: "2026-12-07", units: ips }).options.find(
    (o) => o.option === "common_dispute",
  )!.constituencies[0]!;
  assert.equal(regimeC.yesNeeded40, null);
  assert.equal(regimeC.wins, true);
  const split = adviseAggregation({
    openingDate: "2026-12-07",
    units: [unit(1, { turnout: 90, yesShare: 50 })],
  }).options[0]!.constituencies[0]!;
  assert.deepEqual(split.fails, ["majority"], "a tie is not a majority");
});

test("Northern Ireland's members are never balloted with Great Britain's; empty units are left out", () => {
  const units = [
    unit(1, { employerId: 9, employerName: "Trust" }),
    unit(2, { employerId: 9, employerName: "Trust", jurisdiction: "ni" }),
    unit(3, { entitled: 0 }),
  ];
  const advice = adviseAggregation({ openingDate: "2026-12-07", units });
  const all = advice.options.find((o) => o.option === "common_dispute")!;
  assert.deepEqual(
    all.constituencies.map((c) => c.name),
    ["All members in dispute", "All members in dispute (Northern Ireland)"],
  );
  assert.equal(advice.options.find((o) => o.option === "employer")!.constituencies.length, 2);
  assert.equal(advice.options[0]!.constituencies.length, 2);
  assert.ok(all.legalTests[0]!.unconfirmed?.includes("Northern Ireland"));
});
