/**
 * CSV for the files that go with the documents (annexes, the scrutineer's
 * voter file): RFC 4180 line endings, rows in input order, and values that
 * start like a spreadsheet formula (=, +, -, @) prefixed with ' so opening
 * the file in a spreadsheet cannot run anything.
 */
import { stringify } from "csv-stringify/sync";

export function toCsv(header: readonly string[], rows: (string | number)[][]): string {
  return stringify([[...header], ...rows], { record_delimiter: "windows", escape_formulas: true });
}
