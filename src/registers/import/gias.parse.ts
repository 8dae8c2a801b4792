import type { Problem } from "../../shared/problems.js";
import {
  cell,
  decodeRegisterBytes,
  dmyDate,
  headerColumns,
  joinAddress,
  type Nation,
  orNull,
  problem,
  readCsvRows,
} from "./register-csv.js";
import type { ParsedRegister, RegisterAlias, RegisterRecord } from "./register-records.js";

/**
 * DfE Get Information about Schools (GIAS) establishment extracts
 * (edubasealldata, edubaseallstatefunded, the children's centre extract...).
 * Columns are found by header name, so any GIAS extract works as long as it
 * has the few this parser needs; the children's centre file, for one, has no
 * Trusts or CloseDate columns.
 */

/** Who employs the staff of an establishment of a given type. */
export type EmployerRule =
  | "local_authority" // community and voluntary controlled schools, maintained nurseries, PRUs, children's centres
  | "governing_body" // foundation and voluntary aided schools: the school itself employs
  | "academy_trust" // academies and free schools: the trust in "Trusts (code)"/"Trusts (name)"
  | "self"; // independent and other establishments: the establishment (its proprietor or corporation)

interface EstablishmentType {
  /** GIAS "TypeOfEstablishment (code)", used when a file spells the name differently. */
  code: string;
  rule: EmployerRule;
  /** organisationType of the establishment's own record. */
  organisationType: string;
}

/**
 * GIAS "TypeOfEstablishment (name)" values as the GIAS download spells them,
 * with their "(code)". The employer follows from the type: community and
 * voluntary controlled schools are employed by the local authority, foundation
 * and voluntary aided schools by their governing body, academies by their
 * academy trust (record-linkage.md 2.2). The "self" rows are not maintained by
 * an LA or a trust, so the establishment is the nearest known employer.
 */
export const GIAS_ESTABLISHMENT_TYPES: Readonly<Record<string, EstablishmentType>> = {
  "Community school": { code: "01", rule: "local_authority", organisationType: "school" },
  "Voluntary aided school": { code: "02", rule: "governing_body", organisationType: "school_governing_body" },
  "Voluntary controlled school": { code: "03", rule: "local_authority", organisationType: "school" },
  "Foundation school": { code: "05", rule: "governing_body", organisationType: "school_governing_body" },
  // CTCs are run by their own charitable trust, which GIAS does not list as a group.
  "City technology college": { code: "06", rule: "self", organisationType: "independent_school" },
  "Community special school": { code: "07", rule: "local_authority", organisationType: "school" },
  "Non-maintained special school": { code: "08", rule: "self", organisationType: "independent_school" },
  "Other independent special school": { code: "10", rule: "self", organisationType: "independent_school" },
  "Other independent school": { code: "11", rule: "self", organisationType: "independent_school" },
  "Foundation special school": {
    code: "12",
    rule: "governing_body",
    organisationType: "school_governing_body",
  },
  "Pupil referral unit": { code: "14", rule: "local_authority", organisationType: "school" },
  "Local authority nursery school": { code: "15", rule: "local_authority", organisationType: "school" },
  "Further education": { code: "18", rule: "self", organisationType: "further_education" },
  "Secure units": { code: "24", rule: "self", organisationType: "other_establishment" },
  "Offshore schools": { code: "25", rule: "self", organisationType: "independent_school" },
  "Service children's education": { code: "26", rule: "self", organisationType: "other_establishment" },
  Miscellaneous: { code: "27", rule: "self", organisationType: "other_establishment" },
  "Academy sponsor led": { code: "28", rule: "academy_trust", organisationType: "school" },
  "Higher education institutions": { code: "29", rule: "self", organisationType: "higher_education" },
  "Welsh establishment": { code: "30", rule: "self", organisationType: "other_establishment" },
  "Sixth form centres": { code: "31", rule: "self", organisationType: "other_establishment" },
  "Special post 16 institution": { code: "32", rule: "self", organisationType: "further_education" },
  "Academy special sponsor led": { code: "33", rule: "academy_trust", organisationType: "school" },
  "Academy converter": { code: "34", rule: "academy_trust", organisationType: "school" },
  "Free schools": { code: "35", rule: "academy_trust", organisationType: "school" },
  "Free schools special": { code: "36", rule: "academy_trust", organisationType: "school" },
  "British schools overseas": { code: "37", rule: "self", organisationType: "independent_school" },
  "Free schools alternative provision": { code: "38", rule: "academy_trust", organisationType: "school" },
  "Free schools 16 to 19": { code: "39", rule: "academy_trust", organisationType: "school" },
  "University technical college": { code: "40", rule: "academy_trust", organisationType: "school" },
  "Studio schools": { code: "41", rule: "academy_trust", organisationType: "school" },
  "Academy alternative provision converter": {
    code: "42",
    rule: "academy_trust",
    organisationType: "school",
  },
  "Academy alternative provision sponsor led": {
    code: "43",
    rule: "academy_trust",
    organisationType: "school",
  },
  "Academy special converter": { code: "44", rule: "academy_trust", organisationType: "school" },
  "Academy 16-19 converter": { code: "45", rule: "academy_trust", organisationType: "school" },
  "Academy 16 to 19 sponsor led": { code: "46", rule: "academy_trust", organisationType: "school" },
  "Children's centre": { code: "47", rule: "local_authority", organisationType: "childrens_centre" },
  "Children's centre linked site": {
    code: "48",
    rule: "local_authority",
    organisationType: "childrens_centre",
  },
  "Online provider": { code: "49", rule: "self", organisationType: "other_establishment" },
  "Institution funded by other government department": {
    code: "56",
    rule: "self",
    organisationType: "other_establishment",
  },
  "Academy secure 16 to 19": { code: "57", rule: "academy_trust", organisationType: "school" },
};

