/**
 * The Fellegi-Sunter model: comparison levels per field, their m and u
 * probabilities, term-frequency adjustment, and a household correction.
 *
 * Each field of a pair falls into one level (exact, nickname, typo, ...).
 * m = P(level | same person), u = P(level | different people); the match
 * weight is log2(m/u) summed over fields, plus the prior log-odds, turned
 * into a probability (Splink's model, see
 * /work/shared/reference/record-linkage.md section 1.1).
 *
 * m and u are fixed, principled estimates rather than EM-trained: there are
 * no labels, the engine must give the same answer on a 20-row import as on a
 * 2M-row list, and a ballot decision must be explainable from a table a
 * person can read. m comes from how often each kind of error is seen in
 * membership data (FEBRL's corruption rates, marriage rates, moving house);
 * u from how often two different people agree by chance, which for exact
 * matches is the value's own frequency (term-frequency adjustment).
 *
 * Household correction. Plain Fellegi-Sunter assumes fields are
 * independent given "different people". They are not for relatives: twins
 * share surname, date of birth, postcode and often an email; a father and
 * son can share forename, surname, address and phone. Summing those
 * agreements would make twins "certain". So "different people" is a
 * mixture: random pairs (probability 1 - h) and members of one household
 * (h), each with its own per-level probabilities. The Bayes factor is
 *   P(levels | match) / ((1 - h) P(levels | random) + h P(levels | household)).
 * When contact details differ the household term vanishes and this is plain
 * Fellegi-Sunter; when they agree but a forename or date of birth
 * contradicts, the household explains the agreement and the weight drops.
 */

import { doubleMetaphone } from "double-metaphone";
import {
  DEFAULT_FORENAME_FREQ,
  DEFAULT_SURNAME_FREQ,
  DOB_FIRST_OF_JANUARY_FREQ,
  DOB_FREQ,
  EMAIL_FREQ,
  FORENAME_FREQ,
  MOBILE_FREQ,
  POSTCODE_FREQ,
  SURNAME_FREQ,
} from "./frequencies.js";
import { forenameBlockLetter, nameForms } from "./nicknames.js";
import { differOnlyInDigits, jaroWinkler, nameTokens, withinOneEdit } from "./text.js";
import type { PersonRecord } from "./types.js";

// ---------------------------------------------------------------------------
// Priors
// ---------------------------------------------------------------------------

/**
 * Expected duplicate pairs per record. Union lists run at 1-5% duplicated
 * records; 2% is deliberately below the middle, so the prior leans towards
 * "different people".
 */
export const DUPLICATE_PAIRS_PER_RECORD = 0.02;
/** Expected pairs of relatives sharing a home per record (couples, parent and child, siblings). */
export const HOUSEHOLD_PAIRS_PER_RECORD = 0.05;
/**
 * The prior is the chance two random records are the same person,
 * 2 * DUPLICATE_PAIRS_PER_RECORD / N, so it falls as the list grows (more
 * chance coincidences). Lists smaller than this are scored as if this size,
 * so a 20-row import never gets a generous prior, and comparePeople (which
 * sees two records) scores as a list of this size would.
 */
export const PRIOR_MIN_RECORDS = 100_000;

// ---------------------------------------------------------------------------
// Comparison levels: [label, m, u, h]; u = NaN means "term frequency of the value".
// ---------------------------------------------------------------------------

type LevelTable = readonly (readonly [string, number, number, number])[];

const F_MISSING = 0;
const F_EXACT = 1;
const F_NICKNAME = 2;
const F_TYPO = 3;
const F_SHORT = 4;
const F_PHONETIC = 5;
const F_MIDDLE = 6;
const F_INITIAL = 7;
const F_FUZZY = 8;
const F_DIFFERENT = 9;
/**
 * Forename, by the first forename: most records carry one; middle names
 * come and go. Household column: relatives' forenames are related more
 * often than strangers' (a family name reused as a middle name, siblings
 * sharing an initial, Chris and Christine married), so weak forename
 * agreement is only weak evidence against "twins".
 */
const FORENAME_LEVELS: LevelTable = [
  ["missing", 1, 1, 1],
  ["exact", 0.87, Number.NaN, 0.01], // household: a son named after his father
  ["nickname", 0.04, 0.002, 0.005], // Bob~Robert: the commonest non-typo variation
  ["typo", 0.04, 0.003, 0.01], // FEBRL-style keying errors
  ["short form", 0.01, 0.002, 0.01], // Kath~Katherine where the table has no entry
  ["phonetic", 0.01, 0.004, 0.02], // Mark~Marc, Geoffrey~Jeffrey
  // "Mary Anne" known as "Anne". By chance: a third of people have a middle
  // name and two first names collide about 1 in 80, so u is near m.
  ["middle name", 0.01, 0.008, 0.02],
  ["initial", 0.01, 0.001, 0.05], // "J" against "John": 1 in ~12 chance agreement
  ["fuzzy", 0.005, 0.03, 0.08],
  ["different", 0.005, 0.948, 0.795], // a wholly different forename is rare for one person
];

const S_MISSING = 0;
const S_EXACT = 1;
const S_PART = 2;
const S_TYPO = 3;
const S_PHONETIC = 4;
const S_FUZZY = 5;
const S_DIFFERENT = 6;
const SURNAME_LEVELS: LevelTable = [
  ["missing", 1, 1, 1],
  ["exact", 0.87, Number.NaN, 0.75], // most households share a surname
  ["part", 0.02, 0.0005, 0.05], // "Smith-Jones" against "Jones": marriage hyphenation
  ["typo", 0.04, 0.002, 0.005],
  ["phonetic", 0.01, 0.002, 0.005],
  ["fuzzy", 0.01, 0.02, 0.01],
  ["different", 0.05, 0.975, 0.18], // marriage and divorce: about 1 in 20 duplicate pairs
];

