import assert from "node:assert/strict";
import { test } from "node:test";
import { dayAmounts, hardshipAmount, type PayRules } from "./strike-pay.js";

const rules: PayRules = {
  ratePence: 5000,
  unpaidDays: 2,
  maxPaidDays: 3,
  maxPencePerMember: 12_000,
  hardshipMaxPence: 20_000,
  hardshipCriteria: ["income_below_threshold", "dependants"],
};

test("first days unpaid, then the rate, within the caps on days and pence", () => {
  const days = ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"];
  const out = dayAmounts(
    days.map((day) => ({ day, paidPence: null })),
    rules,
  );
  assert.deepEqual([...out.values()], [0, 0, 5000, 5000, 2000, 0]);
});

test("days already paid keep their amounts and count towards the caps", () => {
  const out = dayAmounts(
    [
      { day: "2026-12-01", paidPence: 0 },
      { day: "2026-12-02", paidPence: 0 },
      { day: "2026-12-03", paidPence: 5000 },
      { day: "2026-12-04", paidPence: null },
    ],
    { ...rules, maxPencePerMember: null },
  );
  assert.deepEqual([...out.entries()], [["2026-12-04", 5000]]);
});

test("a hardship grant needs every criterion, and is capped", () => {
  assert.equal(hardshipAmount(30_000, ["income_below_threshold", "dependants"], rules), 20_000);
  assert.equal(hardshipAmount(10_000, ["dependants"], rules), 0);
});
