import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { SHARED_DATA, sharedDataSkip } from "../../../test/helpers/shared-data.js";
import { parseOds } from "./ods.parse.js";
import type { ParsedRegister, RegisterRecord } from "./register-records.js";
import { renamedAliases } from "./renamed-aliases.js";

const DATA = SHARED_DATA;
const bytes = (s: string) => new TextEncoder().encode(s);

/** One ODS line: fields by 1-based column, padded to `width` fields. */
function odsLine(cols: Record<number, string>, width = 27, quote = false): string {
  const fields = Array.from({ length: width }, (_, i) => cols[i + 1] ?? "");
  return fields.map((f) => (quote || f.includes(",") ? `"${f}"` : f)).join(",");
}

const trust = (code: string, name: string, extra: Record<number, string> = {}) =>
  odsLine({ 1: code, 2: name, 3: "Y56", 10: "LS9 7TF", 11: "19980401", 24: "D", ...extra });

function byCode(parsed: ParsedRegister): Map<string, RegisterRecord> {
  return new Map(parsed.records.map((r) => [r.code, r]));
}

describe("parseOds: layout quirks", () => {
  test("quoted and unquoted, 24 and 27 fields, LF and CRLF all read the same", () => {
    const unquoted24 = trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST", {
      5: "ST JAMES'S, BECKETT STREET",
    });
    const text = [
      unquoted24.split(",").slice(0, 25).join(","), // 24 fields once the quoted comma is read as one field
      odsLine(
        {
          1: "RR813",
          2: "ST JAMES'S UNIVERSITY HOSPITAL",
          3: "Y63",
          10: "LS9 7TF",
          11: "19980401",
          15: "RR8",
        },
        27,
        true,
      ),
    ].join("\r\n");
    const parsed = parseOds(bytes(text), "mixed.csv");
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.linesRead, 2);
    const rr8 = byCode(parsed).get("RR8");
    assert.equal(rr8?.address, "ST JAMES'S, BECKETT STREET");
    assert.equal(rr8?.openedOn, "1998-04-01");
    assert.equal(rr8?.role, "employer");
    assert.equal(rr8?.organisationType, "nhs_trust");
    const site = byCode(parsed).get("RR813");
    assert.equal(site?.line, 2);
    assert.equal(site?.role, "workplace");
    assert.equal(site?.parentCode, "RR8");
    assert.equal(site?.parentCodeKind, "ods");
    assert.equal(site?.organisationType, "nhs_trust_site");
  });

  test("bad lines become problems naming file, line and column; good lines around them survive", () => {
    const text = [
      trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST"),
      trust("", "NO CODE NHS TRUST"),
      trust("RXX", ""),
      trust("RYY", "BAD DATE NHS TRUST", { 11: "19980231" }),
      trust("RZZ", "BAD CLOSE NHS TRUST", { 12: "2015-03-31" }),
      "RQQ,TOO FEW,Y56",
      trust("RR8", "LEEDS AGAIN"),
      trust("RWWW", "FOUR CHARACTER CODE"),
      `${trust("RVV", "TOO MANY")},x`,
      trust("RAE", "BRADFORD TEACHING HOSPITALS NHS FOUNDATION TRUST"),
    ].join("\n");
    const parsed = parseOds(bytes(text), "bad.csv");
    assert.deepEqual(
      parsed.records.map((r) => r.code),
      ["RR8", "RAE"],
    );
    assert.equal(parsed.linesRead, 10);
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.field, p.code]),
      [
        [2, "column 1 (organisation code)", "code.missing"],
        [3, "column 2 (name)", "name.missing"],
        [4, "column 11 (open date)", "date.invalid"],
        [5, "column 12 (close date)", "date.invalid"],
        [6, "columns", "columns.count"],
        [7, "column 1 (organisation code)", "code.duplicate"],
        [8, "column 1 (organisation code)", "code.invalid"],
        [9, "columns", "columns.count"],
      ],
    );
    assert.ok(parsed.problems.every((p) => p.file === "bad.csv"));
  });

  test("a header line, though ODS has none, is skipped", () => {
    const header = odsLine({ 1: "Organisation Code", 2: "Name", 11: "Open Date" });
    const parsed = parseOds(
      bytes(`${header}\n${trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST")}\n`),
      "h.csv",
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.records.length, 1);
    assert.equal(parsed.records[0]?.line, 2);
    assert.equal(parsed.linesRead, 1);
  });

  test("etrust style: a site with no column-15 parent belongs to the trust its code starts with", () => {
    const text = [
      trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST"),
      odsLine({ 1: "RR813", 2: "ST JAMES'S UNIVERSITY HOSPITAL", 3: "Y54", 11: "19980401" }),
      // A new-style trust code (etr 2026) is not a site of "G6V".
      odsLine({ 1: "G6V2S", 2: "NORTH LONDON NHS FOUNDATION TRUST", 3: "Y56", 11: "20241101" }),
    ].join("\n");
    const parsed = byCode(parseOds(bytes(text), "etrust.csv"));
    assert.equal(parsed.get("RR813")?.parentCode, "RR8");
    assert.equal(parsed.get("G6V2S")?.role, "employer");
    assert.equal(parsed.get("G6V2S")?.parentCode, null);
  });

  test("GP practices: column 15 is the commissioner, not a parent; status C closes with its date", () => {
    const text = [
      odsLine({
        1: "A81001",
        2: "THE DENSHAM SURGERY",
        3: "Y63",
        11: "19740401",
        13: "A",
        15: "16C",
        26: "4",
      }),
      odsLine({
        1: "A81003",
        2: "VICTORIA MEDICAL PRACTICE",
        3: "Y54",
        11: "19740401",
        12: "20171031",
        13: "C",
        15: "00K",
        26: "4",
      }),
      odsLine({ 1: "W00005", 2: "SURGERY IN WALES", 3: "W00", 11: "19740401", 13: "A", 15: "7A1", 26: "4" }),
      odsLine({
        1: "Y00001",
        2: "OUT OF HOURS SERVICE",
        3: "Y56",
        11: "20000401",
        13: "A",
        15: "QKK",
        26: "2",
      }),
      odsLine({ 1: "A81009", 2: "CLOSED WITHOUT DATE", 3: "Y63", 11: "19740401", 13: "C", 26: "4" }),
    ].join("\r\n");
    const parsed = parseOds(bytes(text), "epraccur.csv");
    const codes = byCode(parsed);
    const densham = codes.get("A81001");
    assert.equal(densham?.role, "employer");
    assert.equal(densham?.alsoWorkplace, true);
    assert.equal(densham?.parentCode, null);
    assert.equal(densham?.organisationType, "gp_practice");
    assert.equal(codes.get("A81003")?.closedOn, "2017-10-31");
    assert.equal(codes.get("W00005")?.nation, "wales");
    assert.equal(codes.get("Y00001")?.organisationType, "prescribing_cost_centre");
    // Kept (members may still name it), but flagged: there is no date to close it on.
    assert.equal(codes.get("A81009")?.closedOn, null);
    assert.deepEqual(
      parsed.problems.map((p) => [p.line, p.code]),
      [[5, "close_date.missing"]],
    );
  });

  test("never throws: an unclosed quote and binary noise are problems", () => {
    const text = `${trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST")}\nRAE,"BROKEN NAME,Y63\n`;
    const parsed = parseOds(bytes(text), "q.csv");
    assert.equal(parsed.records.length, 1);
    assert.equal(parsed.problems[0]?.code, "csv.malformed");
    assert.equal(parsed.problems[0]?.line, 2);
    const noise = parseOds(Uint8Array.from([0, 1, 2, 0xff, 0xfe, 10, 13]), "noise.bin");
    assert.equal(noise.records.length, 0);
    assert.equal(noise.problems.length, 1);
  });
});