const D_MISSING = 0;
const D_EXACT = 1;
const D_SWAPPED = 2;
const D_TYPO = 3;
const D_DIFFERENT = 4;
const DOB_LEVELS: LevelTable = [
  ["missing", 1, 1, 1],
  ["exact", 0.92, Number.NaN, 0.005], // household: twins
  ["day/month swapped", 0.02, 1 / 20_000, 0.0001], // US-style entry: about as rare by chance as exact
  ["typo", 0.04, 0.0015, 0.002], // one digit or two adjacent: ~25 such neighbours of a date
  ["different", 0.02, 0.998, 0.99],
];

const P_MISSING = 0;
const P_EXACT = 1;
const P_TYPO = 2;
const P_SECTOR = 3;
const P_DIFFERENT = 4;
const POSTCODE_LEVELS: LevelTable = [
  ["missing", 1, 1, 1],
  ["exact", 0.62, Number.NaN, 0.9],
  ["typo", 0.02, 0.002, 0.01], // a neighbour postcode is usually a real one nearby
  ["sector", 0.04, 0.01, 0.02], // "LS9 7": moved round the corner
  ["different", 0.32, 0.988, 0.07], // branch transfers follow house moves
];

const E_MISSING = 0;
const E_EXACT = 1;
const E_TYPO = 2;
const E_LOCAL = 3;
const E_DIFFERENT = 4;
const EMAIL_LEVELS: LevelTable = [
  ["missing", 1, 1, 1],
  ["exact", 0.55, Number.NaN, 0.15], // people change address; couples share one
  ["typo", 0.02, 1e-5, 0.001], // "gmial.com"; digit changes (jsmith1/jsmith2) excluded
  ["same name, other provider", 0.05, 0.0005, 0.01],
  ["different", 0.38, 1, 0.84],
];

const M_MISSING = 0;
const M_EXACT = 1;
const M_TYPO = 2;
const M_DIFFERENT = 3;
const MOBILE_LEVELS: LevelTable = [
  ["missing", 1, 1, 1],
  ["exact", 0.6, Number.NaN, 0.1],
  ["typo", 0.02, 1e-5, 0.001], // one digit wrong or two swapped
  ["different", 0.38, 1, 0.9],
];

export const FIELD_LEVELS: readonly LevelTable[] = [
  FORENAME_LEVELS,
  SURNAME_LEVELS,
  DOB_LEVELS,
  POSTCODE_LEVELS,
  EMAIL_LEVELS,
  MOBILE_LEVELS,
];

/**
 * Per-level probabilities as flat arrays, [field * LEVELS + level]. The hot
 * loop multiplies probabilities rather than adding log weights: the
 * smallest product (about 1e-30) is far from underflow, and it saves a
 * log2 and a power per pair, which were a third of the scoring time.
 */
const LEVELS = 10;
const table = (column: 1 | 2 | 3): Float64Array => {
  const out = new Float64Array(FIELD_LEVELS.length * LEVELS);
  FIELD_LEVELS.forEach((t, f) => {
    t.forEach((l, k) => {
      out[f * LEVELS + k] = l[column];
    });
  });
  return out;
};
const M = table(1);
const U = table(2);
const H = table(3);

// ---------------------------------------------------------------------------
// Prepared records: one interleaved Int32 row per record (dictionary ids and
// the date of birth as a number), so scoring a pair touches two short rows
// instead of six columns and a dozen string objects.
// ---------------------------------------------------------------------------

export interface ForenameInfo {
  /** For evidence: normalised, capitalised first forename. */
  display: string;
  first: string;
  /** Dense id of `first`, for blocking keys. */
  firstId: number;
  tokens: readonly string[];
  initialOnly: boolean;
  dm: string;
  forms: readonly string[];
  blockLetter: number;
  /** Letters present, one bit each: a cheap bound before Jaro-Winkler. */
  mask: number;
  /** u of an exact match: the first forename's frequency. */
  u: number;
}

export interface SurnameInfo {
  display: string;
  joined: string;
  tokens: readonly string[];
  dm: string;
  dmId: number;
  mask: number;
  u: number;
}

/**
 * Row layout of `Prepared.rows`: 16 Int32s (64 bytes) per record. Postcodes
 * and mobiles are also held as packed symbols (hi, lo, length) so that "one
 * character wrong or two swapped" is integer arithmetic on the row rather
 * than a walk over two string objects elsewhere in memory; that walk, for
 * nearly every compared pair, was the largest single cost of scoring.
 */
export const STRIDE = 16;
export const COL_FORENAME = 0;
export const COL_SURNAME = 1;
export const COL_DOB = 2;
/** Date of birth as yyyymmdd, 0 when missing. */
export const COL_YMD = 3;
export const COL_POSTCODE = 4;
const COL_PC_HI = 5;
const COL_PC_LO = 6;
const COL_PC_LEN = 7;
export const COL_EMAIL = 8;
const COL_EM_LOCAL = 9;
const COL_EM_LEN = 10;
export const COL_MOBILE = 11;
const COL_MB_HI = 12;
const COL_MB_LO = 13;
const COL_MB_LEN = 14;
/** First-forename id, for the level cache. */
const COL_FIRST = 15;

/** Postcode symbols: 0-9 -> 1..10, A-Z -> 11..36 (no zero digit, so every string packs uniquely). */
const PC_RADIX = 37;
/** The last three characters (the inward code) go in lo, the outward code in hi. */
const PC_LO_COUNT = 3;
const MB_RADIX = 10;
const MB_LO_COUNT = 8;

function packPostcode(compact: string): [number, number] {
  let hi = 0;
  let lo = 0;
  const split = compact.length - PC_LO_COUNT;
  for (let k = 0; k < compact.length; k++) {
    const c = compact.charCodeAt(k);
    const sym = c <= 57 ? c - 47 : c - 54;
    if (k < split) hi = hi * PC_RADIX + sym;
    else lo = lo * PC_RADIX + sym;
  }
  return [hi, lo];
}

