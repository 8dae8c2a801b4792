import {
  cell,
  decodeRegisterBytes,
  headerIndex,
  isoOrDmyDate,
  type Nation,
  orNull,
  problem,
  readCsvRows,
} from "./register-csv.js";
import type { ParsedRegister, RegisterAlias, RegisterRecord } from "./register-records.js";

/**
 * A register the union keeps itself (private employers, a council's own list
 * of its sites): a CSV with a header row. Only code and name are required;
 * the header is matched ignoring case, spaces, underscores and hyphens, so
 * "Parent Code", "parent_code" and "parentcode" are the same column.
 */

/** Each field and the header spellings accepted for it (already normalised). */
const COLUMNS = {
  code: ["code", "organisationcode", "orgcode"],
  name: ["name", "organisationname", "orgname"],
  postcode: ["postcode"],
  parent: ["parentcode", "parent"],
  aliases: ["aliases", "alias", "othernames"],
  role: ["role"],
  openedOn: ["openedon", "opened", "opendate"],
  closedOn: ["closedon", "closed", "closedate"],
  type: ["organisationtype", "type"],
  address: ["address"],
  sector: ["sector", "sectorhint"],
  nation: ["nation"],
} as const satisfies Record<string, readonly string[]>;

type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ["code", "name"];

const SECTORS = ["health", "education", "local-government"] as const;
const NATIONS: Readonly<Record<string, Nation>> = {
  england: "england",
  wales: "wales",
  scotland: "scotland",
  northernireland: "northern_ireland",
};

const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");

export function parseGenericRegister(bytes: Uint8Array, file: string): ParsedRegister {
  const { rows, unreadable, problems } = readCsvRows(decodeRegisterBytes(bytes), file);
  const result: ParsedRegister = {
    source: "csv",
    file,
    records: [],
    problems,
    linesRead: Math.max(rows.length - 1, 0) + unreadable,
  };
  const header = rows[0];
  if (!header) {
    problems.push(problem(file, 1, "header", "header.missing", "the file is empty; it needs a header row"));
    return result;
  }
  const index = headerIndex(header.fields, normaliseHeader);
  const colOf = (c: Column) => COLUMNS[c].map((h) => index.get(h)).find((i): i is number => i !== undefined);
  const cols = Object.fromEntries(Object.keys(COLUMNS).map((c) => [c, colOf(c as Column)])) as Record<
    Column,
    number | undefined
  >;
  const missing = REQUIRED.filter((c) => cols[c] === undefined);
  if (missing.length > 0) {
    for (const c of missing) {
      problems.push(
        problem(file, header.line, c, "header.missing_column", `the header has no "${c}" column (required)`),
      );
    }
    return result;
  }
  // Problems name a field by the file's own header text.
  const label = (c: Column) => cell(header.fields, cols[c]) || c;

  const seen = new Map<string, number>();
  for (const { line, fields } of rows.slice(1)) {
    const get = (c: Column) => cell(fields, cols[c]);
    const code = get("code");
    const name = get("name");
    if (code === "") {
      problems.push(problem(file, line, label("code"), "code.missing", "code is empty"));
      continue;
    }
    if (name === "") {
      problems.push(problem(file, line, label("name"), "name.missing", `name is empty for ${code}`));
      continue;
    }
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      problems.push(
        problem(file, line, label("code"), "code.duplicate", `${code} already appears on line ${earlier}`),
      );
      continue;
    }
    const parentCode = orNull(get("parent"));
    const roleText = get("role").toLowerCase();
    if (roleText !== "" && roleText !== "employer" && roleText !== "workplace") {
      problems.push(
        problem(
          file,
          line,
          label("role"),
          "role.invalid",
          `role "${get("role")}" is not employer or workplace`,
        ),
      );
      continue;
    }
    // A row with a parent is a site of that parent unless it says otherwise.
    const role: RegisterRecord["role"] =
      roleText === "employer" || roleText === "workplace" ? roleText : parentCode ? "workplace" : "employer";
    const opened = isoOrDmyDate(get("openedOn"));
    if (!opened.ok) {
      problems.push(problem(file, line, label("openedOn"), "date.invalid", opened.reason));
      continue;
    }
    const closed = isoOrDmyDate(get("closedOn"));
    if (!closed.ok) {
      problems.push(problem(file, line, label("closedOn"), "date.invalid", closed.reason));
      continue;
    }
    const sectorText = get("sector")
      .toLowerCase()
      .replace(/[\s_]+/g, "-");
    const sectorHint = SECTORS.find((s) => s === sectorText) ?? null;
    if (sectorText !== "" && sectorHint === null) {
      problems.push(
        problem(
          file,
          line,
          label("sector"),
          "sector.unknown",
          `sector "${get("sector")}" is not one of ${SECTORS.join(", ")}; kept without one`,
        ),
      );
    }
    const nationText = get("nation");
    const nation = NATIONS[normaliseHeader(nationText)] ?? null;
    if (nationText !== "" && nation === null) {
      problems.push(
        problem(
          file,
          line,
          label("nation"),
          "nation.unknown",
          `nation "${nationText}" is not recognised; kept without one`,
        ),
      );
    }
    seen.set(code, line);

    result.records.push({
      line,
      role,
      alsoWorkplace: false,
      code,
      codeKind: "local",
      name,
      parentCode,
      parentCodeKind: parentCode ? "local" : null,
      address: orNull(get("address")),
      postcode: orNull(get("postcode").toUpperCase()),
      openedOn: opened.value,
      closedOn: closed.value,
      nation,
      sectorHint,
      organisationType: get("type") || "other",
      aliases: aliasesOf(name, get("aliases"), `${file} line ${line}`),
    });
  }
  problems.sort((a, b) => a.line - b.line);
  return result;
}

function aliasesOf(name: string, text: string, source: string): RegisterAlias[] {
  const seen = new Set([name.toLowerCase()]);
  const aliases: RegisterAlias[] = [];
  for (const raw of text.split(/[|;]/)) {
    const alias = raw.trim();
    if (alias === "" || seen.has(alias.toLowerCase())) continue;
    seen.add(alias.toLowerCase());
    aliases.push({ name: alias, kind: "alternative_name", source });
  }
  return aliases;
}
