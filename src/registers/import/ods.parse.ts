import type { Problem } from "../../shared/problems.js";
import {
  type CsvRow,
  cell,
  decodeRegisterBytes,
  joinAddress,
  type Nation,
  odsDate,
  orNull,
  problem,
  readCsvRows,
} from "./register-csv.js";
import type { ParsedRegister, RegisterRecord } from "./register-records.js";

/**
 * NHS Organisation Data Service files in the common headerless layout
 * (etr trusts, ets trust sites, etrust trusts and sites together, epraccur GP
 * practices, and the other ODS files that share it). Column numbers below are
 * 1-based, as in the ODS data dictionary; indexes in code are 0-based.
 */

const COL = {
  code: 0,
  name: 1,
  nationalGrouping: 2,
  addressFirst: 4,
  addressLast: 8,
  town: 7, // address line 4
  postcode: 9,
  openDate: 10,
  closeDate: 11,
  status: 12, // epraccur only
  parent: 14, // parent trust (ets); commissioner (epraccur)
  gor: 23, // GOR region code (etr, ets); provider/purchaser (epraccur)
} as const;

const FIELD = {
  columns: "columns",
  code: "column 1 (organisation code)",
  name: "column 2 (name)",
  openDate: "column 11 (open date)",
  closeDate: "column 12 (close date)",
  status: "column 13 (status)",
} as const;

/** The full layout has 27 fields; ODS trims trailing empty ones (etr.csv stops
 *  at 24), so any line that still reaches the close date is complete enough.
 *  More than 27 means a comma in an unquoted field shifted the columns. */
const MIN_FIELDS = COL.closeDate + 1;
const MAX_FIELDS = 27;

const TRUST_CODE = /^[A-Z0-9]{3}$/;
const SITE_CODE = /^[A-Z0-9]{5}$/;
const PRACTICE_CODE = /^[A-Z0-9]{6}$/;
/** Jersey, Guernsey and Alderney practices are in epraccur but in no UK nation. */
const CROWN_DEPENDENCY = /^(JER|GUE|ALD)/;
/** epraccur column 26: 4 is a GP practice; the rest are other prescribing
 *  cost centres (walk-in centres, out of hours, prisons, PCNs...). */
const PRESCRIBING_SETTING_GP = "4";
const PRESCRIBING_SETTING = 25;

export function parseOds(bytes: Uint8Array, file: string): ParsedRegister {
  const { rows: all, unreadable, problems } = readCsvRows(decodeRegisterBytes(bytes), file);
  const first = all[0];
  // ODS files have no header, but a hand-exported copy sometimes gains one.
  const rows = first && looksLikeHeader(first.fields) ? all.slice(1) : all;

  // A five-character code without a column-15 parent is either an etrust-2018
  // site (its trust is the code's first three characters, listed in the same
  // file) or a new-style trust code such as G6V2S in etr 2026. Knowing which
  // three-character codes the file holds tells them apart.
  const trustCodes = new Set<string>();
  for (const row of rows) {
    const code = cell(row.fields, COL.code).toUpperCase();
    if (TRUST_CODE.test(code)) trustCodes.add(code);
  }

  const records: RegisterRecord[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const record = readLine(row, file, trustCodes, problems);
    if (!record) continue;
    const earlier = seen.get(record.code);
    if (earlier !== undefined) {
      problems.push(
        problem(
          file,
          row.line,
          FIELD.code,
          "code.duplicate",
          `${record.code} already appears on line ${earlier}`,
        ),
      );
      continue;
    }
    seen.set(record.code, row.line);
    records.push(record);
  }
  problems.sort((a, b) => a.line - b.line);
  return { source: "ods", file, records, problems, linesRead: rows.length + unreadable };
}

function looksLikeHeader(fields: readonly string[]): boolean {
  const code = cell(fields, COL.code).toLowerCase();
  const name = cell(fields, COL.name).toLowerCase();
  return code.includes("code") || name === "name" || name.includes("organisation name");
}

