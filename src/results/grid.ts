/**
 * A published report as a grid of cells: CSV (any of , ; tab, UTF-8 or Windows-1252) or .xlsx (every
 * sheet, in workbook order). What the cells mean is layout.ts's business; this only reads them, within
 * caps, and turns a file that cannot be read into a Problem naming the file.
 */
import { createRequire } from "node:module";
import { parse } from "csv-parse/sync";
import type { Problem } from "../shared/problems.js";

/** A cell as read: text, or a number an .xlsx stored as a number (with whether it is shown as a percentage). */
export type Cell = string | number | { percent: number } | null;

export interface GridRow {
  /** The line of a CSV file, or the row number an .xlsx shows at the left of the sheet. */
  line: number;
  cells: Cell[];
}

export interface GridSheet {
  /** The sheet's name; null for a CSV file. */
  name: string | null;
  rows: GridRow[];
}

/** How large a report may be: a report of every constituency of the largest union fits well inside these. */
export const RESULT_LIMITS = {
  /** Bytes of the file as uploaded. */
  fileBytes: 5 * 1024 * 1024,
  /** What an .xlsx may expand to in all (a zip can inflate a thousand-fold). */
  expandedBytes: 64 * 1024 * 1024,
  /** Rows across all sheets. */
  rows: 50_000,
  /** Columns in a row. */
  columns: 500,
  /** Characters in a cell. */
  cellChars: 2_000,
} as const;

export class GridError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

function fail(file: string, code: string, message: string, line = 1, field = "file", sheet?: string): never {
  throw new GridError({ file, line, field, code, message, ...(sheet ? { sheet } : {}) });
}

function isXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function decode(bytes: Uint8Array): string {
  // Excel's "Unicode text": UTF-16 with its byte-order mark.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Spreadsheets saved "CSV" on Windows write Windows-1252 (a £, an en dash).
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** The delimiter used most outside quotes in the first lines. */
function sniffDelimiter(text: string): string {
  const head = text.slice(0, 20_000).replace(/"[^"]*"/g, "");
  const counts = [",", ";", "\t"].map((d) => ({ d, n: head.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ",";
}

function readCsv(bytes: Uint8Array, file: string): GridSheet[] {
  const text = decode(bytes).replace(/^\uFEFF/, "");
  if (text.includes("\u0000"))
    fail(file, "file.binary", "The file is neither a CSV file nor an .xlsx workbook.");
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: RESULT_LIMITS.cellChars * 10,
    });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    fail(file, "csv.invalid", `The file is not readable as CSV here (check for a stray quote ").`, line);
  }
  if (records.length > RESULT_LIMITS.rows)
    fail(file, "rows.too_many", `The file has more than ${RESULT_LIMITS.rows.toLocaleString("en-GB")} rows.`);
  // csv-parse counts records, not lines: a quoted field may hold a line break, so count lines ourselves.
  const rows: GridRow[] = [];
  let line = 1;
  for (const record of records) {
    if (record.length > RESULT_LIMITS.columns)
      fail(file, "columns.too_many", `A row has more than ${RESULT_LIMITS.columns} columns.`, line);
    rows.push({ line, cells: record.map((c) => c) });
    // Advance past the lines this record spans (its embedded line breaks).
    const breaks = record.reduce((n, c) => n + (c.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
    line += 1 + breaks;
  }
  return [{ name: null, rows }];
}

const unzipper = createRequire(import.meta.url)("unzipper") as {
  Open: { buffer(b: Buffer): Promise<{ files: { uncompressedSize: number }[] }> };
};

function plain(value: unknown, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return numFmt?.includes("%") ? { percent: value * 100 } : value;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
    if ("result" in v) return plain(v.result, numFmt);
    if ("formula" in v || "sharedFormula" in v) return null;
    if ("text" in v) return plain(v.text, numFmt);
    if ("error" in v) return null;
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array, file: string): Promise<GridSheet[]> {
  const buffer = Buffer.from(bytes);
  let expanded = 0;
  try {
    const dir = await unzipper.Open.buffer(buffer);
    expanded = dir.files.reduce((n, f) => n + (f.uncompressedSize || 0), 0);
  } catch {
    fail(file, "xlsx.invalid", "The file looks like a zip but is not a readable .xlsx workbook.");
  }
  if (expanded > RESULT_LIMITS.expandedBytes)
    fail(
      file,
      "xlsx.too_large",
      `The workbook expands to more than ${RESULT_LIMITS.expandedBytes / 1024 / 1024} MB; a report is far smaller.`,
    );
  // Loaded on first use: heavy to load, and most processes never read a workbook.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    fail(
      file,
      "xlsx.invalid",
      "The file is not a readable .xlsx workbook (save it again from the spreadsheet).",
    );
  }
  const sheets: GridSheet[] = [];
  let total = 0;
  for (const ws of workbook.worksheets) {
    if (ws.state === "hidden" || ws.state === "veryHidden") continue;
    const rows: GridRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      total++;
      if (total > RESULT_LIMITS.rows)
        fail(
          file,
          "rows.too_many",
          `The workbook has more than ${RESULT_LIMITS.rows} rows.`,
          number,
          "file",
          ws.name,
        );
      if (row.cellCount > RESULT_LIMITS.columns)
        fail(
          file,
          "columns.too_many",
          `A row has more than ${RESULT_LIMITS.columns} columns.`,
          number,
          "file",
          ws.name,
        );
      const cells: Cell[] = [];
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = row.getCell(c);
        // A merged cell repeats nothing: only its top-left cell carries the value.
        cells.push(cell.isMerged && cell.master !== cell ? null : plain(cell.value, cell.numFmt));
      }
      rows.push({ line: number, cells });
    });
    sheets.push({ name: ws.name, rows });
  }
  return sheets;
}

/** The sheets of a report file (CSV or .xlsx, told apart by content, not name). Throws GridError. */
export async function readGrid(bytes: Uint8Array, file: string): Promise<GridSheet[]> {
  if (bytes.length > RESULT_LIMITS.fileBytes)
    fail(
      file,
      "file.too_large",
      `The file is larger than ${RESULT_LIMITS.fileBytes / 1024 / 1024} MB; a result report is far smaller.`,
    );
  if (bytes.length === 0) fail(file, "file.empty", "The file is empty.");
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)
    fail(file, "xls.unsupported", "An Excel 97-2003 .xls workbook: save it as .xlsx or CSV.");
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") === "%PDF-")
    fail(file, "pdf.unsupported", "A PDF: export the report's tables as CSV or .xlsx.");
  const sheets = isXlsx(bytes) ? await readXlsx(bytes, file) : readCsv(bytes, file);
  for (const sheet of sheets) {
    for (const row of sheet.rows) {
      for (let i = 0; i < row.cells.length; i++) {
        const c = row.cells[i];
        if (typeof c === "string" && c.length > RESULT_LIMITS.cellChars)
          fail(
            file,
            "field.too_long",
            `A cell is longer than ${RESULT_LIMITS.cellChars} characters.`,
            row.line,
            `column ${i + 1}`,
            sheet.name ?? undefined,
          );
      }
    }
  }
  return sheets;
}
