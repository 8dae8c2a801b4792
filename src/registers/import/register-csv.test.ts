import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeRegisterBytes, dmyDate, isoOrDmyDate, odsDate, readCsvRows } from "./register-csv.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("decodeRegisterBytes", () => {
  test("reads Windows-1252 when the bytes are not UTF-8, including the 0x80-0x9F range", () => {
    // "St Thomas à Becket", "St John’s" as GIAS writes them.
    const text = decodeRegisterBytes(Uint8Array.from([0x61, 0xe0, 0x20, 0x4a, 0x92, 0x73, 0x20, 0x80]));
    assert.equal(text, "a\u00e0 J\u2019s \u20ac");
  });

  test("reads UTF-8, with or without a BOM", () => {
    assert.equal(decodeRegisterBytes(bytes("Ynys Môn")), "Ynys Môn");
    assert.equal(decodeRegisterBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes("Ynys Môn")])), "Ynys Môn");
  });
});

describe("readCsvRows", () => {
  test("numbers rows by the line they start on, across CRLF, blank lines and quoted newlines", () => {
    const { rows, problems } = readCsvRows('a,b\r\n"two\r\nlines",c\r\n\r\nd,"e, f"\r\n', "f.csv");
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((r) => [r.line, r.fields]),
      [
        [1, ["a", "b"]],
        [2, ["two\nlines", "c"]],
        [5, ["d", "e, f"]],
      ],
    );
  });

  test("keeps a stray quote inside an unquoted field as text", () => {
    const { rows, problems } = readCsvRows('a,5" DRIVE,b\n', "f.csv");
    assert.deepEqual(problems, []);
    assert.deepEqual(rows[0]?.fields, ["a", '5" DRIVE', "b"]);
  });

  test("an unclosed quote is a problem on the line it opens, not an exception", () => {
    const { rows, problems, unreadable } = readCsvRows('a,b\nc,"open\nd,e\n', "f.csv");
    assert.deepEqual(
      rows.map((r) => r.line),
      [1],
    );
    assert.equal(unreadable, 1);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 2);
    assert.equal(problems[0]?.code, "csv.malformed");
  });
});

describe("dates", () => {
  test("ODS YYYYMMDD", () => {
    assert.deepEqual(odsDate("20110701"), { ok: true, value: "2011-07-01" });
    assert.deepEqual(odsDate(""), { ok: true, value: null });
    assert.equal(odsDate("20110231").ok, false);
    assert.equal(odsDate("2011-07-01").ok, false);
  });

  test("GIAS DD-MM-YYYY", () => {
    assert.deepEqual(dmyDate("18-12-2009"), { ok: true, value: "2009-12-18" });
    assert.deepEqual(dmyDate("1/9/2009"), { ok: true, value: "2009-09-01" });
    assert.equal(dmyDate("31-02-1974").ok, false);
  });

  test("ISO or UK day-first", () => {
    assert.deepEqual(isoOrDmyDate("2020-04-01"), { ok: true, value: "2020-04-01" });
    assert.deepEqual(isoOrDmyDate("01/04/2020"), { ok: true, value: "2020-04-01" });
    assert.equal(isoOrDmyDate("04/31/2020").ok, false);
  });
});
