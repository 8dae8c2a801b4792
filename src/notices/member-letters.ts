/**
 * Letters to members for a mailing house: one PDF of many letters, each starting on a new page (its
 * page group), the member's address where the window of a DL or C5 window envelope shows it, and the
 * address file that goes with it (CSV, one row a letter, in the PDF's order). Pure: the same input
 * gives the same bytes (the PDF dates come from the issue date).
 */
import PDFDocument from "pdfkit";
import { csvText } from "../shared/csv.js";
import type { UnionParty } from "./documents.model.js";
import { clean } from "./layout.js";
import { formatUkDate, startOfDayUtc } from "./uk-date.js";

const MM = 72 / 25.4;
/**
 * The address window of DL and C5 window envelopes (A4 folded in three or in two): 20 mm from the
 * left edge, 50 mm from the top, 90 x 45 mm. The block sits inside it with a margin for the sheet
 * shifting in the envelope.
 */
export const ADDRESS_WINDOW = { left: 20 * MM, top: 50 * MM, width: 90 * MM, height: 45 * MM };
const INSET = 4 * MM;
const MARGIN = { left: 20 * MM, right: 20 * MM, top: 15 * MM, bottom: 20 * MM };
const PAGE = { width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY_TOP = 105 * MM;
/** Lines of address beside the name the window holds (the freeze's rule gives at most four and the postcode). */
export const LETTER_ADDRESS_LINES = 4;

export interface MemberLetter {
  /** The ledger row: printed small on the letter and the first column of the address file. */
  reference: string;
  name: string;
  addressLines: string[];
  postcode: string;
  /** The merged text: blank lines make paragraphs. */
  text: string;
  /** Small print at the foot of the letter (e.g. how to stop campaign letters); empty for none. */
  footer: string;
}

export interface MemberLettersInput {
  union: UnionParty;
  issuedOn: string;
  /** Identifies the file in the PDF info, e.g. "send 12, batch 3". */
  subject: string;
  letters: readonly MemberLetter[];
}

export interface RenderedLetters {
  pdf: Buffer;
  /** Pages each letter takes, in order: the page groups the mailing house folds together. */
  pages: number[];
}

export async function renderMemberLetters(input: MemberLettersInput): Promise<RenderedLetters> {
  const date = startOfDayUtc(input.issuedOn);
  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    compress: true,
    autoFirstPage: false,
    info: {
      Title: clean(`Letters - ${input.union.name}`),
      Author: clean(input.union.name),
      Subject: clean(input.subject),
      Creator: "Mandate",
      Producer: "Mandate (pdfkit)",
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Uint8Array[] = [];
  doc.on("data", (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const { union } = input;
  const letterhead = [
    ...union.address
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    ...(union.contact ? [union.contact] : []),
  ];
  const returnLine = clean(
    `If undelivered please return to ${union.name}, ${union.address.trim().replace(/\s*\n\s*/g, ", ")}`,
  );
  const dated = formatUkDate(input.issuedOn);
  const pages: number[] = [];
  // pdfkit adds pages by itself when a paragraph runs over: count them all.
  let pageCount = 0;
  doc.on("pageAdded", () => pageCount++);
  for (const letter of input.letters) {
    const before = pageCount;
    doc.addPage();
    // Letterhead, right of the window.
    const headX = PAGE.width / 2 + 10 * MM;
    const headWidth = PAGE.width - MARGIN.right - headX;
    doc.font("Helvetica-Bold").fontSize(13).fillColor("#000000");
    doc.text(clean(union.name), headX, MARGIN.top, { width: headWidth });
    doc.font("Helvetica").fontSize(8.5).fillColor("#444444");
    for (const l of letterhead) doc.text(clean(l), { width: headWidth });
    doc.fillColor("#000000");
    // The address block, in the window.
    const w = ADDRESS_WINDOW;
    doc.font("Helvetica").fontSize(6).fillColor("#666666");
    // One line at most, cut short with an ellipsis: it must not run into the name below.
    doc.text(returnLine, w.left + INSET, w.top + 2 * MM, {
      width: w.width - 2 * INSET,
      height: 7,
      ellipsis: true,
    });
    doc.font("Helvetica").fontSize(10.5).fillColor("#000000");
    const block = [letter.name, ...letter.addressLines.slice(0, LETTER_ADDRESS_LINES), letter.postcode];
    let y = w.top + 7 * MM;
    for (const l of block) {
      doc.text(clean(l), w.left + INSET, y, { width: w.width - 2 * INSET, height: 12, ellipsis: true });
      y += 13;
    }
    // Date and reference, right of the window.
    doc.font("Helvetica").fontSize(10);
    doc.text(dated, headX, w.top + 7 * MM, { width: headWidth });
    doc
      .fontSize(8.5)
      .fillColor("#444444")
      .text(clean(`Ref. ${letter.reference}`), { width: headWidth });
    doc.fillColor("#000000");
    // The merged text, continuing over pages when long.
    doc.font("Helvetica").fontSize(11);
    doc.x = MARGIN.left;
    doc.y = BODY_TOP;
    const paragraphs = letter.text
      .replace(/\r\n?/g, "\n")
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean);
    for (const p of paragraphs) {
      if (doc.y + 30 > PAGE.height - MARGIN.bottom) {
        doc.addPage();
        doc.x = MARGIN.left;
        doc.y = MARGIN.top;
      }
      doc.text(clean(p), MARGIN.left, doc.y, { width: CONTENT_WIDTH, lineGap: 2 });
      doc.moveDown(0.8);
    }
    if (letter.footer) {
      doc.font("Helvetica").fontSize(8).fillColor("#555555");
      const h = doc.heightOfString(clean(letter.footer), { width: CONTENT_WIDTH });
      if (doc.y + h + 10 > PAGE.height - MARGIN.bottom) {
        doc.addPage();
        doc.x = MARGIN.left;
        doc.y = MARGIN.top;
      }
      // At the foot of the page: pdfkit would start a new page for text touching the bottom margin
      // (rounding), so the margin is lifted while the footer is drawn.
      const margins = doc.page.margins;
      const bottom = margins.bottom;
      margins.bottom = 0;
      doc.text(clean(letter.footer), MARGIN.left, Math.max(doc.y + 10, PAGE.height - MARGIN.bottom - h), {
        width: CONTENT_WIDTH,
      });
      margins.bottom = bottom;
      doc.fillColor("#000000");
    }
    pages.push(pageCount - before);
  }
  if (!input.letters.length) {
    doc.addPage();
    doc.font("Helvetica").fontSize(12).text("No letters in this batch.");
  }
  doc.end();
  const pdf = await done;
  return { pdf, pages };
}

/** The mailing house's address file: reference, name, address lines, postcode, pages; formulas neutralised. */
export function letterAddressCsv(letters: readonly MemberLetter[], pages: readonly number[]): string {
  return csvText([
    [
      "reference",
      "name",
      ...Array.from({ length: LETTER_ADDRESS_LINES }, (_, i) => `address_${i + 1}`),
      "postcode",
      "pages",
    ],
    ...letters.map((l, i) => [
      l.reference,
      l.name,
      ...Array.from({ length: LETTER_ADDRESS_LINES }, (_, k) => l.addressLines[k] ?? ""),
      l.postcode,
      pages[i] ?? 1,
    ]),
  ]);
}
