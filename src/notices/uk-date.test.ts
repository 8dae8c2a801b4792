/**
 * UK-style dates on the documents. The suite runs in Pacific/Auckland (see
 * scripts/test.ts), so a formatter that went through local time would print
 * the wrong day here.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertIsoDate, formatUkDate, startOfDayUtc } from "./uk-date.js";

describe("formatUkDate", () => {
  for (const [iso, uk] of [
    ["2026-12-07", "7 December 2026"],
    ["2026-02-18", "18 February 2026"],
    ["2017-03-01", "1 March 2017"],
    ["2024-02-29", "29 February 2024"],
    ["2011-11-30", "30 November 2011"],
    ["2026-01-01", "1 January 2026"],
  ]) {
    test(`${iso} → ${uk}`, () => assert.equal(formatUkDate(iso!), uk));
  }

  for (const bad of [
    "2026-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-1-7",
    "7 December 2026",
    "",
    "2026-12-07T00:00",
  ]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => formatUkDate(bad), /calendar date/));
  }
});

describe("startOfDayUtc", () => {
  test("is midnight UTC whatever the machine's time zone", () => {
    assert.equal(startOfDayUtc("2026-12-07").toISOString(), "2026-12-07T00:00:00.000Z");
  });
});

describe("assertIsoDate", () => {
  test("names the field that is wrong", () => {
    assert.throws(() => assertIsoDate("2026-02-30", "openingDate"), /openingDate/);
    assert.equal(assertIsoDate("2026-02-28", "openingDate"), "2026-02-28");
  });
});
