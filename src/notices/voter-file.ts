/**
 * The file the independent scrutineer posts the voting papers from: for
 * each paper its number, the member's name and postal address, and nothing
 * else (UK GDPR data minimisation: no membership number, employer, email or
 * date of birth).
 */
import { failer } from "./checks.js";
import { toCsv } from "./csv.js";
import type { VoterFileRow } from "./documents.model.js";

export const VOTER_FILE_COLUMNS = [
  "paper_number",
  "name",
  "address_line_1",
  "address_line_2",
  "address_line_3",
  "address_line_4",
  "postcode",
] as const;

const ADDRESS_LINES = 4;

/** The voter file as CSV, one row per paper in input order. Throws on a paper number used twice. */
export function voterFileCsv(rows: VoterFileRow[]): string {
  const fail = failer("Voter file");
  const seen = new Set<string>();
  const out = rows.map((row) => {
    if (!row.paperNumber.trim()) fail("a row has no paper number");
    if (seen.has(row.paperNumber)) fail(`paper number ${row.paperNumber} is used twice`);
    seen.add(row.paperNumber);
    if (row.addressLines.length > ADDRESS_LINES) {
      fail(
        `paper ${row.paperNumber} has ${row.addressLines.length} address lines; at most ${ADDRESS_LINES} fit`,
      );
    }
    const lines = Array.from({ length: ADDRESS_LINES }, (_, i) => row.addressLines[i] ?? "");
    return [row.paperNumber, row.name, ...lines, row.postcode];
  });
  return toCsv(VOTER_FILE_COLUMNS, out);
}
