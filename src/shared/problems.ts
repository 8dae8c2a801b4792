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

/** The longest value a problem message repeats: enough to find the cell, not a page of someone's data. */
export const SHOWN_VALUE_CHARS = 60;

/**
 * The message with every quoted value cut to SHOWN_VALUE_CHARS characters.
 * Messages quote the value they refuse ("x" is not a postcode); a 10 MB field
 * must not be copied into every problem, the job record and the screen.
 */
export function clipQuoted(message: string): string {
  if (message.length <= SHOWN_VALUE_CHARS + 40) return message;
  const clipped = message.replace(
    new RegExp(`"([^"]{${SHOWN_VALUE_CHARS + 1},})"`, "g"),
    (_m, value: string) => `"${value.slice(0, SHOWN_VALUE_CHARS)}…" (${value.length} characters)`,
  );
  // Whatever is left (an unquoted value in a long message) is cut too.
  return clipped.length > 500 ? `${clipped.slice(0, 500)}…` : clipped;
}