function readLine(row: CsvRow, file: string, trustCodes: ReadonlySet<string>, problems: Problem[]) {
  const { fields, line } = row;
  if (fields.length < MIN_FIELDS || fields.length > MAX_FIELDS) {
    problems.push(
      problem(
        file,
        line,
        FIELD.columns,
        "columns.count",
        `has ${fields.length} fields; an ODS line has ${MIN_FIELDS} to ${MAX_FIELDS} (is a comma in an unquoted field?)`,
      ),
    );
    return null;
  }
  const code = cell(fields, COL.code).toUpperCase();
  const name = cell(fields, COL.name);
  if (code === "") {
    problems.push(problem(file, line, FIELD.code, "code.missing", "organisation code is empty"));
    return null;
  }
  if (name === "") {
    problems.push(problem(file, line, FIELD.name, "name.missing", `name is empty for ${code}`));
    return null;
  }
  const opened = odsDate(cell(fields, COL.openDate));
  if (!opened.ok) {
    problems.push(problem(file, line, FIELD.openDate, "date.invalid", opened.reason));
    return null;
  }
  const closed = odsDate(cell(fields, COL.closeDate));
  if (!closed.ok) {
    problems.push(problem(file, line, FIELD.closeDate, "date.invalid", closed.reason));
    return null;
  }

  const kind = classify(code, name, fields, trustCodes);
  if (!kind) {
    problems.push(
      problem(
        file,
        line,
        FIELD.code,
        "code.invalid",
        `"${code}" is not an ODS trust (3 characters), site (5) or practice (6) code`,
      ),
    );
    return null;
  }

  // epraccur marks closures in column 13 as well; every real C line has a
  // close date, but if one does not, we cannot invent the date: keep the
  // practice (members may still name it) and say so.
  if (PRACTICE_CODE.test(code) && cell(fields, COL.status) === "C" && closed.value === null) {
    problems.push(
      problem(
        file,
        line,
        FIELD.closeDate,
        "close_date.missing",
        `${code} has status C (closed) but no close date; kept, without a close date`,
      ),
    );
  }

  const record: RegisterRecord = {
    line,
    role: kind.role,
    alsoWorkplace: kind.alsoWorkplace,
    code,
    codeKind: "ods",
    name,
    parentCode: kind.parentCode,
    parentCodeKind: kind.parentCode === null ? null : "ods",
    address: joinAddress(fields.slice(COL.addressFirst, COL.addressLast + 1)),
    postcode: orNull(cell(fields, COL.postcode).toUpperCase()),
    town: orNull(cell(fields, COL.town)),
    openedOn: opened.value,
    closedOn: closed.value,
    nation: nationOf(code, fields),
    sectorHint: "health",
    organisationType: kind.organisationType,
    aliases: [],
  };
  return record;
}

interface Kind {
  role: RegisterRecord["role"];
  alsoWorkplace: boolean;
  parentCode: string | null;
  organisationType: string;
}

const TRUST: Kind = {
  role: "employer",
  alsoWorkplace: false,
  parentCode: null,
  organisationType: "nhs_trust",
};

function classify(code: string, name: string, fields: readonly string[], trustCodes: ReadonlySet<string>) {
  if (TRUST_CODE.test(code)) return TRUST;
  if (SITE_CODE.test(code)) {
    // ets: column 15 is the trust, and for the new-style codes (A0A3Z under
    // RDY) it is the only way to know it.
    const parent = cell(fields, COL.parent).toUpperCase();
    if (parent !== "") return site(parent);
    const prefix = code.slice(0, 3);
    if (trustCodes.has(prefix)) return site(prefix);
    if (/\bTRUST$/i.test(name)) return TRUST;
    // etrust vintage whose trust line is missing from the file (RER in 2018).
    return site(prefix);
  }
  if (PRACTICE_CODE.test(code)) {
    // Column 15 here is the commissioner (a CCG/ICB), not an employer: GP
    // practices employ their own staff, so they are employers and workplaces.
    const setting = cell(fields, PRESCRIBING_SETTING);
    const organisationType =
      setting === "" || setting === PRESCRIBING_SETTING_GP ? "gp_practice" : "prescribing_cost_centre";
    return { role: "employer", alsoWorkplace: true, parentCode: null, organisationType } satisfies Kind;
  }
  return null;
}

function site(parentCode: string): Kind {
  return { role: "workplace", alsoWorkplace: false, parentCode, organisationType: "nhs_trust_site" };
}

/**
 * Geography first: column 3 (national grouping: Y.. English regions, W00
 * Wales) and, outside epraccur, column 24 (GOR: A-K English regions, W
 * Wales). Codes decide only when the line has no geography (the hand-added
 * R0A/R0B stubs, NI trusts): 7.. are Welsh health boards, Z.. Northern
 * Ireland. New-style site codes start with any letter, so a Z site with an
 * English grouping stays English.
 */
function nationOf(code: string, fields: readonly string[]): Nation | null {
  if (CROWN_DEPENDENCY.test(code) && code.length === 6) return null;
  const grouping = cell(fields, COL.nationalGrouping).toUpperCase();
  if (grouping.startsWith("W")) return "wales";
  if (grouping.startsWith("Y")) return "england";
  const gor = code.length === 6 ? "" : cell(fields, COL.gor).toUpperCase();
  if (gor === "W") return "wales";
  if (/^[A-K]$/.test(gor)) return "england";
  if (code.startsWith("7")) return "wales";
  if (code.startsWith("Z")) return "northern_ireland";
  return "england";
}
