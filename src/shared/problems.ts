/**
 * A problem found in input data, located precisely enough for a person to
 * fix it: which file, which line (1-based, as an editor shows it), which
 * field (the column header, or the field name), and what is wrong.
 * Pure code returns these instead of throwing, so every problem of a file is
 * reported at once.
 */
export interface Problem {
  file: string;
  line: number;
  field: string;
  /** Stable machine code, e.g. "postcode.invalid", "columns.count". */
  code: string;
  message: string;
  /** For spreadsheets: the sheet name. */
  sheet?: string;
}

export function formatProblem(p: Problem): string {
  const where = p.sheet ? `${p.file} [${p.sheet}]` : p.file;
  return `${where}:${p.line}: ${p.field}: ${p.message}`;
}
