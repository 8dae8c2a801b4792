/**
 * matchOrganisation: one member's employer and/or workplace string against
 * the register. Candidates come from rare words, acronyms, typo neighbours
 * and codes; each is scored (query.ts), the employers are ranked, and the
 * best one's lead over the best *other employer* is what decides between
 * "auto" and "review": a string that fits two employers about equally must
 * go to a person, however well it fits each.
 */
import { coreKeyOfWords, type MatchIndex } from "./build.js";
import {
  featureVector,
  JOINT_COEFFICIENTS,
  logit,
  type MatchFeatures,
  SINGLE_COEFFICIENTS,
  sigmoid,
} from "./calibration.js";
import { isGenericString, normaliseWords, postcodeParts } from "./normalise.js";
import { ACRONYM_CREDIT, type FormScore, type PreparedQuery, prepareQuery, scoreForm } from "./query.js";
import type { MatchCandidate, MatchQuery, MatchResult } from "./types.js";

/**
 * Calibrated probability at or above which a match is accepted without a
 * person. Chosen with the coefficients (calibration.test.ts): the lowest
 * threshold at which auto-accepted variants of the real ODS registers stay
 * above 99.5% precision on held-out seeds, with room to spare.
 */
export const AUTO_ACCEPT_CONFIDENCE = 0.97;

/** Below this score nothing in the register resembles the string. */
const MIN_SCORE = 0.35;
/** Words in more entries than this do not generate candidates ("hospital", "centre"). */
const CANDIDATE_DF_CAP = 300;
/** Words weighing less than this (in every employer's names) do not generate candidates either. */
const CANDIDATE_MIN_WEIGHT = 1;
/** Candidates fully scored per string, the rest dropped on a cheap estimate of the score. */
const MAX_SCORED = 20;
/** Employers whose best candidate is scored whatever the others' estimates. */
const RIVAL_EMPLOYERS = 6;
/** How much postcode evidence moves the ranking: enough to order near-ties, not to overturn names. */
const POSTCODE_RANK_WEIGHT = 0.04;
const CANDIDATES_RETURNED = 5;
/** Ranking bonus for an employer entry whose name the string is. */
const EMPLOYER_NAME_BONUS = 0.01;
/** A workplace string scoring this well inside the chosen employer names the site. */
const WORKPLACE_FOUND_SCORE = 0.5;

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
  return index.dfEntries[id]! <= CANDIDATE_DF_CAP && weight >= CANDIDATE_MIN_WEIGHT;
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
 * The workplace string among the entries of given employers (the ones the
 * employer string named): every word counts there, however common, so
 * "Maternity Unit" is found among one trust's sites. Scans those entries'
 * names rather than the register's postings.
 */
function generateWithin(index: MatchIndex, q: PreparedQuery, slots: ReadonlySet<number>): number[] {
  const s = scratchFor(index);
  s.count = 0;
  const wanted = new Map<number, number>();
  for (const t of q.tokens) {
    if (t.suffix) continue;
    if (t.id >= 0) wanted.set(t.id, Math.max(wanted.get(t.id) ?? 0, t.weight));
    if (t.near)
      for (const [id, credit] of t.near)
        wanted.set(id, Math.max(wanted.get(id) ?? 0, credit * index.idf[id]!));
  }
  const acronyms = q.tokens.filter((t) => t.acronymWeight > 0);
  const ft = index.formTokens;
  for (const slot of slots) {
    for (const e of index.employers[slot]!.entries) {
      const f0 = index.entryFormStart[e]!;
      const f1 = f0 + index.entryFormCount[e]!;
      for (let f = f0; f < f1; f++) {
        for (let j = index.formTokenStart[f]!; j < index.formTokenStart[f + 1]!; j++) {
          const w = wanted.get(ft[j]!);
          if (w !== undefined) touch(s, e, w);
        }
        for (const t of acronyms) if (index.forms[f]!.acronyms.includes(t.word)) touch(s, e, t.acronymWeight);
      }
    }
  }
  return selectCandidates(index, s, q);
}

/** The touched entries, or the best MAX_SCORED of them by estimated score; clears the scratch. */
/**
 * A cheap stand-in for scoreForm, to choose which candidates to score:
 * the words the form shares with the query (exactly, up to a typo, as a
 * legal suffix of an employer's name, or through a site's employer name),
 * as query coverage^1.5 x name coverage, which orders candidates like the
 * score's coverage^0.6 x coverage^0.4 without the powers.
 */
let estimateMatched = new Uint8Array(32);

