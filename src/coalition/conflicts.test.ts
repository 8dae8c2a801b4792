import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jointTimetable, lastNoticeDay, type TimetableBallotInput } from "./conflicts.js";

/** Dated vectors: each case fixes its own dates and "today", never the machine's clock. */
const ballot = (over: Partial<TimetableBallotInput> = {}): TimetableBallotInput => ({
  name: "All members",
  openingDate: "2026-12-07",
  closingDate: "2027-01-04",
  resultDate: "2027-01-04",
  mandate: "yes",
  ...over,
});

const run = (b: TimetableBallotInput, day: string, today = "2026-12-01") =>
  jointTimetable({ unions: [{ key: "hpsu", name: "HPSU", ballots: [b] }], daysOfAction: [day], today });

describe("the last day to give notice of action, keyed by the day it is given", () => {
  test("regime B before 18 February 2026: 14 days", () => {
    assert.equal(lastNoticeDay("2026-02-25"), "2026-02-11"); // 15 Feb is still regime B: 10 days not yet law
  });
  test("across the change: the 10-day rule from 18 February 2026 gives the later day", () => {
    assert.equal(lastNoticeDay("2026-02-28"), "2026-02-18");
    assert.equal(lastNoticeDay("2026-03-05"), "2026-02-23");
  });
  test("regime A: 7 days; regime B by agreement: 7 days", () => {
    assert.equal(lastNoticeDay("2011-11-30"), "2011-11-23");
    assert.equal(lastNoticeDay("2024-05-20", "gb", true), "2024-05-13");
  });
});

describe("joint timetable conflicts", () => {
  test("regime C ballot in time: no conflict, dates from the law", () => {
    const t = run(ballot(), "2027-01-20");
    assert.deepEqual(t.conflicts, []);
    const b = t.ballots[0]!;
    assert.equal(b.regime, "C");
    assert.equal(b.earliestAction, "2027-01-14"); // result + 10 days
    assert.equal(b.mandateEnds, "2028-01-03"); // 12 months beginning with 4 January 2027
    assert.equal(b.ballotNoticeBy, "2026-11-30");
    assert.deepEqual(b.noticeBy, [{ day: "2027-01-20", lastDay: "2027-01-10" }]);
  });

  test("a ballot that closes too late for the result and 10 days' notice", () => {
    const t = run(ballot(), "2027-01-10");
    assert.equal(t.conflicts.length, 1);
    const c = t.conflicts[0]!;
    assert.equal(c.kind, "closes_too_late");
    assert.match(c.reason, /earliest day of action is 2027-01-14/);
    assert.match(c.citation, /s\.234A\(4\)/);
    assert.match(c.citation, /ERA 2025/);
  });

  test("regime B: 14 days' notice from the result", () => {
    const b = ballot({ openingDate: "2025-06-02", closingDate: "2025-06-30", resultDate: "2025-06-30" });
    const t = run(b, "2025-07-10", "2025-06-01");
    assert.equal(t.conflicts[0]!.kind, "closes_too_late");
    assert.equal(t.ballots[0]!.earliestAction, "2025-07-14");
    assert.match(t.conflicts[0]!.citation, /TUA 2016 s\.8/);
  });

  test("regime B mandate expired after 6 months", () => {
    const b = ballot({ openingDate: "2025-06-02", closingDate: "2025-06-30", resultDate: "2025-06-30" });
    const t = run(b, "2026-01-15", "2025-07-01");
    assert.equal(t.ballots[0]!.mandateEnds, "2025-12-29");
    assert.equal(t.conflicts.length, 1);
    assert.equal(t.conflicts[0]!.kind, "mandate_expired");
    assert.match(t.conflicts[0]!.citation, /TUA 2016 s\.9/);
  });

  test("regime A: action must begin within 4 weeks of the ballot", () => {
    const b = ballot({ openingDate: "2011-06-01", closingDate: "2011-06-20", resultDate: "2011-06-20" });
    const late = run(b, "2011-07-20", "2011-06-01");
    assert.equal(late.conflicts[0]!.kind, "mandate_expired");
    assert.match(late.conflicts[0]!.reason, /must begin by 2011-07-17/);
    assert.deepEqual(run(b, "2011-06-30", "2011-06-01").conflicts, []);
  });

  test("no mandate: the union cannot take part", () => {
    const t = run(ballot({ mandate: "no" }), "2027-01-20");
    assert.equal(t.conflicts[0]!.kind, "mandate_not_obtained");
  });

  test("notice of action not given in time", () => {
    const b = ballot({ openingDate: "2026-10-01", closingDate: "2026-11-01", resultDate: "2026-11-01" });
    const t = run(b, "2026-11-25", "2026-11-20");
    assert.equal(t.conflicts.length, 1);
    assert.equal(t.conflicts[0]!.kind, "notice_too_late");
    assert.match(t.conflicts[0]!.reason, /by 2026-11-15/);
    // Given on 10 November: in time.
    assert.deepEqual(
      run({ ...b, actionNoticeGivenOn: "2026-11-10" }, "2026-11-25", "2026-11-20").conflicts,
      [],
    );
    // Given too late: still a conflict, saying when it was given.
    const late = run({ ...b, actionNoticeGivenOn: "2026-11-18" }, "2026-11-25", "2026-11-20");
    assert.match(late.conflicts[0]!.reason, /given on 2026-11-18/);
  });

  test("a result still to come is not a conflict if the ballot closes in time", () => {
    const b = ballot({
      openingDate: "2026-11-20",
      closingDate: "2026-12-20",
      resultDate: null,
      mandate: "pending",
    });
    const t = run(b, "2027-01-05");
    assert.deepEqual(t.conflicts, []);
    assert.equal(t.ballots[0]!.resultDeclared, false);
    assert.equal(t.ballots[0]!.resultDate, "2026-12-20");
  });

  test("a union with no ballot in the coalition has no mandate on the day", () => {
    const t = jointTimetable({
      unions: [{ key: "x", name: "X", ballots: [] }],
      daysOfAction: ["2027-01-20"],
      today: "2026-12-01",
    });
    assert.deepEqual(
      t.conflicts.map((c) => [c.union, c.kind, c.citation]),
      [["x", "no_ballot", "TULRCA 1992 s.226(1)"]],
    );
  });

  test("Northern Ireland: the Order's notice period and mandate", () => {
    const b = ballot({ jurisdiction: "ni" });
    const t = run(b, "2027-01-20");
    assert.equal(t.ballots[0]!.regime, "NI");
    assert.ok(t.ballots[0]!.mandateEnds);
  });

  test("several unions and days: each conflict names its union, ballot and day", () => {
    const t = jointTimetable({
      unions: [
        { key: "a", name: "A", ballots: [ballot()] },
        {
          key: "b",
          name: "B",
          ballots: [ballot({ closingDate: "2027-01-12", resultDate: null, mandate: "pending" })],
        },
      ],
      daysOfAction: ["2027-01-26", "2027-01-20", "2027-01-20"],
      today: "2026-12-01",
    });
    assert.deepEqual(t.daysOfAction, ["2027-01-20", "2027-01-26"]);
    assert.deepEqual(
      t.conflicts.map((c) => [c.union, c.day, c.kind]),
      [["b", "2027-01-20", "closes_too_late"]],
    );
  });
});
