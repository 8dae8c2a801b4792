/**
 * Call sheets: a rep's contact list on paper (PDF) or in a spreadsheet (CSV). Pure but for pdfkit's
 * in-memory rendering: same input, same bytes. Every CSV cell goes through the one CSV writer, which
 * neutralises formulas.
 */
import PDFDocument from "pdfkit";
import { csvText } from "../shared/csv.js";
import type { ListRowDto, Priority } from "./canvass.model.js";

export const PRIORITY_LABEL: Record<Priority, string> = {
  never_contacted: "Never contacted",
  pledged: "Pledged, not voted",
  new_member: "New member",
  replacement: "Replacement paper",
  other: "Contacted before",
};

const OUTCOME_LABEL: Record<string, string> = {
  reached: "reached",
  not_in: "not in",
  wrong_number: "wrong number",
  refused: "refused",
  moved: "moved",
};

const REPORT_LABEL: Record<string, string> = {
  will_vote: "will vote",
  wont_vote: "won't vote",
  needs_replacement: "needs a new paper",
  wrong_address: "wrong address",
};

export interface CallSheetInput {
  ballotName: string;
  /** What the sheet covers, e.g. "St James's University Hospital" or "All your workplaces". */
  covering: string;
  /** YYYY-MM-DD (from the clock): the sheet's date and the PDF's dates. */
  asAt: string;
  rows: ListRowDto[];
}

function lastContact(r: ListRowDto): string {
  if (!r.lastContact) return "";
  return `${r.lastContact.at.slice(0, 10)} ${r.lastContact.contactType}: ${OUTCOME_LABEL[r.lastContact.outcome]}`;
}

export const CALL_SHEET_COLUMNS = [
  "priority",
  "member_id",
  "name",
  "workplace",
  "phone",
  "email",
  "member_says",
  "last_contact",
  "outcome",
] as const;

export function callSheetCsv(input: CallSheetInput): string {
  return csvText([
    [...CALL_SHEET_COLUMNS],
    ...input.rows.map((r) => [
      PRIORITY_LABEL[r.priority],
      r.memberId,
      r.name,
      r.workplace,
      r.phone,
      r.email,
      r.report ? REPORT_LABEL[r.report] : "",
      lastContact(r),
      "",
    ]),
  ]);
}

const MARGIN = 36;
const OUTCOMES = ["Reached", "Not in", "Wrong no.", "Refused", "Moved", "Voted"];

/** A4 landscape: one line per member, with boxes to tick for the outcome. */
export function callSheetPdf(input: CallSheetInput): Promise<Buffer> {
  const date = new Date(`${input.asAt}T00:00:00Z`);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: {
      Title: `Call sheet: ${input.ballotName}`,
      Subject: input.covering,
      Producer: "Mandate",
      Creator: "Mandate",
      CreationDate: date,
      ModDate: date,
    },
    bufferPages: true,
  });
  const chunks: Uint8Array[] = [];
  doc.on("data", (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 2 * MARGIN;
  // name, workplace, phone, email, priority and last contact, then the outcome boxes
  const cols = [140, 105, 75, 130, 120];
  const boxesX = MARGIN + cols.reduce((a, b) => a + b, 0) + 6;
  const boxStep = (width - (boxesX - MARGIN)) / OUTCOMES.length;
  const header = () => {
    doc.font("Helvetica-Bold").fontSize(14).fillColor("#000000");
    doc.text(`Call sheet: ${input.ballotName}`, MARGIN, MARGIN, { width });
    doc.font("Helvetica").fontSize(9).fillColor("#555555");
    doc.text(
      `${input.covering}. As at ${input.asAt}. ${input.rows.length} member${input.rows.length === 1 ? "" : "s"} still to reach, most urgent first. Confidential: members' personal data; destroy after the ballot.`,
      { width },
    );
    doc.moveDown(0.6);
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(8.5).fillColor("#000000");
    let x = MARGIN;
    for (const [i, h] of ["Name", "Workplace", "Phone", "Email", "Priority / last contact"].entries()) {
      doc.text(h, x, y, { width: cols[i]! - 6, lineBreak: false });
      x += cols[i]!;
    }
    doc.fontSize(6.5);
    OUTCOMES.forEach((o, i) => {
      doc.text(o, boxesX + i * boxStep - 4, y + 1, { width: boxStep + 8, align: "center", lineBreak: false });
    });
    doc
      .moveTo(MARGIN, y + 12)
      .lineTo(MARGIN + width, y + 12)
      .strokeColor("#bbbbbb")
      .stroke();
    doc.y = y + 16;
  };
  header();
  const rowHeight = 26;
  for (const r of input.rows) {
    if (doc.y + rowHeight > doc.page.height - MARGIN - 14) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    doc.font("Helvetica").fontSize(8.5).fillColor("#000000");
    const cells = [r.name, r.workplace ?? "", r.phone ?? "", r.email ?? "", PRIORITY_LABEL[r.priority]];
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: cols[i]! - 6, height: 11, ellipsis: true, lineBreak: false });
      x += cols[i]!;
    });
    doc
      .fillColor("#555555")
      .text(lastContact(r), MARGIN + cols.slice(0, 4).reduce((a, b) => a + b, 0), y + 11, {
        width: cols[4]! - 6,
        height: 11,
        ellipsis: true,
        lineBreak: false,
      });
    OUTCOMES.forEach((_, i) => {
      doc
        .rect(boxesX + i * boxStep + boxStep / 2 - 5, y, 10, 10)
        .strokeColor("#000000")
        .stroke();
    });
    doc
      .moveTo(MARGIN, y + rowHeight - 3)
      .lineTo(MARGIN + width, y + rowHeight - 3)
      .strokeColor("#dddddd")
      .stroke();
    doc.y = y + rowHeight;
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("#555555")
      .text(`Page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN - 4, {
        width,
        align: "right",
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
