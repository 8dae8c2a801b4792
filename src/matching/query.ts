/**
 * Query preparation and per-form scoring: turns a member's string into
 * weighted tokens (with typo and abbreviation alternatives looked up once),
 * finds candidate entries through rare tokens, acronyms and codes, and
 * scores a candidate by how much of the query it explains and how much of
 * its own name the query covers, both weighted by rarity.
 */
import type { EmployerInfo, Form, MatchIndex } from "./build.js";
import { coreKeyOfWords, formCoreKey, scoringWords } from "./build.js";
import { coreBounds, isGenericWord, normaliseWords, SOFT_WORDS, SUFFIX_WORDS_SET } from "./normalise.js";

export type TokenMatch = "exact" | "typo" | "abbreviation" | "acronym" | "context" | "place" | "none";

export interface QToken {
  word: string;
  key: string;
  /** Vocabulary id, -1 when the register never uses the word. */
  id: number;
  /** Rarity weight; for an unknown word the weight of an unknown word. */
  weight: number;
  /** Ward numbers, "dept", single letters: cheap to leave unmatched. */
  soft: boolean;
  /** Vocabulary ids one edit away or extending this word, with their credit. */
  near: Map<number, number> | null;
  /** Weight as an acronym, 0 when no entry has this acronym. */
  acronymWeight: number;
  /** Part of a trailing legal suffix ("NHS Foundation Trust"): says the member means an employer. */
  suffix: boolean;
  numeric: boolean;
}

export interface PreparedQuery {
  /** The member's date (ISO), null for as things stand now: which employer ran what then. */
  asOf?: string | null;
  raw: string;
  normalised: string;
  tokens: QToken[];
  coreKey: string;
  /** The same without ward and department words: "Ward 7, The Triangle" is the name "The Triangle". */
  coreKeyHard: string;
  /** The whole string as a register code ("RR8", "RR813"). */
  code: string;
  /** Vocabulary id of each token (-1 unknown), for scans faster than a map over a handful of words. */
  ids: Int32Array;
}

/** Credit for a word matched up to one typo: a typo'd rare word is still strong evidence, the more so the longer it is. */
function typoCredit(length: number): number {
  return length >= 7 ? 0.95 : length >= 5 ? 0.9 : 0.8;
}
/** Known words used by more entries than this are taken as spelt right. */
const TYPO_LOOKUP_MAX_DF = 3;
/** A known word one edit from another known word is often a different word ("leek"/"leeds"). */
const KNOWN_WORD_TYPO_CREDIT = 0.5;
/** "teach" for "teaching": members truncate; a prefix is weaker than a typo. */
const PREFIX_CREDIT = 0.75;
/** An acronym stands for the whole name but could stand for others the register lacks. */
export const ACRONYM_CREDIT = 0.95;
/** A query word found in the site's employer name ("St James's Hospital Leeds"). */
const CONTEXT_CREDIT = 0.9;
/** A trailing word that is a place in the candidate's postcode area ("..., Reading"). */
const PLACE_CREDIT = 0.8;
/**
 * Words of multi-word town names that are no place on their own: Great
 * Yarmouth, High Wycombe, Blandford Forum, Bexhill-on-Sea, Newcastle upon
 * Tyne, Weston-super-Mare, Thornton Heath.
 */
const TOWN_WORDS: ReadonlySet<string> = new Set([
  "north",
  "south",
  "east",
  "west",
  "by",
  "great",
  "little",
  "high",
  "long",
  "market",
  "upper",
  "lower",
  "kings",
  "bishops",
  "chipping",
  "sea",
  "forum",
  "tyne",
  "trent",
  "wear",
  "tees",
  "severn",
  "thames",
  "spa",
  "regis",
  "magna",
  "super",
  "mare",
  "heath",
  "upon",
  "under",
  "lyne",
  "wold",
  "wolds",
  "marsh",
  "bay",
  "vale",
  "green",
]);
/** A town is at most a few words ("Stoke on Trent"), after a name the rest of the string covers. */
const PLACE_MAX_WORDS = 3;
const PLACE_MIN_COVERAGE = 0.8;
/** Share of a soft word's weight that counts against a name lacking it. */
const SOFT_PENALTY = 0.15;

/** Query coverage matters more than name coverage: members drop words, they rarely add wrong ones. */
const QUERY_EXPONENT = 0.6;
/**
 * Weight of a legal-suffix word the member wrote, as a share of the weight
 * of a word unique to one employer. By rarity these words weigh nothing
 * (every trust has them), which is right when a member leaves them out;
 * but a member who writes "... NHS Foundation Trust" means a trust, not a
 * site of another trust that happens to carry the same place name.
 */
