/**
 * The member-file reader: membership exports (CSV or .xlsx, up to a few
 * million rows) in, one ImportRow per member out, streamed. Each row carries
 * the text as it was, the normalised member (or null when it cannot be
 * used), every fix made, and the problems and warnings a person must see,
 * located by file, sheet, line and column header.
 *
 * Files are never trusted to be tidy: title lines above the header, header
 * lines repeated at page breaks, mixed line endings, Windows-1252 text, and
 * unquoted commas are all expected.
 */
import { open } from "node:fs/promises";
import type { Problem } from "../../shared/problems.js";
import {
  type CsvRecord,
  decodeFile,
  FieldTooLongError,
  MAX_FIELD_CHARS,
  parseDelimited,
  sniffEncoding,
} from "./csv.js";
import { todayIso } from "./dates.js";
import {
  type ColumnMapping,
  detectMapping,
  headerKey,
  looksLikeHeader,
  type MemberImportField,
} from "./mapping.js";
import { isBlank, RowBuilder, uniqueHeaders } from "./row.js";
import type { ImportRow, ReadOptions } from "./types.js";
import { type CellValue, readWorkbook, XlsxTooLargeError } from "./xlsx.js";

export { type DateOptions, type DateResult, excelSerialToIso, parseMemberDate } from "./dates.js";
export { type EmailResult, normaliseEmail } from "./email.js";
export {
  type ColumnMapping,
  detectMapping,
  headerKey,
  type MappingResult,
  MEMBER_IMPORT_FIELDS,
  type MemberImportField,
} from "./mapping.js";
export { normalisePersonName, splitFullName } from "./names.js";
export { normaliseMobile } from "./phone.js";
export { normalisePostcode, type PostcodeResult } from "./postcode.js";
export type { Fix, ImportRow, NormalisedMember, ReadOptions } from "./types.js";

/** The most rows one file may hold: several times the largest union's membership. */
export const MAX_ROWS = 5_000_000;

/**
 * The records of a delimited file, a field longer than MAX_FIELD_CHARS
 * refusing the file with its line.
 */
async function* csvRecords(path: string, file: string): AsyncGenerator<CsvRecord[]> {
  const { encoding, bomLength } = await sniffEncoding(path);
  try {
    yield* parseDelimited(decodeFile(path, encoding, bomLength));
  } catch (e) {
    if (!(e instanceof FieldTooLongError)) throw e;
    throw fileError(
      file,
      "field.too_long",
      `A field here is longer than ${MAX_FIELD_CHARS.toLocaleString("en-GB")} characters (no name or address is): check for a stray quote (") at this line.`,
      e.line,
    );
  }
}

function tooManyRows(file: string, max: number, line: number, sheet?: string): MemberFileError {
  return fileError(
    file,
    "rows.too_many",
    `The file has more than ${max.toLocaleString("en-GB")} rows; split it into smaller files.`,
    line,
    sheet,
  );
}

/** How far down a file or sheet the header row may be (title lines, a print date, a blank line above it). */
const HEADER_SEARCH_ROWS = 20;

