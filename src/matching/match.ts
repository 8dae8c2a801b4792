/**
 * matchOrganisation: one member's employer and/or workplace string against
 * the register. Candidates come from rare words, acronyms, typo neighbours
 * and codes; each is scored (query.ts), the employers are ranked, and the
 * best one's lead over the best *other employer* is what decides between
 * "auto" and "review": a string that fits two employers about equally must
 * go to a person, however well it fits each.
 */
import { coreKeyOfWords, formCoreKey, type MatchIndex } from "./build.js";
import {
  CALIBRATION_KNOTS,
  calibrate,
  featureVector,
  JOINT_COEFFICIENTS,
  logit,
  type MatchFeatures,
  SINGLE_COEFFICIENTS,
  sigmoid,
} from "./calibration.js";
import { isGenericWords, normaliseWords, postcodeParts } from "./normalise.js";
import { ACRONYM_CREDIT, type FormScore, type PreparedQuery, prepareQuery, scoreForm } from "./query.js";
import type { MatchCandidate, MatchQuery, MatchResult } from "./types.js";

/**
 * Calibrated probability at or above which a match is accepted without a
 * person. Chosen with the constants (calibration.ts): on the held-out
 * seeds, auto-accepts at 0.98 were 99.75-99.91% right and covered
 * 96.2-97.4% of the matchable strings; at 0.96 about one more error in a
 * thousand for a point more coverage, at 0.99 five points less coverage
 * for a few errors fewer. A statutory count needs precision well above the
 * 99.5% the tests demand: a wrong auto-accept costs more than a review.
 */
export const AUTO_ACCEPT_CONFIDENCE = 0.98;

/** Below this score nothing in the register resembles the string. */
const MIN_SCORE = 0.35;
/** Words in more entries than this do not generate candidates ("hospital", "centre"). */
const CANDIDATE_DF_CAP = 300;
/** Candidates fully scored per string, the rest dropped on a cheap estimate of the score. */
const MAX_SCORED = 12;
/** Share of the largest shared weight a candidate needs for its score to be estimated. */
const ESTIMATE_FLOOR = 0.5;
/** Employers whose best candidate is scored whatever the others' estimates. */
const RIVAL_EMPLOYERS = 4;
/** How much postcode evidence moves the ranking: enough to order near-ties, not to overturn names. */
const POSTCODE_RANK_WEIGHT = 0.04;
const CANDIDATES_RETURNED = 4;
/** Ranking bonus for an employer entry whose name the string is. */
const EMPLOYER_NAME_BONUS = 0.01;
/** An employer string that nothing in the register explains this much of names an employer the register lacks. */
const UNKNOWN_EMPLOYER_SCORE = 0.5;
/** An employer string with a legal suffix must be this much explained by some employer's own name. */
const KNOWN_EMPLOYER_NAME_SCORE = 0.8;
/** An employer already matched this well by a string is not searched again for it. */
const WITHIN_SEARCH_BELOW = 0.99;
/** A workplace string scoring this well inside the chosen employer names the site. */
const WORKPLACE_FOUND_SCORE = 0.7;

type Postcode = { district: string; area: string } | null;

interface Scored {
  entry: number;
  slot: number;
  form: number;
  fs: FormScore;
  pc: number;
  /** Ranking score: form score plus postcode tie-break. */
  r: number;
}

interface Scratch {
  /** Weight of the query words each entry shares (through postings), by entry. */
  acc: Float64Array;
  /** Entries found by their code: always scored. */
  forced: Uint8Array;
  touched: Int32Array;
  count: number;
  order: Int32Array;
  preScore: Float64Array;
  /** Best estimated score and its entry per employer slot, for the touched slots. */
  slotBest: Float64Array;
  slotBestEntry: Int32Array;
  slots: Int32Array;
  /** Employers a within-employer search is restricted to. */
  slotMask: Uint8Array;
}
const scratchByIndex = new WeakMap<MatchIndex, Scratch>();

function scratchFor(index: MatchIndex): Scratch {
  let s = scratchByIndex.get(index);
  if (!s) {
    const n = index.entries.length;
    s = {
      acc: new Float64Array(n),
      forced: new Uint8Array(n),
      touched: new Int32Array(n),
      count: 0,
      order: new Int32Array(n),
      preScore: new Float64Array(n),
      slotBest: new Float64Array(index.employers.length).fill(-1),
      slotBestEntry: new Int32Array(index.employers.length),
      slots: new Int32Array(index.employers.length),
      slotMask: new Uint8Array(index.employers.length),
    };
    scratchByIndex.set(index, s);
  }
  return s;
}

/** Marks an entry touched even when the word weighs almost nothing. */
const TINY = 1e-9;

function touch(s: Scratch, e: number, w: number): void {
  if (s.acc[e] === 0) s.touched[s.count++] = e;
  s.acc[e]! += w + TINY;
}

/** Whether a word's postings are candidates: not for words in thousands of names. */
function generates(index: MatchIndex, id: number, weight: number): boolean {
  // Nor for words too common among employers to be distinctive ("north", "university").
  return index.dfEntries[id]! <= CANDIDATE_DF_CAP && weight >= index.distinctiveWeight;
}

/**
 * Entries worth scoring: those sharing a rare word, a typo'd rare word, an
 * acronym or a code; then only the best MAX_SCORED of them by a cheap
 * estimate of the score from the shared weight alone.
 */