const SUFFIX_SHARE = 0.2;

let osaRows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/** Optimal string alignment distance (a transposition is one edit), stopping early once over `max`. */
function osaDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > osaRows[0]!.length)
    osaRows = [new Int32Array(lb * 2), new Int32Array(lb * 2), new Int32Array(lb * 2)];
  let [prev2, prev, cur] = osaRows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

function isSoft(word: string): boolean {
  return SOFT_WORDS.has(word) || word.length === 1 || /^\d+[a-z]?$/.test(word);
}

/** Vocabulary words one edit from `key` (symmetric delete lookup, verified). */
function nearByTypo(index: MatchIndex, key: string, out: Map<number, number>, credit: number): void {
  if (key.length < 4 || /^\d+$/.test(key)) return;
  const seen = new Set<number>();
  const consider = (ids: readonly number[] | undefined) => {
    if (!ids) return;
    for (const t of ids) {
      if (seen.has(t)) continue;
      seen.add(t);
      const other = index.keys[t]!;
      if (other === key || other.length < 4) continue;
      if (osaDistance(key, other, 1) <= 1) out.set(t, Math.max(out.get(t) ?? 0, credit));
    }
  };
  // The query lacks a letter: the register word minus one letter is the query.
  consider(index.deletes.get(key));
  for (let p = 0; p < key.length; p++) {
    const d = key.slice(0, p) + key.slice(p + 1);
    // The query has an extra letter.
    const t = index.vocab.get(d);
    if (t !== undefined) consider([t]);
    // A substituted or transposed letter: both minus one letter meet.
    consider(index.deletes.get(d));
  }
}

/** Vocabulary words that start with `key` ("teach" -> "teaching"), when there are few. */
function nearByPrefix(index: MatchIndex, key: string, out: Map<number, number>): void {
  if (key.length < 3 || /\d/.test(key)) return;
  const keys = index.sortedKeys;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  for (let i = lo; i < keys.length && keys[i]!.startsWith(key); i++) {
    if (++n > 40) return; // "st" or "ro": a prefix of everything is evidence of nothing
  }
  for (let i = lo; i < lo + n; i++) {
    const t = index.sortedKeyIds[i]!;
    if (keys[i] === key) continue;
    out.set(t, Math.max(out.get(t) ?? 0, PREFIX_CREDIT));
  }
}

export function prepareQuery(index: MatchIndex, text: string, words?: string[]): PreparedQuery {
  const ws = words ?? normaliseWords(text);
  const normalised = ws.join(" ");
  const sw = scoringWords(ws);
  // The trailing legal suffix, by key ("nhs", "foundation", "trust").
  const suffixKeys = new Set<string>();
  for (let i = coreBounds(ws)[1]; i < ws.length; i++)
    if (SUFFIX_WORDS_SET.has(ws[i]!)) suffixKeys.add(ws[i]!);
  const tokens: QToken[] = [];
  for (let i = 0; i < sw.keys.length; i++) {
    const word = sw.words[i]!;
    const key = sw.keys[i]!;
    const id = index.tokenId(key);
    const suffix = suffixKeys.has(word);
    const soft = !suffix && isSoft(word);
    let near: Map<number, number> | null = null;
    const acronymWeight = word.length >= 2 && !soft && !suffix ? (index.acronymIdf.get(word) ?? 0) : 0;
    // An acronym is not a misspelt word ("OUHFT" is not "SUHFT"), nor is a
    // word many names use: only rare or unknown words are looked up as typos.
    if (!soft && !suffix && acronymWeight === 0 && (id < 0 || index.dfEntries[id]! <= TYPO_LOOKUP_MAX_DF)) {
      near = new Map();
      nearByTypo(index, key, near, id >= 0 ? KNOWN_WORD_TYPO_CREDIT : typoCredit(key.length));
      if (id < 0) nearByPrefix(index, key, near);
      if (!near.size) near = null;
    }
    tokens.push({
      word,
      key,
      id,
      // A ward number or letter may be rare in the register, but it is no
      // evidence of which employer: it weighs at most a distinctive word.
      weight: suffix
        ? SUFFIX_SHARE * index.maxIdf
        : Math.min(
            soft ? index.distinctiveWeight : Number.POSITIVE_INFINITY,
            id >= 0 ? index.idf[id]! : index.oovWeight,
          ),
      soft,
      near,
      acronymWeight,
      suffix,
      numeric: /^\d/.test(word),
    });
  }
  return {
    raw: text,
    normalised,
    ids: Int32Array.from(tokens, (t) => t.id),
    tokens,
    coreKey: coreKeyOfWords(ws),
    coreKeyHard: coreKeyOfWords(ws.filter((w) => !isSoft(w))),
    code: text.trim().toUpperCase().replace(/\s+/g, ""),
  };
}

