import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Mobile numbers, to E.164, for SMS ballot reminders. Only mobiles are kept:
 * a landline in the mobile column cannot receive a text, so it is dropped
 * with a warning rather than stored where it would silently fail.
 *
 * UK mobiles (07 + 9 digits, except 070 personal numbers and 076 pagers) take
 * a fast path: libphonenumber parses about 54k numbers a second, which would
 * dominate a 2-million-row import, and it marks Ofcom's drama range
 * 07700 900000-900999 invalid although that range is mobile-shaped and is
 * what test data uses. So for UK numbers we accept any mobile-shaped
 * ("possible") number; libphonenumber handles everything else.
 */

export type MobileCode = "mobile.invalid" | "mobile.not_mobile";

export interface MobileResult {
  value: string | null;
  fix: string | null;
  problem: string | null;
  code: MobileCode | null;
}

/** 07 then 1-5 or 7-9 (mobiles), or 07624 (Isle of Man mobiles; the rest of 076 is pagers). */
const UK_MOBILE_NATIONAL = /^7(?:[1-57-9]\d{8}|624\d{6})$/;

function none(): MobileResult {
  return { value: null, fix: null, problem: null, code: null };
}

function bad(text: string, code: MobileCode, why: string): MobileResult {
  return { value: null, fix: null, problem: `"${text}" ${why}`, code };
}

/** The 10 digits after the UK trunk 0 or +44, or null when `compact` is not written as a UK number. */
function nationalDigits(compact: string): { digits: string; lostZero: boolean } | null {
  const written = /^(?:\+44|0044|44|0)(\d{10})$/.exec(compact);
  if (written) return { digits: written[1]!, lostZero: false };
  // Ten digits with no leading zero: a spreadsheet stored the number as a number and dropped the 0.
  if (/^[1-9]\d{9}$/.test(compact)) return { digits: compact, lostZero: true };
  return null;
}

function one(text: string): MobileResult {
  // "+44 (0)7700 900123": the (0) is the trunk prefix written for UK callers; it must go before parsing.
  const compact = text.replace(/^(\+|00)?(44)\s*\(0\)/, "+44").replace(/[\s\-().]/g, "");
  const national = nationalDigits(compact);
  if (national !== null) {
    const fix = national.lostZero ? "phone.leading_zero" : "phone.e164";
    if (UK_MOBILE_NATIONAL.test(national.digits)) {
      const value = `+44${national.digits}`;
      return { value, fix: value === text ? null : fix, problem: null, code: null };
    }
    if (/^[123]/.test(national.digits))
      return bad(text, "mobile.not_mobile", "is a landline, not a mobile number.");
    if (/^7/.test(national.digits)) {
      return bad(text, "mobile.not_mobile", "is a personal or pager number (070/076), not a mobile number.");
    }
    return bad(text, "mobile.not_mobile", "is not a mobile number.");
  }
  const parsed = parsePhoneNumberFromString(text, "GB");
  if (!parsed?.isPossible()) return bad(text, "mobile.invalid", "is not a phone number.");
  if (parsed.country === "GB" || parsed.countryCallingCode === "44") {
    return bad(text, "mobile.not_mobile", "is not a UK mobile number.");
  }
  if (!parsed.isValid()) return bad(text, "mobile.invalid", "is not a valid phone number.");
  const type = parsed.getType();
  if (type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") {
    return bad(text, "mobile.not_mobile", "is not a mobile number.");
  }
  const value = parsed.number;
  return { value, fix: value === text ? null : "phone.e164", problem: null, code: null };
}

export function normaliseMobileDetailed(text: string): MobileResult {
  const trimmed = text.trim();
  if (!trimmed) return none();
  // "07700 900123 / 0113 496 0000": several numbers in one cell; keep the first mobile among them.
  const several = /[/,;|]|\b(?:or|and)\b/i.test(trimmed);
  const parts = several ? trimmed.split(/\s*(?:[/,;|]|\bor\b|\band\b)\s*/i).filter((p) => /\d/.test(p)) : [];
  if (parts.length > 1) {
    const results = parts.map(one);
    const mobile = results.find((r) => r.value);
    if (mobile) return { ...mobile, fix: "phone.one_of_several" };
    return { ...results[0]!, problem: `"${trimmed}": none of these is a mobile number.` };
  }
  return one(trimmed);
}

export function normaliseMobile(text: string): {
  value: string | null;
  fix: string | null;
  problem: string | null;
} {
  const { value, fix, problem } = normaliseMobileDetailed(text);
  return { value, fix, problem };
}
