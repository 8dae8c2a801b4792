/**
 * The scrutineer's voter file: exactly the allowed columns (data
 * minimisation), rows in input order, the same text every time.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import type { VoterFileRow } from "./documents.model.js";
import { voterFileCsv } from "./index.js";

const rows: VoterFileRow[] = [
  {
    paperNumber: "0000001",
    name: "Amira Khan",
    addressLines: ["Flat 2", "14 Harehills Lane", "Leeds"],
    postcode: "LS8 4HS",
  },
  { paperNumber: "0000002", name: "Owen O'Neill", addressLines: ["3 Park Row, Otley"], postcode: "LS21 1HQ" },
  {
    paperNumber: "0000003",
    name: '=HYPERLINK("x")',
    addressLines: ["1 A St", "B", "C", "D"],
    postcode: "LS1 1AA",
  },
];

describe("voter file", () => {
  test("has exactly the allowed columns and nothing else", () => {
    const csv = voterFileCsv(rows);
    const [header, ...records] = parse(csv) as string[][];
    assert.deepEqual(header, [
      "paper_number",
      "name",
      "address_line_1",
      "address_line_2",
      "address_line_3",
      "address_line_4",
      "postcode",
    ]);
    assert.equal(records.length, 3);
    for (const r of records) assert.equal(r.length, 7);
  });

  test("rows in input order, address lines padded, commas quoted", () => {
    const [, first, second] = parse(voterFileCsv(rows)) as string[][];
    assert.deepEqual(first, ["0000001", "Amira Khan", "Flat 2", "14 Harehills Lane", "Leeds", "", "LS8 4HS"]);
    assert.deepEqual(second, ["0000002", "Owen O'Neill", "3 Park Row, Otley", "", "", "", "LS21 1HQ"]);
    assert.ok(voterFileCsv(rows).startsWith("paper_number,name,address_line_1,"));
  });

  test("a value that looks like a spreadsheet formula cannot run", () => {
    const [, , , third] = parse(voterFileCsv(rows)) as string[][];
    assert.equal(third![1], '\'=HYPERLINK("x")');
  });

  test("is the same text every time", () => {
    assert.equal(voterFileCsv(rows), voterFileCsv(structuredClone(rows)));
  });

  test("an empty electorate gives the header only", () => {
    assert.equal(
      voterFileCsv([]),
      "paper_number,name,address_line_1,address_line_2,address_line_3,address_line_4,postcode\r\n",
    );
  });

  test("refuses a paper number used twice and more than four address lines", () => {
    assert.throws(() => voterFileCsv([rows[0]!, { ...rows[1]!, paperNumber: "0000001" }]), /used twice/);
    assert.throws(
      () => voterFileCsv([{ ...rows[0]!, addressLines: ["1", "2", "3", "4", "5"] }]),
      /5 address lines; at most 4/,
    );
  });
});
