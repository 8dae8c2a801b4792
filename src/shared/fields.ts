import { z } from "zod";
import { canonicalJson } from "./hash.js";

/** ISO calendar date, checked to be a real day. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD.")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "Not a real calendar date.");

export const OptionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** UK postcode, normalised to upper case with one space before the inward code. */
export const UkPostcode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/\s+/g, ""))
  .refine(
    (s) => /^(GIR0AA|[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2})$/.test(s),
    "Not a UK postcode (e.g. LS9 7TF).",
  )
  .transform((s) => `${s.slice(0, -3)} ${s.slice(-3)}`);

/** The names of the fields whose values differ: what the audit log records instead of values. */
export function changedFields<T extends Record<string, unknown>>(before: T, patch: Partial<T>): string[] {
  return Object.keys(patch).filter((k) => patch[k] !== undefined && !sameValue(before[k], patch[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  // Lists and nested values (categories, scope) are the same when their contents are.
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    return canonicalJson(a) === canonicalJson(b);
  }
  return a === b;
}
