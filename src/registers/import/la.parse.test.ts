import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { SHARED_DATA, sharedDataSkip } from "../../../test/helpers/shared-data.js";
import { localAuthoritySuccessors, parseLocalAuthorities } from "./la.parse.js";

const DATA = SHARED_DATA;
const bytes = (s: string) => new TextEncoder().encode(s);

const HEADER =
  "local-authority-code,official-name,nice-name,gss-code,start-date,end-date,replaced-by,nation,region,local-authority-type,local-authority-type-name,alt-names";

describe("parseLocalAuthorities: inline rows", () => {
  const text = [
    HEADER,
    'LDS,Leeds City Council,Leeds,E08000035,,,,England,Yorkshire and The Humber,MD,Metropolitan district,"Leeds,leeds,leeds city council,leeds district"',
    'BST,Bristol City Council,Bristol,E06000023,,,,England,South West,UA,Unitary authority,"City of Bristol,Bristol, City of,bristol, city of"',
    'CMA,Cumbria County Council,Cumbria,E10000006,,2023-03-31,"CBD,WAF",England,North West,CTY,County,Cumbria',
    "CBD,Cumberland Council,Cumberland,E06000063,2023-04-01,,,England,North West,UA,Unitary authority,",
    "WAF,Westmorland and Furness Council,Westmorland and Furness,E06000064,2023-04-01,,,England,North West,UA,Unitary authority,",
    "ANT,Antrim Borough Council,Antrim,,,2015-03-31,ANN,Northern Ireland,Northern Ireland,NMD,District,",
    "ANN,Antrim and Newtownabbey Borough Council,Antrim and Newtownabbey,N09000001,2015-04-01,,,Northern Ireland,Northern Ireland,NID,NI district,",
    "BAD,Bad Date Council,Bad,E07000999,2015-13-01,,,England,,NMD,District,",
    ",,,,,,,England,,,,",
  ].join("\n");
  const parsed = parseLocalAuthorities(bytes(text), "las.csv");
  const la = (code: string) => parsed.records.find((r) => r.code === code);

  test("every row is an employer keyed by GSS code, or the three-letter code when there is none", () => {
    assert.equal(parsed.linesRead, 9);
    assert.equal(parsed.records.length, 7);
    assert.ok(parsed.records.every((r) => r.role === "employer" && r.organisationType === "local_authority"));
    assert.ok(parsed.records.every((r) => r.sectorHint === "local-government"));
    assert.equal(la("E08000035")?.codeKind, "gss");
    assert.equal(la("ANT")?.codeKind, "la_code");
    assert.equal(la("ANT")?.nation, "northern_ireland");
  });

  test("nice-name and alt-names are aliases, once each ignoring case, commas inside names kept", () => {
    assert.deepEqual(
      la("E08000035")?.aliases.map((a) => [a.name, a.kind]),
      [
        ["Leeds", "alternative_name"],
        ["leeds district", "alternative_name"],
      ],
    );
    assert.deepEqual(
      la("E06000023")?.aliases.map((a) => a.name),
      ["Bristol", "City of Bristol", "Bristol, City of"],
    );
    assert.equal(la("E08000035")?.aliases[0]?.source, "las.csv line 2");
  });

  test("former councils are closed on their end date", () => {
    assert.equal(la("E10000006")?.closedOn, "2023-03-31");
    assert.equal(la("E06000063")?.openedOn, "2023-04-01");
    assert.equal(la("E06000063")?.closedOn, null);
  });

  test("bad rows are problems", () => {
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.field, p.code]),
      [
        [9, "start-date", "date.invalid"],
        [10, "gss-code", "code.missing"],
      ],
    );
  });

  test("successors are given by record code", () => {
    const successors = localAuthoritySuccessors(bytes(text), "las.csv");
    assert.deepEqual(successors.get("E10000006"), ["E06000063", "E06000064"]);
    assert.deepEqual(successors.get("ANT"), ["N09000001"]);
  });
});

const FILE = path.join(DATA, "la", "uk_local_authorities.csv");
const skip = sharedDataSkip(existsSync(FILE) ? null : FILE);

describe("parseLocalAuthorities: real mySociety file (shared/data/la)", () => {
  test("470 authorities: 397 current, 73 closed", { skip }, () => {
    const parsed = parseLocalAuthorities(readFileSync(FILE), "uk_local_authorities.csv");
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.linesRead, 470);
    assert.equal(parsed.records.length, 470);
    assert.equal(parsed.records.filter((r) => r.closedOn === null).length, 397);
    assert.equal(parsed.records.filter((r) => r.closedOn !== null).length, 73);
    // The 25 former Northern Ireland districts have no GSS code.
    assert.equal(parsed.records.filter((r) => r.codeKind === "la_code").length, 25);
    const count = (n: string) => parsed.records.filter((r) => r.nation === n).length;
    assert.deepEqual(
      [count("england"), count("northern_ireland"), count("scotland"), count("wales")],
      [380, 36, 32, 22],
    );
    const leeds = parsed.records.find((r) => r.code === "E08000035");
    assert.equal(leeds?.name, "Leeds City Council");
    assert.ok(leeds?.aliases.some((a) => a.name === "Leeds"));
    const abc = parsed.records.find((r) => r.code === "N09000002");
    assert.deepEqual(
      abc?.aliases.map((a) => a.name),
      ["Armagh City, Banbridge and Craigavon", "armagh, banbridge and craigavon"],
    );
    const successors = localAuthoritySuccessors(readFileSync(FILE), "uk_local_authorities.csv");
    const cumbria = parsed.records.find((r) => r.name === "Cumbria County Council");
    assert.ok(cumbria?.closedOn);
    assert.equal(successors.get(cumbria.code)?.length, 2);
  });
});