export interface FormScore {
  /** Query coverage x name coverage, 0..1. */
  s: number;
  qcov: number;
  fcov: number;
  /** Rarity weight of the query words the form explains. */
  matchedWeight: number;
  exact: boolean;
  /** Only an acronym matched. */
  acronymOnly: boolean;
  /** Query words (not soft) the form does not explain. */
  unmatched: number;
  /** ... of them, the common ones ("school" against "Ranikhet Children's Centre"). */
  unmatchedCommon: number;
  /** Every distinctive word on both sides is accounted for (typos and abbreviations allowed). */
  complete: boolean;
  /** Distinctive words of the form the query lacks ("University" in "St James's Hospital"). */
  missing: number;
  /** Weight of the rarest query word the form itself matches (not through its employer or a place). */
  peak: number;
  /** Share of the query's weight credited as a town near the site ("..., Reading"). */
  placeShare: number;
}

function isExact(q: PreparedQuery, formKey: string): boolean {
  return (
    (q.coreKey.length > 0 && q.coreKey === formKey) || (q.coreKeyHard.length > 0 && q.coreKeyHard === formKey)
  );
}

/** Scratch buffers: per-form token credits, per-query-token outcome (forms and queries have a few dozen words at most). */
let fCredit = new Float64Array(64);
let qCredit = new Float64Array(64);
let qWeight = new Float64Array(64);
const qHow: TokenMatch[] = [];
let qMatched = new Int32Array(64);

/**
 * Score one form against the query. `ctx` is the employer of a site entry:
 * query words that name the employer count for the site, but the site's
 * own words are what must be covered.
 */
