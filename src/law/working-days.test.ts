import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dayNote, nonWorkingReason, weekday } from "./working-days.js";

describe("working days: weekends and UK bank holidays, by nation", () => {
  test("weekdays from the calendar date, not the machine's time zone", () => {
    assert.equal(weekday("2026-12-25"), "Friday");
    assert.equal(weekday("2026-11-28"), "Saturday");
    assert.equal(nonWorkingReason("2026-11-29", "england"), "Sunday");
    assert.equal(nonWorkingReason("2026-11-27", "england"), null);
  });

  test("bank holidays differ by nation (Banking and Financial Dealings Act 1971, Sch.1)", () => {
    // St Andrew's Day, Monday 30 November 2026: a bank holiday in Scotland only.
    assert.match(
      nonWorkingReason("2026-11-30", "scotland") ?? "",
      /St Andrew's Day \(bank holiday in Scotland\)/,
    );
    assert.equal(nonWorkingReason("2026-11-30", "england"), null);
    assert.equal(nonWorkingReason("2026-11-30", "wales"), null);
    // 2 January: Scotland only. St Patrick's Day (17 March 2027, a Wednesday): Northern Ireland only.
    assert.match(nonWorkingReason("2026-01-02", "scotland") ?? "", /bank holiday in Scotland/);
    assert.equal(nonWorkingReason("2026-01-02", "england"), null);
    assert.match(nonWorkingReason("2027-03-17", "northern_ireland") ?? "", /Patrick/);
    assert.equal(nonWorkingReason("2027-03-17", "england"), null);
    // Boxing Day falls on a Saturday in 2026: the substitute day is Monday 28 December everywhere.
    for (const nation of ["england", "wales", "scotland", "northern_ireland"] as const) {
      assert.match(nonWorkingReason("2026-12-28", nation) ?? "", /substitute/i, nation);
    }
  });

  test("a note lists each nation where the date is not a working day", () => {
    const note = dayNote("2026-11-30", ["england", "scotland"]);
    assert.equal(note.weekday, "Monday");
    assert.deepEqual(
      note.nonWorking.map((n) => n.nation),
      ["scotland"],
    );
  });
});
