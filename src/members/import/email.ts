import isEmailModule from "validator/lib/isEmail.js";

// validator's lib files are CommonJS that also set `.default`; through Node's
// ESM interop that is the one spelling both TypeScript and Node agree on.
const isEmail = isEmailModule.default;

/**
 * Email addresses. validator's isEmail checks syntax only: it happily accepts
 * "gmial.com", so a domain typo check runs beside it. Typos are reported with
 * a suggestion, never silently corrected: "mial.com" could be a real domain,
 * and an e-ballot sent to a guessed address is a ballot someone else may get.
 *
 * Work addresses (NHS, councils, schools, universities, police, government)
 * are kept but flagged: ballot access sent to an employer's mail system can be
 * read, filtered or withdrawn by the employer in dispute.
 */

export type EmailKind = "personal" | "work";

export interface EmailResult {
  value: string | null;
  kind: EmailKind | null;
  suggestion: string | null;
  problem: string | null;
}

/** Mail providers UK members use most; a domain one typo away from one of these is probably that one. */
const COMMON_DOMAINS = [
  "gmail.com",
  "googlemail.com",
  "hotmail.com",
  "hotmail.co.uk",
  "outlook.com",
  "live.com",
  "live.co.uk",
  "msn.com",
  "yahoo.com",
  "yahoo.co.uk",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "aol.co.uk",
  "btinternet.com",
  "btopenworld.com",
  "sky.com",
  "talktalk.net",
  "virginmedia.com",
  "ntlworld.com",
  "blueyonder.co.uk",
  "tiscali.co.uk",
  "protonmail.com",
  "proton.me",
  "mail.com",
  "gmx.com",
  "gmx.co.uk",
  "nhs.net",
];
const COMMON = new Set(COMMON_DOMAINS);

/** Government and public-service suffixes: addresses under these belong to an employer. */
const WORK_SUFFIXES = [
  "nhs.net",
  "nhs.uk",
  "nhs.scot",
  "nhs.wales",
  "hscni.net",
  "gov.uk",
  "gov.scot",
  "gov.wales",
  "llyw.cymru",
  "sch.uk",
  "ac.uk",
  "police.uk",
  "mod.uk",
  "parliament.uk",
];
/** Words in a domain that mark an employer's mail system (e.g. leedsschool.org, kirkleescouncil.co.uk). */
const WORK_WORDS = /council|school|academy|college|university|police|hospital|nhs/;

