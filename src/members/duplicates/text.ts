/**
 * Name normalisation and the two string metrics the comparison levels use.
 *
 * Jaro-Winkler and the one-edit test are written here rather than taken
 * from @skyra/jaro-winkler / fastest-levenshtein because:
 * - @skyra/jaro-winkler 1.1.1 returns a prefix of 5 (not the maximum 4) when
 *   the first four characters agree, so "johnson"/"johnsen" scores 0.952
 *   instead of 0.943, which would move pairs across our level boundaries; it
 *   also copies both strings into arrays on every call;
 * - typing errors are mostly transpositions ("Smtih"), which Levenshtein
 *   counts as 2 edits; we count 1 (optimal string alignment), and only ever
 *   ask "within one edit?", which a linear pass answers.
 * Both run on char codes without allocating: they are called millions of
 * times per import.
 */

const TITLES = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord"]);

/**
 * Lower case, accents removed, apostrophes dropped (O'Brien -> obrien),
 * other punctuation and hyphens turned into spaces, titles removed. Returns
 * the tokens; empty when nothing usable is left.
 */
export function nameTokens(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const cleaned = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['\u2019`]/g, "")
    .replace(/[^a-z]+/g, " ")
    .trim();
  if (!cleaned) return [];
  return cleaned.split(" ").filter((t) => !TITLES.has(t));
}

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro-Winkler similarity (Winkler's prefix boost: up to 4 characters, p = 0.1, applied above 0.7). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length > 0 ? 1 : 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > flagsA.length || lb > flagsB.length) {
    const size = Math.max(la, lb) * 2;
    flagsA = new Uint8Array(size);
    flagsB = new Uint8Array(size);
  }
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const lo = i > window ? i - window : 0;
    const hi = Math.min(i + window + 1, lb);
    for (let j = lo; j < hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let half = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) half++;
    j++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - (half >> 1)) / m) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Whether the optimal-string-alignment distance is at most 1 (one insert,
 * delete, substitution or adjacent swap), in one linear pass. This is the
 * question asked of nearly every compared postcode, email and mobile, so it
 * must not run the full dynamic programme.
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let k = 0;
    while (k < la && a.charCodeAt(k) === b.charCodeAt(k)) k++;
    if (k >= la - 1) return true; // equal, or only the last character differs
    if (a.charCodeAt(k + 1) === b.charCodeAt(k + 1)) {
      // one substitution at k: the rest must agree
      for (let x = k + 2; x < la; x++) if (a.charCodeAt(x) !== b.charCodeAt(x)) return false;
      return true;
    }
    // adjacent swap at k, k+1
    if (a.charCodeAt(k) !== b.charCodeAt(k + 1) || a.charCodeAt(k + 1) !== b.charCodeAt(k)) return false;
    for (let x = k + 2; x < la; x++) if (a.charCodeAt(x) !== b.charCodeAt(x)) return false;
    return true;
  }
  if (la === lb + 1) return oneDeleted(a, b);
  if (lb === la + 1) return oneDeleted(b, a);
  return false;
}

/** Whether `short` is `long` with one character removed. */
function oneDeleted(long: string, short: string): boolean {
  let k = 0;
  const ls = short.length;
  while (k < ls && long.charCodeAt(k) === short.charCodeAt(k)) k++;
  for (let x = k; x < ls; x++) if (long.charCodeAt(x + 1) !== short.charCodeAt(x)) return false;
  return true;
}

/** Whether two strings differ only in their digits' positions or values: "jsmith1" vs "jsmith2". */
export function differOnlyInDigits(a: string, b: string): boolean {
  return a.replace(/[0-9]/g, "") === b.replace(/[0-9]/g, "");
}
