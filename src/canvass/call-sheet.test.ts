import assert from "node:assert/strict";
import { test } from "node:test";
import { pdfPageTexts } from "../../test/fixtures/notices/pdf-text.js";
import { callSheetCsv, callSheetPdf } from "./call-sheet.js";
import type { ListRowDto } from "./canvass.model.js";

const row = (n: number, over: Partial<ListRowDto> = {}): ListRowDto => ({
  memberId: n,
  name: `Alex Member${n}`,
  workplaceId: 1,
  workplace: "St James's University Hospital",
  phone: "07700 900123",
  email: `m${n}@example.org`,
  textConsent: true,
  emailConsent: false,
  priority: "never_contacted",
  report: null,
  lastContact: null,
  ...over,
});

const input = (rows: ListRowDto[]) => ({
  ballotName: "St James's",
  covering: "St James's",
  asAt: "2026-12-15",
  rows,
});

test("CSV: one line per member, formulas neutralised", () => {
  const csv = callSheetCsv(
    input([
      row(1, { name: '=HYPERLINK("x")', report: "will_vote", priority: "pledged" }),
      row(2, { lastContact: { at: "2026-12-14T09:00:00.000Z", contactType: "phone", outcome: "not_in" } }),
    ]),
  );
  const lines = csv.trimEnd().split("\r\n");
  assert.equal(lines.length, 3);
  assert.equal(
    lines[1],
    `"Pledged, not voted",1,"'=HYPERLINK(""x"")",St James's University Hospital,07700 900123,m1@example.org,will vote,,`,
  );
  assert.match(lines[2]!, /2026-12-14 phone: not in,$/);
});

test("PDF: the same input gives the same bytes; long lists run over pages with their header", async () => {
  const rows = Array.from({ length: 40 }, (_, i) => row(i + 1));
  const a = await callSheetPdf(input(rows));
  const b = await callSheetPdf(input(rows));
  assert.deepEqual(a, b);
  const pages = await pdfPageTexts(a);
  assert.equal(pages.length, 3, "17 members a page");
  assert.match(pages[0]!, /Call sheet: St James's/);
  assert.match(pages[2]!, /Call sheet: St James's/);
  assert.match(pages[2]!, /Alex Member40/);
  assert.match(pages[2]!, /Page 3 of 3/);
});