function generateCandidates(index: MatchIndex, q: PreparedQuery): number[] {
  const s = scratchFor(index);
  s.count = 0;
  for (const t of q.tokens) {
    if (t.suffix) continue;
    if (t.id >= 0 && generates(index, t.id, t.weight)) {
      for (const e of index.postings[t.id]!) touch(s, e, t.weight);
    }
    if (t.near && (t.id < 0 || index.dfEntries[t.id]! <= 2)) {
      for (const [id, credit] of t.near) {
        if (index.dfEntries[id]! > CANDIDATE_DF_CAP) continue;
        const w = credit * index.idf[id]!;
        for (const e of index.postings[id]!) touch(s, e, w);
      }
    }
    if (t.acronymWeight > 0) {
      const forms = index.acronyms.get(t.word);
      if (forms) {
        for (const f of forms) {
          const e = index.forms[f]!.entry;
          touch(s, e, t.acronymWeight);
        }
      }
    }
  }
  const codeHits = index.codes.get(q.code);
  if (codeHits) {
    for (const e of codeHits) {
      touch(s, e, 1);
      s.forced[e] = 1;
    }
  }
  // A name made of common words only ("Park House", "Church Road Clinic")
  // shares no rare word with anything: the entries holding both its two
  // rarest common words are the candidates (postings are sorted: a merge).
  let c1 = -1;
  let c2 = -1;
  for (const t of q.tokens) {
    if (t.id < 0 || t.soft || t.suffix || generates(index, t.id, t.weight)) continue;
    if (c1 < 0 || index.dfEntries[t.id]! < index.dfEntries[c1]!) {
      c2 = c1;
      c1 = t.id;
    } else if (c2 < 0 || index.dfEntries[t.id]! < index.dfEntries[c2]!) c2 = t.id;
  }
  if (c1 >= 0 && c2 >= 0 && s.count === 0) {
    const a = index.postings[c1]!;
    const b = index.postings[c2]!;
    const w = index.idf[c1]! + index.idf[c2]!;
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      if (a[i]! < b[j]!) i++;
      else if (a[i]! > b[j]!) j++;
      else {
        touch(s, a[i]!, w);
        i++;
        j++;
      }
    }
  }
  if (s.count === 0) {
    // Only common words ("Ambulance Station"): fall back to the rarest one.
    let rarest = -1;
    for (const t of q.tokens) {
      if (t.id >= 0 && !t.soft && (rarest < 0 || index.dfEntries[t.id]! < index.dfEntries[rarest]!))
        rarest = t.id;
    }
    if (rarest >= 0) for (const e of index.postings[rarest]!) touch(s, e, index.idf[rarest]!);
  }
  return selectCandidates(index, s, q);
}

/**
 * A string among the entries of given employers only (the ones the other
 * string named): every word counts there, however common, so "Maternity
 * Unit" is found among one trust's sites.
 */
function generateWithin(index: MatchIndex, q: PreparedQuery, slots: ReadonlySet<number>): number[] {
  const s = scratchFor(index);
  s.count = 0;
  const mask = s.slotMask;
  for (const slot of slots) mask[slot] = 1;
  const emp = index.entryEmployer;
  for (const t of q.tokens) {
    if (t.suffix) continue;
    // Every word counts here, however common: postings filtered to the employers.
    if (t.id >= 0) for (const e of index.postings[t.id]!) if (mask[emp[e]!]) touch(s, e, t.weight);
    if (t.near) {
      for (const [id, credit] of t.near) {
        const w = credit * index.idf[id]!;
        for (const e of index.postings[id]!) if (mask[emp[e]!]) touch(s, e, w);
      }
    }
    if (t.acronymWeight > 0) {
      for (const f of index.acronyms.get(t.word) ?? []) {
        const e = index.forms[f]!.entry;
        if (mask[emp[e]!]) touch(s, e, t.acronymWeight);
      }
    }
  }
  for (const slot of slots) mask[slot] = 0;
  return selectCandidates(index, s, q);
}

/** Scratch for estimate: which query words a form has matched. */
let estimateMatched = new Uint8Array(32);

/**
 * A cheap stand-in for scoreForm, to choose which candidates to score:
 * the words the form shares with the query (exactly, up to a typo, as a
 * legal suffix of an employer's name, or through a site's employer name),
 * as query coverage^1.5 x name coverage, which orders candidates like the
 * score's coverage^0.6 x coverage^0.4 without the powers.
 */
function estimate(
  index: MatchIndex,
  q: PreparedQuery,
  f: number,
  ctx: ReadonlySet<number> | null,
  qTotal: number,
): number {
  // Query side and name side apart: a legal suffix weighs in the query, not in the name.
  let qa = 0;
  let fa = 0;
  const nq = q.tokens.length;
  if (nq > estimateMatched.length) estimateMatched = new Uint8Array(nq * 2);
  const matched = estimateMatched;
  matched.fill(0, 0, nq);
  const from = index.formTokenStart[f]!;
  const to = index.formTokenStart[f + 1]!;
  const ft = index.formTokens;
  const idf = index.idf;
  let nMatched = 0;
  const ids = q.ids;
  for (let j = from; j < to; j++) {
    const id = ft[j]!;
    let i = 0;
    while (i < nq && ids[i] !== id) i++;
    if (i === nq) continue;
    const t = q.tokens[i]!;
    matched[i] = 1;
    nMatched++;
    if (t.suffix && ctx !== null) continue;
    qa += t.weight;
    fa += idf[id]!;
  }
  const weight = index.formWeight[f]!;
  if (nMatched < nq) {
    for (let i = 0; i < nq; i++) {
      if (matched[i]) continue;
      const t = q.tokens[i]!;
      if (t.suffix) continue;
      if (t.acronymWeight > 0 && index.forms[f]!.acronyms.includes(t.word)) {
        qa += t.acronymWeight;
        fa += ACRONYM_CREDIT * weight;
        continue;
      }
      let near = 0;
      let nearIdf = 0;
      if (t.near) {
        for (let j = from; j < to; j++) {
          const id = ft[j]!;
          const c = t.near.get(id);
          if (c !== undefined && c * idf[id]! > near) {
            near = c * idf[id]!;
            nearIdf = idf[id]!;
          }
        }
      }
      if (near > 0) {
        qa += near;
        fa += nearIdf;
      } else if (ctx !== null && t.id >= 0 && t.weight >= index.distinctiveWeight && ctx.has(t.id)) {
        qa += 0.9 * t.weight;
      }
    }
  }
  const qc = qTotal > 0 ? Math.min(1, qa / qTotal) : 0;
  const fc = weight > 0 ? Math.min(1, fa / weight) : 1;
  return qc * Math.sqrt(qc) * fc;
}

/**
 * The touched entries to score in full: all when few, else the best
 * MAX_SCORED by estimate plus the best of each of the leading employers.
 * Clears the scratch for the next query.
 */
