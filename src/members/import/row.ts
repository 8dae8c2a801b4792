import { clipQuoted, type Problem } from "../../shared/problems.js";
import type { MemberStatus } from "../members.model.js";
import { type DateOptions, parseMemberDate, yearsBetween } from "./dates.js";
import { normaliseEmailDetailed } from "./email.js";
import type { ColumnMapping, MemberImportField } from "./mapping.js";
import { knownTitle, normalisePersonName, splitFullNameWithTitle } from "./names.js";
import { normaliseMobileDetailed } from "./phone.js";
import { normalisePostcode, postcodeAtEnd } from "./postcode.js";
import type { Fix, ImportRow, NormalisedMember } from "./types.js";
import { checkOffFromText, flagFromText, STATUS_HELP, statusFromText } from "./values.js";
import type { CellValue } from "./xlsx.js";

/** Membership numbers as the members table accepts them. */
const MEMBERSHIP_NUMBER = /^[A-Za-z0-9][A-Za-z0-9/-]*$/;

/** Youngest and oldest plausible ages of a working member. */
const MIN_AGE = 15;
const MAX_AGE = 110;

export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  const iso = value.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
}

export function isBlank(cells: CellValue[]): boolean {
  return cells.every((c) => cellText(c).trim() === "");
}

/** Cells as text, once per row (CSV cells already are; Excel dates and numbers are converted here). */
function textsOf(cells: CellValue[]): string[] {
  for (const c of cells) if (typeof c !== "string") return cells.map(cellText);
  return cells as string[];
}

