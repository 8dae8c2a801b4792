import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type ZipEntry, zip } from "../../../test/helpers/zip.js";
import { SHOWN_VALUE_CHARS } from "../../shared/problems.js";
import { type ImportRow, MemberFileError, readHeaders, readMemberFile } from "./index.js";

/**
 * Files built to exhaust the server: zip bombs (a small .xlsx that inflates
 * to gigabytes, with an honest or a lying central directory), runaway fields,
 * too many rows, and long values echoed into every problem.
 */
const tmp = mkdtempSync(join(tmpdir(), "mandate-limits-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Members" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Membership No</t></is></c><c r="B1" t="inlineStr"><is><t>Surname</t></is></c><c r="C1" t="inlineStr"><is><t>Forename</t></is></c></row></sheetData></worksheet>`;

function workbook(parts: ZipEntry[]): string {
  const file = join(tmp, `book-${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(
    file,
    zip([
      { name: "xl/workbook.xml", data: Buffer.from(WORKBOOK) },
      { name: "xl/_rels/workbook.xml.rels", data: Buffer.from(RELS) },
      ...parts,
    ]),
  );
  return file;
}

async function refusal(run: () => Promise<unknown>): Promise<MemberFileError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof MemberFileError) return e;
    throw e;
  }
  assert.fail("the file was read");
}

async function drain(path: string, options: Parameters<typeof readMemberFile>[1]): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for await (const row of readMemberFile(path, options)) rows.push(row);
  return rows;
}

describe("resource limits on member files", () => {
  test("a control: the hand-made workbook reads", async () => {
    const file = workbook([{ name: "xl/worksheets/sheet1.xml", data: Buffer.from(SHEET) }]);
    const { headers } = await readHeaders(file, { file: "ok.xlsx" });
    assert.deepEqual(headers, ["Membership No", "Surname", "Forename"]);
  });

  test("shared strings of 300 MB in a small file are refused from the directory, before inflating", async () => {
    const strings = Buffer.alloc(300 * 1024 * 1024, "<si><t>x</t></si>");
    const file = workbook([
      { name: "xl/sharedStrings.xml", data: strings },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.from(SHEET) },
    ]);
    const started = performance.now();
    const e = await refusal(() => readHeaders(file, { file: "bomb.xlsx" }));
    assert.equal(e.problem.code, "xlsx.part_too_large");
    assert.match(e.message, /bomb\.xlsx.*xl\/sharedStrings\.xml expands to more than 256 MB/);
    assert.ok(performance.now() - started < 2000, "refused without reading it");
  });

  test("a directory that lies about a sheet's size is caught by counting the inflated bytes", async () => {
    const rows = Array.from(
      { length: 50_000 },
      (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c></row>`,
    );
    const sheet = Buffer.from(SHEET.replace("</sheetData>", `${rows.join("")}</sheetData>`));
    const file = workbook([{ name: "xl/worksheets/sheet1.xml", data: sheet, claimedSize: 1000 }]);
    const e = await refusal(() => drain(file, { file: "liar.xlsx", xlsxLimits: { partBytes: 1024 * 1024 } }));
    assert.equal(e.problem.code, "xlsx.part_too_large");
    assert.match(e.message, /xl\/worksheets\/sheet1\.xml expands to more than 1 MB/);
  });

  test("lying shared strings are caught the same way", async () => {
    const strings = Buffer.concat([
      Buffer.from("<sst>"),
      Buffer.alloc(8 * 1024 * 1024, "<si><t>x</t></si>"),
      Buffer.from("</sst>"),
    ]);
    const file = workbook([
      { name: "xl/sharedStrings.xml", data: strings, claimedSize: 100 },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.from(SHEET) },
    ]);
    const e = await refusal(() =>
      readHeaders(file, { file: "liar.xlsx", xlsxLimits: { memoryPartBytes: 1024 * 1024 } }),
    );
    assert.equal(e.problem.code, "xlsx.part_too_large");
  });

  test("the total is capped, counted across parts", async () => {
    const strings = Buffer.alloc(700 * 1024, " ");
    const file = workbook([
      {
        name: "xl/sharedStrings.xml",
        data: Buffer.concat([Buffer.from("<sst>"), strings, Buffer.from("</sst>")]),
        claimedSize: 10,
      },
      {
        name: "xl/styles.xml",
        data: Buffer.concat([Buffer.from("<styleSheet>"), strings, Buffer.from("</styleSheet>")]),
        claimedSize: 10,
      },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.from(SHEET) },
    ]);
    const e = await refusal(() =>
      readHeaders(file, { file: "total.xlsx", xlsxLimits: { totalBytes: 1024 * 1024 } }),
    );
    assert.equal(e.problem.code, "xlsx.too_large");
  });

  test("more rows than the limit refuses the file, CSV and xlsx alike", async () => {
    const csv = join(tmp, "many.csv");
    writeFileSync(
      csv,
      ["Membership No,Surname,Forename", ...Array.from({ length: 200 }, (_, i) => `N${i},Smith,Jo`)].join(
        "\n",
      ),
    );
    const e = await refusal(() => drain(csv, { file: "many.csv", maxRows: 100 }));
    assert.equal(e.problem.code, "rows.too_many");
    const rows = Array.from(
      { length: 200 },
      (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c></row>`,
    );
    const book = workbook([
      {
        name: "xl/worksheets/sheet1.xml",
        data: Buffer.from(SHEET.replace("</sheetData>", `${rows.join("")}</sheetData>`)),
      },
    ]);
    const x = await refusal(() => drain(book, { file: "many.xlsx", maxRows: 100 }));
    assert.equal(x.problem.code, "rows.too_many");
  });

  test("a quoted field of 10 MB refuses the file at its line, and no member comes of it", async () => {
    const runaway = `"${`${"x".repeat(999)}\n`.repeat(10 * 1024)}"`;
    const file = join(tmp, "runaway.csv");
    writeFileSync(file, `Membership No,Surname,Forename\nA1,Smith,Jo\nA2,${runaway},Jo\nA3,Jones,Al\n`);
    const rows: ImportRow[] = [];
    const e = await refusal(async () => {
      for await (const row of readMemberFile(file, { file: "runaway.csv" })) rows.push(row);
    });
    assert.equal(e.problem.code, "field.too_long");
    assert.equal(e.problem.line, 3);
    assert.match(e.message, /^runaway\.csv:3: .*10,000 characters/);
    assert.ok(rows.every((r) => !r.member || r.member.membershipNumber === "A1"));
  });

  test("a long unquoted field is refused too", async () => {
    const file = join(tmp, "long.csv");
    writeFileSync(file, `Membership No,Surname,Forename\nA1,${"y".repeat(20_000)},Jo\n`);
    const e = await refusal(() => drain(file, { file: "long.csv" }));
    assert.equal(e.problem.code, "field.too_long");
    assert.equal(e.problem.line, 2);
  });

  test("a long value is not echoed whole into its problem", async () => {
    const file = join(tmp, "echo.csv");
    const value = "Z".repeat(5000);
    writeFileSync(file, `Membership No,Surname,Forename,Status\nA1,Smith,Jo,${value}\n`);
    const rows = await drain(file, { file: "echo.csv" });
    const messages = rows.flatMap((r) => [...r.problems, ...r.warnings]).map((p) => p.message);
    const echo = messages.find((m) => m.includes("ZZZ"));
    assert.ok(echo, JSON.stringify(messages));
    assert.ok(echo.length < 400, echo);
    assert.ok(!echo.includes("Z".repeat(SHOWN_VALUE_CHARS + 1)));
    assert.match(echo, /…" \(5000 characters\)/);
  });
});
