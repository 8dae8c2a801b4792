/**
 * The one CSV writer: every CSV Mandate writes (member export, notice
 * annexes, the scrutineer's voter file, the web app's downloads) goes through
 * `csvField`. Pure and dependency-free so the browser uses the same code.
 *
 * Formula injection (OWASP "CSV Injection"): a cell a spreadsheet would read
 * as a formula or command (starting =, +, -, @, tab or carriage return, or
 * their full-width forms) is prefixed with an apostrophe, so opening the file
 * cannot run anything. Numbers are written as they are: -3 is a number, not a
 * formula. Member data comes from employers' and branches' files, so any text
 * cell can carry a payload.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The text with an apostrophe before it when a spreadsheet would run it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field: neutralised, then quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = neutraliseFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending CRLF as RFC 4180 has it. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(",")}\r\n`;
}

/** Rows to CSV text; the first row is the header. */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(csvLine).join("");
}
