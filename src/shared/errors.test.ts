import assert from "node:assert/strict";
import { test } from "node:test";
import { appErrorFromPg, ERROR_CODES, safeErrorMessage } from "./errors.js";

const pgError = (code: string) =>
  Object.assign(new Error(`duplicate key value (membership_number)=(M123)`), {
    code,
    severity: "ERROR",
    detail: "Key (membership_number)=(M123) already exists.",
  });

test("known PostgreSQL errors become refusals with a stable code and no quoted value", () => {
  const cases: [string, string | null][] = [
    ["23505", "request.conflict"],
    ["23503", "request.invalid_reference"],
    ["22P02", "request.invalid"],
    ["40P01", "request.busy"],
    ["40001", "request.busy"],
    ["XX000", null],
  ];
  for (const [sqlstate, code] of cases) {
    const mapped = appErrorFromPg(pgError(sqlstate));
    assert.equal(mapped?.code ?? null, code, sqlstate);
    assert.doesNotMatch(safeErrorMessage(pgError(sqlstate)), /M123/);
  }
  // A deadlock or serialisation failure is worth sending again: 503, not 500.
  assert.equal(ERROR_CODES["request.busy"].status, 503);
  assert.equal(appErrorFromPg(new Error("plain")), null);
});
