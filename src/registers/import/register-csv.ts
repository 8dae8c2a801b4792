import { parse } from "csv-parse/sync";
import { clipQuoted, type Problem } from "../../shared/problems.js";

/**
 * Shared plumbing for the register parsers: bytes to text, text to CSV rows
 * with the line each row starts on, and the date formats the registers use.
 * Pure: no I/O, never throws on bad data.
 */

export interface CsvRow {
  /** 1-based line the record starts on, as an editor shows it. */
  line: number;
  fields: string[];
}

export interface CsvRows {
  rows: CsvRow[];
  /** Records csv-parse could not read (already reported in `problems`). */
  unreadable: number;
  problems: Problem[];
}

export type Nation = "england" | "wales" | "scotland" | "northern_ireland";

export function problem(file: string, line: number, field: string, code: string, message: string): Problem {
  return { file, line, field, code, message: clipQuoted(message) };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("windows-1252");

/**
 * WHATWG index-windows-1252 for bytes 0x80-0x9F, the only range where it
 * differs from Latin-1. Node 20.18.3 and later decode "windows-1252" as plain
 * Latin-1 (nodejs/node#56542, #60888), turning GIAS's 0x92 apostrophe into a
 * C1 control character, so the mapping is applied here whatever Node does.
 */
const CP1252_C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeCp1252(bytes: Uint8Array): string {
  return latin1.decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

/**
 * GIAS exports are Windows-1252, mySociety's files UTF-8, ODS plain ASCII,
 * and a CSV saved from Excel may be either. A BOM settles it; otherwise text
 * that decodes as strict UTF-8 is UTF-8 (random cp1252 accents almost never
 * form valid UTF-8 sequences), and anything else is read as Windows-1252,
 * which maps every byte, so decoding cannot fail.
 */
export function decodeRegisterBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return decodeCp1252(bytes);
  }
}

/**
 * Parses CSV text into rows of strings. Quotes are honoured (ODS quotes only
 * some fields in older files, every field in newer ones); rows may have any
 * number of fields (callers check counts, because each format has its own
 * rule). A record csv-parse cannot read becomes a Problem, not an exception.
 */
export const MAX_RECORD_CHARS = 100_000;

export function readCsvRows(text: string, file: string): CsvRows {
  // csv-parse's line counter drifts on CRLF files (it counts "\r" and "\n"
  // apart when auto-detecting the delimiter); one newline style keeps the
  // reported lines equal to what an editor shows.
  const normalised = text.replace(/\r\n?/g, "\n");
  const problems: Problem[] = [];
  let unreadable = 0;
  let lastEndLine = 0;
  // on_record sees the parser's line counter at the end of each record;
  // asking for `info` instead would copy a whole info object per row.
  const endLines: number[] = [];
  const parsed = parse(normalised, {
    relax_column_count: true,
    // A record longer than this is not a register line but a runaway quote or a bomb.
    max_record_size: MAX_RECORD_CHARS,
    // A stray quote inside an unquoted field (5" DRIVE) is data, not syntax.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (record, context) => {
      lastEndLine = context.lines;
      endLines.push(context.lines);
      return record;
    },
    on_skip: (err) => {
      unreadable++;
      // An unclosed quote swallows the rest of the file, so say how far it ran.
      const errLine = typeof err?.lines === "number" ? err.lines : 0;
      const through = errLine > lastEndLine + 1 ? ` (lines ${lastEndLine + 1} to ${errLine})` : "";
      problems.push(
        problem(
          file,
          lastEndLine + 1,
          "line",
          "csv.malformed",
          `cannot read this as CSV${through}: ${err?.message ?? "unknown error"}`,
        ),
      );
      return undefined;
    },
  });

  const rows: CsvRow[] = [];
  for (const [i, fields] of parsed.entries()) {
    const endLine = endLines[i] ?? lastEndLine;
    // A quoted field may hold newlines; the row starts that many lines earlier.
    let inner = 0;
    for (const field of fields) {
      for (let at = field.indexOf("\n"); at !== -1; at = field.indexOf("\n", at + 1)) inner++;
    }
    rows.push({ line: endLine - inner, fields });
  }
  // Spreadsheets save trailing blank rows as ",,,,": no data, so no record
  // and no "empty code" problem for each of them.
  return { rows: rows.filter((r) => r.fields.some((f) => f.trim() !== "")), unreadable, problems };
}

/** Trimmed field at a 0-based index, "" when the row is shorter. */
export function cell(fields: readonly string[], index: number | undefined): string {
  if (index === undefined) return "";
  return (fields[index] ?? "").trim();
}

export type DateResult = { ok: true; value: string | null } | { ok: false; reason: string };

function isoFromParts(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** ODS dates: YYYYMMDD; empty means "not given". */
export function odsDate(raw: string): DateResult {
  const s = raw.trim();
  if (s === "") return { ok: true, value: null };
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  const iso = m ? isoFromParts(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  return iso ? { ok: true, value: iso } : { ok: false, reason: `"${s}" is not a date in the form YYYYMMDD` };
}

/** GIAS dates: DD-MM-YYYY (GIAS itself) or DD/MM/YYYY (after a round trip through Excel). */
export function dmyDate(raw: string): DateResult {
  const s = raw.trim();
  if (s === "") return { ok: true, value: null };
  const m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(s);
  const iso = m ? isoFromParts(Number(m[3]), Number(m[2]), Number(m[1])) : null;
  return iso
    ? { ok: true, value: iso }
    : { ok: false, reason: `"${s}" is not a date in the form DD-MM-YYYY` };
}

/** ISO YYYY-MM-DD. */
export function isoDate(raw: string): DateResult {
  const s = raw.trim();
  if (s === "") return { ok: true, value: null };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const iso = m ? isoFromParts(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  return iso
    ? { ok: true, value: iso }
    : { ok: false, reason: `"${s}" is not a date in the form YYYY-MM-DD` };
}

/** Spreadsheet-made files: ISO or UK day-first (DD/MM/YYYY, DD-MM-YYYY). */
export function isoOrDmyDate(raw: string): DateResult {
  const s = raw.trim();
  if (/^\d{4}-/.test(s)) return isoDate(s);
  const r = dmyDate(s);
  return r.ok ? r : { ok: false, reason: `"${s}" is not a date in the form YYYY-MM-DD or DD/MM/YYYY` };
}

/** Header lookup: header text -> 0-based column index (first occurrence wins). */
export function headerIndex(
  header: readonly string[],
  normalise: (h: string) => string,
): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const key = normalise(h);
    if (!index.has(key)) index.set(key, i);
  });
  return index;
}

/** Header names as the official layouts are matched: trimmed, any case. */
export const headerKey = (h: string) => h.trim().toLowerCase();

/**
 * Where each named column is in a header row, with a "header.missing_column"
 * problem for each required one that is absent. Null when any is missing: the
 * file cannot be read without it.
 */
export function headerColumns(
  header: CsvRow,
  required: readonly string[],
  file: string,
  problems: Problem[],
): ((name: string) => number | undefined) | null {
  const index = headerIndex(header.fields, headerKey);
  const col = (name: string) => index.get(headerKey(name));
  const missing = required.filter((h) => col(h) === undefined);
  for (const h of missing) {
    problems.push(problem(file, header.line, h, "header.missing_column", `the header has no "${h}" column`));
  }
  return missing.length > 0 ? null : col;
}

export function joinAddress(parts: readonly string[]): string | null {
  const kept = parts.map((p) => p.trim()).filter((p) => p !== "");
  return kept.length > 0 ? kept.join(", ") : null;
}

export function orNull(s: string): string | null {
  return s === "" ? null : s;
}