function selectCandidates(index: MatchIndex, s: Scratch, q: PreparedQuery): number[] {
  const n = s.count;
  let out: number[];
  if (n <= MAX_SCORED) out = Array.from(s.touched.subarray(0, n));
  else {
    let qTotal = 0;
    for (const t of q.tokens) qTotal += t.soft ? 0.15 * t.weight : t.weight;
    const top = s.order;
    const topScore = s.preScore;
    let k = 0;
    let nSlots = 0;
    // Entries sharing much less weight than the best-sharing one cannot
    // come near the top: not worth estimating (most touched entries share
    // one word of several).
    let maxAcc = 0;
    for (let i = 0; i < n; i++) maxAcc = Math.max(maxAcc, s.acc[s.touched[i]!]!);
    const floor = ESTIMATE_FLOOR * maxAcc;
    for (let i = 0; i < n; i++) {
      const e = s.touched[i]!;
      if (s.acc[e]! < floor && !s.forced[e]) continue;
      const ctx = index.entryIsSite[e] ? index.employers[index.entryEmployer[e]!]!.context : null;
      let score = 0;
      const f0 = index.entryFormStart[e]!;
      const f1 = f0 + index.entryFormCount[e]!;
      for (let f = f0; f < f1; f++) {
        const est = estimate(index, q, f, ctx, qTotal);
        if (est > score) score = est;
      }
      if (s.forced[e]) score = 2;
      const slot = index.entryEmployer[e]!;
      if (s.slotBest[slot]! < 0) s.slots[nSlots++] = slot;
      if (score > s.slotBest[slot]!) {
        s.slotBest[slot] = score;
        s.slotBestEntry[slot] = e;
      }
      if (k === MAX_SCORED && score <= topScore[k - 1]!) continue;
      let j = k < MAX_SCORED ? k++ : k - 1;
      while (j > 0 && topScore[j - 1]! < score) {
        top[j] = top[j - 1]!;
        topScore[j] = topScore[j - 1]!;
        j--;
      }
      top[j] = e;
      topScore[j] = score;
    }
    out = Array.from(top.subarray(0, k));
    // The best entry of each of the leading employers too: one employer's
    // many similar sites (Moorfields has dozens) must not crowd out the
    // runner-up employer, whose score decides between auto and review.
    const bestSlots: number[] = [];
    for (let i = 0; i < nSlots; i++) {
      const slot = s.slots[i]!;
      const v = s.slotBest[slot]!;
      let j = bestSlots.length;
      if (j === RIVAL_EMPLOYERS && v <= s.slotBest[bestSlots[j - 1]!]!) continue;
      if (j === RIVAL_EMPLOYERS) j--;
      else bestSlots.push(slot);
      while (j > 0 && s.slotBest[bestSlots[j - 1]!]! < v) {
        bestSlots[j] = bestSlots[j - 1]!;
        j--;
      }
      bestSlots[j] = slot;
    }
    for (const slot of bestSlots) {
      const e = s.slotBestEntry[slot]!;
      if (!out.includes(e)) out.push(e);
    }
    for (let i = 0; i < nSlots; i++) s.slotBest[s.slots[i]!] = -1;
  }
  for (let i = 0; i < n; i++) {
    const e = s.touched[i]!;
    s.acc[e] = 0;
    s.forced[e] = 0;
  }
  return out;
}

function postcodeEvidence(index: MatchIndex, entry: number, slot: number, pc: Postcode): number {
  if (!pc) return 0;
  if (index.entryDistrict[entry] === pc.district) return 1;
  const emp = index.employers[slot]!;
  if (emp.districts.has(pc.district)) return 0.7;
  if (emp.areas.has(pc.area)) return 0.4;
  // Members live where they like: a far postcode is weak evidence against.
  return emp.areas.size ? -0.3 : 0;
}

const CODE_SCORE: FormScore = {
  s: 1,
  qcov: 1,
  fcov: 1,
  matchedWeight: 1,
  exact: true,
  acronymOnly: false,
  unmatched: 0,
  unmatchedCommon: 0,
  complete: true,
  missing: 0,
  peak: 1,
  placeShare: 0,
};

/** Score every candidate entry (by its best form) and sort, best first. */
function rank(
  index: MatchIndex,
  q: PreparedQuery,
  pc: Postcode,
  restrict: ReadonlySet<number> | null = null,
): Scored[] {
  const out: Scored[] = [];
  const code = index.codes.get(q.code);
  for (const e of restrict ? generateWithin(index, q, restrict) : generateCandidates(index, q)) {
    const own = index.entryEmployer[e]!;
    const opened = index.employers[own]!.openedOn;
    // An employer that did not exist yet on the member's date cannot employ them.
    if (q.asOf && opened && opened > q.asOf) continue;
    // A council abolished by then: its successor employs the member now.
    const slot = successorSlot(index, own, q.asOf ?? null);
    const ctx = index.entryIsSite[e] ? index.employers[own]! : null;
    let best: Scored | null = null;
    if (code?.includes(e)) {
      best = { entry: e, slot, form: -1, fs: { ...CODE_SCORE, matchedWeight: index.maxIdf }, pc: 0, r: 1 };
    } else {
      const f0 = index.entryFormStart[e]!;
      const f1 = f0 + index.entryFormCount[e]!;
      for (let f = f0; f < f1; f++) {
        const fs = scoreForm(index, q, index.forms[f]!, ctx, null);
        if (!best || fs.s > best.fs.s) best = { entry: e, slot, form: f, fs, pc: 0, r: fs.s };
      }
    }
    if (!best || best.fs.s <= 0) continue;
    best.pc = postcodeEvidence(index, e, slot, pc);
    best.r = best.fs.s + POSTCODE_RANK_WEIGHT * best.pc;
    // A string that is an employer's own name ranks that employer above
    // another employer's site of the same name (a service location there).
    if (best.fs.exact && !ctx) best.r += EMPLOYER_NAME_BONUS;
    // A site registered under another employer's name ranks below that employer.
    if (index.siteNamesEmployer[e]! >= 0) best.r -= EMPLOYER_NAME_BONUS;
    out.push(best);
  }
  out.sort((a, b) => b.r - a.r || tieBreak(index, a, b));
  return out;
}

/**
 * The employer slot that stands for `slot` on `asOf` (now when null): the
 * same while it is open; once it has closed, its one successor (followed
 * along a chain: Taunton Deane, then Somerset West and Taunton, then
 * Somerset). A closed employer with no successor or several stays itself:
 * the caller reports it closed, or sends a split to review.
 */
export function successorSlot(index: MatchIndex, slot: number, asOf: string | null): number {
  let s = slot;
  for (let hops = 0; hops < 8; hops++) {
    const info = index.employers[s]!;
    if (!closedBy(info.closedOn, asOf) || info.successors.length !== 1) return s;
    const next = index.employerSlot.get(info.successors[0]!);
    if (next === undefined || next === s) return s;
    s = next;
  }
  return s;
}

function closedBy(closedOn: string | null, asOf: string | null): boolean {
  return closedOn !== null && (asOf === null || closedOn <= asOf);
}

/** Equal scores: the employer itself before its sites, open before closed, register order. */
function tieBreak(index: MatchIndex, a: Scored, b: Scored): number {
  const ea = index.entries[a.entry]!;
  const eb = index.entries[b.entry]!;
  if ((ea.workplaceId === null) !== (eb.workplaceId === null)) return ea.workplaceId === null ? -1 : 1;
  if (!ea.closedOn !== !eb.closedOn) return ea.closedOn ? 1 : -1;
  return a.entry - b.entry;
}

function bestOtherEmployer(ranked: readonly Scored[], slot: number, index?: MatchIndex): Scored | null {
  // Another trust's site registered under this employer's own name is not a rival to it.
  for (const c of ranked) if (c.slot !== slot && index?.siteNamesEmployer[c.entry] !== slot) return c;
  return null;
}

