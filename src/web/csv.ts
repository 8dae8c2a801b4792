/** CSV built in the browser from what a screen already shows, and saved as a download. */

import { type CsvCell, csvText } from "../shared/csv.js";

export type { CsvCell };

/** Rows to CSV text with the one CSV writer (shared/csv.ts): formulas neutralised, lines end CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return csvText(rows);
}

/** Saves CSV text as a file; a byte-order mark lets Excel read UTF-8 names correctly. */
export function downloadCsv(fileName: string, csv: string): void {
  downloadBlob(fileName, new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" }));
}

/** Saves a file the server answered (a PDF) as a download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
