import { createRequire } from "node:module";
import { type Readable, Transform } from "node:stream";
import type { XlsxLimits } from "./types.js";

/**
 * .xlsx sheets, streamed with exceljs's WorkbookReader (the whole-workbook
 * readers hold every cell in memory: about 600 MB for 300k rows). Styles are
 * loaded because they are what marks a number as a date, and what says
 * a membership number 000123 is shown with its zeros.
 */

/** A cell as the reader hands it on: text, or the typed value a date parser can use. */
export type CellValue = string | number | boolean | Date | null;

export interface SheetRow {
  sheet: string;
  /** Excel row number, as shown at the left of the sheet. */
  line: number;
  cells: CellValue[];
}

export interface SheetStart {
  sheet: string;
}

/** exceljs cell values we meet: rich text, formulas with cached results, hyperlinks, errors. */
function plain(value: unknown, numFmt: string | undefined): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean" || value instanceof Date) return value;
  if (typeof value === "number") {
    // Format "000000" shows the zeros a number lost; the text a person sees is what we want.
    if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(value) && value >= 0) {
      return String(value).padStart(numFmt.length, "0");
    }
    return value;
  }
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
    if ("result" in v) return plain(v.result, numFmt);
    if ("formula" in v || "sharedFormula" in v) return null;
    // Hyperlinks (often email addresses) carry their shown text, itself plain or rich.
    if ("text" in v) return plain(v.text, numFmt);
    if ("error" in v) return String(v.error);
  }
  return String(value);
}

interface RowLike {
  number: number;
  cellCount: number;
  getCell(i: number): { value: unknown; numFmt?: string };
}

function cellsOf(row: RowLike): CellValue[] {
  const cells: CellValue[] = [];
  for (let c = 1; c <= row.cellCount; c++) {
    const cell = row.getCell(c);
    cells.push(plain(cell.value, cell.numFmt));
  }
  return cells;
}

export interface WorkbookRead {
  /** Every sheet name in workbook order, once known (after the first sheet starts). */
  sheetNames(): string[];
  rows: AsyncGenerator<SheetRow | SheetStart>;
  close(): void;
}

/** The part of unzipper's central-directory reader we use. */
interface ZipDirectory {
  files: { path: string; type: string; uncompressedSize: number; stream(): Readable }[];
}

const MiB = 1024 * 1024;
/**
 * How far a workbook may expand. A .xlsx is a zip: 6 MB can inflate to
 * gigabytes of XML (a "zip bomb"). A 300,000-member sheet is about 200 MB of
 * XML; shared strings are held in memory whole, so they get less.
 */
export const XLSX_LIMITS: XlsxLimits = {
  partBytes: 1024 * MiB,
  memoryPartBytes: 256 * MiB,
  totalBytes: 2048 * MiB,
};

/** A workbook part (or the whole) expands beyond its limit: `kind` says which limit. */
export class XlsxTooLargeError extends Error {
  constructor(
    readonly kind: "part" | "total",
    readonly part: string,
    readonly limit: number,
  ) {
    super(
      kind === "part"
        ? `the workbook part ${part} expands to more than ${Math.round(limit / MiB)} MB`
        : `the workbook expands to more than ${Math.round(limit / MiB)} MB in all`,
    );
    this.name = "XlsxTooLargeError";
  }
}

const IN_MEMORY = new Set([
  "xl/_rels/workbook.xml.rels",
  "xl/workbook.xml",
  "xl/sharedStrings.xml",
  "xl/styles.xml",
]);
const unzipper = createRequire(import.meta.url)("unzipper") as {
  Open: { file(path: string): Promise<ZipDirectory> };
};

/** exceljs WorkbookReader internals, stable in the pinned 4.4 line. */
interface ReaderInternals {
  model?: { sheets?: { name: string; id: number; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): Generator<unknown> | AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ value: WorksheetLike }>;
}
interface WorksheetLike extends AsyncIterable<unknown> {
  name: string;
  id: number;
}

