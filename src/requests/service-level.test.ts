import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dayNote } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { DEFAULT_SERVICE_LEVELS, dueAt, percentile, serviceLevelState } from "./service-level.js";

const working = (d: string) => dayNote(d, ["england"]).nonWorking.length === 0;

describe("service levels", () => {
  test("hours are clock hours; working days skip weekends and bank holidays", () => {
    const friday = new Date("2026-12-18T15:00:00Z");
    assert.equal(
      dueAt(friday, DEFAULT_SERVICE_LEVELS.critical, working, ukDate).toISOString(),
      "2026-12-18T19:00:00.000Z",
    );
    assert.equal(
      dueAt(friday, DEFAULT_SERVICE_LEVELS.high, working, ukDate).toISOString(),
      "2026-12-21T15:00:00.000Z",
    );
    // Christmas Eve (Thursday): Christmas Day, Boxing Day (Saturday, substitute Monday 28th) and the weekend are skipped.
    const eve = new Date("2026-12-24T10:00:00Z");
    assert.equal(
      dueAt(eve, { amount: 1, unit: "working_days" }, working, ukDate).toISOString(),
      "2026-12-29T10:00:00.000Z",
    );
  });

  test("met when first answered by the due time, missed when late or still unanswered after it", () => {
    const due = new Date("2026-12-01T12:00:00Z");
    assert.equal(
      serviceLevelState({ dueAt: due, firstAnsweredAt: null }, new Date("2026-12-01T11:00:00Z")),
      "waiting",
    );
    assert.equal(
      serviceLevelState({ dueAt: due, firstAnsweredAt: null }, new Date("2026-12-01T13:00:00Z")),
      "missed",
    );
    assert.equal(
      serviceLevelState(
        { dueAt: due, firstAnsweredAt: new Date("2026-12-01T12:00:00Z") },
        new Date("2026-12-09"),
      ),
      "met",
    );
    assert.equal(
      serviceLevelState(
        { dueAt: due, firstAnsweredAt: new Date("2026-12-01T12:00:01Z") },
        new Date("2026-12-09"),
      ),
      "missed",
    );
  });

  test("median and 90th percentile by nearest rank", () => {
    assert.equal(percentile([], 50), null);
    assert.equal(percentile([5], 90), 5);
    assert.equal(percentile([4, 1, 3, 2], 50), 2);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), 10);
  });
});
