/** CSV built in the browser from what a screen already shows, and saved as a download. */

export type CsvCell = string | number | boolean | null | undefined;

/**
 * One field, quoted when it must be. Text starting with = + - @ (or a tab or
 * carriage return) is prefixed with an apostrophe so a spreadsheet does not
 * run it as a formula; numbers are written as they are.
 */
function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to CSV text: the first row is the header; lines end CRLF as RFC 4180 has it. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** Saves CSV text as a file; a byte-order mark lets Excel read UTF-8 names correctly. */
export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" });
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