function estimate(index: MatchIndex, q: PreparedQuery, f: number, ctx: ReadonlySet<number> | null, qTotal: number): number {
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
      } else if (ctx !== null && t.id >= 0 && t.weight >= 1 && ctx.has(t.id)) qa += 0.9 * t.weight;
    }
  }
  const qc = qTotal > 0 ? Math.min(1, qa / qTotal) : 0;
  const fc = weight > 0 ? Math.min(1, fa / weight) : 1;
  return qc * Math.sqrt(qc) * fc;
}

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
    for (let i = 0; i < n; i++) {
      const e = s.touched[i]!;
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
  usedContext: false,
  unmatched: 0,
  complete: true,
  peak: 1,
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
    const slot = index.entryEmployer[e]!;
    const ctx = index.entryIsSite[e] ? index.employers[slot]! : null;
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
    out.push(best);
  }
  out.sort((a, b) => b.r - a.r || tieBreak(index, a, b));
  return out;
}

/** Equal scores: the employer itself before its sites, open before closed, register order. */
function tieBreak(index: MatchIndex, a: Scored, b: Scored): number {
  const ea = index.entries[a.entry]!;
  const eb = index.entries[b.entry]!;
  if ((ea.workplaceId === null) !== (eb.workplaceId === null)) return ea.workplaceId === null ? -1 : 1;
  if (!ea.closedOn !== !eb.closedOn) return ea.closedOn ? 1 : -1;
  return a.entry - b.entry;
}

function bestOtherEmployer(ranked: readonly Scored[], slot: number): Scored | null {
  for (const c of ranked) if (c.slot !== slot) return c;
  return null;
}

function singleFeatures(index: MatchIndex, c: Scored, rival: Scored | null): MatchFeatures {
  return {
    s: c.fs.s,
    qcov: c.fs.qcov,
    fcov: c.fs.fcov,
    unmatched: c.fs.unmatched,
    margin: c.fs.s - (rival?.fs.s ?? 0),
    exact: c.fs.exact,
    employerExact: (c.fs.exact || c.fs.complete) && index.entries[c.entry]!.workplaceId === null,
    complete: c.fs.complete,
    peak: c.fs.peak / index.maxIdf,
    acronymOnly: c.fs.acronymOnly,
    postcode: c.pc,
    postcodeMargin: c.pc - (rival?.pc ?? 0),
    information: c.fs.matchedWeight / index.maxIdf,
  };
}

function confidenceOf(f: MatchFeatures, beta: readonly number[]): number {
  return sigmoid(logit(featureVector(f), beta));
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
  if (entry.closedOn) evidence.push(`closed ${entry.closedOn}`);
  return {
    employerId: entry.employerId,
    workplaceId: entry.workplaceId,
    name: entry.name,
    score: round(c.r),
    confidence: 0,
    evidence,
    closed: entry.closedOn !== null,
  };
}

function unmatched(reason: string, candidates: MatchCandidate[] = []): MatchResult {
  return { status: "unmatched", confidence: 0, best: null, candidates, reason };
}

/**
 * The string, trimmed, unless it is empty or generic. An employer's own
 * name is never generic, even made of generic words ("Public Health Wales
 * NHS Trust").
 */
