import {
  cell,
  decodeRegisterBytes,
  headerColumns,
  isoDate,
  type Nation,
  problem,
  readCsvRows,
} from "./register-csv.js";
import type { ParsedRegister, RegisterAlias, RegisterRecord } from "./register-records.js";

/**
 * mySociety's "UK Local Authority Names and Codes" (uk_local_authorities.csv):
 * one council per row, current and former, with the name variants people
 * actually write, which is what makes it the alias source for councils.
 */

const H = {
  laCode: "local-authority-code",
  officialName: "official-name",
  niceName: "nice-name",
  gss: "gss-code",
  startDate: "start-date",
  endDate: "end-date",
  replacedBy: "replaced-by",
  nation: "nation",
  altNames: "alt-names",
} as const;

const REQUIRED = [H.laCode, H.officialName, H.gss, H.endDate, H.nation] as const;

const NATIONS: Readonly<Record<string, Nation>> = {
  england: "england",
  wales: "wales",
  scotland: "scotland",
  "northern ireland": "northern_ireland",
};

export function parseLocalAuthorities(bytes: Uint8Array, file: string): ParsedRegister {
  const { rows, unreadable, problems } = readCsvRows(decodeRegisterBytes(bytes), file);
  const result: ParsedRegister = {
    source: "la",
    file,
    records: [],
    problems,
    linesRead: Math.max(rows.length - 1, 0) + unreadable,
  };
  const header = rows[0];
  if (!header) return result;
  const col = headerColumns(header, REQUIRED, file, problems);
  if (!col) return result;

  const seen = new Map<string, number>();
  for (const { line, fields } of rows.slice(1)) {
    const get = (name: string) => cell(fields, col(name));
    const laCode = get(H.laCode).toUpperCase();
    const gss = get(H.gss).toUpperCase();
    const name = get(H.officialName);
    // The 25 pre-2015 Northern Ireland districts have no GSS code; the
    // three-letter code is then the only identifier.
    const code = gss !== "" ? gss : laCode;
    if (code === "") {
      problems.push(
        problem(file, line, H.gss, "code.missing", "neither gss-code nor local-authority-code is given"),
      );
      continue;
    }
    if (name === "") {
      problems.push(
        problem(file, line, H.officialName, "name.missing", `official-name is empty for ${code}`),
      );
      continue;
    }
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      problems.push(
        problem(file, line, gss ? H.gss : H.laCode, "code.duplicate", `${code} already on line ${earlier}`),
      );
      continue;
    }
    const started = isoDate(get(H.startDate));
    if (!started.ok) {
      problems.push(problem(file, line, H.startDate, "date.invalid", started.reason));
      continue;
    }
    const ended = isoDate(get(H.endDate));
    if (!ended.ok) {
      problems.push(problem(file, line, H.endDate, "date.invalid", ended.reason));
      continue;
    }
    const nationText = get(H.nation);
    const nation = NATIONS[nationText.toLowerCase()] ?? null;
    if (nation === null && nationText !== "") {
      problems.push(
        problem(
          file,
          line,
          H.nation,
          "nation.unknown",
          `nation "${nationText}" is not recognised; kept without one`,
        ),
      );
    }
    seen.set(code, line);

    const record: RegisterRecord = {
      line,
      role: "employer",
      alsoWorkplace: false,
      code,
      codeKind: gss !== "" ? "gss" : "la_code",
      name,
      parentCode: null,
      parentCodeKind: null,
      address: null,
      postcode: null,
      openedOn: started.value,
      closedOn: ended.value,
      nation,
      sectorHint: "local-government",
      organisationType: "local_authority",
      aliases: aliasesOf(name, get(H.niceName), get(H.altNames), `${file} line ${line}`),
    };
    result.records.push(record);
  }
  problems.sort((a, b) => a.line - b.line);
  return result;
}

/**
 * nice-name, then each alt-name, once each ignoring case, and never the
 * official name itself. alt-names is comma-separated, but some names hold a
 * comma of their own ("Bristol, City of", "Armagh City, Banbridge and
 * Craigavon"): in the file those are always followed by a space and the
 * separators never are, so only a comma directly before text splits.
 */
function aliasesOf(
  officialName: string,
  niceName: string,
  altNames: string,
  source: string,
): RegisterAlias[] {
  const seen = new Set([officialName.toLowerCase()]);
  const aliases: RegisterAlias[] = [];
  for (const raw of [niceName, ...altNames.split(/,(?=\S)/)]) {
    const name = raw.trim().replace(/\s+/g, " ");
    if (name === "" || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    aliases.push({ name, kind: "alternative_name", source });
  }
  return aliases;
}

/**
 * Successors of former councils, from the replaced-by column (three-letter
 * codes, comma-separated: Cumbria became CBD and WAF), translated to the codes
 * parseLocalAuthorities gives the successors (GSS where there is one). Keyed
 * by the former council's record code. ParsedRegister has no place for it,
 * and the loader needs it to say "closed; now X" and move members on.
 */
export function localAuthoritySuccessors(bytes: Uint8Array, file: string): Map<string, string[]> {
  const { rows } = readCsvRows(decodeRegisterBytes(bytes), file);
  const successors = new Map<string, string[]>();
  const header = rows[0];
  if (!header) return successors;
  const col = headerColumns(header, [], file, [])!;
  const recordCode = (fields: readonly string[]) => {
    const gss = cell(fields, col(H.gss)).toUpperCase();
    return gss !== "" ? gss : cell(fields, col(H.laCode)).toUpperCase();
  };
  const codeByLaCode = new Map<string, string>();
  for (const { fields } of rows.slice(1)) {
    codeByLaCode.set(cell(fields, col(H.laCode)).toUpperCase(), recordCode(fields));
  }
  for (const { fields } of rows.slice(1)) {
    const replacedBy = cell(fields, col(H.replacedBy));
    if (replacedBy === "") continue;
    const next = replacedBy
      .split(",")
      .map((c) => codeByLaCode.get(c.trim().toUpperCase()))
      .filter((c): c is string => c !== undefined && c !== "");
    successors.set(recordCode(fields), next);
  }
  return successors;
}