function singleFeatures(index: MatchIndex, c: Scored, rival: Scored | null): MatchFeatures {
  return {
    s: c.fs.s,
    qcov: c.fs.qcov,
    fcov: c.fs.fcov,
    unmatched: c.fs.unmatched,
    unmatchedCommon: c.fs.unmatchedCommon,
    margin: c.fs.s - (rival?.fs.s ?? 0),
    exact: c.fs.exact,
    employerExact: (c.fs.exact || c.fs.complete) && index.entries[c.entry]!.workplaceId === null,
    complete: c.fs.complete,
    missing: c.fs.missing,
    peak: c.fs.peak / index.maxIdf,
    placeShare: c.fs.placeShare,
    acronymOnly: c.fs.acronymOnly,
    postcode: c.pc,
    postcodeMargin: c.pc - (rival?.pc ?? 0),
    information: c.fs.matchedWeight / index.maxIdf,
  };
}

/** Calibrated probability: the logistic model's output through the isotonic map. */
function confidenceOf(f: MatchFeatures, beta: readonly number[]): number {
  return calibrate(sigmoid(logit(featureVector(f), beta)), CALIBRATION_KNOTS);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function describe(index: MatchIndex, q: PreparedQuery, c: Scored, pc: Postcode): MatchCandidate {
  const entry = index.entries[c.entry]!;
  const evidence: string[] = [];
  const form = c.form >= 0 ? index.forms[c.form] : undefined;
  if (!form) evidence.push(`code ${q.code}`);
  else {
    if (entry.workplaceId !== null) evidence.push(`site ${entry.name} of ${entry.employerName}`);
    if (form.kind === "former_name") evidence.push(`former name ${form.text}`);
    else if (form.kind !== "name") evidence.push(`${form.kind.replace("_", " ")} ${form.text}`);
    if (c.fs.exact) evidence.push("same name");
    scoreForm(index, q, form, entry.workplaceId !== null ? index.employers[c.slot]! : null, evidence);
  }
  if (pc && c.pc > 0) {
    evidence.push(
      c.pc === 1
        ? `postcode district ${pc.district}`
        : c.pc > 0.5
          ? `postcode district ${pc.district} (employer)`
          : `postcode area ${pc.area}`,
    );
  } else if (pc && c.pc < 0) evidence.push(`postcode ${pc.district} away from employer`);
  const own = index.entryEmployer[c.entry]!;
  const successor = c.slot !== own ? index.employers[c.slot]! : null;
  if (successor) {
    evidence.push(
      `${index.employers[own]!.name} abolished ${index.employers[own]!.closedOn}, succeeded by ${successor.name}`,
    );
  } else if (entry.closedOn) evidence.push(`closed ${entry.closedOn}`);
  return {
    employerId: successor ? successor.employerId : entry.employerId,
    workplaceId: entry.workplaceId,
    name: entry.name,
    score: round(c.r),
    confidence: 0,
    evidence,
    closed: successor ? successor.closedOn !== null : entry.closedOn !== null,
  };
}

/**
 * The candidates are alternatives, so their chances cannot add up past one:
 * the best keeps its calibrated confidence and the others, each scored
 * against it, share at most what it leaves. Rounds for display.
 */
function shareRemainder(candidates: MatchCandidate[]): void {
  const [best, ...others] = candidates;
  if (!best) return;
  const rest = others.reduce((a, c) => a + c.confidence, 0);
  const room = Math.max(0, 1 - best.confidence);
  const scale = rest > room && rest > 0 ? room / rest : 1;
  best.confidence = round(best.confidence);
  for (const c of others) c.confidence = round(c.confidence * scale);
}

function unmatched(reason: string, candidates: MatchCandidate[] = []): MatchResult {
  return { status: "unmatched", confidence: 0, best: null, candidates, reason };
}

/**
 * The string, trimmed, unless it is empty or generic. An employer's own
 * name is never generic, even made of generic words ("Public Health Wales
 * NHS Trust").
 */
function usable(index: MatchIndex, text: string | null): { text: string; words: string[] } | null {
  if (text === null) return null;
  const t = text.trim();
  if (!t) return null;
  const words = normaliseWords(t);
  if (isGenericWords(words) && !index.employerCores.has(coreKeyOfWords(words))) return null;
  return { text: t, words };
}

interface Ranked {
  q: PreparedQuery;
  ranked: Scored[];
}

/** What matchOrganisation decided and the features it decided on (for calibration). */
export interface MatchDetail {
  result: MatchResult;
  features: MatchFeatures | null;
  mode: "single" | "joint" | "none";
  /** A rule, not the confidence, sent it to review (employer and workplace name different employers). */
  conflict?: boolean;
}

function singleResult(index: MatchIndex, field: string, o: Ranked, pc: Postcode): MatchDetail {
  const { q, ranked } = o;
  const top = ranked[0];
  if (!top || top.fs.s < MIN_SCORE) {
    const near = ranked.slice(0, 3).map((c) => describe(index, q, c, pc));
    return {
      result: unmatched(`no register entry resembles the ${field} "${q.raw}"`, near),
      features: null,
      mode: "none",
    };
  }
  const rival = bestOtherEmployer(ranked, top.slot, index);
  const f = singleFeatures(index, top, rival);
  let conf = confidenceOf(f, SINGLE_COEFFICIENTS);
  const sole = conf < AUTO_ACCEPT_CONFIDENCE && soleName(index, q, top, rival);
  if (sole) conf = AUTO_ACCEPT_CONFIDENCE;
  // The reviewer's list: the best few, always with the runner-up employer's best.
  const short = ranked.slice(0, CANDIDATES_RETURNED);
  if (rival && !short.includes(rival)) short.push(rival);
  const candidates = short.map((c) => {
    const d = describe(index, q, c, pc);
    // Any other candidate is measured against the best, so its lead is
    // negative or nil and its confidence low: the confidences are each
    // candidate's chance of being the right answer, not of naming the
    // right employer (another site of the best employer is a wrong answer).
    d.confidence = c === top ? conf : confidenceOf(singleFeatures(index, c, top), SINGLE_COEFFICIENTS);
    return d;
  });
  shareRemainder(candidates);
  const best = candidates[0]!;
  const status = conf >= AUTO_ACCEPT_CONFIDENCE ? "auto" : "review";
  let reason: string;
  if (status === "auto") {
    reason = `${field} "${q.raw}" matches ${best.name}`;
    if (sole) {
      reason += " (the only register entry of that name)";
      best.evidence.push("the only entry of that name");
    }
  } else if (rival && top.fs.s - rival.fs.s < 0.1) {
    reason = `${field} "${q.raw}" fits ${best.name} (${index.employers[top.slot]!.name}) and ${index.entries[rival.entry]!.name} (${index.employers[rival.slot]!.name}) about equally`;
  } else reason = `${field} "${q.raw}" is probably ${best.name}, but not certainly`;
  if (best.closed) reason += `; closed ${index.entries[top.entry]!.closedOn}`;
  return {
    result: { status, confidence: round(conf), best, candidates, reason },
    features: f,
    mode: "single",
  };
}

/** How far ahead of every other employer's entry a sole name must score. */
const SOLE_NAME_LEAD = 0.03;

/** Per core key, the employer slots with a name or site so written (built on first use). */
const coreOwnersByIndex = new WeakMap<MatchIndex, Map<string, number[]>>();

function coreOwners(index: MatchIndex, key: string): readonly number[] {
  let owners = coreOwnersByIndex.get(index);
  if (!owners) {
    owners = new Map();
    for (const form of index.forms) {
      const k = formCoreKey(form);
      const slot = index.entryEmployer[form.entry]!;
      const list = owners.get(k);
      if (!list) owners.set(k, [slot]);
      else if (!list.includes(slot)) list.push(slot);
    }
    coreOwnersByIndex.set(index, owners);
  }
  return owners.get(key) ?? [];
}

/**
 * The string is, word for word, a name that only one employer's entries
 * carry ("East Leeds Clinic", "Holbeach Hospital"), the name says something
 * (two words or more, one of them distinctive), and no other employer has
 * the same name: a site written out in full. The calibrated model is
 * cautious with these when another employer has a near name ("Holbeach
 * Health Clinic"); the register itself settles it.
 */
function soleName(index: MatchIndex, q: PreparedQuery, top: Scored, rival: Scored | null): boolean {
  if (top.form < 0 || !top.fs.exact || top.fs.acronymOnly) return false;
  // Another employer's entry nearly as good ("Cogges Surgery" in Witney
  // beside "Cogges Surgery Witney") leaves the register undecided.
  if (rival && (rival.fs.exact || rival.fs.s > top.fs.s - SOLE_NAME_LEAD)) return false;
  const key = formCoreKey(index.forms[top.form]!);
  if (key.split(" ").length < 2 || top.fs.peak < index.distinctiveWeight) return false;
  const owners = coreOwners(index, key);
  return owners.every((s) => successorSlot(index, s, q.asOf ?? null) === top.slot);
}

/**
 * The employer string names an employer the register does not hold: it
 * matches nothing well, or it has a legal suffix ("... NHS Foundation
 * Trust") and no employer's own name matches it well.
 */
function employerUnknown(index: MatchIndex, eo: Ranked): boolean {
  // How much of the string a name explains, not how well they fit: "Cumbria
  // NHS" is a vague name for Cumbria, Northumberland, Tyne and Wear NHS FT,
  // not the name of an employer the register lacks.
  let best = 0;
  let bestEmployer = 0;
  for (const c of eo.ranked) {
    best = Math.max(best, c.fs.qcov);
    if (!index.entryIsSite[c.entry]) bestEmployer = Math.max(bestEmployer, c.fs.qcov);
  }
  if (best < UNKNOWN_EMPLOYER_SCORE) return true;
  return eo.q.tokens.some((t) => t.suffix) && bestEmployer < KNOWN_EMPLOYER_NAME_SCORE;
}

/** Best entry per employer slot, in rank order. */
function perEmployer(ranked: readonly Scored[]): Map<number, Scored> {
  const m = new Map<number, Scored>();
  for (const c of ranked) if (!m.has(c.slot)) m.set(c.slot, c);
  return m;
}

/**
 * Employer and workplace both given: each employer gets the sum of its best
 * score for each string, so a workplace that belongs to the employer confirms
 * it and one that belongs to another employer pulls as hard the other way
 * (a near tie, hence review). The workplace is then looked for among the
 * chosen employer's own entries, which finds "Ward 7" or "Maternity" sites
 * that a search of the whole register would drown.
 */
function jointResult(index: MatchIndex, eo: Ranked, wo: Ranked, pc: Postcode): MatchDetail {
  const eBest = perEmployer(eo.ranked);
  const wGlobal = perEmployer(wo.ranked);
  // Searching inside an employer costs a scan of its sites: only where the
  // whole-register search has not already found the string there whole.
  const topSlots = new Set<number>();
  let considered = 0;
  for (const c of eo.ranked) {
    if (considered >= 2 || c.fs.s < MIN_SCORE) break;
    if (topSlots.has(c.slot)) continue;
    considered++;
    if ((wGlobal.get(c.slot)?.fs.s ?? 0) < WITHIN_SEARCH_BELOW) topSlots.add(c.slot);
  }
  const wWithin = topSlots.size ? perEmployer(rank(index, wo.q, pc, topSlots)) : new Map<number, Scored>();
  const wBest = (slot: number): Scored | undefined => {
    const a = wWithin.get(slot);
    const b = wGlobal.get(slot);
    return a && b ? (a.r >= b.r ? a : b) : (a ?? b);
  };
  const slots = new Set<number>([...eBest.keys(), ...wGlobal.keys(), ...wWithin.keys()]);
  // What the employer string says for each employer is how much of it the
  // employer's names explain, not how well it fits one of them: "London"
  // is as true of South London and Maudsley as of a site on London Road,
  // and should leave the choice between them to the workplace.
  const eExplained = new Map<number, number>();
  // The employer string is also looked for among the entries of the
  // employers the workplace names: a vague employer ("London") matches too
  // many entries for the right one to be among its best few.
  for (const c of eo.ranked) eExplained.set(c.slot, Math.max(eExplained.get(c.slot) ?? 0, c.fs.qcov));
  const wTopSlots = new Set<number>();
  const seenSlots = new Set<number>();
  for (const c of wo.ranked) {
    if (seenSlots.size >= 2 || c.fs.s < MIN_SCORE) break;
    if (seenSlots.has(c.slot)) continue;
    seenSlots.add(c.slot);
    if ((eExplained.get(c.slot) ?? 0) < WITHIN_SEARCH_BELOW) wTopSlots.add(c.slot);
  }
  const eWithin = wTopSlots.size ? rank(index, eo.q, pc, wTopSlots) : [];
  for (const c of eWithin) eExplained.set(c.slot, Math.max(eExplained.get(c.slot) ?? 0, c.fs.qcov));
  for (const c of eWithin) {
    const had = eBest.get(c.slot);
    if (!had || c.r > had.r) eBest.set(c.slot, c);
  }
  type Joint = { slot: number; s: number; pc: number; r: number };
  let first: Joint | null = null;
  let second: Joint | null = null;
  const joints = new Map<number, Joint>();
  for (const slot of slots) {
    const e = eBest.get(slot);
    const w = wBest(slot);
    const s = (eExplained.get(slot) ?? 0) + (w?.fs.s ?? 0);
    const p = Math.max(e?.pc ?? -1, w?.pc ?? -1);
    const j: Joint = { slot, s, pc: p, r: s + POSTCODE_RANK_WEIGHT * p };
    joints.set(slot, j);
    if (!first || j.r > first.r) {
      second = first;
      first = j;
    } else if (!second || j.r > second.r) second = j;
  }
  if (!first || first.s / 2 < MIN_SCORE) {
    return {
      result: unmatched(`no register entry resembles employer "${eo.q.raw}" with workplace "${wo.q.raw}"`),
      features: null,
      mode: "none",
    };
  }
  const slot = first.slot;
  const e = eBest.get(slot);
  const w = wBest(slot);
  // Report the workplace when it was found, else whatever the employer string matched.
  const workplaceFound =
    !!w && w.fs.s >= WORKPLACE_FOUND_SCORE && index.entries[w.entry]!.workplaceId !== null;
  const chosen = workplaceFound ? w! : (e ?? w)!;
  const f: MatchFeatures = {
    s: first.s / 2,
    qcov: ((e?.fs.qcov ?? 0) + (w?.fs.qcov ?? 0)) / 2,
    fcov: ((e?.fs.fcov ?? 0) + (w?.fs.fcov ?? 0)) / 2,
    unmatched: (e?.fs.unmatched ?? 0) + (w?.fs.unmatched ?? 0),
    unmatchedCommon: (e?.fs.unmatchedCommon ?? 0) + (w?.fs.unmatchedCommon ?? 0),
    margin: (first.s - (second?.s ?? 0)) / 2,
    exact: (e?.fs.exact ?? false) || (w?.fs.exact ?? false),
    employerExact: !!e && (e.fs.exact || e.fs.complete) && index.entries[e.entry]!.workplaceId === null,
    complete: (e?.fs.complete ?? false) && (w?.fs.complete ?? false),
    missing: (e?.fs.missing ?? 0) + (w?.fs.missing ?? 0),
    peak: Math.max(e?.fs.peak ?? 0, w?.fs.peak ?? 0) / index.maxIdf,
    placeShare: Math.max(e?.fs.placeShare ?? 0, w?.fs.placeShare ?? 0),
    acronymOnly: (e?.fs.acronymOnly ?? true) && (w?.fs.acronymOnly ?? true),
    postcode: Math.max(0, first.pc),
    postcodeMargin: Math.max(0, first.pc) - Math.max(0, second?.pc ?? 0),
    information: ((e?.fs.matchedWeight ?? 0) + (w?.fs.matchedWeight ?? 0)) / (2 * index.maxIdf),
  };
  const conf = confidenceOf(f, JOINT_COEFFICIENTS);
  const best = describe(index, workplaceFound ? wo.q : eo.q, chosen, pc);
  best.confidence = round(conf);
  if (workplaceFound && e) {
    const ee = index.entries[e.entry]!;
    best.evidence.unshift(`employer "${eo.q.raw}" -> ${ee.employerName}`);
  }
  // A string that clearly names another employer than the one chosen is a
  // conflict, whatever the sums say: the workplace is a site of another
  // trust, or the employer string names another trust than the workplace's.
  let conflict: string | null = null;
  // For the workplace, fit counts (it must name the site); for the
  // employer, how much of it each employer explains ("Cumbria NHS" is as
  // true of one Cumbrian trust as of another).
  const clearlyOther = (o: Ranked, own: Scored | undefined, byExplained: boolean): Scored | null => {
    const top = o.ranked[0];
    if (!top || top.slot === slot || top.fs.s < 0.8) return null;
    // An employer's own name, whole, is never outweighed by a site elsewhere.
    if (!index.entryIsSite[top.entry] && top.fs.exact) return top;
    const lead = byExplained
      ? top.fs.qcov - Math.max(own?.fs.qcov ?? 0, eExplained.get(slot) ?? 0)
      : top.fs.s - (own?.fs.s ?? 0);
    if (lead < 0.25) return null;
    // A generic workplace ("County Hospital", in many trusts) names no other employer.
    const c = confidenceOf(
      singleFeatures(index, top, bestOtherEmployer(o.ranked, top.slot, index)),
      SINGLE_COEFFICIENTS,
    );
    return c >= 0.2 ? top : null;
  };
  const wOther = clearlyOther(wo, w, false);
  const eOther = wOther ? null : clearlyOther(eo, e, true);
  if (wOther) {
    conflict = `workplace "${wo.q.raw}" is ${index.entries[wOther.entry]!.name} of ${index.employers[wOther.slot]!.name}, not of ${index.employers[slot]!.name}`;
  } else if (eOther) {
    conflict = `employer "${eo.q.raw}" is ${index.employers[eOther.slot]!.name}, but workplace "${wo.q.raw}" is ${chosen === e ? "not one of its sites" : `${index.entries[chosen.entry]!.name} of ${index.employers[slot]!.name}`}`;
  } else if (employerUnknown(index, eo)) {
    // The member names an employer the register lacks; the workplace may be
    // a site another employer also lists, which says nothing of the member's.
    conflict = `employer "${eo.q.raw}" is not in the register; workplace "${wo.q.raw}" is ${index.entries[chosen.entry]!.name} of ${index.employers[slot]!.name}`;
  }
  const candidates: MatchCandidate[] = [best];
  const seen = new Set<number>([chosen.entry]);
  const add = (c: Scored, q: PreparedQuery) => {
    if (seen.has(c.entry) || candidates.length >= CANDIDATES_RETURNED + 1) return;
    seen.add(c.entry);
    const d = describe(index, q, c, pc);
    // As for one string: each alternative against the chosen answer.
    const j = joints.get(c.slot);
    const altS = c.slot === slot ? (e?.fs.s ?? 0) + (q === wo.q ? c.fs.s : (w?.fs.s ?? 0)) : (j?.s ?? 0);
    d.confidence = confidenceOf({ ...f, s: altS / 2, margin: (altS - first.s) / 2 }, JOINT_COEFFICIENTS);
    candidates.push(d);
  };
  for (let i = 0; i < 3; i++) {
    const a = eo.ranked[i];
    const b = wo.ranked[i];
    if (a) add(a, eo.q);
    if (b) add(b, wo.q);
  }
  shareRemainder(candidates);
  let status: MatchResult["status"] = conf >= AUTO_ACCEPT_CONFIDENCE ? "auto" : "review";
  const empName = index.employers[slot]!.name;
  let reason: string;
  if (conflict) {
    status = "review";
    reason = conflict;
  } else if (status === "auto") {
    reason = workplaceFound
      ? `${best.name} of ${empName}`
      : `employer ${empName}; workplace "${wo.q.raw}" not matched to one of its sites`;
  } else if (second && first.s - second.s < 0.2) {
    reason = `employer "${eo.q.raw}" with workplace "${wo.q.raw}" fits ${empName} and ${index.employers[second.slot]!.name} about equally`;
  } else reason = `probably ${best.name} of ${empName}, but not certainly`;
  if (best.closed) reason += `; closed ${index.entries[chosen.entry]!.closedOn}`;
  return {
    result: { status, confidence: round(conf), best, candidates, reason },
    features: f,
    mode: "joint",
    conflict: conflict !== null,
  };
}

/** matchOrganisation with the features behind the confidence (the calibration fits on these). */
export function matchOrganisationDetailed(index: MatchIndex, query: MatchQuery): MatchDetail {
  const employer = usable(index, query.employer);
  const workplace = usable(index, query.workplace);
  const pc = postcodeParts(query.postcode);
  if (!employer && !workplace) {
    const given = [query.employer, query.workplace].filter((x) => x?.trim());
    const reason = given.length
      ? `only generic text ("${given.map((x) => x!.trim()).join('", "')}"): it names no particular employer`
      : "no employer or workplace given";
    return { result: unmatched(reason), features: null, mode: "none" };
  }
  const asOf = query.asOf ?? null;
  const run = (u: { text: string; words: string[] }): Ranked => {
    const q = prepareQuery(index, u.text, u.words);
    q.asOf = asOf;
    return { q, ranked: rank(index, q, pc) };
  };
  if (employer && workplace)
    return succession(index, jointResult(index, run(employer), run(workplace), pc), asOf);
  const field = employer ? "employer" : "workplace";
  const text = (employer ?? workplace)!.text;
  let detail = singleResult(index, field, run((employer ?? workplace)!), pc);
  // A town the member added settles which of several same-named sites,
  // and overrides a guess made from the other words.
  // (Not when the whole string is a site's name word for word: "Clatterbridge
  // Cancer Centre - Liverpool" is a site, not a site in Liverpool.)
  if (!detail.features?.exact) detail = inTown(index, field, text, run, pc, detail) ?? detail;
  if (detail.result.status !== "auto") detail = inParts(index, text, run, pc) ?? detail;
  if (detail.result.status !== "auto") detail = inWelsh(index, field, text, run, pc) ?? detail;
  const ignored = employer ? query.workplace : query.employer;
  if (ignored?.trim()) detail.result.reason += ` ("${ignored.trim()}" is generic, ignored)`;
  return succession(index, detail, asOf);
}

/**
 * The readings in which one side is, on its own, confidently an employer's
 * own name ("London North West University Healthcare - Hillingdon
 * Hospital"): the other side is then that employer's workplace, looked for
 * among its sites. Taken when every such reading agrees; another trust's
 * site of the same name does not then compete, since the member named the
 * employer.
 */
function byEmployerName(
  index: MatchIndex,
  parts: readonly string[],
  run: (u: { text: string; words: string[] }) => Ranked,
  pc: Postcode,
): MatchDetail | null {
  const found: MatchDetail[] = [];
  for (let k = 1; k < parts.length; k++) {
    const sides = [parts.slice(0, k).join(" "), parts.slice(k).join(" ")];
    for (const [e, w] of [sides, [sides[1]!, sides[0]!]] as const) {
      const eu = usable(index, e);
      const wu = usable(index, w);
      if (!eu || !wu) continue;
      const alone = singleResult(index, "employer", run(eu), pc).result;
      if (alone.status !== "auto" || alone.best?.workplaceId !== null) continue;
      const d = jointResult(index, run(eu), run(wu), pc);
      if (d.result.status === "auto" && d.result.best?.employerId === alone.best.employerId) found.push(d);
      else return null;
    }
  }
  if (!found.length || new Set(found.map((d) => d.result.best!.employerId)).size !== 1) return null;
  return found.reduce((x, y) => (y.result.confidence > x.result.confidence ? y : x));
}

/** The part alone is a confident match to the employer's own entry (its name, not a site). */
function namesEmployer(
  index: MatchIndex,
  part: string,
  employerId: number,
  run: (u: { text: string; words: string[] }) => Ranked,
  pc: Postcode,
): boolean {
  const u = usable(index, part);
  if (!u) return false;
  const r = singleResult(index, "employer", run(u), pc).result;
  return r.status === "auto" && r.best?.employerId === employerId && r.best.workplaceId === null;
}

/** "Cyngor Sir", "Cyngor Dinas", "Cyngor Bwrdeistref Sirol": council, county council, city council, county borough council. */
const WELSH_COUNCIL = /\bcyngor\s+(?:sir|dinas|bwrdeistref\s+sirol)\b/i;

/**
 * A Welsh council name whose "Sir" (county) is the council's kind rather
 * than part of the place's name: "Cyngor Sir Caerffili" is Caerphilly
 * County Borough Council, whose Welsh name in the register is "Caerffili";
 * but "Sir y Fflint" is itself Flintshire. Tried without the kind when
 * the name as written is not confident.
 */
function inWelsh(
  index: MatchIndex,
  field: string,
  text: string,
  run: (u: { text: string; words: string[] }) => Ranked,
  pc: Postcode,
): MatchDetail | null {
  if (!WELSH_COUNCIL.test(text)) return null;
  const u = usable(index, text.replace(WELSH_COUNCIL, "Cyngor"));
  if (!u) return null;
  const d = singleResult(index, field, run(u), pc);
  return d.result.status === "auto" ? d : null;
}

/** Towns are at most this many words ("Bury St Edmunds", "Ashton under Lyne"). */
const TOWN_MAX_WORDS = 4;

/**
 * The string names a town of the register's sites: after a separator
 * ("St James's, Leeds", "Leeds - St James's") or at the end ("Cogges
 * Surgery Witney"). The rest is then matched among the entries in that
 * town only, and the model judges the best of them against the best other
 * employer's entry there. Null when no town is named or that reading is
 * not confident.
 */
function inTown(
  index: MatchIndex,
  field: string,
  text: string,
  run: (u: { text: string; words: string[] }) => Ranked,
  pc: Postcode,
  whole: MatchDetail,
): MatchDetail | null {
  if (index.towns.size === 0) return null;
  const readings: { name: string; town: string }[] = [];
  const parts = text
    .split(PART_SEPARATORS)
    .map((p) => p?.trim() ?? "")
    .filter((p) => p !== "");
  if (parts.length >= 2 && parts.length <= MAX_PARTS) {
    parts.forEach((p, i) => {
      const town = normaliseWords(p).join(" ");
      if (index.towns.has(town)) readings.push({ name: parts.filter((_, j) => j !== i).join(" "), town });
    });
  }
  const words = text.trim().split(/\s+/);
  for (let k = 1; k <= TOWN_MAX_WORDS && k < words.length; k++) {
    const town = normaliseWords(words.slice(-k).join(" ")).join(" ");
    if (index.towns.has(town)) readings.push({ name: words.slice(0, -k).join(" "), town });
  }
  for (const { name, town } of readings) {
    const u = usable(index, name);
    if (!u) continue;
    const o = run(u);
    const there = o.ranked.filter((c) => index.entryTown[c.entry] === town);
    if (!there.length) continue;
    const d = singleResult(index, field, { q: o.q, ranked: there }, pc);
    if (d.result.status === "auto") {
      d.result.reason += ` (in ${town})`;
      d.result.best?.evidence.push(`town ${town}`);
      return d;
    }
    // Two employers have such a site in that town: a confident match made
    // without the town, to a site elsewhere, is not to be trusted.
    const guessed = whole.result.best;
    const inThatTown = there.some((c) => {
      const e = index.entries[c.entry]!;
      return e.workplaceId === guessed?.workplaceId && e.employerId === guessed?.employerId;
    });
    if (whole.result.status === "auto" && guessed && !inThatTown) {
      d.result.reason += ` (in ${town})`;
      return d;
    }
  }
  return null;
}

/** Where members join a site, its trust, a town or a department in one field. */
const PART_SEPARATORS = /\s+[-\u2013\u2014|]\s+|\s*[/(),@:;]\s*|\s+at\s+/i;
const MAX_PARTS = 4;
/** A part points at an employer when one of its entries scores this close to the part's best. */
const PART_NEAR_TOP = 0.1;

/**
 * One field that holds two things ("Worcestershire Royal Hospital /
 * Worcestershire Acute", "Leeds City Council - Highways", "St James's,
 * Leeds"): read as employer and workplace, each way round at each
 * separator, with the joint rules (a workplace of another employer is a
 * conflict). Accepted only when one reading is confident, every reading
 * and every part alone names the same employer; a part that is only a department or generic drops out.
 */
function inParts(
  index: MatchIndex,
  text: string,
  run: (u: { text: string; words: string[] }) => Ranked,
  pc: Postcode,
): MatchDetail | null {
  const parts = text
    .split(PART_SEPARATORS)
    .map((p) => p?.trim() ?? "")
    .filter((p) => p !== "");
  if (parts.length < 2 || parts.length > MAX_PARTS) return null;
  const readings: MatchDetail[] = [];
  for (let k = 1; k < parts.length; k++) {
    const a = usable(index, parts.slice(0, k).join(" "));
    const b = usable(index, parts.slice(k).join(" "));
    if (a && b) {
      readings.push(jointResult(index, run(a), run(b), pc), jointResult(index, run(b), run(a), pc));
    } else if (a || b) readings.push(singleResult(index, "employer", run((a ?? b)!), pc));
  }
  const named = byEmployerName(index, parts, run, pc);
  if (named) {
    named.result.reason = `"${text}" read as ${parts.map((p) => `"${p}"`).join(" + ")}: ${named.result.reason}`;
    return named;
  }
  const confident = readings.filter((d) => d.result.status === "auto" && d.result.best);
  if (!confident.length) return null;
  // Any reading that leans to another employer (a town that names another
  // trust's site, a site name two trusts share) leaves it to a person.
  const employers = new Set(readings.flatMap((d) => (d.result.best ? [d.result.best.employerId] : [])));
  if (employers.size !== 1) return null;
  // And each part on its own points at that employer among its best:
  // "Selbourne House, Hyde" is not Hyde Clinic when Selbourne House is
  // another trust's.
  const want = [...employers][0]!;
  for (const p of parts) {
    const u = usable(index, p);
    if (!u) continue;
    const ranked = run(u).ranked;
    const top = ranked[0];
    if (!top || top.fs.s < MIN_SCORE) return null;
    const near = ranked.filter((c) => c.fs.s >= top.fs.s - PART_NEAR_TOP);
    if (!near.some((c) => index.employers[c.slot]!.employerId === want)) return null;
    // A part that is word for word a site of two employers ("Selbourne
    // House" in Hyde, run by two trusts) is settled only by a part that
    // names the employer itself.
    const shared = near.some((c) => c.fs.exact && index.employers[c.slot]!.employerId !== want);
    if (shared && !parts.some((other) => other !== p && namesEmployer(index, other, want, run, pc)))
      return null;
  }
  const best = confident.reduce((x, y) => (y.result.confidence > x.result.confidence ? y : x));
  best.result.reason = `"${text}" read as ${parts.map((p) => `"${p}"`).join(" + ")}: ${best.result.reason}`;
  return best;
}

/**
 * Says why when the match went to an abolished employer's successor, and
 * sends a match to an employer split between successors (Cumbria into
 * Cumberland and Westmorland and Furness) to review with each of them: the
 * register cannot tell which one employs the member.
 */
function succession(index: MatchIndex, detail: MatchDetail, asOf: string | null): MatchDetail {
  const r = detail.result;
  const best = r.best;
  if (!best) return detail;
  const moved = best.evidence.find((x) => x.includes(" abolished ") && x.includes(", succeeded by "));
  if (moved) r.reason += `; ${moved}`;
  const slot = index.employerSlot.get(best.employerId);
  if (slot === undefined) return detail;
  const info = index.employers[slot]!;
  if (!closedBy(info.closedOn, asOf) || info.successors.length < 2) return detail;
  const successors: MatchCandidate[] = [];
  for (const id of info.successors) {
    const s = index.employerSlot.get(id);
    if (s === undefined) continue;
    const to = index.employers[successorSlot(index, s, asOf)]!;
    successors.push({
      employerId: to.employerId,
      workplaceId: null,
      name: to.name,
      score: 0,
      confidence: 0,
      evidence: [`successor of ${info.name} (abolished ${info.closedOn})`],
      closed: false,
    });
  }
  const names = successors.map((c) => c.name).join(" and ");
  return {
    ...detail,
    result: {
      status: "review",
      confidence: r.confidence,
      best,
      candidates: [best, ...successors, ...r.candidates.filter((c) => c !== best)],
      reason: `${r.reason}; ${info.name} was abolished ${info.closedOn} and split between ${names}: which one employs the member?`,
    },
  };
}

export function matchOrganisation(index: MatchIndex, query: MatchQuery): MatchResult {
  return matchOrganisationDetailed(index, query).result;
}
