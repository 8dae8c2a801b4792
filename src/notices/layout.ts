/**
 * The page layout every ballot document shares: A4, the union and the
 * document title at the top, the legal-review banner, the addressee block,
 * headed sections, tables that break across pages with their header
 * repeated, the "Legal basis" section and a footer with "Page n of m".
 *
 * One pass with pdfkit and its built-in standard fonts (Helvetica), so
 * nothing is embedded and a notice renders in milliseconds. Output depends
 * on the input only: the PDF dates come from the issue date, and pdfkit
 * derives the trailer /ID from the info dictionary, which holds nothing but
 * input values.
 */
import PDFDocument from "pdfkit";
import type { EmployerParty, UnionParty } from "./documents.model.js";
import { formatUkDate, startOfDayUtc } from "./uk-date.js";

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points

/** The paper every document is laid out on, in words (the artwork specification repeats it). */
export const PAPER_DESCRIPTION = "A4 (210 x 297 mm), portrait";
const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const FONT = "Helvetica";
const BOLD = "Helvetica-Bold";
const BODY_SIZE = 10;
const SMALL_SIZE = 8.5;
const LINE_GAP = 1.5;
const CELL_PAD = 3;
const BLACK = "#000000";
const GREY = "#555555";
const RULE = "#bbbbbb";
const SHADE = "#eeeeee";
const ALERT = "#b00000";

/** What the frame of a document needs: who it is from, what it is, and what goes in every footer. */
export interface FrameOptions {
  union: UnionParty;
  title: string;
  issuedOn: string;
  /**
   * A draft for the union's own staff: some rule it relies on needs legal
   * review and no legal sign-off covers it. A draft carries a diagonal
   * "DRAFT - NEEDS LEGAL REVIEW" watermark and a footer mark on every page;
   * the reasons themselves are never printed in the letter (they are listed
   * in the app and the API). A final document carries neither.
   */
  draft: boolean;
  /** Footer items, left to right, before "Page n of m" (e.g. reference, electorate fingerprint). */
  footer: string[];
  /** Identifies the document in the PDF info (and so its /ID), e.g. the notice reference. */
  subject: string;
  /** A word printed faintly across every page, e.g. "SAMPLE". */
  watermark?: string;
  /** The audit chain checkpoint (JSON) for the PDF's Keywords; see DocumentBase. */
  auditCheckpoint?: string | undefined;
}

/** Marks the audit checkpoint in a PDF's Keywords, so it can be found again in the file. */
export const AUDIT_CHECKPOINT_PREFIX = "mandate-audit-checkpoint:";

export interface Column {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  width: number;
  align?: "left" | "right";
  bold?: boolean;
}

