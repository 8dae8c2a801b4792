/**
 * CSV for the files that go with the documents (annexes, the scrutineer's
 * voter file): RFC 4180 line endings, rows in input order, formulas
 * neutralised by the one CSV writer (shared/csv.ts).
 */
import { csvText } from "../shared/csv.js";

export function toCsv(header: readonly string[], rows: (string | number)[][]): string {
  return csvText([header, ...rows]);
}
