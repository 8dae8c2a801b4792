/** When scheduled digests are due: UK local hours across the clock changes, daily and weekly. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { latestPeriod, nextRun, ukHour } from "./schedule.js";

const iso = (d: Date) => d.toISOString();

describe("digest schedule times (Europe/London)", () => {
  const daily8 = { frequency: "daily" as const, hour: 8, weekday: 1 };

  test("08:00 UK is 08:00 UTC in winter and 07:00 UTC in summer", () => {
    assert.equal(iso(ukHour({ y: 2026, m: 12, d: 1 }, 8)), "2026-12-01T08:00:00.000Z");
    assert.equal(iso(ukHour({ y: 2027, m: 6, d: 1 }, 8)), "2027-06-01T07:00:00.000Z");
  });

  test("across the spring change: not due at 07:59 BST, due at 08:00 BST; that period is 23 hours", () => {
    // The clocks go forward at 01:00 UTC on Sunday 28 March 2027.
    const before = latestPeriod(daily8, new Date("2027-03-28T06:59:00Z"));
    assert.equal(iso(before.end), "2027-03-27T08:00:00.000Z");
    const at = latestPeriod(daily8, new Date("2027-03-28T07:00:00Z"));
    assert.equal(iso(at.end), "2027-03-28T07:00:00.000Z");
    assert.equal(iso(at.start), "2027-03-27T08:00:00.000Z");
    assert.equal(at.end.getTime() - at.start.getTime(), 23 * 3_600_000);
    assert.equal(iso(nextRun(daily8, new Date("2027-03-28T06:59:00Z"))), "2027-03-28T07:00:00.000Z");
    assert.equal(iso(nextRun(daily8, new Date("2027-03-28T07:00:00Z"))), "2027-03-29T07:00:00.000Z");
  });

  test("across the autumn change the period is 25 hours", () => {
    // The clocks go back at 01:00 UTC on Sunday 25 October 2026.
    const p = latestPeriod(daily8, new Date("2026-10-25T09:00:00Z"));
    assert.equal(iso(p.start), "2026-10-24T07:00:00.000Z");
    assert.equal(iso(p.end), "2026-10-25T08:00:00.000Z");
    assert.equal(p.end.getTime() - p.start.getTime(), 25 * 3_600_000);
  });

  test("an hour the spring change skips is the change itself; a repeated hour is its first showing", () => {
    assert.equal(iso(ukHour({ y: 2027, m: 3, d: 28 }, 1)), "2027-03-28T01:00:00.000Z");
    assert.equal(iso(ukHour({ y: 2026, m: 10, d: 25 }, 1)), "2026-10-25T00:00:00.000Z");
  });

  test("weekly on Monday at 09:00: the week ended last Monday, the next run is next Monday", () => {
    const monday9 = { frequency: "weekly" as const, hour: 9, weekday: 1 };
    // Wednesday 18 November 2026.
    const p = latestPeriod(monday9, new Date("2026-11-18T12:00:00Z"));
    assert.equal(iso(p.start), "2026-11-09T09:00:00.000Z");
    assert.equal(iso(p.end), "2026-11-16T09:00:00.000Z");
    assert.equal(iso(nextRun(monday9, new Date("2026-11-18T12:00:00Z"))), "2026-11-23T09:00:00.000Z");
    // On the Monday itself, before and at 09:00.
    assert.equal(
      iso(latestPeriod(monday9, new Date("2026-11-23T08:59:00Z")).end),
      "2026-11-16T09:00:00.000Z",
    );
    assert.equal(
      iso(latestPeriod(monday9, new Date("2026-11-23T09:00:00Z")).end),
      "2026-11-23T09:00:00.000Z",
    );
    // A week over the spring change is an hour short.
    const spring = latestPeriod(
      { frequency: "weekly", hour: 9, weekday: 1 },
      new Date("2027-03-29T08:00:00Z"),
    );
    assert.equal(spring.end.getTime() - spring.start.getTime(), 7 * 86_400_000 - 3_600_000);
  });
});