function hasWorkSuffix(domain: string): boolean {
  for (const suffix of WORK_SUFFIXES) {
    if (domain === suffix || domain.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

function isWorkDomain(domain: string): boolean {
  return hasWorkSuffix(domain) || WORK_WORDS.test(domain);
}

/** Optimal string alignment distance: Levenshtein plus adjacent transposition ("gmial" is one edit from "gmail"). */
export function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/** Misspelt top-level domains; none is a real one (.cm and .om are, so they are not here). */
const TLD_TYPOS: Record<string, string> = {
  con: "com",
  cmo: "com",
  ocm: "com",
  comm: "com",
  couk: "co.uk",
  "co.uj": "co.uk",
  "co.ik": "co.uk",
  "co.um": "co.uk",
  "cp.uk": "co.uk",
  ner: "net",
  nte: "net",
};

// Domains repeat heavily (most members use a handful of providers), so what
// we conclude about a domain is remembered; bounded so a file of unique
// company domains cannot grow it without limit.
const domainCache = new Map<string, { kind: EmailKind; suggestion: string | null }>();

function domainFacts(domain: string): { kind: EmailKind; suggestion: string | null } {
  let facts = domainCache.get(domain);
  if (!facts) {
    facts = { kind: isWorkDomain(domain) ? "work" : "personal", suggestion: domainSuggestion(domain) };
    if (domainCache.size >= 10_000) domainCache.clear();
    domainCache.set(domain, facts);
  }
  return facts;
}

/** The common domain `domain` is probably a typo of, or null. */
export function domainSuggestion(domain: string): string | null {
  let best: string | null = null;
  if (!COMMON.has(domain) && !hasWorkSuffix(domain)) {
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const known of COMMON_DOMAINS) {
      if (Math.abs(known.length - domain.length) > 2) continue;
      const dist = osaDistance(domain, known);
      // Two edits only for long domains: "me.com" and "mac.com" are both real and two edits apart.
      const allowed = known.length >= 10 ? 2 : 1;
      if (dist <= allowed && dist < bestDistance) {
        best = known;
        bestDistance = dist;
      }
    }
    if (!best) {
      // Not near a provider we know, but a top-level domain that is a slip anywhere (".con").
      for (const [typo, tld] of Object.entries(TLD_TYPOS)) {
        if (domain.endsWith(`.${typo}`)) {
          best = `${domain.slice(0, -typo.length)}${tld}`;
          break;
        }
      }
    }
  }
  return best;
}

/**
 * The common shape (dot-atom local part of at most 64 characters, hostname
 * labels, a letter TLD) that isEmail accepts too; checked first because
 * isEmail costs several microseconds a call, which shows at millions of rows.
 * Anything else still goes to isEmail for the final word.
 */
const PLAIN_EMAIL =
  /^(?=[^@]{1,64}@)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function isPlainEmail(s: string): boolean {
  return PLAIN_EMAIL.test(s);
}

export interface EmailDetail extends EmailResult {
  fixes: string[];
}

export function normaliseEmailDetailed(text: string): EmailDetail {
  const fixes: string[] = [];
  let s = text.trim();
  if (!s) return { value: null, kind: null, suggestion: null, problem: null, fixes };
  const plain = s.toLowerCase();
  if (plain.length <= 254 && isPlainEmail(plain)) {
    // Most addresses need at most lower-casing: skip the clean-up steps below.
    return finish(plain, plain === s ? fixes : ["email.lowercase"]);
  }
  if (/^mailto:/i.test(s)) {
    s = s.slice(7).trim();
    fixes.push("email.mailto");
  }
  // "Jane Smith <jane@example.com>": keep the address.
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(s);
  if (angled) {
    s = angled[1]!;
    fixes.push("email.display_name");
  }
  const several = s.split(/[;,\s]+(?=[^;,\s]+@)/);
  if (several.length > 1 && several.every((p) => p.includes("@"))) {
    s = several[0]!.replace(/[;,\s]+$/, "");
    fixes.push("email.one_of_several");
  }
  // Spaces next to "@" or "." are slips ("jane @ gmail.com"); a space elsewhere is not ours to remove.
  const spaced = s.replace(/\s*([@.])\s*/g, "$1");
  if (spaced !== s) {
    s = spaced;
    fixes.push("email.spaces");
  }
  const at = s.lastIndexOf("@");
  if (at > 0) {
    // "nhs,net": a comma where a dot belongs is never valid in a domain.
    const domainPart = s.slice(at + 1);
    const dotted = domainPart.replace(/,/g, ".").replace(/[.,;]+$/, "");
    if (dotted !== domainPart) {
      s = s.slice(0, at + 1) + dotted;
      fixes.push("email.punctuation");
    }
  }
  const lower = s.toLowerCase();
  if (lower !== s) {
    s = lower;
    fixes.push("email.lowercase");
  }
  if (s.length > 254 || !(isPlainEmail(s) || isEmail(s))) {
    return {
      value: null,
      kind: null,
      suggestion: null,
      problem: `"${text.trim()}" is not an email address.`,
      fixes: [],
    };
  }
  return finish(s, fixes);
}

function finish(s: string, fixes: string[]): EmailDetail {
  const at = s.lastIndexOf("@");
  const domain = domainFacts(s.slice(at + 1));
  return {
    value: s,
    kind: domain.kind,
    suggestion: domain.suggestion ? `${s.slice(0, at + 1)}${domain.suggestion}` : null,
    problem: null,
    fixes,
  };
}

export function normaliseEmail(text: string): EmailResult {
  const { value, kind, suggestion, problem } = normaliseEmailDetailed(text);
  return { value, kind, suggestion, problem };
}
