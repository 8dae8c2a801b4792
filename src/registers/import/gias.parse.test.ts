import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { GIAS_ESTABLISHMENT_TYPES, parseGias, parseGiasLinks } from "./gias.parse.js";
import type { RegisterRecord } from "./register-records.js";

const DATA = path.resolve(import.meta.dirname, "../../../../shared/data");
const FIXTURE = path.resolve(import.meta.dirname, "../../../test/fixtures/registers/gias-schools.csv");
const bytes = (s: string) => new TextEncoder().encode(s);
const find = (records: readonly RegisterRecord[], code: string) => records.find((r) => r.code === code);

describe("parseGias: test/fixtures/registers/gias-schools.csv (Windows-1252, CRLF, GIAS column order)", () => {
  const raw = readFileSync(FIXTURE);
  const parsed = parseGias(raw, "gias-schools.csv");
  const school = (urn: string) => find(parsed.records, urn);

  test("the fixture is a real Windows-1252 file", () => {
    assert.ok(raw.includes(0xe0), "à is the single byte 0xE0");
    assert.ok(raw.includes(Buffer.from("\r\n")));
  });

  test("reads 16 establishments; the bad date is the only line left out", () => {
    assert.equal(parsed.linesRead, 16);
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.field, p.code]),
      [
        [13, "Trusts (code)", "trust.missing"],
        [16, "OpenDate", "date.invalid"],
      ],
    );
    assert.equal(school("107305"), undefined);
    assert.equal(parsed.records.filter((r) => r.codeKind === "dfe_urn").length, 15);
  });

  test("decodes non-ASCII names from Windows-1252", () => {
    assert.equal(school("100003")?.name, "St Thomas \u00e0 Becket Catholic Primary School");
    assert.equal(school("117001")?.name, "St John\u2019s School, Hertford");
  });

  test("community, voluntary controlled, special, nursery and children's centres are the LA's workplaces", () => {
    for (const urn of ["107301", "107302", "107303", "100001", "20501"]) {
      const s = school(urn);
      assert.equal(s?.role, "workplace", urn);
      assert.equal(s?.parentCodeKind, "local", urn);
    }
    assert.equal(school("107301")?.parentCode, "LA:383");
    assert.equal(school("100001")?.parentCode, "LA:202");
    assert.equal(school("20501")?.organisationType, "childrens_centre");
    const leeds = find(parsed.records, "LA:383");
    assert.deepEqual(
      leeds && {
        role: leeds.role,
        codeKind: leeds.codeKind,
        name: leeds.name,
        organisationType: leeds.organisationType,
        sectorHint: leeds.sectorHint,
      },
      {
        role: "employer",
        codeKind: "local",
        name: "Leeds (local authority)",
        organisationType: "local_authority",
        sectorHint: "education",
      },
    );
    // One employer record per LA, however many schools.
    assert.equal(parsed.records.filter((r) => r.organisationType === "local_authority").length, 2);
  });

  test("foundation, foundation special and voluntary aided schools employ their own staff", () => {
    for (const urn of ["100002", "100003", "100004"]) {
      const s = school(urn);
      assert.equal(s?.role, "employer", urn);
      assert.equal(s?.alsoWorkplace, true, urn);
      assert.equal(s?.organisationType, "school_governing_body", urn);
      assert.equal(s?.parentCode, null, urn);
    }
  });

  test("academies and free schools are workplaces of their academy trust", () => {
    assert.equal(school("137001")?.parentCode, "16758");
    assert.equal(school("137001")?.parentCodeKind, "dfe_group");
    assert.equal(school("137002")?.parentCode, "16758");
    assert.equal(school("142001")?.parentCode, "17012");
    assert.equal(school("142002")?.parentCode, "17012"); // university technical college
    const trusts = parsed.records.filter(
      (r) => r.organisationType === "academy_trust" && r.codeKind === "dfe_group",
    );
    assert.deepEqual(
      trusts.map((t) => [t.code, t.name, t.role]),
      [
        ["16758", "Aire Valley Learning Trust", "employer"],
        ["17012", "Heathfield Schools Partnership", "employer"],
      ],
    );
  });

  test("an academy without a trust is reported and stands as its own employer", () => {
    const oak = school("142003");
    assert.equal(oak?.role, "employer");
    assert.equal(oak?.alsoWorkplace, true);
    assert.equal(oak?.parentCode, null);
  });

  test("closed schools keep their close date; independent schools are their own employer", () => {
    assert.equal(school("107304")?.closedOn, "2019-08-31");
    assert.equal(school("107304")?.openedOn, "1974-01-01");
    assert.equal(school("117001")?.role, "employer");
    assert.equal(school("117001")?.organisationType, "independent_school");
    assert.equal(school("107301")?.address, "Churchwood Avenue, Headingley, Leeds, West Yorkshire");
    assert.equal(school("107301")?.postcode, "LS6 3QX");
    assert.equal(school("107301")?.nation, "england");
  });
});

