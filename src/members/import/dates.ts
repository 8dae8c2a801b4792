/**
 * Dates as membership systems export them, to ISO YYYY-MM-DD. UK files are
 * day-first; a "month" over 12 is reported rather than silently read as US
 * month-first, because one file can hold both 03/04 and 25/04 and only the
 * second proves the order.
 */

export interface DateOptions {
  /**
   * How to read two-digit years. "birth": the latest year that leaves the
   * person at least 15 (so "85" is 1985 and "05" is 2005 until 2020, then
   * 1905). "event" (joined, left): the latest year not after this year.
   */
  twoDigitYears?: "birth" | "event";
  /** Today, YYYY-MM-DD; defaults to the clock. Fixed in tests so results do not drift. */
  today?: string;
}

export interface DateResult {
  value: string | null;
  /** How the text was read: "iso", "dmy", "ymd", "compact_ymd", "text_month", "two_digit_year", "excel_serial", "date_object". */
  kind: string | null;
  problem: string | null;
}

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function ok(value: string, kind: string): DateResult {
  return { value, kind, problem: null };
}

function fail(problem: string): DateResult {
  return { value: null, kind: null, problem };
}

function build(year: number, month: number, day: number, kind: string, text: string): DateResult {
  if (month < 1 || month > 12) {
    const hint =
      month > 12 && day >= 1 && day <= 12
        ? " Dates here are read day first (DD/MM/YYYY); is it month first?"
        : "";
    return fail(`"${text}" has no month ${month}.${hint}`);
  }
  if (year < 1800 || year > 2200) return fail(`"${text}" has an impossible year (${year}).`);
  if (day < 1 || day > daysInMonth(year, month)) return fail(`"${text}" is not a real date.`);
  return ok(`${pad(year, 4)}-${pad(month)}-${pad(day)}`, kind);
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function fullYear(twoDigits: number, options: DateOptions): number {
  const thisYear = Number((options.today ?? todayIso()).slice(0, 4));
  const latest = options.twoDigitYears === "birth" ? thisYear - 15 : thisYear;
  const year = 2000 + twoDigits;
  return year > latest ? year - 100 : year;
}

/**
 * Excel day numbers (1900 date system). Excel counts 29 February 1900, a day
 * that never was (a bug kept from Lotus 1-2-3), so from day 61 on the count is
 * one ahead of the calendar: 1 = 1900-01-01, 59 = 1900-02-28, 61 = 1900-03-01.
 */
export function excelSerialToIso(serial: number): string | null {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < 1 || day > 2_958_465 || day === 60) return null;
  // Days since 1970-01-01: Excel's day 25569.
  return isoFromEpochDays(day < 60 ? day - 25568 : day - 25569);
}

/**
 * ISO date of a day count from 1970-01-01 (Hinnant's civil-from-days), by
 * arithmetic: building a Date per cell showed in profiles of big imports.
 */
function isoFromEpochDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function fromSerial(serial: number, text: string): DateResult {
  const iso = excelSerialToIso(serial);
  return iso
    ? ok(iso, "excel_serial")
    : fail(`"${text}" is not a date (as an Excel day number it is out of range).`);
}

function fromDate(d: Date): DateResult {
  if (Number.isNaN(d.getTime())) return fail("Not a date.");
  // exceljs turns date cells into UTC midnight of the Excel day. A Date built
  // by hand is usually local midnight instead; reading that one in UTC would
  // shift it a day in any time zone east of Greenwich.
  const utcMidnight = d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0;
  const localMidnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
  if (!utcMidnight && localMidnight) {
    return build(d.getFullYear(), d.getMonth() + 1, d.getDate(), "date_object", d.toString());
  }
  return build(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), "date_object", d.toISOString());
}

// Patterns, tried in order. A time after the date ("14/03/1985 00:00") is dropped first.
const TIME_SUFFIX = /[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/i;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const YMD = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;
const DMY = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$/;
const D_MONTH_Y = /^(\d{1,2})(?:st|nd|rd|th)?[\s/.-]*([a-z]{3,9})\.?[\s/.,-]*(\d{4}|\d{2})$/i;
const MONTH_D_Y = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;

/** "Mar", "March", "Sept": a month's name or an abbreviation of at least three letters ("Marchh" is not March). */
function monthNumber(name: string): number | null {
  const key = name.toLowerCase();
  if (key === "sept") return 9;
  const index = MONTH_NAMES.findIndex((full) => full.startsWith(key));
  return index >= 0 ? index + 1 : null;
}

function yearOf(digits: string, options: DateOptions): { year: number; twoDigit: boolean } {
  return digits.length === 2
    ? { year: fullYear(Number(digits), options), twoDigit: true }
    : { year: Number(digits), twoDigit: false };
}

export function parseMemberDate(input: string | number | Date, options: DateOptions = {}): DateResult {
  if (input instanceof Date) return fromDate(input);
  if (typeof input === "number") return fromSerial(input, String(input));
  const text = input.trim();
  if (!text) return { value: null, kind: null, problem: null };
  const s = text.includes(":") ? text.replace(TIME_SUFFIX, "") : text;
  // The usual UK form first: most dates in a member file are DD/MM/YYYY.
  let m = s.includes("/") ? DMY.exec(s) : null;
  if (m) {
    const { year, twoDigit } = yearOf(m[3]!, options);
    return build(year, Number(m[2]), Number(m[1]), twoDigit ? "two_digit_year" : "dmy", text);
  }
  m = ISO.exec(s);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), "iso", text);
  m = YMD.exec(s);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), "ymd", text);
  m = COMPACT.exec(s);
  if (m && Number(m[1]) >= 1800) return build(Number(m[1]), Number(m[2]), Number(m[3]), "compact_ymd", text);
  // A five-digit number in a date column is an Excel day number (10000 = 1927, 99999 = 2173) that lost its format.
  if (SERIAL.test(s)) return fromSerial(Number(s), text);
  m = DMY.exec(s);
  if (m) {
    const { year, twoDigit } = yearOf(m[3]!, options);
    return build(year, Number(m[2]), Number(m[1]), twoDigit ? "two_digit_year" : "dmy", text);
  }
  m = D_MONTH_Y.exec(s);
  if (m) {
    const month = monthNumber(m[2]!);
    if (month === null) return fail(`"${text}" is not a date: no month called "${m[2]}".`);
    const { year, twoDigit } = yearOf(m[3]!, options);
    return build(year, month, Number(m[1]), twoDigit ? "two_digit_year" : "text_month", text);
  }
  m = MONTH_D_Y.exec(s);
  if (m) {
    const month = monthNumber(m[1]!);
    if (month === null) return fail(`"${text}" is not a date: no month called "${m[1]}".`);
    return build(Number(m[3]), month, Number(m[2]), "text_month", text);
  }
  if (/^\d{4}$/.test(s)) return fail(`"${text}" is only a year; a full date is needed.`);
  return fail(`"${text}" is not a date (use DD/MM/YYYY).`);
}

/** Whole years from `from` to `to` (ISO dates). */
export function yearsBetween(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  // Not yet had this year's birthday: MM-DD compares correctly as text.
  return to.slice(5) < from.slice(5) ? years - 1 : years;
}