function usable(index: MatchIndex, text: string | null): string | null {
  if (text === null) return null;
  const t = text.trim();
  if (!t) return null;
  if (!isGenericString(t)) return t;
  return index.employerCores.has(coreKeyOfWords(normaliseWords(t))) ? t : null;
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
  const rival = bestOtherEmployer(ranked, top.slot);
  const f = singleFeatures(index, top, rival);
  const conf = confidenceOf(f, SINGLE_COEFFICIENTS);
  // The reviewer's list: the best few, always with the runner-up employer's best.
  const short = ranked.slice(0, CANDIDATES_RETURNED);
  if (rival && !short.includes(rival)) short.push(rival);
  const candidates = short.map((c) => {
    const d = describe(index, q, c, pc);
    // Another employer's candidate is measured against the best; one of the
    // best employer's other entries against the runner-up, like the best.
    const against = c.slot === top.slot ? rival : top;
    d.confidence = round(
      c === top ? conf : Math.min(conf, confidenceOf(singleFeatures(index, c, against), SINGLE_COEFFICIENTS)),
    );
    return d;
  });
  const best = candidates[0]!;
  const status = conf >= AUTO_ACCEPT_CONFIDENCE ? "auto" : "review";
  let reason: string;
  if (status === "auto") reason = `${field} "${q.raw}" matches ${best.name}`;
  else if (rival && top.fs.s - rival.fs.s < 0.1) {
    reason = `${field} "${q.raw}" fits ${best.name} (${index.employers[top.slot]!.name}) and ${index.entries[rival.entry]!.name} (${index.employers[rival.slot]!.name}) about equally`;
  } else reason = `${field} "${q.raw}" is probably ${best.name}, but not certainly`;
  if (best.closed) reason += `; closed ${index.entries[top.entry]!.closedOn}`;
  return {
    result: { status, confidence: round(conf), best, candidates, reason },
    features: f,
    mode: "single",
  };
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
  const topSlots = new Set<number>();
  for (const c of eo.ranked) {
    if (topSlots.size >= 3 || c.fs.s < MIN_SCORE) break;
    topSlots.add(c.slot);
  }
  const wWithin = perEmployer(rank(index, wo.q, pc, topSlots));
  const wBest = (slot: number): Scored | undefined => {
    const a = wWithin.get(slot);
    const b = wGlobal.get(slot);
    return a && b ? (a.r >= b.r ? a : b) : (a ?? b);
  };
  const slots = new Set<number>([...eBest.keys(), ...wGlobal.keys(), ...wWithin.keys()]);
  type Joint = { slot: number; s: number; pc: number; r: number };
  let first: Joint | null = null;
  let second: Joint | null = null;
  const joints = new Map<number, Joint>();
  for (const slot of slots) {
    const e = eBest.get(slot);
    const w = wBest(slot);
    const s = (e?.fs.s ?? 0) + (w?.fs.s ?? 0);
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
    margin: (first.s - (second?.s ?? 0)) / 2,
    exact: (e?.fs.exact ?? false) || (w?.fs.exact ?? false),
    employerExact: !!e && (e.fs.exact || e.fs.complete) && index.entries[e.entry]!.workplaceId === null,
    complete: (e?.fs.complete ?? false) && (w?.fs.complete ?? false),
    peak: Math.max(e?.fs.peak ?? 0, w?.fs.peak ?? 0) / index.maxIdf,
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
  const clearlyOther = (o: Ranked, own: Scored | undefined): Scored | null => {
    const top = o.ranked[0];
    if (!top || top.slot === slot || top.fs.s < 0.8 || top.fs.s - (own?.fs.s ?? 0) < 0.25) return null;
    const c = confidenceOf(
      singleFeatures(index, top, bestOtherEmployer(o.ranked, top.slot)),
      SINGLE_COEFFICIENTS,
    );
    return c >= 0.5 ? top : null;
  };
  const wOther = clearlyOther(wo, w);
  const eOther = wOther ? null : clearlyOther(eo, e);
  if (wOther) {
    conflict = `workplace "${wo.q.raw}" is ${index.entries[wOther.entry]!.name} of ${index.employers[wOther.slot]!.name}, not of ${index.employers[slot]!.name}`;
  } else if (eOther) {
    conflict = `employer "${eo.q.raw}" is ${index.employers[eOther.slot]!.name}, but workplace "${wo.q.raw}" is ${chosen === e ? "not one of its sites" : `${index.entries[chosen.entry]!.name} of ${index.employers[slot]!.name}`}`;
  }
  const candidates: MatchCandidate[] = [best];
  const seen = new Set<number>([chosen.entry]);
  const add = (c: Scored, q: PreparedQuery) => {
    if (seen.has(c.entry) || candidates.length >= CANDIDATES_RETURNED + 1) return;
    seen.add(c.entry);
    const d = describe(index, q, c, pc);
    const j = joints.get(c.slot);
    d.confidence = round(
      c.slot === slot
        ? Math.min(conf, 0.5)
        : confidenceOf({ ...f, s: (j?.s ?? 0) / 2, margin: ((j?.s ?? 0) - first.s) / 2 }, JOINT_COEFFICIENTS),
    );
    candidates.push(d);
  };
  for (let i = 0; i < 3; i++) {
    const a = eo.ranked[i];
    const b = wo.ranked[i];
    if (a) add(a, eo.q);
    if (b) add(b, wo.q);
  }
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
  const run = (text: string): Ranked => {
    const q = prepareQuery(index, text);
    return { q, ranked: rank(index, q, pc) };
  };
  if (employer && workplace) return jointResult(index, run(employer), run(workplace), pc);
  const detail = singleResult(index, employer ? "employer" : "workplace", run((employer ?? workplace)!), pc);
  const ignored = employer ? query.workplace : query.employer;
  if (ignored?.trim()) detail.result.reason += ` ("${ignored.trim()}" is generic, ignored)`;
  return detail;
}

export function matchOrganisation(index: MatchIndex, query: MatchQuery): MatchResult {
  return matchOrganisationDetailed(index, query).result;
}