describe("renamedAliases", () => {
  test("the older name of a renamed code becomes a former_name; unchanged and case-only changes do not", () => {
    const older = parseOds(
      bytes(
        [
          trust("R1A", "WORCESTERSHIRE HEALTH AND CARE NHS TRUST"),
          trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST"),
          trust("RAE", "Bradford Teaching Hospitals NHS Foundation Trust"),
          trust("RXX", "GONE NHS TRUST"),
        ].join("\n"),
      ),
      "old.csv",
    );
    const newer = parseOds(
      bytes(
        [
          trust("R1A", "HEREFORDSHIRE AND WORCESTERSHIRE HEALTH AND CARE NHS TRUST"),
          trust("RR8", "LEEDS TEACHING HOSPITALS NHS TRUST"),
          trust("RAE", "BRADFORD TEACHING HOSPITALS NHS FOUNDATION TRUST"),
        ].join("\n"),
      ),
      "new.csv",
    );
    const renamed = renamedAliases(older.records, newer.records, "old.csv");
    assert.deepEqual(
      [...renamed],
      [
        [
          "R1A",
          [
            {
              name: "WORCESTERSHIRE HEALTH AND CARE NHS TRUST",
              kind: "former_name",
              source: "old.csv line 1 (renamed)",
            },
          ],
        ],
      ],
    );
  });
});