export function scoreForm(
  index: MatchIndex,
  q: PreparedQuery,
  form: Form,
  ctx: EmployerInfo | null,
  explain: string[] | null,
): FormScore {
  const ft = form.tokens;
  const nq = q.tokens.length;
  if (ft.length > fCredit.length) fCredit = new Float64Array(ft.length * 2);
  if (nq > qCredit.length) {
    qCredit = new Float64Array(nq * 2);
    qWeight = new Float64Array(nq * 2);
    qMatched = new Int32Array(nq * 2);
  }
  fCredit.fill(0, 0, ft.length);
  let acronymUsed = false;
  let nonAcronymMatched = false;
  for (let i = 0; i < nq; i++) {
    const t = q.tokens[i]!;
    let credit = 0;
    let weight = t.weight;
    let how: TokenMatch = "none";
    let matchedIdx = -1;
    if (t.id >= 0) {
      for (let j = 0; j < ft.length; j++) {
        if (ft[j] === t.id) {
          matchedIdx = j;
          break;
        }
      }
      if (matchedIdx >= 0) {
        credit = 1;
        how = "exact";
      }
    }
    if (matchedIdx < 0 && t.near) {
      let best = 0;
      for (let j = 0; j < ft.length; j++) {
        if (fCredit[j]! > 0) continue;
        const c = t.near.get(ft[j]!);
        if (c !== undefined && c > best) {
          best = c;
          matchedIdx = j;
        }
      }
      if (matchedIdx >= 0) {
        credit = best;
        how = best === PREFIX_CREDIT ? "abbreviation" : "typo";
        // An unknown word borrows the weight of the word it stands for.
        if (t.id < 0) weight = index.idf[ft[matchedIdx]!]!;
      }
    }
    if (matchedIdx >= 0) {
      if (credit > fCredit[matchedIdx]!) fCredit[matchedIdx] = credit;
      nonAcronymMatched = true;
    } else if (t.acronymWeight > 0 && form.acronyms.includes(t.word)) {
      credit = 1;
      weight = t.acronymWeight;
      how = "acronym";
      acronymUsed = true;
      for (let j = 0; j < ft.length; j++) if (fCredit[j]! < ACRONYM_CREDIT) fCredit[j] = ACRONYM_CREDIT;
    } else if (ctx && !t.suffix && weight >= index.distinctiveWeight) {
      // Only a distinctive word names a site's employer: "Leeds" in "St
      // James's Hospital Leeds" does; "university" would make every site of
      // every university hospitals trust look like a match.
      if (t.id >= 0 && ctx.context.has(t.id)) {
        credit = CONTEXT_CREDIT;
        how = "context";
      } else if (t.acronymWeight > 0 && ctx.contextAcronyms.has(t.word)) {
        credit = CONTEXT_CREDIT;
        weight = t.acronymWeight;
        how = "context";
      }
    }
    qCredit[i] = credit;
    qWeight[i] = weight;
    qHow[i] = how;
    qMatched[i] = matchedIdx;
  }
  // Trailing words the name lacks that are places near the candidate: the
  // town members append ("Battle Library, Reading"). Only at the end of the
  // string, so a distinctive word of another site nearby ("Pinderfields")
  // in the middle of a name still counts against.
  const area = index.entryArea[form.entry];
  if (area && nonAcronymMatched) {
    // Only for a candidate the rest of the string already covers.
    let covered = 0;
    for (let j = 0; j < ft.length; j++) covered += fCredit[j]! * index.idf[ft[j]!]!;
    if (covered >= PLACE_MIN_COVERAGE * form.weight) {
      let run = 0;
      for (let i = nq - 1; i >= 0 && run < PLACE_MAX_WORDS; i--) {
        const t = q.tokens[i]!;
        if (qHow[i] !== "none") break;
        // A word of a town's name ("Great" Yarmouth, Bexhill-on-"Sea") counts with the town.
        if (
          (t.id >= 0 && t.weight >= index.distinctiveWeight && index.isPlaceIn(t.id, area)) ||
          TOWN_WORDS.has(t.word)
        ) {
          qCredit[i] = PLACE_CREDIT;
          qHow[i] = "place";
          run++;
        } else if (!t.soft) break;
      }
    }
  }
  let qNum = 0;
  let qDen = 0;
  let unmatched = 0;
  let unmatchedCommon = 0;
  let peak = 0;
  const placeWeight = 0;
  for (let i = 0; i < nq; i++) {
    const t = q.tokens[i]!;
    const how = qHow[i]!;
    const weight = qWeight[i]!;
    if ((how === "exact" || how === "typo" || how === "abbreviation" || how === "acronym") && weight > peak)
      peak = weight;
    // "Unit 3" against "Unit 4" is another place: a number is soft only against a name without one.
    const soft = t.soft && !(t.numeric && form.numeric);
    if (how === "none" && !soft && !t.suffix) {
      if (weight >= index.distinctiveWeight) unmatched++;
      else unmatchedCommon++;
    }
    qNum += qCredit[i]! * weight;
    qDen += how === "none" && soft ? SOFT_PENALTY * weight : weight;
    if (explain) {
      if (how === "typo" || how === "abbreviation") {
        explain.push(`${how}: ${t.word}~${form.words[qMatched[i]!]}`);
      } else if (how === "acronym") explain.push(`acronym ${t.word.toUpperCase()}`);
      else if (how === "context") explain.push(`"${t.word}" names the employer`);
      else if (how === "place") explain.push(`"${t.word}" is a place near the site`);
      else if (how === "none") explain.push(soft ? `ignored "${t.word}"` : `unmatched "${t.word}"`);
    }
  }
  let fNum = 0;
  let missing = 0;
  for (let j = 0; j < ft.length; j++) {
    const w = index.idf[ft[j]!]!;
    fNum += fCredit[j]! * w;
    // A word that only says what kind of place ("University", "Children's")
    // is not missing in a way that matters, however rare it is in a small register.
    if (fCredit[j] === 0 && w >= index.distinctiveWeight && !isGenericWord(form.words[j]!)) missing++;
  }
  const qcov = qDen > 0 ? qNum / qDen : 0;
  const fcov = form.weight > 0 ? fNum / form.weight : 0;
  const s = qcov > 0 && fcov > 0 ? qcov ** QUERY_EXPONENT * fcov ** (1 - QUERY_EXPONENT) : 0;
  if (explain) {
    const lacking: string[] = [];
    for (let j = 0; j < ft.length; j++) if (fCredit[j] === 0) lacking.push(form.words[j]!);
    if (lacking.length && s > 0) explain.push(`not in query: ${lacking.join(" ")}`);
  }
  return {
    s,
    qcov,
    fcov,
    matchedWeight: qNum,
    exact: isExact(q, formCoreKey(form)),
    complete: unmatched === 0 && missing === 0 && s > 0,
    missing,
    acronymOnly: acronymUsed && !nonAcronymMatched,
    unmatched,
    unmatchedCommon,
    peak,
    placeShare: qDen > 0 ? placeWeight / qDen : 0,
  };
}