/** Older EduBase files and re-saved copies vary case and punctuation
 *  ("LA Nursery School", "Free Schools - 16-19"): compare on letters and digits. */
function typeKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/\b16 19\b/g, "16 to 19")
    .trim();
}

const TYPES_BY_NAME = new Map(Object.entries(GIAS_ESTABLISHMENT_TYPES).map(([n, t]) => [typeKey(n), t]));
const TYPES_BY_CODE = new Map(Object.values(GIAS_ESTABLISHMENT_TYPES).map((t) => [t.code, t]));

function establishmentType(name: string, code: string): EstablishmentType | undefined {
  return (
    TYPES_BY_NAME.get(typeKey(name)) ?? (code === "" ? undefined : TYPES_BY_CODE.get(code.padStart(2, "0")))
  );
}

const H = {
  urn: "URN",
  laCode: "LA (code)",
  laName: "LA (name)",
  name: "EstablishmentName",
  typeCode: "TypeOfEstablishment (code)",
  typeName: "TypeOfEstablishment (name)",
  status: "EstablishmentStatus (name)",
  openDate: "OpenDate",
  closeDate: "CloseDate",
  street: "Street",
  locality: "Locality",
  address3: "Address3",
  town: "Town",
  county: "County (name)",
  postcode: "Postcode",
  trustCode: "Trusts (code)",
  trustName: "Trusts (name)",
  gor: "GOR (name)",
} as const;

const REQUIRED = [H.urn, H.name, H.typeName, H.laCode, H.laName] as const;