/**
 * exceljs's own streaming parse reads the zip front to back and, under load,
 * can see its stream end before the last entries arrive: when those are
 * workbook.xml or sharedStrings.xml the workbook fails or loses text, and
 * when they are sheets their rows are silently dropped. Reading from the
 * zip's central directory instead visits the parts in the order they are
 * needed (relationships, workbook, shared strings, styles, then each sheet in
 * workbook order) and never misses one.
 */
async function* worksheets(
  path: string,
  reader: ReaderInternals,
  opened: Readable[],
  limits: XlsxLimits,
): AsyncGenerator<WorksheetLike> {
  const directory = await unzipper.Open.file(path);
  const files = directory.files.filter((f) => f.type === "File");
  const parts = new Map(files.map((f) => [f.path, f]));
  // The central directory says what each part expands to: refuse a bomb before inflating a byte.
  const declared = files.reduce((sum, f) => sum + (f.uncompressedSize || 0), 0);
  if (declared > limits.totalBytes) throw new XlsxTooLargeError("total", "", limits.totalBytes);
  let inflated = 0;
  const part = (name: string) => {
    const entry = parts.get(name);
    if (!entry) return undefined;
    const limit = IN_MEMORY.has(name) ? limits.memoryPartBytes : limits.partBytes;
    if (entry.uncompressedSize > limit) throw new XlsxTooLargeError("part", name, limit);
    // The directory can lie: count what actually comes out of the inflater too.
    let seen = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        inflated += chunk.length;
        if (seen > limit) return done(new XlsxTooLargeError("part", name, limit));
        if (inflated > limits.totalBytes)
          return done(new XlsxTooLargeError("total", name, limits.totalBytes));
        done(null, chunk);
      },
    });
    const raw = entry.stream();
    raw.on("error", (e) => counted.destroy(e));
    raw.pipe(counted);
    opened.push(raw, counted);
    return counted as Readable;
  };
  const rels = part("xl/_rels/workbook.xml.rels");
  const workbook = part("xl/workbook.xml");
  if (!rels || !workbook) throw new Error("not an Excel workbook: xl/workbook.xml is missing");
  await reader._parseRels(rels);
  await reader._parseWorkbook(workbook);
  const strings = part("xl/sharedStrings.xml");
  if (strings) for await (const _ of reader._parseSharedStrings(strings));
  const styles = part("xl/styles.xml");
  if (styles) await reader._parseStyles(styles);
  for (const sheet of reader.model?.sheets ?? []) {
    const target = reader.workbookRels?.find((r) => r.Id === sheet.rId)?.Target;
    if (!target) continue;
    const name = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
    const entry = part(name);
    const sheetNo = /sheet(\d+)\.xml$/.exec(name)?.[1];
    if (!entry || !sheetNo) continue;
    for (const { value } of reader._parseWorksheet(entry, sheetNo)) {
      value.name = sheet.name;
      value.id = sheet.id;
      yield value;
    }
  }
}

/**
 * Rows of every sheet in workbook order, each sheet announced before its rows.
 * Call close() when stopping early: the sheet stream is otherwise left open.
 */
export function readWorkbook(path: string, limits: Partial<XlsxLimits> = {}): WorkbookRead {
  // ExcelJS is loaded on first read: heavy to load, and most processes never read a workbook.
  let reader: ReaderInternals | undefined;
  const opened: Readable[] = [];
  const close = () => {
    for (const stream of opened) stream.destroy();
  };
  async function* rows(): AsyncGenerator<SheetRow | SheetStart> {
    try {
      const { default: ExcelJS } = await import("exceljs");
      reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
        sharedStrings: "cache",
        styles: "cache",
        hyperlinks: "ignore",
        worksheets: "emit",
        entries: "ignore",
      }) as unknown as ReaderInternals;
      for await (const worksheet of worksheets(path, reader, opened, { ...XLSX_LIMITS, ...limits })) {
        const sheet = worksheet.name;
        yield { sheet };
        for await (const row of worksheet) {
          yield { sheet, line: (row as RowLike).number, cells: cellsOf(row as RowLike) };
        }
      }
    } finally {
      close();
    }
  }
  return {
    sheetNames: () => (reader?.model?.sheets ?? []).map((s) => s.name),
    rows: rows(),
    close,
  };
}
