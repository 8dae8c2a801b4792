import { createReadStream } from "node:fs";
import ExcelJS from "exceljs";

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

/**
 * Rows of every sheet in file order, each sheet announced before its rows.
 * Call close() when stopping early: the zip stream is otherwise left open.
 */
export function readWorkbook(path: string): WorkbookRead {
  const input = createReadStream(path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const model = () => (reader as unknown as { model?: { sheets?: { name: string }[] } }).model;
  async function* rows(): AsyncGenerator<SheetRow | SheetStart> {
    try {
      for await (const worksheet of reader) {
        const sheet = (worksheet as unknown as { name: string }).name;
        yield { sheet };
        for await (const row of worksheet) {
          yield { sheet, line: row.number, cells: cellsOf(row as unknown as RowLike) };
        }
      }
    } finally {
      input.destroy();
    }
  }
  return {
    sheetNames: () => (model()?.sheets ?? []).map((s) => s.name),
    rows: rows(),
    close: () => input.destroy(),
  };
}