export function parseGias(bytes: Uint8Array, file: string): ParsedRegister {
  const { rows, unreadable, problems } = readCsvRows(decodeRegisterBytes(bytes), file);
  const header = rows[0];
  const result: ParsedRegister = {
    source: "gias",
    file,
    records: [],
    problems,
    linesRead: Math.max(rows.length - 1, 0) + unreadable,
  };
  if (!header) return result;

  const col = headerColumns(header, REQUIRED, file, problems);
  if (!col) return result;

  const employers = new Map<string, RegisterRecord>();
  const seen = new Map<string, number>();
  for (const { line, fields } of rows.slice(1)) {
    const get = (name: string) => cell(fields, col(name));
    const urn = get(H.urn);
    const name = get(H.name);
    if (urn === "") {
      problems.push(problem(file, line, H.urn, "code.missing", "URN is empty"));
      continue;
    }
    if (!/^\d+$/.test(urn)) {
      problems.push(problem(file, line, H.urn, "code.invalid", `URN "${urn}" is not a number`));
      continue;
    }
    if (name === "") {
      problems.push(problem(file, line, H.name, "name.missing", `name is empty for URN ${urn}`));
      continue;
    }
    const earlier = seen.get(urn);
    if (earlier !== undefined) {
      problems.push(
        problem(file, line, H.urn, "code.duplicate", `URN ${urn} already appears on line ${earlier}`),
      );
      continue;
    }
    const opened = dmyDate(get(H.openDate));
    if (!opened.ok) {
      problems.push(problem(file, line, H.openDate, "date.invalid", opened.reason));
      continue;
    }
    const closed = dmyDate(get(H.closeDate));
    if (!closed.ok) {
      problems.push(problem(file, line, H.closeDate, "date.invalid", closed.reason));
      continue;
    }
    seen.set(urn, line);

    const typeName = get(H.typeName);
    let type = establishmentType(typeName, get(H.typeCode));
    if (!type) {
      problems.push(
        problem(
          file,
          line,
          H.typeName,
          "type.unknown",
          `establishment type "${typeName}" is not in the employer table; URN ${urn} kept as its own employer`,
        ),
      );
      type = { code: "", rule: "self", organisationType: "other_establishment" };
    }
    if (get(H.status).toLowerCase() === "closed" && closed.value === null) {
      problems.push(
        problem(
          file,
          line,
          H.closeDate,
          "close_date.missing",
          `URN ${urn} is Closed but has no CloseDate; kept, without a close date`,
        ),
      );
    }

    const nation = nationOf(get(H.gor), typeName);
    const establishment: RegisterRecord = {
      line,
      role: "workplace",
      alsoWorkplace: false,
      code: urn,
      codeKind: "dfe_urn",
      name,
      parentCode: null,
      parentCodeKind: null,
      address: joinAddress([get(H.street), get(H.locality), get(H.address3), get(H.town), get(H.county)]),
      postcode: orNull(get(H.postcode).toUpperCase()),
      town: orNull(get(H.town)),
      openedOn: opened.value,
      closedOn: closed.value,
      nation,
      sectorHint: "education",
      organisationType: type.organisationType,
      aliases: [],
    };
    const ownEmployer = (organisationType: string): RegisterRecord => ({
      ...establishment,
      role: "employer",
      alsoWorkplace: true,
      organisationType,
    });

    if (type.rule === "local_authority") {
      const laCode = get(H.laCode);
      const laName = get(H.laName);
      if (laCode === "" || laName === "") {
        problems.push(
          problem(
            file,
            line,
            laCode === "" ? H.laCode : H.laName,
            "la.missing",
            `type "${typeName}" is employed by its local authority, but the LA is empty; URN ${urn} kept as its own employer`,
          ),
        );
        result.records.push(ownEmployer(type.organisationType));
        continue;
      }
      // The LA register keys councils by GSS code, which GIAS lacks; a local
      // code and the council's name let the loader reconcile the two by name.
      const code = `LA:${laCode}`;
      if (!employers.has(code)) {
        const la = employerRecord(
          line,
          code,
          "local",
          `${laName} (local authority)`,
          "local_authority",
          nation,
        );
        employers.set(code, la);
        result.records.push(la);
      }
      result.records.push({ ...establishment, parentCode: code, parentCodeKind: "local" });
    } else if (type.rule === "academy_trust") {
      const trustCode = get(H.trustCode);
      const trustName = get(H.trustName);
      if (trustCode === "" || trustName === "") {
        problems.push(
          problem(
            file,
            line,
            trustCode === "" ? H.trustCode : H.trustName,
            "trust.missing",
            `type "${typeName}" is employed by its academy trust, but the trust is empty; URN ${urn} kept as its own employer`,
          ),
        );
        result.records.push(ownEmployer("academy_trust"));
        continue;
      }
      if (!employers.has(`trust:${trustCode}`)) {
        const trust = employerRecord(line, trustCode, "dfe_group", trustName, "academy_trust", nation);
        employers.set(`trust:${trustCode}`, trust);
        result.records.push(trust);
      }
      result.records.push({ ...establishment, parentCode: trustCode, parentCodeKind: "dfe_group" });
    } else if (type.rule === "governing_body") {
      result.records.push(ownEmployer("school_governing_body"));
    } else {
      result.records.push(ownEmployer(type.organisationType));
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return result;
}

function employerRecord(
  line: number,
  code: string,
  codeKind: RegisterRecord["codeKind"],
  name: string,
  organisationType: string,
  nation: Nation | null,
): RegisterRecord {
  return {
    line,
    role: "employer",
    alsoWorkplace: false,
    code,
    codeKind,
    name,
    parentCode: null,
    parentCodeKind: null,
    address: null,
    postcode: null,
    openedOn: null,
    closedOn: null,
    nation,
    sectorHint: "education",
    organisationType,
    aliases: [],
  };
}

/** GIAS is England's register; it lists Welsh establishments under "Wales (pseudo)"
 *  and overseas ones under "Not Applicable". */
function nationOf(gor: string, typeName: string): Nation | null {
  const g = gor.toLowerCase();
  if (g.startsWith("wales") || typeKey(typeName) === "welsh establishment") return "wales";
  if (g === "not applicable") return null;
  return "england";
}

const LINK_REQUIRED = ["URN", "LinkURN", "LinkName", "LinkType"] as const;

/** "Predecessor" and its "- merged" / "- amalgamated" variants. Split-school
 *  predecessors are left out: one old name would then point at every part. */
const FORMER_NAME_LINK = /^predecessor(\s*-\s*(merged|amalgamated))?$/i;

/**
 * The GIAS links file (URN, LinkURN, LinkName, LinkType, LinkEstablishedDate).
 * A "Predecessor" row says LinkURN came before URN, so LinkName is a name the
 * establishment's staff may still use: a former_name alias of URN. Academy
 * conversion gives the school a new URN, so this is how "St Mary's Primary"
 * finds "St Mary's Catholic Academy".
 */
export function parseGiasLinks(
  bytes: Uint8Array,
  file: string,
): { formerNames: Map<string, RegisterAlias[]>; problems: Problem[]; linesRead: number } {
  const { rows, unreadable, problems } = readCsvRows(decodeRegisterBytes(bytes), file);
  const formerNames = new Map<string, RegisterAlias[]>();
  const header = rows[0];
  const linesRead = Math.max(rows.length - 1, 0) + unreadable;
  if (!header) return { formerNames, problems, linesRead };

  const col = headerColumns(header, LINK_REQUIRED, file, problems);
  if (!col) return { formerNames, problems, linesRead };

  for (const { line, fields } of rows.slice(1)) {
    const get = (name: string) => cell(fields, col(name));
    if (!FORMER_NAME_LINK.test(get("LinkType"))) continue;
    const urn = get("URN");
    const linkUrn = get("LinkURN");
    const name = get("LinkName");
    if (!/^\d+$/.test(urn)) {
      problems.push(problem(file, line, "URN", "code.invalid", `URN "${urn}" is not a number`));
      continue;
    }
    if (name === "") {
      problems.push(
        problem(file, line, "LinkName", "name.missing", `predecessor ${linkUrn} of ${urn} has no name`),
      );
      continue;
    }
    const aliases = formerNames.get(urn) ?? [];
    if (aliases.some((a) => a.name.toLowerCase() === name.toLowerCase())) continue;
    aliases.push({ name, kind: "former_name", source: `${file} line ${line} (predecessor URN ${linkUrn})` });
    formerNames.set(urn, aliases);
  }
  problems.sort((a, b) => a.line - b.line);
  return { formerNames, problems, linesRead };
}