/** Header cells as keys of `raw`: trimmed, blanks named by position, repeats numbered ("Phone (2)"). */
export function uniqueHeaders(cells: CellValue[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const h = cellText(c).trim().replace(/\s+/g, " ") || `Column ${i + 1}`;
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} (${n})`;
  });
}

export interface RowContext {
  file: string;
  sheet: string | null;
  headers: string[];
  mapping: ColumnMapping;
  today: string;
}

/** Turns the records of one table (a CSV file, a sheet) into ImportRows. */
export class RowBuilder {
  readonly index = new Map<MemberImportField, number>();
  private readonly headerKeys: string[];
  private readonly headerCount: number;
  /** Every row's `raw` starts as a copy of this, so all share one object shape (adding keys one by one does not). */
  readonly rawTemplate: Record<string, string>;

  constructor(readonly ctx: RowContext) {
    for (const [field, header] of Object.entries(ctx.mapping) as [MemberImportField, string][]) {
      const i = ctx.headers.indexOf(header);
      if (i >= 0) this.index.set(field, i);
    }
    this.headerKeys = ctx.headers.map((h) => h.toLowerCase());
    this.rawTemplate = Object.fromEntries(ctx.headers.map((h) => [h, ""]));
    this.headerCount = ctx.headers.filter((h, i) => h !== `Column ${i + 1}`).length;
  }

  /** A page-break copy of the header row: most of its cells equal their column's header. */
  private isRepeatedHeader(texts: string[]): boolean {
    const needed = Math.max(2, Math.ceil(this.headerCount * 0.6));
    let same = 0;
    let misses = 0;
    for (let i = 0; i < texts.length; i++) {
      const key = this.headerKeys[i];
      if (!key) continue;
      const text = texts[i]!;
      // This runs on every row, so the cheap comparisons go first; only text with
      // extra spaces (which normalising removes) needs normalising to compare.
      const match =
        text.length === key.length
          ? text.toLowerCase() === key
          : text.length > key.length &&
            /^\s|\s$|\s\s/.test(text) &&
            text.trim().replace(/\s+/g, " ").toLowerCase() === key;
      if (match) same++;
      else if (++misses > this.headerCount - needed) return false;
    }
    return same >= needed;
  }

  /** The row, or null for rows that carry no member: blank lines, repeated headers. */
  build(cells: CellValue[], line: number, notes: { unclosedQuote?: boolean } = {}): ImportRow | null {
    const texts = textsOf(cells);
    if (texts.every((t) => t.trim() === "") || this.isRepeatedHeader(texts)) return null;
    return new RowState(this, cells, texts, line).build(notes);
  }
}

// One row's work. A class rather than closures inside build(): under tsx
// every closure created per row is wrapped to keep its name, and at two
// million rows that wrapping was the largest single cost measured.
class RowState {
  readonly fixes: Fix[] = [];
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  readonly raw: Record<string, string>;
  private readonly ctx: RowContext;

  constructor(
    private readonly builder: RowBuilder,
    private readonly cells: CellValue[],
    private readonly texts: string[],
    private readonly line: number,
  ) {
    this.ctx = builder.ctx;
    this.raw = { ...builder.rawTemplate };
  }

  label(field: MemberImportField): string {
    return this.ctx.mapping[field] ?? field;
  }

  report(list: Problem[], field: string, code: string, text: string): void {
    const { file, sheet } = this.ctx;
    const line = this.line;
    const message = clipQuoted(text);
    list.push(
      sheet === null ? { file, line, field, code, message } : { file, line, field, code, message, sheet },
    );
  }

  fix(field: MemberImportField, from: string, to: string, kind: string): void {
    this.fixes.push({ field, from, to, kind });
  }

  has(field: MemberImportField): boolean {
    return this.builder.index.has(field);
  }

  cell(field: MemberImportField): CellValue {
    const i = this.builder.index.get(field);
    return i === undefined ? null : (this.cells[i] ?? null);
  }

  text(field: MemberImportField): string {
    const i = this.builder.index.get(field);
    return i === undefined ? "" : (this.texts[i] ?? "").trim();
  }

  result(member: NormalisedMember | null): ImportRow {
    const { file, sheet } = this.ctx;
    const { raw, fixes, problems, warnings } = this;
    return {
      file,
      sheet,
      line: this.line,
      raw,
      member: problems.length ? null : member,
      fixes,
      problems,
      warnings,
    };
  }

  build(notes: { unclosedQuote?: boolean }): ImportRow {
    const { headers } = this.ctx;
    const cells = this.cells;
    let extraFields = false;
    for (let i = 0; i < cells.length; i++) {
      const text = this.texts[i]!;
      if (i < headers.length) this.raw[headers[i]!] = text;
      else if (text.trim()) {
        this.raw[`Column ${i + 1}`] = text;
        extraFields = true;
      }
    }
    if (notes.unclosedQuote) {
      this.report(
        this.warnings,
        "columns",
        "csv.unclosed_quote",
        'A quote (") opens a field but never closes; it was read as text.',
      );
    }
    // Only in delimited text does a cell past the header mean a stray delimiter shifted the row; in a
    // sheet it is just a cell typed beyond the table (a note), kept in `raw`.
    if (extraFields && this.ctx.sheet === null) {
      // Every column after the stray delimiter holds its neighbour's value: checking them would only
      // bury the one real problem under consequences of it.
      this.report(
        this.problems,
        "columns",
        "columns.count",
        `This row has ${cells.length} fields but the header has ${headers.length}: ` +
          "probably an unquoted comma, so the columns after it are shifted.",
      );
      return this.result(null);
    }
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (typeof c === "string" && c.includes("\uFFFD")) {
        this.report(
          this.warnings,
          headers[i]!,
          "encoding.invalid",
          "Some characters could not be read (the file mixes text encodings).",
        );
      }
    }

    const membershipNumber = this.membershipNumber();
    const names = this.names();
    const dates = this.dates();
    const address = this.address();
    const email = this.email();
    const mobile = this.mobile();
    const standing = this.standing(dates.leftOn);
    const member: NormalisedMember = {
      membershipNumber,
      forenames: names.forenames,
      surname: names.surname,
      title: names.title,
      dateOfBirth: dates.dateOfBirth,
      addressLine1: address.addressLine1,
      addressLine2: address.addressLine2,
      town: address.town,
      homePostcode: address.homePostcode,
      email: email.email,
      emailKind: email.kind,
      mobile,
      employerText: this.text("employer") || null,
      workplaceText: this.text("workplace") || null,
      jobTitle: this.clip("jobTitle", this.text("jobTitle"), 200),
      jobCategory: this.clip("jobCategory", this.text("jobCategory"), 200),
      branchText: this.text("branch") || null,
      regionText: this.text("region") || null,
      status: standing.status,
      checkOff: standing.checkOff,
      inArrears: this.flag("inArrears", standing.arrearsFromStatus),
      joinedOn: dates.joinedOn,
      leftOn: dates.leftOn,
      consentEmail: this.flag("consentEmail", false),
      consentSms: this.flag("consentSms", false),
    };
    return this.result(member);
  }

  /** The key everything else hangs on. */
  membershipNumber(): string {
    let value = this.text("membershipNumber");
    const field = this.label("membershipNumber");
    if (!value) {
      this.report(this.problems, field, "membership_number.missing", "No membership number.");
      return value;
    }
    const from = value;
    if (/^\d+\.0+$/.test(value)) {
      value = value.replace(/\.0+$/, "");
      this.fix("membershipNumber", from, value, "membership_number.decimal");
    }
    if (/\s/.test(value)) {
      const joined = value.replace(/\s+/g, "");
      this.fix("membershipNumber", from, joined, "membership_number.spaces");
      value = joined;
    }
    if (!MEMBERSHIP_NUMBER.test(value) || value.length > 32) {
      const why = /^\d(\.\d+)?E\+\d+$/i.test(value)
        ? " It looks like a number Excel turned into scientific notation; re-export it as text."
        : " Use letters, digits, '-' and '/' (at most 32).";
      this.report(
        this.problems,
        field,
        "membership_number.invalid",
        `"${value}" is not a membership number.${why}`,
      );
    }
    return value;
  }

  /** Separate name columns first; a one-column name fills what they lack. */
  names(): { forenames: string; surname: string; title: string | null } {
    let title: string | null = this.text("title") || null;
    let forenames = this.text("forenames");
    let surname = this.text("surname");
    let forenamesField = this.label("forenames");
    let surnameField = this.label("surname");
    const fullName = this.text("fullName");
    let incomplete = false;
    if ((!forenames || !surname) && fullName) {
      const split = splitFullNameWithTitle(fullName);
      if (split) {
        if (!forenames) {
          forenames = split.forenames;
          forenamesField = this.label("fullName");
          this.fix("forenames", fullName, forenames, "name.split");
        }
        if (!surname) {
          surname = split.surname;
          surnameField = this.label("fullName");
          this.fix("surname", fullName, surname, "name.split");
        }
        if (!title && split.title) title = split.title;
      } else {
        incomplete = true;
        this.report(
          this.problems,
          this.label("fullName"),
          "name.incomplete",
          `"${fullName}" is not a forename and a surname; both are needed.`,
        );
      }
    }
    if (forenames) {
      const words = forenames.split(/\s+/);
      const moved = words.length > 1 ? knownTitle(words[0]!) : null;
      if (moved) {
        const rest = words.slice(1).join(" ");
        this.fix("forenames", forenames, rest, "name.title_moved");
        forenames = rest;
        title ??= moved;
      }
      const n = normalisePersonName(forenames);
      if (n.fix) this.fix("forenames", forenames, n.value, n.fix);
      forenames = n.value;
    }
    if (surname) {
      const n = normalisePersonName(surname);
      if (n.fix) this.fix("surname", surname, n.value, n.fix);
      surname = n.value;
    }
    if (title) {
      const known = knownTitle(title);
      if (known && known !== title) this.fix("title", title, known, "title.case");
      title = known ?? title;
    }
    if (!incomplete) {
      // Name the column a person would fill in: the forename column if there is one, else the full-name column.
      const useFull = this.has("fullName");
      if (!forenames) {
        const where = this.has("forenames") || !useFull ? forenamesField : this.label("fullName");
        this.report(this.problems, where, "name.missing", "No forename.");
      }
      if (!surname) {
        const where = this.has("surname") || !useFull ? surnameField : this.label("fullName");
        this.report(this.problems, where, "name.missing", "No surname.");
      }
    }
    if (forenames.length > 100) {
      this.report(this.problems, forenamesField, "name.too_long", "Forenames over 100 characters.");
    }
    if (surname.length > 100)
      this.report(this.problems, surnameField, "name.too_long", "Surname over 100 characters.");
    return { forenames, surname, title };
  }

  date(field: MemberImportField, twoDigitYears: DateOptions["twoDigitYears"]): string | null {
    const value = this.cell(field);
    const from = this.text(field);
    if (!from) return null;
    const input =
      typeof value === "string" ? from : typeof value === "boolean" || value === null ? from : value;
    const parsed = parseMemberDate(input, { twoDigitYears, today: this.ctx.today });
    if (parsed.problem) {
      this.report(this.warnings, this.label(field), "date.invalid", parsed.problem);
      return null;
    }
    if (parsed.value && parsed.value !== from) this.fix(field, from, parsed.value, `date.${parsed.kind}`);
    return parsed.value;
  }

  eventDate(field: "joinedOn" | "leftOn"): string | null {
    const value = this.date(field, "event");
    if (value && (value > this.ctx.today || value < "1900-01-01")) {
      this.report(
        this.warnings,
        this.label(field),
        "date.implausible",
        `${value} is in the future or before 1900; left blank.`,
      );
      return null;
    }
    return value;
  }

  dates(): { dateOfBirth: string | null; joinedOn: string | null; leftOn: string | null } {
    const { today } = this.ctx;
    let dateOfBirth = this.date("dateOfBirth", "birth");
    if (dateOfBirth) {
      const age = yearsBetween(dateOfBirth, today);
      if (dateOfBirth > today || age < MIN_AGE || age > MAX_AGE) {
        this.report(
          this.warnings,
          this.label("dateOfBirth"),
          "date_of_birth.implausible",
          `Date of birth ${dateOfBirth} gives an age of ${age}; left blank.`,
        );
        dateOfBirth = null;
      }
    }
    const joinedOn = this.eventDate("joinedOn");
    const leftOn = this.eventDate("leftOn");
    if (joinedOn && leftOn && leftOn < joinedOn) {
      this.report(
        this.warnings,
        this.label("leftOn"),
        "date.order",
        `Left on ${leftOn}, before joining on ${joinedOn}.`,
      );
    }
    return { dateOfBirth, joinedOn, leftOn };
  }

  /** Line breaks inside a cell (a multi-line address pasted into one field) become spaces. */
  oneLine(field: MemberImportField): string {
    const t = this.text(field);
    const v = /\s\s|[\t\r\n]/.test(t) ? t.replace(/\s+/g, " ") : t;
    if (v !== t) this.fix(field, t, v, "address.spaces");
    return v;
  }

  clip(field: MemberImportField, value: string, max: number): string | null {
    if (!value) return null;
    if (value.length <= max) return value;
    this.report(
      this.warnings,
      this.label(field),
      "text.too_long",
      `Longer than ${max} characters; cut short.`,
    );
    this.fix(field, value, value.slice(0, max), "text.truncated");
    return value.slice(0, max);
  }

  address(): {
    addressLine1: string | null;
    addressLine2: string | null;
    town: string | null;
    homePostcode: string | null;
  } {
    const lines: Record<"addressLine1" | "addressLine2" | "addressLine3" | "town" | "county", string> = {
      addressLine1: this.oneLine("addressLine1"),
      addressLine2: this.oneLine("addressLine2"),
      addressLine3: this.oneLine("addressLine3"),
      town: this.oneLine("town"),
      county: this.oneLine("county"),
    };
    let homePostcode: string | null = null;
    const postcodeText = this.text("homePostcode");
    if (postcodeText) {
      const pc = normalisePostcode(postcodeText);
      homePostcode = pc.value;
      for (const kind of pc.fixes) this.fix("homePostcode", postcodeText, pc.value!, kind);
      if (pc.problem) {
        this.report(
          this.warnings,
          this.label("homePostcode"),
          pc.outcodeOnly ? "postcode.outcode_only" : "postcode.invalid",
          `${pc.problem} Imported without a postcode.`,
        );
      }
    } else {
      // A postcode typed at the end of the town or an address line is moved to the postcode.
      for (const field of ["town", "county", "addressLine3", "addressLine2", "addressLine1"] as const) {
        const found = lines[field] ? postcodeAtEnd(lines[field]) : null;
        if (found) {
          this.fix("homePostcode", lines[field], found.postcode, "postcode.from_address");
          this.fix(field, lines[field], found.rest, "address.postcode_removed");
          lines[field] = found.rest;
          homePostcode = found.postcode;
          break;
        }
      }
    }
    let addressLine1 = lines.addressLine1;
    const rest: string[] = [];
    if (lines.addressLine2) rest.push(lines.addressLine2);
    if (lines.addressLine3) rest.push(lines.addressLine3);
    if (lines.county) rest.push(lines.county);
    if (!addressLine1 && rest.length) {
      addressLine1 = rest.shift()!;
      this.fix("addressLine1", "", addressLine1, "address.shifted");
    }
    const addressLine2 = rest.join(", ");
    if (rest.length > 1 || (rest.length === 1 && rest[0] !== lines.addressLine2)) {
      this.fix("addressLine2", rest.join(" | "), addressLine2, "address.joined");
    }
    return {
      addressLine1: this.clip("addressLine1", addressLine1, 200),
      addressLine2: this.clip("addressLine2", addressLine2, 200),
      town: this.clip("town", lines.town, 100),
      homePostcode,
    };
  }

  email(): { email: string | null; kind: "personal" | "work" | null } {
    const emailText = this.text("email");
    if (!emailText) return { email: null, kind: null };
    const field = this.label("email");
    const e = normaliseEmailDetailed(emailText);
    if (e.problem || !e.value) {
      this.report(this.warnings, field, "email.invalid", `${e.problem} Imported without an email.`);
      return { email: null, kind: null };
    }
    for (const kind of e.fixes) this.fix("email", emailText, e.value, kind);
    if (e.suggestion) {
      this.report(
        this.warnings,
        field,
        "email.domain_typo",
        `"${e.value}" may be a typo: did you mean ${e.suggestion}?`,
      );
    }
    if (e.kind === "work") {
      this.report(
        this.warnings,
        field,
        "email.work_address",
        `${e.value} is a work address: e-ballot access should go to a personal address.`,
      );
    }
    return { email: e.value, kind: e.kind };
  }

  /** The mobile column; a mobile in the phone column serves when that has none. */
  mobile(): string | null {
    const mobileText = this.text("mobile");
    const m = normaliseMobileDetailed(mobileText);
    if (m.value) {
      if (m.fix) this.fix("mobile", mobileText, m.value, m.fix);
      return m.value;
    }
    const phoneText = this.text("phone");
    if (phoneText) {
      const p = normaliseMobileDetailed(phoneText);
      if (p.value) {
        this.fix("mobile", phoneText, p.value, "phone.from_phone_column");
        return p.value;
      }
    }
    if (m.problem) {
      this.report(
        this.warnings,
        this.label("mobile"),
        m.code ?? "mobile.invalid",
        `${m.problem} Imported without a mobile.`,
      );
    }
    return null;
  }

  /** Status and payment method. */
  standing(leftOn: string | null): { status: MemberStatus; arrearsFromStatus: boolean; checkOff: boolean } {
    let status: MemberStatus = "active";
    let arrearsFromStatus = false;
    const statusText = this.text("status");
    const field = this.label("status");
    if (statusText) {
      const s = statusFromText(statusText);
      if (!s) {
        this.report(
          this.problems,
          field,
          "status.unknown",
          `Status "${statusText}" is not recognised. Allowed: ${STATUS_HELP}.`,
        );
      } else {
        status = s.status;
        arrearsFromStatus = s.arrears;
      }
    } else if (leftOn) {
      status = "left";
    } else if (this.has("status")) {
      this.report(this.warnings, field, "status.blank", "No status; imported as active.");
    }
    if (status === "active" && leftOn) {
      this.report(
        this.warnings,
        field,
        "status.conflict",
        `Status is active but the member left on ${leftOn}.`,
      );
    }
    const paymentText = this.text("paymentMethod");
    const pay = checkOffFromText(paymentText);
    if (!pay.known) {
      this.report(
        this.warnings,
        this.label("paymentMethod"),
        "payment_method.unknown",
        `Payment method "${paymentText}" is not recognised; read as not check-off.`,
      );
    }
    return { status, arrearsFromStatus, checkOff: pay.checkOff };
  }

  flag(field: MemberImportField, fallback: boolean): boolean {
    const t = this.text(field);
    if (!t) return fallback;
    const v = flagFromText(t);
    if (v === undefined) {
      this.report(
        this.warnings,
        this.label(field),
        "boolean.unknown",
        `"${t}" is not yes or no; read as no.`,
      );
      return false;
    }
    return v;
  }
}
