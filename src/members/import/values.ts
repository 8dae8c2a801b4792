import type { MemberStatus } from "../members.model.js";

/**
 * Words for status, payment method and yes/no flags, as membership systems
 * write them. Unknown status words are blocking (an unknown status could be a
 * leaver counted into a ballot); unknown payment methods and flags are only
 * warnings, because their safe reading (not check-off, no consent) is known.
 */

const STATUS_WORDS: Record<string, MemberStatus> = {
  active: "active",
  current: "active",
  member: "active",
  paying: "active",
  live: "active",
  full: "active",
  "full member": "active",
  "in benefit": "active",
  lapsed: "lapsed",
  lapsing: "lapsed",
  arrears: "lapsed",
  "in arrears": "lapsed",
  suspended: "lapsed",
  left: "left",
  leaver: "left",
  resigned: "left",
  ceased: "left",
  retired: "left",
  expelled: "left",
  excluded: "left",
  cancelled: "left",
  terminated: "left",
  deceased: "deceased",
  died: "deceased",
  dead: "deceased",
};

export const STATUS_HELP =
  "Active, Current, Member or Paying (active); Lapsed, Arrears or Suspended (lapsed); " +
  "Left, Resigned, Ceased or Retired (left); Deceased or Died (deceased)";

function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z]+/g, " ")
    .trim();
}

/**
 * A file uses a handful of distinct words in these columns over millions of
 * rows, so readings are remembered per exact text (bounded, in case a column
 * holds free text).
 */
function remembered<T>(read: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined && !cache.has(text)) {
      value = read(text);
      if (cache.size >= 1000) cache.clear();
      cache.set(text, value);
    }
    return value as T;
  };
}

/** The status a word means; undefined when the word is unknown. "Left - moved away" reads its first word. */
export const statusFromText: (text: string) => { status: MemberStatus; arrears: boolean } | undefined =
  remembered((text) => {
    const w = words(text);
    const status = STATUS_WORDS[w] ?? STATUS_WORDS[w.split(" ")[0] ?? ""];
    return status ? { status, arrears: /arrears/.test(w) } : undefined;
  });

const CHECK_OFF = /check ?off|docas|payroll|pay roll|salary|wages|deduction|deducted|from pay/;
const NOT_CHECK_OFF =
  /direct debit|^dd$|^d d$|standing order|^so$|^s o$|cash|cheque|check$|card|bank|online|paypal|free|none|honorary|exempt|waived|invoice|bacs|transfer/;

/** true for check-off (DOCAS, payroll deduction); false for everything else; `known` false when the words are unfamiliar. */
export const checkOffFromText: (text: string) => { checkOff: boolean; known: boolean } = remembered(
  (text) => {
    const w = words(text);
    if (!w) return { checkOff: false, known: true };
    if (CHECK_OFF.test(w)) return { checkOff: true, known: true };
    return { checkOff: false, known: NOT_CHECK_OFF.test(w) };
  },
);

const YES = new Set([
  "y",
  "yes",
  "true",
  "t",
  "1",
  "x",
  "✓",
  "✔",
  "ok",
  "opted in",
  "opt in",
  "consent",
  "consented",
  "agreed",
  "given",
  "on",
]);
const NO = new Set([
  "n",
  "no",
  "false",
  "f",
  "0",
  "opted out",
  "opt out",
  "declined",
  "refused",
  "withdrawn",
  "none",
  "-",
  "off",
  "not given",
]);

/** Yes/no flags. Numbers count as yes when above zero (an arrears column may hold months or an amount owed). */
export function flagFromText(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return false;
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  const amount = t.replace(/^[£$€]/, "").replace(/,/g, "");
  if (/^-?\d+(?:\.\d+)?$/.test(amount)) return Number(amount) > 0;
  const w = words(t);
  if (YES.has(w)) return true;
  if (NO.has(w)) return false;
  return undefined;
}