/** Writes one document top to bottom; `finish` adds what needs the page count and returns the bytes. */
export class DocumentWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Uint8Array[] = [];
  private readonly done: Promise<Buffer>;

  constructor(private readonly frame: FrameOptions) {
    const date = startOfDayUtc(frame.issuedOn);
    this.doc = new PDFDocument({
      size: "A4",
      margins: MARGIN,
      bufferPages: true,
      compress: true,
      info: {
        Title: clean(`${frame.title} - ${frame.union.name}`),
        Author: clean(frame.union.name),
        Subject: clean(frame.subject),
        Creator: "Mandate",
        Producer: "Mandate (pdfkit)",
        CreationDate: date,
        ModDate: date,
        ...(frame.auditCheckpoint ? { Keywords: `${AUDIT_CHECKPOINT_PREFIX}${frame.auditCheckpoint}` } : {}),
      },
    });
    this.doc.on("data", (chunk: Uint8Array) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on("end", () => resolve(Buffer.concat(this.chunks)));
      this.doc.on("error", reject);
    });
    this.doc.font(FONT).fontSize(BODY_SIZE).fillColor(BLACK);
    this.masthead();
  }

  private get y(): number {
    return this.doc.y;
  }

  private maxY(): number {
    return PAGE.height - MARGIN.bottom;
  }

  /** Starts a new page unless `height` more points fit on this one (keeps headings with what follows). */
  ensureSpace(height: number): void {
    if (this.y + height > this.maxY()) this.newPage();
  }

  private newPage(): void {
    this.doc.addPage();
    this.doc.x = MARGIN.left;
    this.doc.y = MARGIN.top;
  }

  private gap(points: number): void {
    this.doc.y += points;
  }

  /** The union's name, address and contact, a rule, then the document title and issue date. */
  private masthead(): void {
    const { union, title, issuedOn } = this.frame;
    this.text(union.name, { font: BOLD, size: 16 });
    const address = union.address.trim().replace(/\s*\n\s*/g, ", ");
    this.text(`${address}  |  ${union.contact}`, { size: SMALL_SIZE, color: GREY });
    this.gap(6);
    this.rule();
    this.gap(8);
    this.text(title, { font: BOLD, size: 14 });
    this.text(`Date: ${formatUkDate(issuedOn)}`);
    this.gap(8);
  }

  private rule(): void {
    const y = this.y;
    this.doc
      .save()
      .lineWidth(0.75)
      .strokeColor(RULE)
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + CONTENT_WIDTH, y)
      .stroke()
      .restore();
  }

  /** The employer's name and address, as on a letter, for documents sent to an employer. */
  addressee(employer: EmployerParty): void {
    this.text("To:", { size: SMALL_SIZE, color: GREY });
    this.text(employer.name, { font: BOLD });
    if (employer.address) this.text(employer.address);
    if (employer.registerCode) this.text(`Employer code: ${employer.registerCode}`, { size: SMALL_SIZE });
    this.gap(10);
  }

  /** "Yours faithfully" (or `closing`), the signatory's name and title, for and on behalf of the union. */
  signature(union: UnionParty, closing = "Yours faithfully,"): void {
    this.ensureSpace(80);
    this.gap(4);
    this.text(closing);
    this.gap(28);
    if (union.signatory) {
      this.text(union.signatory.name, { font: BOLD });
      this.text(union.signatory.title);
    }
    this.text(`for and on behalf of ${union.name}`);
    this.gap(8);
  }

  /** One block of text across the content width; wraps and continues on the next page by itself. */
  text(
    value: string,
    opts: { font?: string; size?: number; color?: string; align?: "left" | "center" | "right" } = {},
  ): void {
    this.doc
      .font(opts.font ?? FONT)
      .fontSize(opts.size ?? BODY_SIZE)
      .fillColor(opts.color ?? BLACK)
      .text(clean(value), MARGIN.left, this.y, {
        width: CONTENT_WIDTH,
        lineGap: LINE_GAP,
        align: opts.align ?? "left",
      });
    this.doc.fillColor(BLACK);
  }

  /** A body paragraph followed by a little space. */
  paragraph(value: string, opts: { bold?: boolean; size?: number } = {}): void {
    this.text(value, { font: opts.bold ? BOLD : FONT, size: opts.size ?? BODY_SIZE });
    this.gap(5);
  }

  /** A section heading, kept on the same page as the first lines under it. */
  heading(value: string): void {
    this.gap(4);
    this.ensureSpace(48);
    this.text(value, { font: BOLD, size: 11.5 });
    this.gap(3);
  }

  /** Label and value pairs, labels in bold: the key facts of a document. */
  facts(rows: [string, string][]): void {
    this.table(
      [
        { header: "", width: 0.36, bold: true },
        { header: "", width: 0.64 },
      ],
      rows,
      { header: false },
    );
  }

  /** Lines as a bulleted list. */
  bullets(items: string[]): void {
    this.table(
      [
        { header: "", width: 0.04 },
        { header: "", width: 0.96 },
      ],
      items.map((item) => ["-", item]),
      { header: false, rules: false },
    );
  }

  /**
   * A table whose rows never split across pages; when a row does not fit, it
   * goes to a new page under a repeated header. `rows` are the cell texts;
   * `totals`, when given, is one last row in bold.
   */
  table(
    columns: Column[],
    rows: string[][],
    opts: { header?: boolean; totals?: string[]; rules?: boolean } = {},
  ): void {
    const doc = this.doc;
    const showHeader = opts.header !== false;
    const rules = opts.rules !== false;
    const widths = columns.map((c) => c.width * CONTENT_WIDTH);
    const measure = (cells: string[], bold: (i: number) => boolean): number => {
      let height = 0;
      cells.forEach((cell, i) => {
        doc.font(bold(i) ? BOLD : FONT).fontSize(BODY_SIZE);
        const h = this.textHeight(clean(cell), widths[i]! - 2 * CELL_PAD);
        if (h > height) height = h;
      });
      return height + 2 * CELL_PAD;
    };
    const draw = (cells: string[], bold: (i: number) => boolean, height: number, shade: boolean): void => {
      const top = this.y;
      if (shade) doc.save().rect(MARGIN.left, top, CONTENT_WIDTH, height).fill(SHADE).restore();
      let x = MARGIN.left;
      cells.forEach((cell, i) => {
        doc
          .font(bold(i) ? BOLD : FONT)
          .fontSize(BODY_SIZE)
          .fillColor(BLACK)
          .text(clean(cell), x + CELL_PAD, top + CELL_PAD, {
            width: widths[i]! - 2 * CELL_PAD,
            lineGap: LINE_GAP,
            align: columns[i]?.align ?? "left",
          });
        x += widths[i]!;
      });
      doc.x = MARGIN.left;
      doc.y = top + height;
      if (rules) this.rule();
    };
    const headerCells = columns.map((c) => c.header);
    const headerHeight = showHeader ? measure(headerCells, () => true) : 0;
    const drawHeader = () => {
      if (showHeader) draw(headerCells, () => true, headerHeight, true);
    };
    const cellBold = (i: number) => columns[i]?.bold === true;
    const all = opts.totals ? [...rows, opts.totals] : rows;
    all.forEach((cells, index) => {
      const isTotal = opts.totals !== undefined && index === rows.length;
      const bold = isTotal ? () => true : cellBold;
      const height = measure(cells, bold);
      if (index === 0) {
        this.ensureSpace(headerHeight + height);
        drawHeader();
      } else if (this.y + height > this.maxY()) {
        this.newPage();
        drawHeader();
      }
      draw(cells, bold, height, false);
    });
    this.gap(8);
  }

  /**
   * The height `text` takes at `width` in the current font. Most cells are
   * one short line: measuring their width is enough, and much cheaper than
   * pdfkit's full wrapping pass (the 1pt margin keeps the shortcut on the
   * safe side of a wrap).
   */
  private textHeight(text: string, width: number): number {
    const doc = this.doc;
    if (!text.includes("\n") && doc.widthOfString(text) < width - 1) {
      return doc.currentLineHeight(true) + LINE_GAP;
    }
    return doc.heightOfString(text, { width, lineGap: LINE_GAP });
  }

  /** The height a question box takes (see `question`), so a caller can keep questions and what follows together. */
  questionHeight(label: string, text: string, details: string[]): number {
    const doc = this.doc;
    const inner = CONTENT_WIDTH - 4 * CELL_PAD;
    const lines = [text, ...details];
    doc.font(BOLD).fontSize(BODY_SIZE + 1);
    const labelHeight = doc.heightOfString(clean(label), { width: inner, lineGap: LINE_GAP });
    const textHeight = lines.reduce(
      (sum, line, i) =>
        sum +
        doc
          .font(i === 0 ? BOLD : FONT)
          .fontSize(i === 0 ? BODY_SIZE + 1 : BODY_SIZE)
          .heightOfString(clean(line), { width: inner, lineGap: LINE_GAP }) +
        3,
      0,
    );
    doc.font(FONT).fontSize(BODY_SIZE);
    return 2 * CELL_PAD + labelHeight + 4 + textHeight + 8 + 20 + 3 * CELL_PAD + 10;
  }

  /** The height a paragraph takes (see `paragraph`). */
  paragraphHeight(value: string, opts: { bold?: boolean } = {}): number {
    const doc = this.doc;
    doc.font(opts.bold ? BOLD : FONT).fontSize(BODY_SIZE);
    const h = doc.heightOfString(clean(value), { width: CONTENT_WIDTH, lineGap: LINE_GAP }) + 5;
    doc.font(FONT);
    return h;
  }

  /** Room left on the current page, and the room on a fresh page. */
  room(): { left: number; page: number } {
    return { left: this.maxY() - this.y, page: this.maxY() - MARGIN.top };
  }

  /** A voting-paper question in a box: its label, its text and details, then a YES box and a NO box. */
  question(label: string, text: string, details: string[]): void {
    const doc = this.doc;
    const inner = CONTENT_WIDTH - 4 * CELL_PAD;
    const lines = [text, ...details];
    const boxSize = 20;
    const height = this.questionHeight(label, text, details) - 10;
    this.ensureSpace(height);
    const top = this.y;
    doc
      .save()
      .lineWidth(1)
      .strokeColor(BLACK)
      .rect(MARGIN.left, top, CONTENT_WIDTH, height)
      .stroke()
      .restore();
    const x = MARGIN.left + 2 * CELL_PAD;
    doc.y = top + 2 * CELL_PAD;
    doc
      .font(BOLD)
      .fontSize(BODY_SIZE + 1)
      .fillColor(GREY)
      .text(clean(label), x, doc.y, { width: inner, lineGap: LINE_GAP });
    doc.fillColor(BLACK);
    doc.y += 4;
    lines.forEach((line, i) => {
      doc
        .font(i === 0 ? BOLD : FONT)
        .fontSize(i === 0 ? BODY_SIZE + 1 : BODY_SIZE)
        .text(clean(line), x, doc.y, { width: inner, lineGap: LINE_GAP });
      doc.y += 3;
    });
    doc.y += 8;
    const boxTop = doc.y;
    const mark = (word: string, at: number) => {
      doc
        .font(BOLD)
        .fontSize(BODY_SIZE + 2)
        .text(word, at, boxTop + 5, { lineBreak: false });
      doc
        .save()
        .lineWidth(1.5)
        .strokeColor(BLACK)
        .rect(at + 40, boxTop, boxSize, boxSize)
        .stroke()
        .restore();
    };
    mark("YES", x);
    mark("NO", x + 150);
    doc.font(FONT).fontSize(BODY_SIZE);
    doc.x = MARGIN.left;
    doc.y = top + height + 10;
  }

  /** The provisions the document relies on, in small print; unconfirmed ones are marked. */
  legalBasis(citations: { citation: string; unconfirmed: boolean }[]): void {
    if (!citations.length) return;
    const flag = this.frame.draft;
    this.gap(6);
    this.ensureSpace(36);
    this.text("Legal basis", { font: BOLD, size: SMALL_SIZE + 0.5 });
    this.text(
      citations
        .map((c) => (flag && c.unconfirmed ? `${c.citation} (needs legal review)` : c.citation))
        .join("; "),
      { size: SMALL_SIZE, color: GREY },
    );
  }

  /** Adds the watermark, running header and footer to every page, then returns the PDF's bytes. */
  finish(): Promise<Buffer> {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    for (let i = 0; i < count; i++) {
      doc.switchToPage(start + i);
      if (this.frame.watermark) this.watermark(this.frame.watermark);
      if (this.frame.draft) this.draftMark();
      if (i > 0) this.runningHeader();
      this.footer(i + 1, count);
    }
    doc.end();
    return this.done;
  }

  private watermark(word: string): void {
    const doc = this.doc;
    doc.save();
    doc.rotate(-45, { origin: [PAGE.width / 2, PAGE.height / 2] });
    doc.font(BOLD).fontSize(110).fillColor("#999999").fillOpacity(0.18);
    const width = doc.widthOfString(word);
    doc.text(word, PAGE.width / 2 - width / 2, PAGE.height / 2 - 40, { lineBreak: false });
    doc.restore();
    doc.fillColor(BLACK).fillOpacity(1);
  }

  /** Two diagonal lines across the page, in red, behind nothing: impossible to mistake for a final issue. */
  private draftMark(): void {
    const doc = this.doc;
    doc.save();
    doc.rotate(-45, { origin: [PAGE.width / 2, PAGE.height / 2] });
    doc.font(BOLD).fillColor(ALERT).fillOpacity(0.22);
    doc.fontSize(96);
    const top = "DRAFT";
    doc.text(top, PAGE.width / 2 - doc.widthOfString(top) / 2, PAGE.height / 2 - 150, { lineBreak: false });
    doc.fontSize(40);
    const below = "NEEDS LEGAL REVIEW";
    doc.text(below, PAGE.width / 2 - doc.widthOfString(below) / 2, PAGE.height / 2 - 50, {
      lineBreak: false,
    });
    doc.restore();
    doc.fillColor(BLACK).fillOpacity(1);
  }

  private runningHeader(): void {
    const { union, title } = this.frame;
    this.doc
      .font(FONT)
      .fontSize(SMALL_SIZE)
      .fillColor(GREY)
      .text(clean(`${union.name} - ${title}`), MARGIN.left, 30, {
        width: CONTENT_WIDTH,
        lineBreak: false,
        ellipsis: true,
      });
    this.doc.fillColor(BLACK);
  }

  private footer(page: number, pages: number): void {
    const doc = this.doc;
    // Below the bottom margin pdfkit would start a new page for the text: lift the margin while drawing.
    const margins = doc.page.margins;
    const bottom = margins.bottom;
    margins.bottom = 0;
    const y = PAGE.height - MARGIN.bottom + 20;
    const pageLabel = `Page ${page} of ${pages}`;
    doc.font(FONT).fontSize(SMALL_SIZE).fillColor(GREY);
    const pageWidth = doc.widthOfString(pageLabel);
    doc.text(clean(this.frame.footer.join("  |  ")), MARGIN.left, y, {
      width: CONTENT_WIDTH - pageWidth - 12,
      lineBreak: false,
      ellipsis: true,
    });
    doc.text(pageLabel, MARGIN.left + CONTENT_WIDTH - pageWidth, y, { lineBreak: false });
    if (this.frame.draft) {
      doc
        .font(BOLD)
        .fillColor(ALERT)
        .text("DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT", MARGIN.left, y + 11, { lineBreak: false });
    }
    doc.fillColor(BLACK).font(FONT).fontSize(BODY_SIZE);
    margins.bottom = bottom;
  }
}

/** 1234567 → "1,234,567": counts as a UK reader writes them (digits unchanged, so the figure is exact). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// Characters the standard fonts can draw (WinAnsiEncoding): Latin-1 plus these.
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

function drawable(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    WIN_ANSI_EXTRA.has(ch)
  );
}

/**
 * Text the standard fonts can draw. Helvetica without embedding covers
 * WinAnsi only; a letter outside it (a Welsh ŵ, a Polish ł) would print as
 * garbage, so it loses its accent instead (ŵ → w), and anything else becomes
 * "?". Tabs and carriage returns become spaces and line breaks.
 */
export function clean(text: string): string {
  if (/^[\x20-\x7e\n]*$/.test(text)) return text;
  let out = "";
  for (const ch of text.replace(/\r\n?/g, "\n").replace(/\t/g, " ")) {
    if (drawable(ch)) out += ch;
    else {
      const base = ch.normalize("NFKD").replace(/\p{M}/gu, "");
      out += base && [...base].every(drawable) ? base : "?";
    }
  }
  return out;
}
