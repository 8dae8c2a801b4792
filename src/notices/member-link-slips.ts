/**
 * The printable sheet of member links (decision 0022): one member per A4 page, so a page can be
 * handed or posted to its member alone. Pure: the same input gives the same bytes (the PDF dates
 * come from the issue date). The links are bearer credentials: this file, like the CSV, is their
 * only copy.
 */
import PDFDocument from "pdfkit";
import { clean } from "./layout.js";
import { formatUkDate, startOfDayUtc } from "./uk-date.js";

export interface MemberLinkSlip {
  name: string;
  membershipNumber: string;
  workplace: string | null;
  ballotName: string;
  opensOn: string;
  closesOn: string;
  url: string;
}

export interface MemberLinkSlipsInput {
  unionName: string;
  /** Who to ask for help, printed on every slip (the union's contact). */
  contact: string;
  issuedOn: string;
  slips: readonly MemberLinkSlip[];
}

const MARGIN = 64;

export async function renderMemberLinkSlips(input: MemberLinkSlipsInput): Promise<Buffer> {
  const date = startOfDayUtc(input.issuedOn);
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    compress: true,
    autoFirstPage: false,
    info: {
      Title: clean(`Member links - ${input.unionName}`),
      Author: clean(input.unionName),
      Subject: clean(`Member links issued ${input.issuedOn}`),
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
  const width = doc.page ? doc.page.width - 2 * MARGIN : 595.28 - 2 * MARGIN;
  for (const s of input.slips) {
    doc.addPage();
    doc.font("Helvetica").fontSize(10).fillColor("#555555").text(clean(input.unionName), { width });
    doc.moveDown(0.3);
    doc.font("Helvetica-Bold").fontSize(22).fillColor("#000000").text("Your personal ballot link", { width });
    doc.moveDown(0.8);
    doc.font("Helvetica-Bold").fontSize(13).text(clean(s.name), { width });
    doc
      .font("Helvetica")
      .fontSize(11)
      .text(clean(`Membership number ${s.membershipNumber}${s.workplace ? ` - ${s.workplace}` : ""}`), {
        width,
      });
    doc.moveDown(1);
    doc.font("Helvetica-Bold").fontSize(12).text(clean(s.ballotName), { width });
    doc
      .font("Helvetica")
      .fontSize(11)
      .text(
        clean(
          `Voting is by post from ${formatUkDate(s.opensOn)}. Your paper must reach the independent scrutineer by ${formatUkDate(s.closesOn)}.`,
        ),
        { width },
      );
    doc.moveDown(1);
    doc.text("Open this link on your phone or computer, typing it exactly:", { width });
    doc.moveDown(0.5);
    const boxTop = doc.y;
    doc.font("Courier-Bold").fontSize(11);
    const urlHeight = doc.heightOfString(s.url, { width: width - 24 });
    doc
      .rect(MARGIN, boxTop, width, urlHeight + 20)
      .lineWidth(1)
      .stroke("#000000");
    doc.fillColor("#000000").text(s.url, MARGIN + 12, boxTop + 10, { width: width - 24 });
    doc.x = MARGIN;
    doc.y = boxTop + urlHeight + 30;
    doc
      .font("Helvetica")
      .fontSize(11)
      .text(`It works until the end of ${formatUkDate(s.closesOn)}.`, { width });
    doc.moveDown(1);
    doc.font("Helvetica-Bold").text("Through your link you can:", { width });
    doc.font("Helvetica");
    doc.list(
      [
        "tell us you have voted, so your rep stops reminding you;",
        "ask for a replacement paper if yours never arrived, is lost or is spoilt;",
        "check, and correct, the address your ballot paper goes to.",
      ],
      { width, bulletRadius: 2, textIndent: 14 },
    );
    doc.moveDown(1);
    doc
      .font("Helvetica-Bold")
      .text("This link is yours alone: do not share it. Never tell anyone how you voted.", { width });
    doc.moveDown(0.5);
    doc
      .font("Helvetica")
      .fontSize(10)
      .fillColor("#555555")
      .text(
        clean(
          `Questions: ${input.contact || input.unionName}. Issued ${formatUkDate(input.issuedOn)}; a newer link replaces this one.`,
        ),
        {
          width,
        },
      );
  }
  if (!input.slips.length) {
    doc.addPage();
    doc
      .font("Helvetica")
      .fontSize(12)
      .text("No members in the frozen electorate: no links were issued.", { width });
  }
  doc.end();
  return done;
}