describe("parseGias: other inputs", () => {
  test("a file without the columns it needs gives one problem per missing column and no records", () => {
    const parsed = parseGias(bytes("URN,EstablishmentName\n100000,The Aldgate School\n"), "x.csv");
    assert.equal(parsed.records.length, 0);
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.field, p.code]),
      [
        [1, "TypeOfEstablishment (name)", "header.missing_column"],
        [1, "LA (code)", "header.missing_column"],
        [1, "LA (name)", "header.missing_column"],
      ],
    );
  });

  test("UTF-8 input and older EduBase type spellings are accepted", () => {
    const text = [
      "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (code),TypeOfEstablishment (name),GOR (name)",
      '401234,662,Ynys Môn,Ysgol Gymraeg Bro Môn,30,Welsh Establishment,"Wales (pseudo)"',
      "100010,202,Camden,Camden Nursery,15,LA Nursery School,London",
      "100011,202,Camden,Mystery School,99,Something New,London",
    ].join("\n");
    const parsed = parseGias(bytes(text), "utf8.csv");
    assert.equal(find(parsed.records, "401234")?.name, "Ysgol Gymraeg Bro Môn");
    assert.equal(find(parsed.records, "401234")?.nation, "wales");
    assert.equal(find(parsed.records, "100010")?.parentCode, "LA:202");
    assert.equal(find(parsed.records, "100011")?.role, "employer");
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.code]),
      [[4, "type.unknown"]],
    );
  });

  test("every employer rule in the table is one of the four", () => {
    const rules = new Set(Object.values(GIAS_ESTABLISHMENT_TYPES).map((t) => t.rule));
    assert.deepEqual([...rules].sort(), ["academy_trust", "governing_body", "local_authority", "self"]);
  });
});

const file = (name: string) => path.join(DATA, "gias", name);
const missing = (name: string) =>
  existsSync(file(name))
    ? false
    : `${file(name)} not found: the shared reference data is not on this machine`;

describe("real GIAS files (shared/data/gias)", () => {
  test("children's centres: 2,855 workplaces under 152 local authorities", {
    skip: missing("edubaseallchildrencentre.csv"),
  }, () => {
    const parsed = parseGias(
      readFileSync(file("edubaseallchildrencentre.csv")),
      "edubaseallchildrencentre.csv",
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.linesRead, 2855);
    const workplaces = parsed.records.filter((r) => r.role === "workplace");
    const las = parsed.records.filter((r) => r.organisationType === "local_authority");
    assert.equal(workplaces.length, 2855);
    assert.equal(las.length, 152);
    assert.ok(
      workplaces.every((w) => w.organisationType === "childrens_centre" && w.parentCode?.startsWith("LA:")),
    );
    assert.equal(new Set(workplaces.map((w) => w.parentCode)).size, 152);
    const starship = find(parsed.records, "20001");
    assert.equal(starship?.name, "The Starship Children's Centre");
    assert.equal(starship?.openedOn, "2009-12-18");
    assert.equal(starship?.parentCode, "LA:873");
    assert.equal(find(parsed.records, "LA:873")?.name, "Cambridgeshire (local authority)");
  });

  test("links file: predecessors become former names, Windows-1252 decoded", {
    skip: missing("links_edubasealldata20250422.csv"),
  }, () => {
    const links = parseGiasLinks(readFileSync(file("links_edubasealldata20250422.csv")), "links.csv");
    assert.deepEqual(links.problems, []);
    assert.equal(links.linesRead, 33801);
    // 100006's predecessor 134643 ("Predecessor - merged").
    assert.deepEqual(links.formerNames.get("100006"), [
      {
        name: "CCfL Key Stage 3 PRU",
        kind: "former_name",
        source: "links.csv line 2 (predecessor URN 134643)",
      },
    ]);
    // Successor rows are the other direction and give no alias.
    assert.equal(links.formerNames.get("100012"), undefined);
    const names = [...links.formerNames.values()].flat().map((a) => a.name);
    assert.ok(names.includes("St Thomas \u00e0 Becket Church of England Aided Primary School"));
    assert.equal(links.formerNames.size, 14221);
    assert.equal(names.length, 16617);
  });
});
