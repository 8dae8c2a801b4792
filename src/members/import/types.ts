import type { Problem } from "../../shared/problems.js";
import type { MemberStatus } from "../members.model.js";
import type { ColumnMapping, MemberImportField } from "./mapping.js";

export interface Fix {
  field: MemberImportField;
  /** The text in the file (trimmed). */
  from: string;
  to: string;
  /** e.g. "postcode.o_to_0", "phone.e164", "email.lowercase", "date.excel_serial", "name.case". */
  kind: string;
}

export interface NormalisedMember {
  membershipNumber: string;
  forenames: string;
  surname: string;
  title: string | null;
  /** ISO YYYY-MM-DD */
  dateOfBirth: string | null;
  addressLine1: string | null;
  /** Address lines 2 and 3 and the county, joined with ", " when the file has them. */
  addressLine2: string | null;
  town: string | null;
  homePostcode: string | null;
  email: string | null;
  /** "work": an employer's mail system (NHS, council, school, university, police, government): e-ballot access must go to a personal address. */
  emailKind: "personal" | "work" | null;
  /** E.164 */
  mobile: string | null;
  /** Raw text, trimmed, for the employer and workplace matcher. */
  employerText: string | null;
  workplaceText: string | null;
  jobTitle: string | null;
  jobCategory: string | null;
  branchText: string | null;
  regionText: string | null;
  status: MemberStatus;
  /** Paid by deduction from salary (check-off, DOCAS, payroll). */
  checkOff: boolean;
  inArrears: boolean;
  joinedOn: string | null;
  leftOn: string | null;
  consentEmail: boolean;
  consentSms: boolean;
}

export interface ImportRow {
  file: string;
  sheet: string | null;
  /** As a person sees it: the physical line where a CSV record starts; the Excel row number. */
  line: number;
  /** header -> text in the file */
  raw: Record<string, string>;
  /** null when a blocking problem makes the row unusable. */
  member: NormalisedMember | null;
  /** Every change made to a text value, beyond trimming. */
  fixes: Fix[];
  /** Blocking: the row is rejected. */
  problems: Problem[];
  /** The member is usable but something needs a person's eye. */
  warnings: Problem[];
}

export interface ReadOptions {
  /** The file's name for messages. */
  file: string;
  /** Overrides of the detected mapping (see detectMapping). */
  mapping?: ColumnMapping;
  /** Read only this sheet of a workbook; default: every sheet with a recognisable header. */
  sheet?: string | null;
  /** Today, YYYY-MM-DD, for age checks and two-digit years; default: the clock. */
  today?: string;
  /** Limits on how far a workbook may expand (default XLSX_LIMITS); tests make them small. */
  xlsxLimits?: Partial<XlsxLimits>;
  /** The most rows the file may hold (default MAX_ROWS); tests make it small. */
  maxRows?: number;
}

export interface XlsxLimits {
  /** Bytes one sheet (or any other part) may expand to. */
  partBytes: number;
  /** Bytes a part held whole in memory (shared strings, styles, workbook) may expand to. */
  memoryPartBytes: number;
  /** Bytes all the parts read may expand to together. */
  totalBytes: number;
}
