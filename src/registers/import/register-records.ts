import type { Problem } from "../../shared/problems.js";

/**
 * What every register parser produces: organisations in one shape, whatever
 * the source file (NHS ODS, DfE GIAS, local authorities, a generic CSV).
 * Pure data; the loader turns these into employers and workplaces.
 */
export type RegisterSource = "ods" | "gias" | "la" | "csv";

/** How a code identifies the organisation. */
export type CodeKind =
  | "ods" // NHS ODS code: trusts 3 characters, sites 5, GP practices 6
  | "dfe_urn" // DfE unique reference number of an establishment
  | "dfe_group" // DfE group id of an academy trust, e.g. TR01234
  | "gss" // ONS GSS code of a local authority, e.g. E08000035
  | "la_code" // mySociety three-letter local-authority code, e.g. LDS
  | "companies_house"
  | "local"; // any other code, from a generic CSV

export type AliasKind =
  | "former_name" // the organisation was called this before (ODS rename, GIAS predecessor)
  | "alternative_name" // another current name (mySociety alt-names, "Leeds City Council" / "Leeds")
  | "acronym"; // e.g. LTHT

export interface RegisterAlias {
  name: string;
  kind: AliasKind;
  /** Where the alias came from, e.g. "etr-2026.csv line 12 (renamed)". */
  source: string;
}

export interface RegisterRecord {
  /** 1-based line in the source file. */
  line: number;
  /** "employer": an employing body (trust, council, academy trust, GP practice);
   *  "workplace": a site of an employer (hospital, school building). An
   *  organisation that is both (a GP practice, a voluntary-aided school whose
   *  governing body employs) appears as an employer with `alsoWorkplace`. */
  role: "employer" | "workplace";
  alsoWorkplace: boolean;
  code: string;
  codeKind: CodeKind;
  /** Name as the register publishes it (ODS names are upper case: keep them; display casing is the loader's job). */
  name: string;
  /** For a workplace: its employer's code (ODS column 15; the LA or academy trust for a school). */
  parentCode: string | null;
  parentCodeKind: CodeKind | null;
  address: string | null;
  postcode: string | null;
  /** The address's town, where the register has it as a column (ODS address line 4, GIAS Town). */
  town?: string | null;
  /** ISO dates YYYY-MM-DD. */
  openedOn: string | null;
  closedOn: string | null;
  nation: "england" | "wales" | "scotland" | "northern_ireland" | null;
  /** The union sector this kind of organisation usually belongs to. */
  sectorHint: "health" | "education" | "local-government" | null;
  /** e.g. "nhs_trust", "nhs_trust_site", "gp_practice", "local_authority", "academy_trust", "school". */
  organisationType: string;
  aliases: RegisterAlias[];
}

export interface ParsedRegister {
  source: RegisterSource;
  file: string;
  records: RegisterRecord[];
  /** Lines that could not be used, each named by file, line and field. */
  problems: Problem[];
  /** Lines read (data lines, excluding any header). */
  linesRead: number;
}