/** The file cannot be read as a member file at all (no header, unsupported format, no such sheet). */
export class MemberFileError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.file}${problem.sheet ? ` [${problem.sheet}]` : ""}:${problem.line}: ${problem.message}`);
    this.name = "MemberFileError";
  }
}

function fileError(file: string, code: string, message: string, line = 1, sheet?: string): MemberFileError {
  return new MemberFileError(
    sheet
      ? { file, line, field: "file", code, message, sheet }
      : { file, line, field: "file", code, message },
  );
}

async function fileFormat(path: string, file: string): Promise<"xlsx" | "text"> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx";
    if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
      throw fileError(
        file,
        "file.unsupported",
        "This is an old-style .xls workbook: save it as .xlsx or CSV.",
      );
    }
    return "text";
  } finally {
    await handle.close();
  }
}

const HEADER_HELP =
  "No header row found in the first 20 rows: a header needs a membership number and a name column " +
  '(e.g. "Membership No", "Surname", "Forename"), or at least three recognised columns.';

interface Table {
  sheet: string | null;
  builder: RowBuilder | null;
  headers: string[] | null;
  scanned: number;
}

/** Feeds one record of a table: finds the header first, then builds rows. */
function feed(
  table: Table,
  cells: CellValue[],
  line: number,
  options: ReadOptions,
  today: string,
  notes: { unclosedQuote?: boolean } = {},
): ImportRow | null {
  if (table.builder) return table.builder.build(cells, line, notes);
  if (table.headers || isBlank(cells)) return null;
  table.scanned++;
  const texts = uniqueHeaders(cells);
  const overrides = overridesFor(texts, options.mapping);
  if (looksLikeHeader(texts, overrides)) {
    table.headers = texts;
    const { mapping } = detectMapping(texts, overrides);
    table.builder = new RowBuilder({
      file: options.file,
      sheet: table.sheet,
      headers: texts,
      mapping,
      today,
    });
  }
  return null;
}

/**
 * The overrides that apply to one table. A mapping is usually chosen on the
 * first sheet's headers; a later sheet that names a column differently
 * ("Mem No" for "Membership No") would otherwise lose that field on every
 * row, so an override naming a header this table lacks gives way to
 * detection. Explicit "" (leave unmapped) always applies.
 */
function overridesFor(headers: string[], overrides: ColumnMapping | undefined): ColumnMapping {
  if (!overrides) return {};
  const keys = new Set(headers.map(headerKey));
  const out: ColumnMapping = {};
  for (const [field, header] of Object.entries(overrides) as [MemberImportField, string | undefined][]) {
    if (header === "" || (header !== undefined && keys.has(headerKey(header)))) out[field] = header;
  }
  return out;
}

function newTable(sheet: string | null): Table {
  return { sheet, builder: null, headers: null, scanned: 0 };
}

async function csvHeaders(path: string, options: ReadOptions): Promise<string[]> {
  const table = newTable(null);
  for await (const batch of csvRecords(path, options.file)) {
    for (const record of batch) {
      feed(table, record.fields, record.line, options, options.today ?? todayIso());
      if (table.headers) return table.headers;
      if (table.scanned >= HEADER_SEARCH_ROWS) break;
    }
    if (table.scanned >= HEADER_SEARCH_ROWS) break;
  }
  throw fileError(options.file, "header.not_found", HEADER_HELP);
}

async function* readXlsx(
  path: string,
  options: ReadOptions,
  headersOnly: boolean,
): AsyncGenerator<ImportRow | Table | string[]> {
  const today = options.today ?? todayIso();
  const wanted = options.sheet ?? null;
  const book = readWorkbook(path, options.xlsxLimits);
  let table: Table | null = null;
  let found = false;
  let seenWanted = false;
  let rows = 0;
  const maxRows = options.maxRows ?? MAX_ROWS;
  try {
    for await (const item of book.rows) {
      if (!("cells" in item)) {
        if (seenWanted) break; // the wanted sheet is done: stop reading the rest of the workbook
        table = wanted === null || item.sheet === wanted ? newTable(item.sheet) : null;
        if (table && wanted !== null) seenWanted = true;
        continue;
      }
      if (++rows > maxRows) throw tooManyRows(options.file, maxRows, item.line, item.sheet);
      if (!table || (!table.headers && table.scanned >= HEADER_SEARCH_ROWS)) continue;
      const row = feed(table, item.cells, item.line, options, today);
      if (row) yield row;
      if (table.headers && !found) {
        found = true;
        if (headersOnly) {
          yield book.sheetNames();
          yield table;
          return;
        }
      }
    }
  } catch (e) {
    if (!(e instanceof XlsxTooLargeError)) throw e;
    throw fileError(
      options.file,
      e.kind === "part" ? "xlsx.part_too_large" : "xlsx.too_large",
      `${e.message[0]!.toUpperCase()}${e.message.slice(1)}: this is not a membership export (or save it as CSV).`,
    );
  } finally {
    book.close();
  }
  if (wanted !== null && !seenWanted) {
    const names = book.sheetNames();
    throw fileError(
      options.file,
      "sheet.not_found",
      `No sheet "${wanted}"; the sheets are: ${names.join(", ")}.`,
    );
  }
  if (!found) throw fileError(options.file, "header.not_found", HEADER_HELP, 1, wanted ?? undefined);
}

/**
 * The header row of the file (of `options.sheet`, or of the first sheet that
 * has one), and the workbook's sheet names ([] for CSV). Reads only as far as
 * the header.
 */
export async function readHeaders(
  path: string,
  options: ReadOptions,
): Promise<{ headers: string[]; sheets: string[] }> {
  if ((await fileFormat(path, options.file)) === "text") {
    return { headers: await csvHeaders(path, options), sheets: [] };
  }
  let sheets: string[] = [];
  for await (const item of readXlsx(path, options, true)) {
    if (Array.isArray(item)) sheets = item;
    else if ("headers" in item && item.headers) return { headers: item.headers, sheets };
  }
  throw fileError(options.file, "header.not_found", HEADER_HELP);
}

/**
 * Streams the member rows of a CSV (UTF-8 with or without BOM, UTF-16 with
 * BOM, else Windows-1252; comma, semicolon, tab or pipe) or .xlsx file (every
 * sheet with a recognisable header, or `options.sheet`). Throws
 * MemberFileError when the file as a whole cannot be read.
 */
export async function* readMemberFile(path: string, options: ReadOptions): AsyncGenerator<ImportRow> {
  if ((await fileFormat(path, options.file)) === "xlsx") {
    for await (const item of readXlsx(path, options, false)) if ("member" in item) yield item;
    return;
  }
  // Records arrive in batches (one promise per chunk of text); each row is
  // built only when the consumer asks for it, so rows die young and cheap in
  // the garbage collector instead of surviving as a batch.
  const today = options.today ?? todayIso();
  const table = newTable(null);
  let rows = 0;
  const maxRows = options.maxRows ?? MAX_ROWS;
  for await (const batch of csvRecords(path, options.file)) {
    rows += batch.length;
    if (rows > maxRows) throw tooManyRows(options.file, maxRows, batch[batch.length - 1]!.line);
    for (const record of batch) {
      const row = feed(table, record.fields, record.line, options, today, {
        unclosedQuote: record.unclosedQuote,
      });
      if (row) yield row;
      if (!table.headers && table.scanned >= HEADER_SEARCH_ROWS) {
        throw fileError(options.file, "header.not_found", HEADER_HELP, record.line);
      }
    }
  }
  if (!table.headers) throw fileError(options.file, "header.not_found", HEADER_HELP);
}
