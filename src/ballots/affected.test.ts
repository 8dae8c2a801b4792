import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BallotedMember, decideAffected, differenceByEmployer, type RegisterFacts } from "./affected.js";

const RULES = {
  givenOn: "2027-01-05",
  firstDay: "2027-01-20",
  electorateAsAt: "2026-11-20",
  scope: [
    { employerId: 1, workplaceId: null },
    { employerId: 2, workplaceId: 20 },
  ],
  jobCategories: null,
};

const balloted = (memberId: number, employerId: number, workplaceId: number | null): BallotedMember => ({
  memberId,
  employerId,
  workplaceId,
  jobCategory: "Nursing",
  checkOff: false,
});

const now = (memberId: number, over: Partial<RegisterFacts> = {}): RegisterFacts => ({
  memberId,
  status: "active",
  joinedOn: "2020-01-01",
  leftOn: null,
  employerId: 1,
  workplaceId: 10,
  jobCategory: "Nursing",
  checkOff: false,
  ...over,
});

describe("affected employees on the day of a notice of industrial action (s.234A(3)(a))", () => {
  const ballot = [
    balloted(1, 1, 10),
    balloted(2, 1, 10),
    balloted(3, 1, 11),
    balloted(4, 2, 20),
    balloted(5, 2, 20),
    balloted(6, 1, 10),
    balloted(7, 1, 10),
    balloted(8, 2, 20),
  ];
  const register = new Map<number, RegisterFacts>([
    [1, now(1)],
    // Left the employer after the ballot, before the notice: BA v Unite [2009] EWHC 3541 (QB).
    [2, now(2, { status: "left", leftOn: "2026-12-15" })],
    [3, now(3, { status: "lapsed", workplaceId: 11 })],
    [4, now(4, { employerId: 2, workplaceId: 21 })], // moved to a workplace outside the ballot
    [5, now(5, { employerId: 1, workplaceId: 10 })], // moved to another employer of the ballot
    [6, now(6, { leftOn: "2027-01-15" })], // leaving before the first day of action
    // 7: no record any more (erased): not called on.
    [8, now(8, { employerId: 2, workplaceId: 20 })],
    [9, now(9, { joinedOn: "2026-12-01" })], // joined since the ballot
    [10, now(10, { joinedOn: "2019-01-01", workplaceId: 12 })], // was not entitled in the ballot
    [11, now(11, { status: "left", leftOn: "2026-12-01" })], // not balloted, gone: not listed
  ]);
  const entries = decideAffected(ballot, register, RULES, new Map([[10, "in_arrears"]]));
  const outcome = new Map(entries.map((e) => [e.memberId, e.outcome]));

  test("each member's outcome and reason", () => {
    assert.deepEqual(Object.fromEntries(outcome), {
      1: "affected",
      2: "left",
      3: "lapsed",
      4: "moved_out",
      5: "affected",
      6: "leaving_before_action",
      7: "left",
      8: "affected",
      9: "joined_since",
      10: "not_balloted",
    });
  });

  test("a member balloted at one employer and now at another of the ballot is counted where they work now", () => {
    const five = entries.find((e) => e.memberId === 5)!;
    assert.equal(five.employerId, 1);
  });

  test("the difference from the ballot, per employer: the employer's own members only", () => {
    const [one, two] = differenceByEmployer(ballot, entries);
    assert.deepEqual(one, {
      employerId: 1,
      balloted: 5,
      affected: 2,
      movedIn: 1,
      movedAway: 0,
      left: 2,
      lapsed: 1,
      deceased: 0,
      movedOut: 0,
      leavingBeforeAction: 1,
      joinedSince: 1,
      notBalloted: 1,
    });
    assert.deepEqual(two, {
      employerId: 2,
      balloted: 3,
      affected: 1,
      movedIn: 0,
      movedAway: 1,
      left: 0,
      lapsed: 0,
      deceased: 0,
      movedOut: 1,
      leavingBeforeAction: 0,
      joinedSince: 0,
      notBalloted: 0,
    });
  });

  test("an occupation ballot: a member who changed category is no longer in the constituency", () => {
    const r = decideAffected([balloted(1, 1, 10)], new Map([[1, now(1, { jobCategory: "Admin" })]]), {
      ...RULES,
      jobCategories: ["nursing"],
    });
    assert.equal(r[0]!.outcome, "moved_out");
  });
});
