import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toCsv as annexCsv } from "../notices/csv.js";
import { toCsv as browserCsv } from "../web/csv.js";
import { csvField, csvText, neutraliseFormula } from "./csv.js";

describe("the one CSV writer", () => {
  test("cells a spreadsheet would run are prefixed with an apostrophe (OWASP CSV injection)", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"]) {
      assert.equal(neutraliseFormula(`${start}1+1`), `'${start}1+1`, JSON.stringify(start));
    }
    assert.equal(neutraliseFormula("Smith-Jones"), "Smith-Jones");
    assert.equal(neutraliseFormula("O'Connor"), "O'Connor");
  });

  test("numbers are written as they are; text is quoted when it must be", () => {
    assert.equal(csvField(-3), "-3");
    assert.equal(csvField("-3"), "'-3");
    assert.equal(csvField(null), "");
    assert.equal(csvField('a "b", c'), '"a ""b"", c"');
    assert.equal(csvField("\rcmd"), `"'\rcmd"`);
    assert.equal(
      csvText([
        ["a", "b"],
        ["=1", 2],
      ]),
      "a,b\r\n'=1,2\r\n",
    );
  });

  test("the notice annexes and the web app's downloads use it", () => {
    assert.equal(annexCsv(["name"], [["@SUM(A1)"]]), "name\r\n'@SUM(A1)\r\n");
    assert.equal(browserCsv([["employer"], ["+44 cmd"]]), "employer\r\n'+44 cmd\r\n");
  });
});
