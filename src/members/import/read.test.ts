import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  detectMapping,
  type ImportRow,
  MemberFileError,
  type ReadOptions,
  readHeaders,
  readMemberFile,
} from "./index.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/members/", import.meta.url));
const TODAY = "2026-11-20";
const fixture = (name: string) => join(FIXTURES, name);

async function readAll(path: string, options: Partial<ReadOptions> = {}): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for await (const row of readMemberFile(path, { file: "test.csv", today: TODAY, ...options }))
    rows.push(row);
  return rows;
}

const at = (rows: ImportRow[], line: number, sheet: string | null = null): ImportRow => {
  const row = rows.find((r) => r.line === line && r.sheet === sheet);
  assert.ok(row, `no row at line ${line}${sheet ? ` of ${sheet}` : ""}`);
  return row;
};
const kinds = (row: ImportRow) => row.fixes.map((f) => `${f.field}:${f.kind}`);
const codes = (list: { code: string; field: string }[]) => list.map((p) => `${p.field}:${p.code}`);

const tmp = mkdtempSync(join(tmpdir(), "mandate-member-import-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function tmpFile(content: string | Buffer, ext = "csv"): string {
  const path = join(tmp, `f${n++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

describe("members-messy.csv: UTF-8 with BOM, CRLF, quoted commas, repeated header, multi-line field", () => {
  const file = "members-messy.csv";
  const read = () => readAll(fixture(file), { file });

  test("one row per member line, with the line a person sees; blank and repeated header lines skipped", async () => {
    const rows = await read();
    assert.deepEqual(
      rows.map((r) => r.line),
      [2, 3, 4, 5, 7, 8, 9, 11, 13],
    );
    assert.ok(rows.every((r) => r.file === file && r.sheet === null));
  });

  test("the header is read without its BOM", async () => {
    const { headers, sheets } = await readHeaders(fixture(file), { file });
    assert.equal(headers[0], "Membership No");
    assert.equal(headers.length, 17);
    assert.deepEqual(sheets, []);
  });

  test("a tidy-up row: every change recorded", async () => {
    const row = at(await read(), 2);
    assert.equal(row.raw["Address 1"], "12 Acre Road, Flat 2", "quoted comma kept in the field");
    assert.deepEqual(row.problems, []);
    assert.deepEqual(row.warnings, []);
    assert.deepEqual(row.member, {
      membershipNumber: "M1001",
      forenames: "Jane",
      surname: "Smith",
      title: "Mrs",
      dateOfBirth: "1985-03-14",
      addressLine1: "12 Acre Road, Flat 2",
      addressLine2: "Harehills",
      town: "Leeds",
      homePostcode: "LS9 7TF",
      email: "jane.smith@gmail.com",
      emailKind: "personal",
      mobile: "+447700900123",
      employerText: "Leeds Teaching Hospitals NHS Trust",
      workplaceText: "St James's University Hospital",
      jobTitle: "Staff Nurse",
      jobCategory: null,
      branchText: "Leeds Health",
      regionText: null,
      status: "active",
      checkOff: true,
      inArrears: false,
      joinedOn: null,
      leftOn: null,
      consentEmail: false,
      consentSms: false,
    });
    assert.deepEqual(row.fixes, [
      { field: "forenames", from: "JANE", to: "Jane", kind: "name.case" },
      { field: "surname", from: "SMITH", to: "Smith", kind: "name.case" },
      { field: "dateOfBirth", from: "14/03/1985", to: "1985-03-14", kind: "date.dmy" },
      { field: "homePostcode", from: "ls97tf", to: "LS9 7TF", kind: "postcode.format" },
      { field: "email", from: "Jane.Smith@GMAIL.com", to: "jane.smith@gmail.com", kind: "email.lowercase" },
      { field: "mobile", from: "07700 900123", to: "+447700900123", kind: "phone.e164" },
    ]);
  });

  test("Excel serial date, O for 0 in the postcode, a domain typo", async () => {
    const row = at(await read(), 3);
    assert.equal(row.member?.dateOfBirth, "1985-01-01");
    assert.equal(row.member?.homePostcode, "LS9 0TF");
    assert.equal(row.member?.surname, "O'Brien");
    assert.equal(row.member?.email, "sean@gmial.com", "a typo is flagged, not changed");
    assert.equal(row.member?.checkOff, false);
    assert.ok(kinds(row).includes("dateOfBirth:date.excel_serial"));
    assert.ok(kinds(row).includes("homePostcode:postcode.o_to_0"));
    assert.deepEqual(row.warnings, [
      {
        file,
        line: 3,
        field: "E-mail",
        code: "email.domain_typo",
        message: '"sean@gmial.com" may be a typo: did you mean sean@gmail.com?',
      },
    ]);
  });

  test("warnings keep the member: bad date of birth, outcode only, work email", async () => {
    const row = at(await read(), 4);
    assert.ok(row.member);
    assert.equal(row.member.dateOfBirth, null);
    assert.equal(row.member.homePostcode, null);
    assert.equal(row.member.emailKind, "work");
    assert.equal(row.member.mobile, "+447700900125");
    assert.equal(row.member.status, "lapsed");
    assert.equal(row.member.checkOff, true, "DOCAS is check-off");
    assert.deepEqual(codes(row.warnings), [
      "DOB:date.invalid",
      "Post Code:postcode.outcode_only",
      "E-mail:email.work_address",
    ]);
    assert.ok(row.warnings.every((w) => w.line === 4 && w.file === file && !("sheet" in w)));
    assert.ok(kinds(row).includes("mobile:phone.leading_zero"));
  });

  test("no membership number: rejected, located by file, line and header", async () => {
    const row = at(await read(), 5);
    assert.equal(row.member, null);
    assert.deepEqual(row.problems, [
      {
        file,
        line: 5,
        field: "Membership No",
        code: "membership_number.missing",
        message: "No membership number.",
      },
    ]);
  });

  test("no name: rejected, naming both columns", async () => {
    const row = at(await read(), 7);
    assert.equal(row.member, null);
    assert.deepEqual(codes(row.problems), ["Forename(s):name.missing", "Surname:name.missing"]);
  });

  test("unknown status: rejected, listing the allowed words", async () => {
    const row = at(await read(), 8);
    assert.equal(row.member, null);
    assert.equal(row.problems.length, 1);
    assert.equal(row.problems[0]!.code, "status.unknown");
    assert.equal(row.problems[0]!.field, "Status");
    assert.match(row.problems[0]!.message, /"Gone fishing".*Active.*Lapsed.*Left.*Deceased/);
  });

  test("multi-line quoted address: one row, and the lines after it still count right", async () => {
    const rows = await read();
    const row = at(rows, 9);
    assert.equal(row.raw["Address 1"], "Flat 3\r\nBlock B");
    assert.equal(row.member?.addressLine1, "Flat 3 Block B");
    assert.deepEqual(codes(row.warnings), ["Post Code:postcode.invalid"]);
    assert.equal(at(rows, 11).member?.surname, "Green");
  });

  test("a landline in the mobile column is dropped with a warning", async () => {
    const row = at(await read(), 11);
    assert.equal(row.member?.mobile, null);
    assert.equal(row.member?.status, "deceased");
    assert.deepEqual(codes(row.warnings), ["Mobile No:mobile.not_mobile"]);
  });

  test("an unquoted comma shifts the columns: rejected as such, without knock-on noise", async () => {
    const row = at(await read(), 13);
    assert.equal(row.member, null);
    assert.deepEqual(codes(row.problems), ["columns:columns.count"]);
    assert.deepEqual(row.warnings, []);
    assert.equal(row.raw["Column 18"], "Payroll");
  });

  test("the same file read twice gives identical rows", async () => {
    assert.deepEqual(await read(), await read());
  });
});

describe("members-fullname.csv: semicolons, one name column, UTF-8 without BOM", () => {
  const file = "members-fullname.csv";
  const read = () => readAll(fixture(file), { file });

  test("names split both ways, titles taken out", async () => {
    const rows = await read();
    assert.deepEqual(
      rows.map((r) => r.member && [r.member.title, r.member.forenames, r.member.surname]),
      [
        [null, "John", "Smith"],
        ["Mrs", "Alice", "Brown"],
        ["Dr", "Kwame", "Mensah"],
        null,
        [null, "Zoë", "O'Neill"],
      ],
    );
    assert.deepEqual(kinds(at(rows, 2)).slice(0, 3), [
      "forenames:name.split",
      "surname:name.split",
      "surname:name.case",
    ]);
  });

  test("a one-word name is rejected on the name column", async () => {
    const row = at(await read(), 5);
    assert.equal(row.member, null);
    assert.deepEqual(row.problems, [
      {
        file,
        line: 5,
        field: "Name",
        code: "name.incomplete",
        message: '"Cher" is not a forename and a surname; both are needed.',
      },
    ]);
  });

  test("dates in several spellings; quoted delimiter kept; status words", async () => {
    const rows = await read();
    assert.deepEqual(
      rows.map((r) => r.member?.dateOfBirth),
      ["1985-03-12", "1985-07-04", "1985-07-04", undefined, "1984-02-29"],
    );
    assert.equal(at(rows, 6).member?.employerText, "Leeds; City Council");
    assert.deepEqual(
      rows.map((r) => r.member?.status),
      ["active", "active", "left", undefined, "active"],
    );
    assert.deepEqual(
      rows.map((r) => r.member?.checkOff),
      [true, false, false, undefined, true],
    );
    assert.deepEqual(codes(at(rows, 3).warnings), ["Email:email.domain_typo"]);
    assert.deepEqual(codes(at(rows, 4).warnings), ["Email:email.work_address"]);
  });

  test("identical on a second read", async () => {
    assert.deepEqual(await read(), await read());
  });
});

describe("members-1252.csv: Windows-1252", () => {
  test("é and curly apostrophes decoded from single bytes", async () => {
    const rows = await readAll(fixture("members-1252.csv"), { file: "members-1252.csv" });
    assert.deepEqual(
      rows.map((r) => [
        r.line,
        r.member?.forenames,
        r.member?.surname,
        r.member?.workplaceText,
        r.member?.status,
      ]),
      [
        [2, "Renée", "Dubois", "St James\u2019s", "active"],
        [3, "Siân", "O\u2019Neill", "LGI", "left"],
      ],
    );
    assert.ok(rows.every((r) => r.warnings.length === 0 && r.problems.length === 0));
  });
});

describe("members.xlsx: two sheets, streamed", () => {
  const file = "members.xlsx";
  const read = (options: Partial<ReadOptions> = {}) => readAll(fixture(file), { file, ...options });

  test("every sheet with a header; title rows and a repeated header skipped; Excel row numbers", async () => {
    const rows = await read();
    assert.deepEqual(
      rows.map((r) => `${r.sheet}:${r.line}`),
      ["Leeds:4", "Leeds:5", "Leeds:6", "Leeds:8", "Leeds:9", "Bradford:2", "Bradford:3"],
    );
  });

  test("cell types: zero-padded numbers, date cells, serial numbers, numeric mobiles", async () => {
    const rows = await read();
    const first = at(rows, 4, "Leeds");
    assert.equal(first.raw["Membership No"], "000123");
    assert.equal(first.raw["Date of Birth"], "1988-06-15");
    assert.deepEqual(
      [
        first.member?.membershipNumber,
        first.member?.dateOfBirth,
        first.member?.joinedOn,
        first.member?.mobile,
      ],
      ["000123", "1988-06-15", "2020-01-01", "+447700900123"],
    );
    assert.ok(kinds(first).includes("joinedOn:date.excel_serial"));
    assert.ok(kinds(first).includes("mobile:phone.leading_zero"));
    assert.equal(at(rows, 5, "Leeds").member?.dateOfBirth, "1972-02-29");
    assert.equal(at(rows, 8, "Leeds").member?.joinedOn, "2015-09-01");
  });

  test("problems and warnings carry the sheet", async () => {
    const rows = await read();
    assert.deepEqual(
      at(rows, 6, "Leeds").warnings.map((w) => [w.sheet, w.line, w.field, w.code]),
      [["Leeds", 6, "Postcode", "postcode.outcode_only"]],
    );
    const bad = at(rows, 9, "Leeds");
    assert.equal(bad.member, null);
    assert.deepEqual(
      bad.problems.map((p) => [p.file, p.sheet, p.line, p.field, p.code]),
      [[file, "Leeds", 9, "Status", "status.unknown"]],
    );
  });

  test("the second sheet has its own headers", async () => {
    const rows = await read();
    assert.deepEqual(
      rows.filter((r) => r.sheet === "Bradford").map((r) => [r.member?.membershipNumber, r.member?.surname]),
      [
        ["B-100", "Patel"],
        ["B-101", "Green"],
      ],
    );
  });

  test("a mapping chosen on the first sheet does not blank fields the second sheet names differently", async () => {
    const { headers } = await readHeaders(fixture(file), { file });
    const { mapping } = detectMapping(headers);
    const rows = await read({ mapping });
    assert.equal(at(rows, 2, "Bradford").member?.membershipNumber, "B-100");
  });

  test("readHeaders: the first sheet's header and every sheet name", async () => {
    assert.deepEqual(await readHeaders(fixture(file), { file }), {
      headers: [
        "Membership No",
        "Forename",
        "Surname",
        "Date of Birth",
        "Postcode",
        "Mobile",
        "Employer",
        "Workplace",
        "Status",
        "Joined",
      ],
      sheets: ["Leeds", "Bradford"],
    });
    const bradford = await readHeaders(fixture(file), { file, sheet: "Bradford" });
    assert.deepEqual(bradford.headers, ["Mem No", "Full Name", "DOB", "Post Code", "Status"]);
  });

  test("one sheet on request; a missing sheet is a file error naming the sheets", async () => {
    const rows = await read({ sheet: "Bradford" });
    assert.deepEqual(
      rows.map((r) => `${r.sheet}:${r.line}`),
      ["Bradford:2", "Bradford:3"],
    );
    await assert.rejects(read({ sheet: "Wakefield" }), (e: unknown) => {
      assert.ok(e instanceof MemberFileError);
      assert.equal(e.problem.code, "sheet.not_found");
      assert.match(e.problem.message, /Leeds, Bradford/);
      return true;
    });
  });

  test("identical on a second read", async () => {
    assert.deepEqual(await read(), await read());
  });
});

describe("CSV edge cases", () => {
  const header = "Member No,Surname,Forename,Postcode\n";

  test("LF, CRLF and lone CR in one file; line breaks inside quotes counted", async () => {
    const path = tmpFile(
      `${header}1,Smith,Jo,LS1 1AA\r\n2,"Jones\nJr",Al,LS1 1AA\r3,Brown,Bo,LS1 1AA\n4,"A\r\nB",Cy,LS1 1AA\n5,Green,Di,LS1 1AA`,
    );
    const rows = await readAll(path);
    assert.deepEqual(
      rows.map((r) => [r.line, r.member?.membershipNumber]),
      [
        [2, "1"],
        [3, "2"],
        [5, "3"],
        [6, "4"],
        [8, "5"],
      ],
    );
  });

  test("an unclosed quote costs one row, not the rest of the file", async () => {
    const body = Array.from({ length: 80 }, (_, i) => `${i + 10},Surname${i},Jo,LS1 1AA`).join("\n");
    const path = tmpFile(`${header}1,"Smith,Jo,LS1 1AA\n${body}\n`);
    const rows = await readAll(path);
    assert.equal(rows.length, 81);
    assert.deepEqual(codes(rows[0]!.warnings), ["columns:csv.unclosed_quote"]);
    assert.equal(rows[0]!.member?.surname, '"Smith');
    assert.deepEqual(
      rows.slice(1).map((r) => r.line),
      Array.from({ length: 80 }, (_, i) => i + 3),
    );
  });

  test("doubled quotes, spaces around quoted fields, text after a closing quote", async () => {
    const path = tmpFile(`${header}1, "O""Brien" ,Jo,LS1 1AA\n2,"Smith" Jr,Al,LS1 1AA\n`);
    const rows = await readAll(path);
    assert.equal(rows[0]!.member?.surname, 'O"Brien');
    assert.equal(rows[1]!.member?.surname, "Smith Jr");
  });

  test("title lines above the header are skipped", async () => {
    const path = tmpFile(`Leeds Health branch\nPrinted 20/11/2026\n\n${header}1,Smith,Jo,LS1 1AA\n`);
    const rows = await readAll(path);
    assert.deepEqual(
      rows.map((r) => r.line),
      [5],
    );
    assert.equal((await readHeaders(path, { file: "x" })).headers[0], "Member No");
  });

  test("tab-delimited UTF-16 (Excel's 'Unicode text')", async () => {
    const text = "\uFEFFMember No\tSurname\tForename\n7\tRenée\tZoë\n";
    const rows = await readAll(tmpFile(Buffer.from(text, "utf16le"), "txt"));
    assert.deepEqual([rows[0]?.member?.surname, rows[0]?.member?.forenames], ["Renée", "Zoë"]);
  });

  test("invalid bytes in a UTF-8 file are warned about, not hidden", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`\uFEFF${header}1,Sm`),
      Buffer.from([0xff]),
      Buffer.from("th,Jo,LS1 1AA\n"),
    ]);
    const rows = await readAll(tmpFile(bytes));
    assert.deepEqual(codes(rows[0]!.warnings), ["Surname:encoding.invalid"]);
  });

  test("implausible birth dates, postcodes in the town, mobiles in the phone column", async () => {
    const path = tmpFile(
      "Member No,Surname,Forename,DOB,Town,Postcode,Mobile,Phone,Status,Date Left\n" +
        "1,Smith,Jo,01/01/1900,Leeds LS9 7TF,,,07700 900123,,\n" +
        "2,Smith,Al,01/01/2020,Leeds,LS1 1AA,0113 496 0000,07700 900124,Active,01/06/2024\n",
    );
    const [a, b] = await readAll(path);
    assert.ok(a && b);
    assert.equal(a.member?.dateOfBirth, null);
    assert.equal(a.member?.town, "Leeds");
    assert.equal(a.member?.homePostcode, "LS9 7TF");
    assert.equal(a.member?.mobile, "+447700900123");
    assert.deepEqual(codes(a.warnings), ["DOB:date_of_birth.implausible", "Status:status.blank"]);
    assert.ok(kinds(a).includes("homePostcode:postcode.from_address"));
    assert.ok(kinds(a).includes("mobile:phone.from_phone_column"));
    assert.equal(b.member?.mobile, "+447700900124", "the phone column's mobile serves");
    assert.deepEqual(codes(b.warnings), ["DOB:date_of_birth.implausible", "Status:status.conflict"]);
  });

  test("no header anywhere near the top is a file error", async () => {
    const path = tmpFile(Array.from({ length: 30 }, (_, i) => `${i},x,y`).join("\n"));
    await assert.rejects(
      readAll(path),
      (e: unknown) => e instanceof MemberFileError && e.problem.code === "header.not_found",
    );
    await assert.rejects(readHeaders(path, { file: "x" }), MemberFileError);
  });

  test("an old .xls workbook is refused with advice", async () => {
    const path = tmpFile(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "xls");
    await assert.rejects(
      readAll(path),
      (e: unknown) => e instanceof MemberFileError && /xlsx or CSV/.test(e.message),
    );
  });

  test("stopping early releases the file", async () => {
    for await (const row of readMemberFile(fixture("members-messy.csv"), { file: "x" })) {
      assert.equal(row.line, 2);
      break;
    }
    for await (const row of readMemberFile(fixture("members.xlsx"), { file: "x" })) {
      assert.equal(row.line, 4);
      break;
    }
  });
});