function packDigits(digits: string): [number, number] {
  const split = Math.max(0, digits.length - MB_LO_COUNT);
  return [split > 0 ? Number(digits.slice(0, split)) : 0, Number(digits.slice(split))];
}

/**
 * Whether two packed symbol strings of the same length differ by one
 * substitution or one swap of adjacent symbols. Symbols are read from the
 * end: `loCount` of them from lo, the rest from hi.
 */
function packedWithinOneEdit(
  aHi: number,
  aLo: number,
  bHi: number,
  bLo: number,
  length: number,
  radix: number,
  loCount: number,
): boolean {
  let x = aLo;
  let y = bLo;
  let diffs = 0;
  let prevX = -1;
  let prevY = -1;
  let swap = false;
  for (let k = 0; k < length; k++) {
    if (k === loCount) {
      x = aHi;
      y = bHi;
    }
    const sx = x % radix;
    const sy = y % radix;
    if (sx !== sy) {
      diffs++;
      if (diffs > 2) return false;
      if (diffs === 2) swap = prevX === sy && prevY === sx;
      prevX = sx;
      prevY = sy;
    } else if (diffs === 1) prevX = -2; // the two differences of a swap must be adjacent
    x = (x / radix) | 0;
    y = (y / radix) | 0;
  }
  return diffs <= 1 || swap;
}

/** Values seen this many times or more in the list use the list's own frequency. */
export const MIN_COUNT_FOR_LIST_FREQUENCY = 5;
/** First forenames whose pairwise levels are cached (2048^2 one-byte entries). */
const FIRST_CACHE = 2048;

const NEEDS_UPPER_TRIM = /[a-z\s]/;
const NEEDS_LOWER_TRIM = /[A-Z\s]/;

/** Dense ids for distinct values, with a count of records per id. */
class Interner {
  readonly ids = new Map<string, number>();
  readonly counts: number[] = [];
  id(value: string): number {
    const found = this.ids.get(value);
    if (found !== undefined) return found;
    const id = this.counts.length;
    this.ids.set(value, id);
    this.counts.push(0);
    return id;
  }
}

