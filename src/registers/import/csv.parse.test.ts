import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseGenericRegister } from "./csv.parse.js";
import { parseRegister } from "./index.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("parseGenericRegister", () => {
  const text = [
    "Code,Name,Post Code,Parent_Code,Aliases,Role,Opened On,Closed_On,Type",
    "ACME,Acme Care Ltd,LS1 1AA,,Acme|ACME Care; Acme Care Limited,,2001-04-01,,care_provider",
    "ACME-LS,Acme Care Leeds Office,ls2 2bb,ACME,,,01/09/2010,,",
    'ACME-HQ,"Acme House, Head Office",LS1 1AA,ACME,,employer,,31/03/2024,',
    "ACME-X,Bad Role,,,,manager,,,",
    "ACME-Y,Bad Date,,,,,2010-02-30,,",
    ",No Code,,,,,,,",
    "ACME,Duplicate,,,,,,,",
  ].join("\r\n");
  const parsed = parseGenericRegister(bytes(text), "own.csv");
  const rec = (code: string) => parsed.records.find((r) => r.code === code);

  test("headers match ignoring case, spaces and underscores", () => {
    assert.equal(parsed.linesRead, 7);
    assert.deepEqual(
      parsed.records.map((r) => r.code),
      ["ACME", "ACME-LS", "ACME-HQ"],
    );
    assert.equal(rec("ACME-LS")?.postcode, "LS2 2BB");
    assert.equal(rec("ACME")?.organisationType, "care_provider");
    assert.equal(rec("ACME")?.codeKind, "local");
  });

  test("role defaults to workplace under a parent, employer otherwise; an explicit role wins", () => {
    assert.equal(rec("ACME")?.role, "employer");
    assert.equal(rec("ACME-LS")?.role, "workplace");
    assert.equal(rec("ACME-LS")?.parentCode, "ACME");
    assert.equal(rec("ACME-LS")?.parentCodeKind, "local");
    assert.equal(rec("ACME-HQ")?.role, "employer");
  });

  test("aliases split on | and ;, dates in ISO or DD/MM/YYYY", () => {
    assert.deepEqual(
      rec("ACME")?.aliases.map((a) => [a.name, a.kind, a.source]),
      [
        ["Acme", "alternative_name", "own.csv line 2"],
        ["ACME Care", "alternative_name", "own.csv line 2"],
        ["Acme Care Limited", "alternative_name", "own.csv line 2"],
      ],
    );
    assert.equal(rec("ACME")?.openedOn, "2001-04-01");
    assert.equal(rec("ACME-LS")?.openedOn, "2010-09-01");
    assert.equal(rec("ACME-HQ")?.closedOn, "2024-03-31");
    assert.equal(rec("ACME-HQ")?.name, "Acme House, Head Office");
  });

  test("bad lines are problems named by the file's own header", () => {
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.field, p.code]),
      [
        [5, "Role", "role.invalid"],
        [6, "Opened On", "date.invalid"],
        [7, "Code", "code.missing"],
        [8, "Code", "code.duplicate"],
      ],
    );
  });

  test("a missing required column is one problem on line 1 and no records", () => {
    const noName = parseGenericRegister(bytes("code,postcode\nA1,LS1 1AA\n"), "noname.csv");
    assert.equal(noName.records.length, 0);
    assert.deepEqual(
      noName.problems.map((p) => [p.line, p.field, p.code]),
      [[1, "name", "header.missing_column"]],
    );
    const empty = parseGenericRegister(new Uint8Array(), "empty.csv");
    assert.equal(empty.records.length, 0);
    assert.equal(empty.problems.length, 1);
  });
});

describe("parseRegister", () => {
  test("dispatches on the format", () => {
    const csv = parseRegister("csv", bytes("code,name\nA1,Alpha\n"), "a.csv");
    assert.equal(csv.source, "csv");
    assert.equal(csv.records[0]?.name, "Alpha");
    const ods = parseRegister(
      "ods",
      bytes("RR8,LEEDS TEACHING HOSPITALS NHS TRUST,,,,,,,,,19980401,\n"),
      "etr.csv",
    );
    assert.equal(ods.source, "ods");
    assert.equal(ods.records[0]?.code, "RR8");
    assert.equal(parseRegister("gias", bytes(""), "g.csv").source, "gias");
    assert.equal(parseRegister("la", bytes(""), "l.csv").source, "la");
  });
});