const file = (name: string) => path.join(DATA, "ods", name);
const missing = (name: string) => sharedDataSkip(existsSync(file(name)) ? null : file(name));
const readOds = (name: string) => parseOds(readFileSync(file(name)), name);
const count = <T>(items: readonly T[], pred: (x: T) => boolean) => items.filter(pred).length;

describe("parseOds: real ODS files (shared/data/ods)", () => {
  test("etr.csv: 241 trusts, the quoted-comma lines and the two hand-added stubs", {
    skip: missing("etr.csv"),
  }, () => {
    const etr = readOds("etr.csv");
    assert.deepEqual(etr.problems, []);
    assert.equal(etr.linesRead, 241);
    assert.equal(etr.records.length, 241);
    assert.ok(etr.records.every((r) => r.role === "employer" && r.organisationType === "nhs_trust"));
    const codes = byCode(etr);
    assert.equal(codes.get("R1E")?.address?.startsWith("2ND FLOOR, MORSTON HOUSE, "), true);
    assert.equal(codes.get("R1E")?.openedOn, "2011-09-01");
    const r0a = codes.get("R0A");
    assert.equal(r0a?.name, "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST");
    assert.equal(r0a?.postcode, "M13 9WL");
    assert.equal(r0a?.openedOn, null);
    assert.equal(codes.get("RQF")?.nation, "wales"); // Velindre
    assert.equal(
      count(etr.records, (r) => r.nation === "wales"),
      3,
    );
  });

  test("etr-2026.csv: 274 trusts, 72 closed, new-style trust codes", {
    skip: missing("etr-2026.csv"),
  }, () => {
    const etr = readOds("etr-2026.csv");
    assert.deepEqual(etr.problems, []);
    assert.equal(etr.records.length, 274);
    assert.equal(
      count(etr.records, (r) => r.closedOn !== null),
      72,
    );
    assert.ok(etr.records.every((r) => r.role === "employer"));
    assert.equal(
      etr.records
        .map((r) => r.openedOn ?? "")
        .sort()
        .at(-1),
      "2026-06-01",
    );
    assert.equal(byCode(etr).get("G6V2S")?.organisationType, "nhs_trust");
    assert.equal(byCode(etr).get("R1C")?.closedOn, "2024-09-30");
  });

  test("etr.csv against etr-2026.csv: 49 renamed codes, e.g. R1A and RAJ", {
    skip: missing("etr.csv") || missing("etr-2026.csv"),
  }, () => {
    const older = readOds("etr.csv");
    const newer = readOds("etr-2026.csv");
    const renamed = renamedAliases(older.records, newer.records, "etr.csv");
    assert.equal(renamed.size, 49);
    assert.deepEqual(renamed.get("R1A"), [
      {
        name: "WORCESTERSHIRE HEALTH AND CARE NHS TRUST",
        kind: "former_name",
        source: "etr.csv line 1 (renamed)",
      },
    ]);
    assert.equal(
      byCode(newer).get("R1A")?.name,
      "HEREFORDSHIRE AND WORCESTERSHIRE HEALTH AND CARE NHS TRUST",
    );
    assert.equal(renamed.get("RAJ")?.[0]?.name, "SOUTHEND UNIVERSITY HOSPITAL NHS FOUNDATION TRUST");
    assert.equal(byCode(newer).get("RAJ")?.name, "MID AND SOUTH ESSEX NHS FOUNDATION TRUST");
    // Every older code is still there, 43 of them closed since.
    const newerCodes = byCode(newer);
    assert.ok(older.records.every((r) => newerCodes.has(r.code)));
    assert.equal(
      count(older.records, (r) => newerCodes.get(r.code)?.closedOn != null),
      43,
    );
  });

  test("ets.csv: 34,932 sites, each under its column-15 trust", { skip: missing("ets.csv") }, () => {
    // CPU time, not wall time: on a shared machine wall time measures the neighbours.
    const started = process.cpuUsage();
    const ets = readOds("ets.csv");
    const used = process.cpuUsage(started);
    const elapsed = (used.user + used.system) / 1000;
    assert.ok(elapsed < 5000, `parsing ets.csv took ${Math.round(elapsed)} ms of CPU`);
    assert.deepEqual(ets.problems, []);
    assert.equal(ets.records.length, 34932);
    assert.ok(
      ets.records.every((r) => r.role === "workplace" && r.parentCode !== null && r.parentCode.length === 3),
    );
    assert.equal(new Set(ets.records.map((r) => r.parentCode)).size, 211);
    assert.equal(
      count(ets.records, (r) => r.closedOn !== null),
      699,
    );
    // New-style codes say nothing about their trust: column 15 does.
    assert.equal(
      count(ets.records, (r) => r.code.slice(0, 3) !== r.parentCode),
      3837,
    );
    assert.equal(byCode(ets).get("A0A3Z")?.parentCode, "RDY");
    assert.equal(byCode(ets).get("RR813")?.name, "ST JAMES'S UNIVERSITY HOSPITAL");
    assert.equal(byCode(ets).get("RR813")?.parentCode, "RR8");

    if (!missing("etr.csv")) {
      const trusts = byCode(readOds("etr.csv"));
      const underKnownTrust = count(ets.records, (r) => trusts.has(r.parentCode ?? ""));
      assert.equal(underKnownTrust, 34480);
      assert.equal(
        count(ets.records, (r) => r.parentCode === "R1L"),
        398,
      );
      assert.equal(
        count(ets.records, (r) => r.parentCode === "R0D"),
        54,
      );
    }
  });

  test("etrust-2018.csv: 234 trusts and 29,721 sites in one file", {
    skip: missing("etrust-2018.csv"),
  }, () => {
    const etrust = readOds("etrust-2018.csv");
    assert.deepEqual(etrust.problems, []);
    assert.equal(
      count(etrust.records, (r) => r.organisationType === "nhs_trust"),
      234,
    );
    const sites = etrust.records.filter((r) => r.organisationType === "nhs_trust_site");
    assert.equal(sites.length, 29721);
    assert.ok(sites.every((s) => s.parentCode === s.code.slice(0, 3)));
    assert.equal(
      count(etrust.records, (r) => r.closedOn !== null),
      570,
    );
    if (!missing("etr.csv")) {
      const trusts = byCode(readOds("etr.csv"));
      assert.equal(
        count(sites, (s) => trusts.has(s.parentCode ?? "")),
        29385,
      );
    }
  });

  test("epraccur.csv: 16,534 practices and cost centres, 3,877 closed", {
    skip: missing("epraccur.csv"),
  }, () => {
    const practices = readOds("epraccur.csv");
    assert.deepEqual(practices.problems, []);
    assert.equal(practices.records.length, 16534);
    assert.ok(
      practices.records.every((r) => r.role === "employer" && r.alsoWorkplace && r.parentCode === null),
    );
    assert.equal(
      count(practices.records, (r) => r.closedOn !== null),
      3877,
    );
    assert.equal(
      count(practices.records, (r) => r.organisationType === "gp_practice"),
      8654,
    );
    assert.equal(
      count(practices.records, (r) => r.nation === "wales"),
      756,
    );
    // Jersey, Guernsey and Alderney are in no UK nation.
    assert.equal(
      count(practices.records, (r) => r.nation === null),
      141,
    );
    assert.equal(byCode(practices).get("A81001")?.name, "THE DENSHAM SURGERY");
  });
});