function capitalise(s: string): string {
  return s.replace(/(^|[\s-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function normalisePostcode(raw: string): string | null {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (compact.length < 5 || compact.length > 7) return compact.length ? compact : null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** "1985-03-12" (time part ignored) -> 19850312, or 0 when not a plausible date. */
function parseYmd(raw: string): number {
  if (raw.length < 10 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45) return 0;
  let v = 0;
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = raw.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return 0;
    v = v * 10 + c;
  }
  const m = ((v / 100) | 0) % 100;
  const d = v % 100;
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? v : 0;
}

const isoOf = (ymd: number): string =>
  `${(ymd / 10_000) | 0}-${String(((ymd / 100) | 0) % 100).padStart(2, "0")}-${String(ymd % 100).padStart(2, "0")}`;

/**
 * Counts over the whole list, for scoring a part of it (a window of blocks)
 * exactly as the whole list would be scored: the list's size (the prior and
 * the term frequencies) and every value held by at least
 * MIN_COUNT_FOR_LIST_FREQUENCY records (rarer values use the reference
 * frequency whatever their count, so they need not be listed). Keys are the
 * normalised values of `BlockingValues`.
 */
export interface ListCounts {
  size: number;
  first: ReadonlyMap<string, number>;
  surname: ReadonlyMap<string, number>;
  ymd: ReadonlyMap<number, number>;
  postcode: ReadonlyMap<string, number>;
  email: ReadonlyMap<string, number>;
  mobile: ReadonlyMap<string, number>;
}

/**
 * A record's normalised values that blocking and the term frequencies read:
 * the first forename and its nickname-proof letter (0-25), the surname
 * joined and its double metaphone, the date of birth as yyyymmdd, postcode,
 * email and mobile; null when missing or unusable. Two records share a
 * blocking key exactly when these values are equal.
 */
export interface BlockingValues {
  first: string | null;
  letter: number | null;
  surname: string | null;
  sound: string | null;
  ymd: number | null;
  postcode: string | null;
  email: string | null;
  mobile: string | null;
}

type ForenameForm = Omit<ForenameInfo, "firstId" | "u"> & { key: string };
type SurnameForm = Omit<SurnameInfo, "dmId" | "u">;

function forenameForm(raw: string): ForenameForm | null {
  const tokens = nameTokens(raw);
  if (tokens.length === 0) return null;
  const first = tokens[0]!;
  return {
    key: tokens.join(" "),
    display: capitalise(first),
    first,
    tokens,
    initialOnly: first.length === 1,
    dm: doubleMetaphone(first)[0],
    forms: nameForms(first),
    blockLetter: forenameBlockLetter(first).charCodeAt(0) - 97,
    mask: letterMask(first),
  };
}

function surnameForm(raw: string): SurnameForm | null {
  const tokens = nameTokens(raw);
  if (tokens.length === 0) return null;
  const joined = tokens.join("");
  return {
    display: capitalise(tokens.join("-")),
    joined,
    tokens,
    dm: doubleMetaphone(joined)[0],
    mask: letterMask(joined),
  };
}

/**
 * Normalised names by raw spelling, kept across the windows of one search so
 * that each spelling is tokenised and encoded once, not once per window.
 * Bounded: past `limit` spellings a map starts again.
 */
export class NameCache {
  private readonly forenames = new Map<string, ForenameForm | null>();
  private readonly surnames = new Map<string, SurnameForm | null>();
  constructor(private readonly limit = 200_000) {}
  forename(raw: string): ForenameForm | null {
    let f = this.forenames.get(raw);
    if (f === undefined) {
      if (this.forenames.size >= this.limit) this.forenames.clear();
      f = forenameForm(raw);
      this.forenames.set(raw, f);
    }
    return f;
  }
  surname(raw: string): SurnameForm | null {
    let s = this.surnames.get(raw);
    if (s === undefined) {
      if (this.surnames.size >= this.limit) this.surnames.clear();
      s = surnameForm(raw);
      this.surnames.set(raw, s);
    }
    return s;
  }
}

/**
 * Turns records into rows and dictionaries for fast comparison. `listSize`
 * sets the prior (at least PRIOR_MIN_RECORDS records) and the list's own
 * value counts feed the term frequencies.
 */
export class Prepared {
  readonly n: number;
  /** STRIDE Int32s per record; -1 for a missing id. */
  readonly rows: Int32Array;
  readonly membership: string[];
  readonly forenames: ForenameInfo[] = [];
  readonly surnames: SurnameInfo[] = [];
  /** Per date-of-birth id: yyyymmdd and u of an exact match. */
  readonly dobYmd: number[] = [];
  readonly dobU: Float64Array;
  readonly postcodes: string[] = [];
  readonly postcodeCompact: string[] = [];
  readonly postcodeU: Float64Array;
  readonly emails: string[] = [];
  readonly emailU: Float64Array;
  readonly mobiles: string[] = [];
  readonly mobileU: Float64Array;
  /** How many records hold each postcode, email and mobile: flags shared values in evidence. */
  readonly postcodeCount: Int32Array;
  readonly emailCount: Int32Array;
  readonly mobileCount: Int32Array;
  /** Prior probability that two records are the same person. */
  readonly prior: number;
  /** Share of non-matching pairs that are relatives in one household, and the rest. */
  private readonly household: number;
  private readonly random: number;

  /**
   * Forename level by pair of first forenames, filled as pairs are met: the
   * same few hundred common names meet each other millions of times. Ids
   * are given in order of first appearance, so the common names are among
   * the first FIRST_CACHE and the table stays small (4 MB at most).
   */
  private readonly firstLevels: Int8Array;
  private readonly firstCacheSize: number;

  /** Per-field levels of the last scored pair, for evidence. */
  readonly levels = new Int8Array(6);
  /** P(levels | match), P(levels | random pair), P(levels | household) of the last scored pair. */
  lastMatch = 0;
  lastRandom = 0;
  lastHousehold = 0;

  /**
   * `listSize` sets the prior. Without `list`, the term frequencies come
   * from these records' own counts; with it, from the whole list's counts,
   * so that a window of the list scores every pair as the whole list would.
   */
  constructor(
    records: readonly PersonRecord[],
    listSize: number,
    list: { counts?: ListCounts; names?: NameCache } = {},
  ) {
    const n = records.length;
    const names = list.names;
    this.n = n;
    const scale = Math.max(listSize, PRIOR_MIN_RECORDS);
    this.prior = (2 * DUPLICATE_PAIRS_PER_RECORD) / scale;
    this.household = (2 * HOUSEHOLD_PAIRS_PER_RECORD) / scale;
    this.random = 1 - this.household;
    const rows = new Int32Array(n * STRIDE).fill(-1);
    this.rows = rows;
    this.membership = new Array<string>(n);

    const forenameIds = new Interner();
    const firstIds = new Interner();
    const surnameIds = new Interner();
    const surnameDmIds = new Interner();
    const dobIds = new Map<number, number>();
    const dobCounts: number[] = [];
    const postcodeIds = new Interner();
    const postcodePacked: number[] = [];
    const emailIds = new Interner();
    const emailLocalIds = new Interner();
    const emailLocal: number[] = [];
    const mobileIds = new Interner();
    // Raw value -> dictionary id (-1 for unusable), so each distinct spelling
    // is normalised once: exports repeat "Sarah" thousands of times.
    const rawForename = new Map<string, number>();
    const rawSurname = new Map<string, number>();
    const rawPostcode = new Map<string, number>();

    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      const row = i * STRIDE;
      // Most values arrive clean; copying them anyway is a third of the garbage.
      const number = r.membershipNumber;
      this.membership[i] = NEEDS_UPPER_TRIM.test(number) ? number.trim().toUpperCase() : number;

      let f = rawForename.get(r.forenames);
      if (f === undefined) {
        f = -1;
        const form = names ? names.forename(r.forenames) : forenameForm(r.forenames);
        if (form) {
          const size = this.forenames.length;
          f = forenameIds.id(form.key);
          if (f === size) {
            this.forenames.push({
              display: form.display,
              first: form.first,
              firstId: firstIds.id(form.first),
              tokens: form.tokens,
              initialOnly: form.initialOnly,
              dm: form.dm,
              forms: form.forms,
              blockLetter: form.blockLetter,
              mask: form.mask,
              u: 0,
            });
          }
        }
        rawForename.set(r.forenames, f);
      }
      if (f >= 0) {
        const firstId = this.forenames[f]!.firstId;
        rows[row + COL_FORENAME] = f;
        rows[row + COL_FIRST] = firstId;
        firstIds.counts[firstId]!++;
      }

      let sId = rawSurname.get(r.surname);
      if (sId === undefined) {
        sId = -1;
        const form = names ? names.surname(r.surname) : surnameForm(r.surname);
        if (form) {
          const size = this.surnames.length;
          sId = surnameIds.id(form.joined);
          if (sId === size) {
            this.surnames.push({
              display: form.display,
              joined: form.joined,
              tokens: form.tokens,
              dm: form.dm,
              dmId: surnameDmIds.id(form.dm),
              mask: form.mask,
              u: 0,
            });
          }
        }
        rawSurname.set(r.surname, sId);
      }
      if (sId >= 0) {
        rows[row + COL_SURNAME] = sId;
        surnameIds.counts[sId]!++;
      }

      const ymd = r.dateOfBirth ? parseYmd(r.dateOfBirth) : 0;
      if (ymd > 0) {
        let d = dobIds.get(ymd);
        if (d === undefined) {
          d = this.dobYmd.length;
          dobIds.set(ymd, d);
          this.dobYmd.push(ymd);
          dobCounts.push(0);
        }
        dobCounts[d]!++;
        rows[row + COL_DOB] = d;
        rows[row + COL_YMD] = ymd;
      } else rows[row + COL_YMD] = 0;

      if (r.postcode) {
        let pc = rawPostcode.get(r.postcode);
        if (pc === undefined) {
          pc = -1;
          const postcode = normalisePostcode(r.postcode);
          if (postcode) {
            const size = this.postcodes.length;
            pc = postcodeIds.id(postcode);
            if (pc === size) {
              const compact = postcode.replace(" ", "");
              this.postcodes.push(postcode);
              this.postcodeCompact.push(compact);
              if (/^[A-Z0-9]{1,7}$/.test(compact))
                postcodePacked.push(...packPostcode(compact), compact.length);
              else postcodePacked.push(0, 0, 0);
            }
          }
          rawPostcode.set(r.postcode, pc);
        }
        if (pc >= 0) {
          rows[row + COL_POSTCODE] = pc;
          rows[row + COL_PC_HI] = postcodePacked[3 * pc]!;
          rows[row + COL_PC_LO] = postcodePacked[3 * pc + 1]!;
          rows[row + COL_PC_LEN] = postcodePacked[3 * pc + 2]!;
          postcodeIds.counts[pc]!++;
        }
      }

      // Emails and mobiles arrive normalised and are nearly unique: no raw cache.
      if (r.email) {
        const email = NEEDS_LOWER_TRIM.test(r.email) ? r.email.trim().toLowerCase() : r.email;
        if (email) {
          const size = this.emails.length;
          const e = emailIds.id(email);
          if (e === size) {
            this.emails.push(email);
            const at = email.lastIndexOf("@");
            emailLocal.push(at > 0 ? emailLocalIds.id(email.slice(0, at)) : -1);
          }
          rows[row + COL_EMAIL] = e;
          rows[row + COL_EM_LOCAL] = emailLocal[e]!;
          rows[row + COL_EM_LEN] = email.length;
          emailIds.counts[e]!++;
        }
      }

      if (r.mobile) {
        const mobile = /^\+?[0-9]+$/.test(r.mobile) ? r.mobile : r.mobile.replace(/[^0-9+]/g, "");
        if (mobile) {
          const size = this.mobiles.length;
          const m = mobileIds.id(mobile);
          if (m === size) this.mobiles.push(mobile);
          rows[row + COL_MOBILE] = m;
          const digits = mobile.charCodeAt(0) === 43 ? mobile.slice(1) : mobile;
          if (digits.length <= 15) {
            const [hi, lo] = packDigits(digits);
            rows[row + COL_MB_HI] = hi;
            rows[row + COL_MB_LO] = lo;
            rows[row + COL_MB_LEN] = digits.length;
          } else rows[row + COL_MB_LEN] = 0;
          mobileIds.counts[m]!++;
        }
      }
    }

    // Term frequencies: the reference share, or the list's own when the
    // value is clearly common here. "Clearly": at least five records and
    // twice what the reference predicts, so that ordinary chance (a date
    // held by 5 members where 3 were expected) does not count as common.
    // Scoring a window of a longer list: the whole list's counts replace the window's.
    const counts = list.counts;
    if (counts) {
      const global = (interner: Interner, map: ReadonlyMap<string, number>): void => {
        for (const [value, id] of interner.ids) interner.counts[id] = map.get(value) ?? 0;
      };
      global(firstIds, counts.first);
      global(surnameIds, counts.surname);
      global(postcodeIds, counts.postcode);
      global(emailIds, counts.email);
      global(mobileIds, counts.mobile);
      this.dobYmd.forEach((ymd, id) => {
        dobCounts[id] = counts.ymd.get(ymd) ?? 0;
      });
    }
    const total = counts ? counts.size : n;
    const u = (count: number, ref: number): number =>
      count >= MIN_COUNT_FOR_LIST_FREQUENCY && count >= 2 * ref * total ? Math.max(ref, count / total) : ref;
    for (const f of this.forenames) {
      f.u = u(firstIds.counts[f.firstId]!, FORENAME_FREQ.get(f.first) ?? DEFAULT_FORENAME_FREQ);
    }
    this.surnames.forEach((s, id) => {
      s.u = u(surnameIds.counts[id]!, SURNAME_FREQ.get(s.joined) ?? DEFAULT_SURNAME_FREQ);
    });
    this.dobU = Float64Array.from(this.dobYmd, (ymd, id) =>
      u(dobCounts[id]!, ymd % 10_000 === 101 ? DOB_FIRST_OF_JANUARY_FREQ : DOB_FREQ),
    );
    const us = (counts: number[], ref: number): Float64Array => Float64Array.from(counts, (c) => u(c, ref));
    this.postcodeU = us(postcodeIds.counts, POSTCODE_FREQ);
    this.emailU = us(emailIds.counts, EMAIL_FREQ);
    this.mobileU = us(mobileIds.counts, MOBILE_FREQ);
    this.firstLevels = new Int8Array(Math.min(firstIds.counts.length, FIRST_CACHE) ** 2);
    this.firstCacheSize = Math.min(firstIds.counts.length, FIRST_CACHE);
    this.postcodeCount = Int32Array.from(postcodeIds.counts);
    this.emailCount = Int32Array.from(emailIds.counts);
    this.mobileCount = Int32Array.from(mobileIds.counts);
  }

  /** Record i's normalised values for blocking and counting (see BlockingValues). */
  blockingValues(i: number): BlockingValues {
    const R = this.rows;
    const a = i * STRIDE;
    const f = R[a + COL_FORENAME]!;
    const s = R[a + COL_SURNAME]!;
    const ymd = R[a + COL_YMD]!;
    const pc = R[a + COL_POSTCODE]!;
    const e = R[a + COL_EMAIL]!;
    const m = R[a + COL_MOBILE]!;
    const forename = f >= 0 ? this.forenames[f]! : null;
    const surname = s >= 0 ? this.surnames[s]! : null;
    return {
      first: forename ? forename.first : null,
      letter: forename ? forename.blockLetter : null,
      surname: surname ? surname.joined : null,
      sound: surname ? surname.dm : null,
      ymd: ymd > 0 ? ymd : null,
      postcode: pc >= 0 ? this.postcodes[pc]! : null,
      email: e >= 0 ? this.emails[e]! : null,
      mobile: m >= 0 ? this.mobiles[m]! : null,
    };
  }

  /**
   * Posterior odds that records i and j are the same person:
   *   prior * P(levels | match) / ((1 - h) P(levels | random) + h P(levels | household)).
   * Leaves the levels and the three likelihoods for `weight()` and
   * `evidence()`. This is the hot loop: no allocation, no logarithms, string
   * metrics only when cheap checks have not decided.
   */
  score(i: number, j: number): number {
    const R = this.rows;
    const a = i * STRIDE;
    const b = j * STRIDE;
    const L = this.levels;
    let lm = 1;
    let lr = 1;
    let lh = 1;
    let lev: number;
    let u = 0;

    // Forename
    const fa = R[a + COL_FORENAME]!;
    const fb = R[b + COL_FORENAME]!;
    if (fa < 0 || fb < 0) lev = F_MISSING;
    else {
      const A = this.forenames[fa]!;
      u = A.u;
      const xa = R[a + COL_FIRST]!;
      const xb = R[b + COL_FIRST]!;
      const C = this.firstCacheSize;
      if (xa < C && xb < C) {
        lev = this.firstLevels[xa * C + xb]!;
        if (lev === 0) {
          lev = firstNameLevel(A, this.forenames[fb]!);
          this.firstLevels[xa * C + xb] = lev;
          this.firstLevels[xb * C + xa] = lev;
        }
      } else lev = firstNameLevel(A, this.forenames[fb]!);
      if ((lev === F_DIFFERENT || lev === F_FUZZY) && fa !== fb)
        lev = middleNameLevel(A, this.forenames[fb]!, lev);
    }
    L[0] = lev;
    lm *= M[lev]!;
    lr *= lev === F_EXACT ? u : U[lev]!;
    lh *= H[lev]!;

    // Surname
    const sa = R[a + COL_SURNAME]!;
    const sb = R[b + COL_SURNAME]!;
    if (sa < 0 || sb < 0) lev = S_MISSING;
    else if (sa === sb) {
      lev = S_EXACT;
      u = this.surnames[sa]!.u;
    } else lev = surnameLevel(this.surnames[sa]!, this.surnames[sb]!);
    L[1] = lev;
    lm *= M[LEVELS + lev]!;
    lr *= lev === S_EXACT ? u : U[LEVELS + lev]!;
    lh *= H[LEVELS + lev]!;

    // Date of birth
    const da = R[a + COL_DOB]!;
    const db = R[b + COL_DOB]!;
    if (da < 0 || db < 0) lev = D_MISSING;
    else if (da === db) {
      lev = D_EXACT;
      u = this.dobU[da]!;
    } else lev = dobLevel(R[a + COL_YMD]!, R[b + COL_YMD]!);
    L[2] = lev;
    lm *= M[2 * LEVELS + lev]!;
    lr *= lev === D_EXACT ? u : U[2 * LEVELS + lev]!;
    lh *= H[2 * LEVELS + lev]!;

    // Postcode
    const pa = R[a + COL_POSTCODE]!;
    const pb = R[b + COL_POSTCODE]!;
    if (pa < 0 || pb < 0) lev = P_MISSING;
    else if (pa === pb) {
      lev = P_EXACT;
      u = this.postcodeU[pa]!;
    } else {
      const len = R[a + COL_PC_LEN]!;
      const lenB = R[b + COL_PC_LEN]!;
      const hi = R[a + COL_PC_HI]!;
      const lo = R[a + COL_PC_LO]!;
      const hiB = R[b + COL_PC_HI]!;
      const loB = R[b + COL_PC_LO]!;
      if (len === lenB && len > 0) {
        if (packedWithinOneEdit(hi, lo, hiB, loB, len, PC_RADIX, PC_LO_COUNT)) lev = P_TYPO;
        // Same sector: same outward code and first inward character.
        else if (hi === hiB && ((lo / (PC_RADIX * PC_RADIX)) | 0) === ((loB / (PC_RADIX * PC_RADIX)) | 0)) {
          lev = P_SECTOR;
        } else lev = P_DIFFERENT;
      } else if (
        Math.abs(len - lenB) === 1 &&
        withinOneEdit(this.postcodeCompact[pa]!, this.postcodeCompact[pb]!)
      ) {
        lev = P_TYPO;
      } else lev = P_DIFFERENT;
    }
    L[3] = lev;
    lm *= M[3 * LEVELS + lev]!;
    lr *= lev === P_EXACT ? u : U[3 * LEVELS + lev]!;
    lh *= H[3 * LEVELS + lev]!;

    // Email
    const ea = R[a + COL_EMAIL]!;
    const eb = R[b + COL_EMAIL]!;
    if (ea < 0 || eb < 0) lev = E_MISSING;
    else if (ea === eb) {
      lev = E_EXACT;
      u = this.emailU[ea]!;
    } else {
      const la = R[a + COL_EM_LEN]!;
      const lb = R[b + COL_EM_LEN]!;
      if (la - lb <= 1 && lb - la <= 1 && emailTypo(this.emails[ea]!, this.emails[eb]!)) lev = E_TYPO;
      else if (R[a + COL_EM_LOCAL]! >= 0 && R[a + COL_EM_LOCAL] === R[b + COL_EM_LOCAL]) lev = E_LOCAL;
      else lev = E_DIFFERENT;
    }
    L[4] = lev;
    lm *= M[4 * LEVELS + lev]!;
    lr *= lev === E_EXACT ? u : U[4 * LEVELS + lev]!;
    lh *= H[4 * LEVELS + lev]!;

    // Mobile
    const ma = R[a + COL_MOBILE]!;
    const mb = R[b + COL_MOBILE]!;
    if (ma < 0 || mb < 0) lev = M_MISSING;
    else if (ma === mb) {
      lev = M_EXACT;
      u = this.mobileU[ma]!;
    } else {
      const len = R[a + COL_MB_LEN]!;
      lev =
        len > 0 &&
        len === R[b + COL_MB_LEN] &&
        packedWithinOneEdit(
          R[a + COL_MB_HI]!,
          R[a + COL_MB_LO]!,
          R[b + COL_MB_HI]!,
          R[b + COL_MB_LO]!,
          len,
          MB_RADIX,
          MB_LO_COUNT,
        )
          ? M_TYPO
          : M_DIFFERENT;
    }
    L[5] = lev;
    lm *= M[5 * LEVELS + lev]!;
    lr *= lev === M_EXACT ? u : U[5 * LEVELS + lev]!;
    lh *= H[5 * LEVELS + lev]!;

    this.lastMatch = lm;
    this.lastRandom = lr;
    this.lastHousehold = lh;
    return (this.prior * lm) / (this.random * lr + this.household * lh);
  }

  /** Match weight in bits (log2 Bayes factor) of the last scored pair. */
  weight(): number {
    return Math.log2(this.lastMatch / (this.random * this.lastRandom + this.household * this.lastHousehold));
  }

  /** Human-readable reasons for the last scored pair (call right after `score(i, j)`). */
  evidence(i: number, j: number): string[] {
    const R = this.rows;
    const a = i * STRIDE;
    const b = j * STRIDE;
    const L = this.levels;
    const out: string[] = [];
    const pair = (x: string, y: string): string => `${x}~${y}`;

    const fa = this.forenames[R[a + COL_FORENAME]!];
    const fb = this.forenames[R[b + COL_FORENAME]!];
    const fPair = fa && fb ? pair(fa.display, fb.display) : "";
    switch (L[0]) {
      case F_EXACT:
        out.push(`same forename ${fa!.display}`);
        break;
      case F_NICKNAME:
        out.push(`nickname ${fPair}`);
        break;
      case F_TYPO:
        out.push(`forename typo ${fPair}`);
        break;
      case F_SHORT:
        out.push(`short forename ${fPair}`);
        break;
      case F_PHONETIC:
        out.push(`forename sounds alike ${fPair}`);
        break;
      case F_MIDDLE:
        out.push(`known by a middle name ${fPair}`);
        break;
      case F_INITIAL:
        out.push(`forename initial only ${fPair}`);
        break;
      case F_FUZZY:
        out.push(`forename similar ${fPair}`);
        break;
      case F_DIFFERENT:
        out.push(`different forenames ${fa!.display}/${fb!.display}`);
        break;
      default:
        out.push("forename missing");
    }

    const sa = this.surnames[R[a + COL_SURNAME]!];
    const sb = this.surnames[R[b + COL_SURNAME]!];
    const sPair = sa && sb ? pair(sa.display, sb.display) : "";
    const contactAgrees: string[] = [];
    if (L[4] === E_EXACT) contactAgrees.push("email");
    if (L[5] === M_EXACT) contactAgrees.push("mobile");
    if (L[3] === P_EXACT) contactAgrees.push("postcode");
    switch (L[1]) {
      case S_EXACT:
        out.push(`same surname ${sa!.display}`);
        break;
      case S_PART:
        out.push(`surname part shared ${sPair}`);
        break;
      case S_TYPO:
        out.push(`surname typo ${sPair}`);
        break;
      case S_PHONETIC:
        out.push(`surname sounds alike ${sPair}`);
        break;
      case S_FUZZY:
        out.push(`surname similar ${sPair}`);
        break;
      case S_DIFFERENT: {
        // The pattern a reviewer needs named: a new surname, everything else the same person.
        const sameIdentity =
          L[2] === D_EXACT && (L[0] === F_EXACT || L[0] === F_NICKNAME) && contactAgrees.length > 0;
        out.push(
          sameIdentity
            ? `surname changed (marriage?) ${sPair} same dob+forename+${contactAgrees.join("+")}`
            : `different surnames ${sa!.display}/${sb!.display}`,
        );
        break;
      }
      default:
        out.push("surname missing");
    }

    const ya = isoOf(R[a + COL_YMD]!);
    const yb = isoOf(R[b + COL_YMD]!);
    switch (L[2]) {
      case D_EXACT:
        out.push(
          this.dobU[R[a + COL_DOB]!]! > DOB_FREQ * 3
            ? `same date of birth ${ya} (a common one)`
            : "same date of birth",
        );
        break;
      case D_SWAPPED:
        out.push(`date of birth day/month swapped ${pair(ya, yb)}`);
        break;
      case D_TYPO:
        out.push(`date of birth typo ${pair(ya, yb)}`);
        break;
      case D_DIFFERENT:
        out.push(`different dates of birth ${ya}/${yb}`);
        break;
      default:
        out.push("date of birth missing");
    }

    const contact = (field: number, label: string, counts: Int32Array, id: number): void => {
      switch (L[field]) {
        case 0:
          break;
        case 1:
          out.push(
            counts[id]! >= MIN_COUNT_FOR_LIST_FREQUENCY
              ? `same ${label} (shared by ${counts[id]} records)`
              : `same ${label}`,
          );
          break;
        default: {
          const name = FIELD_LEVELS[field]![L[field]!]![0];
          out.push(name === "different" ? `different ${label}` : `${label} ${name}`);
        }
      }
    };
    contact(3, "postcode", this.postcodeCount, R[a + COL_POSTCODE]!);
    contact(4, "email", this.emailCount, R[a + COL_EMAIL]!);
    contact(5, "mobile", this.mobileCount, R[a + COL_MOBILE]!);

    if (this.household * this.lastHousehold > 2 * this.random * this.lastRandom) {
      out.push("shared details also fit relatives in one household (twins? parent and child?)");
    }
    return out;
  }
}

// ---------------------------------------------------------------------------
// Level functions
// ---------------------------------------------------------------------------

/** Forename level from the first forenames alone (cacheable by first-name pair). */
function firstNameLevel(A: ForenameInfo, B: ForenameInfo): number {
  const a = A.first;
  const b = B.first;
  if (a === b) return A.initialOnly ? F_INITIAL : F_EXACT;
  if (A.initialOnly || B.initialOnly) return a.charCodeAt(0) === b.charCodeAt(0) ? F_INITIAL : F_DIFFERENT;
  if (A.forms.length > 1 || B.forms.length > 1) {
    for (const x of A.forms) for (const y of B.forms) if (x === y) return F_NICKNAME;
  }
  // Jaro-Winkler only when the shared letters leave it able to reach the fuzzy level.
  const jw = jaroWinklerBound(a, B.mask, b, A.mask) >= 0.8 ? jaroWinkler(a, b) : 0;
  if (jw >= 0.92 || (jw > 0 && Math.min(a.length, b.length) >= 5 && withinOneEdit(a, b))) return F_TYPO;
  if (a.length >= 3 && b.length >= 3 && (a.startsWith(b) || b.startsWith(a))) return F_SHORT;
  if (A.dm === B.dm && A.dm.length > 0) return F_PHONETIC;
  return jw >= 0.8 ? F_FUZZY : F_DIFFERENT;
}

/** "Mary Anne" against "Anne": one record uses a middle name as the known-as name. */
function middleNameLevel(A: ForenameInfo, B: ForenameInfo, otherwise: number): number {
  const a = A.first;
  const b = B.first;
  if (a.length > 1) for (let k = 1; k < B.tokens.length; k++) if (B.tokens[k] === a) return F_MIDDLE;
  if (b.length > 1) for (let k = 1; k < A.tokens.length; k++) if (A.tokens[k] === b) return F_MIDDLE;
  return otherwise;
}

/** An email one keystroke away, but not one whose digits differ (jsmith1 and jsmith2 are two people). */
function emailTypo(a: string, b: string): boolean {
  return withinOneEdit(a, b) && !differOnlyInDigits(a, b);
}

function surnameLevel(A: SurnameInfo, B: SurnameInfo): number {
  if (A.joined === B.joined) return S_EXACT;
  if (A.tokens.length > 1 || B.tokens.length > 1) {
    for (const x of A.tokens) if (x.length >= 3 && B.tokens.includes(x)) return S_PART;
  }
  const a = A.joined;
  const b = B.joined;
  const jw = jaroWinklerBound(a, B.mask, b, A.mask) >= 0.85 ? jaroWinkler(a, b) : 0;
  if (jw >= 0.92 || (jw > 0 && Math.min(a.length, b.length) >= 4 && withinOneEdit(a, b))) return S_TYPO;
  if (A.dm === B.dm && A.dm.length > 0) return S_PHONETIC;
  return jw >= 0.85 ? S_FUZZY : S_DIFFERENT;
}

function letterMask(s: string): number {
  let mask = 0;
  for (let k = 0; k < s.length; k++) mask |= 1 << ((s.charCodeAt(k) - 97) & 31);
  return mask;
}

/**
 * An upper bound on Jaro-Winkler from letters alone: a character can only
 * match if its letter occurs in the other string. Most compared names share
 * too few letters to reach any fuzzy level, and this costs one pass over
 * each name instead of the full matching window. One edit apart always
 * passes (all but one letter is shared), so no typo is missed.
 */
function jaroWinklerBound(a: string, maskB: number, b: string, maskA: number): number {
  let ca = 0;
  for (let k = 0; k < a.length; k++) if ((maskB >>> ((a.charCodeAt(k) - 97) & 31)) & 1) ca++;
  let cb = 0;
  for (let k = 0; k < b.length; k++) if ((maskA >>> ((b.charCodeAt(k) - 97) & 31)) & 1) cb++;
  const m = Math.min(ca, cb);
  if (m === 0) return 0;
  const jaro = (m / a.length + m / b.length + 1) / 3;
  return jaro + 0.4 * (1 - jaro);
}

/** Date-of-birth level of two different yyyymmdd numbers, in integer arithmetic. */
function dobLevel(a: number, b: number): number {
  const ya = (a / 10_000) | 0;
  const ma = ((a / 100) | 0) % 100;
  const da = a % 100;
  if (ya === ((b / 10_000) | 0) && da !== ma && da === ((b / 100) | 0) % 100 && ma === b % 100)
    return D_SWAPPED;
  // One digit wrong, or two adjacent digits swapped, in the eight digits.
  let x = a;
  let y = b;
  let diffs = 0;
  let prevX = -1;
  let prevY = -1;
  let swap = false;
  for (let k = 0; k < 8; k++) {
    const dx = x % 10;
    const dy = y % 10;
    if (dx !== dy) {
      diffs++;
      if (diffs > 2) return D_DIFFERENT;
      if (diffs === 2) swap = prevX === dy && prevY === dx;
      prevX = dx;
      prevY = dy;
    } else if (diffs === 1) {
      // The two differences of a swap must be adjacent.
      prevX = -2;
    }
    x = (x / 10) | 0;
    y = (y / 10) | 0;
  }
  return diffs === 1 || (diffs === 2 && swap) ? D_TYPO : D_DIFFERENT;
}
