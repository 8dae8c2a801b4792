/**
 * From match features to a calibrated probability, and the fitting code that
 * produced the constants. Pure: the fit runs in calibration.test.ts on
 * variants generated from the real ODS registers (variants.ts).
 */

/** Features of the best candidate, as the logistic model sees them. */
export interface MatchFeatures {
  /** Score of the candidate's best form, 0..1: query coverage^0.6 x name coverage^0.4. */
  s: number;
  /** Share of the query's weight the candidate explains. */
  qcov: number;
  /** Share of the candidate name's weight the query covers. */
  fcov: number;
  /** Score minus the best other employer's score, -1..1 (postcode aside). */
  margin: number;
  /** The query is the form's name, legal suffix aside, or a register code. */
  exact: boolean;
  /** The candidate is an employer's own name (or former name), not a site's, and exact or complete. */
  employerExact: boolean;
  /** Every distinctive word on both sides accounted for, typos and abbreviations allowed. */
  complete: boolean;
  /** Distinctive words of the candidate's name the query lacks: a member who drops a word is not one who adds one. */
  missing: number;
  /** Only an acronym matched. */
  acronymOnly: boolean;
  /** Postcode evidence for the candidate, -0.3 (far from the employer) .. 1 (same district as the site); 0 without a postcode. */
  postcode: number;
  /** Postcode evidence for the candidate minus that for the best other employer. */
  postcodeMargin: number;
  /** Rarity weight the query explains, divided by the weight of a word unique to one employer. */
  information: number;
  /** Distinctive query words (wards and departments aside) the candidate does not explain. */
  unmatched: number;
  /** Common query words the candidate does not explain ("school" against a children's centre). */
  unmatchedCommon: number;
  /** Weight of the rarest word the candidate's own name matches, over that of a word unique to one employer. */
  peak: number;
  /** Share of the query's weight credited as a town near the site rather than matched. */
  placeShare: number;
}

export function featureVector(f: MatchFeatures): number[] {
  const m = Math.max(-1, Math.min(1, f.margin));
  const sm = Math.sqrt(Math.max(0, m));
  return [
    1,
    f.s,
    f.qcov,
    f.fcov,
    m,
    Math.sqrt(Math.max(0, m)),
    f.exact ? 1 : 0,
    f.employerExact ? 1 : 0,
    f.acronymOnly ? 1 : 0,
    f.postcode,
    f.postcodeMargin,
    Math.min(1.5, f.information),
    Math.min(3, f.unmatched),
    f.unmatched === 0 ? 1 : 0,
    // How much a lead counts depends on what kind of match leads.
    f.exact ? sm : 0,
    f.unmatched === 0 ? sm : 0,
    f.acronymOnly ? sm : 0,
    Math.min(1, f.peak),
    Math.min(3, f.missing),
    f.complete ? sm : 0,
    Math.min(3, f.unmatchedCommon),
    f.placeShare,
  ];
}

export const FEATURE_NAMES = [
  "bias",
  "s",
  "qcov",
  "fcov",
  "margin",
  "sqrt_margin",
  "exact",
  "employer_exact",
  "acronym_only",
  "postcode",
  "postcode_margin",
  "info",
  "unmatched",
  "explained",
  "exact_x_sqrt_margin",
  "explained_x_sqrt_margin",
  "acronym_x_sqrt_margin",
  "peak",
  "missing",
  "complete_x_sqrt_margin",
  "unmatched_common",
  "place_share",
];

/*
 * The fitted constants. How they were obtained (calibration.test.ts prints
 * them when run with MANDATE_FIT=1): the real NHS ODS registers (etr-2026
 * trusts with etr.csv's older names as former names, and the ets sites,
 * about 35,000 entries). Three seeds (101-103) hold out a random 8% of the
 * open trusts with their sites and generate 6,000 labelled variants each
 * (variants.ts, the employer-string grammar, with strings naming the
 * held-out employers as negatives); three more (105-107) keep only a
 * random 15% of the trusts, the size of one union's register, and
 * generate 3,000 each, so the model also fits registers with fewer, rarer
 * words. Logistic regression (Newton's method, ridge 1; fit.ts) on the
 * best candidate's features, label 1 when it is the employer the variant
 * means, one model for one string and one for employer and workplace
 * together; then an isotonic map (CALIBRATION_KNOTS) from the logistic
 * output to observed frequency on the same rows. Held-out seeds 201 and
 * 202 (8% out), 205 and 206 (15% kept), at the 0.98 threshold: auto-accepts
 * 99.75%, 99.78%, 99.91%, 99.91% right, covering 96.2%, 96.2%, 97.1%,
 * 97.4% of the matchable variants; Brier scores 0.035, 0.033, 0.021,
 * 0.016. Refit whenever the scoring (query.ts, match.ts) or the features
 * change.
 */

/** Logistic coefficients for one-string queries (employer or workplace alone), in FEATURE_NAMES order. */
export const SINGLE_COEFFICIENTS: readonly number[] = [
  -8.4277, 1.8327, 1.7221, 2.9226, -1.4918, 3.299, 0.0432, 2.1368, -0.4199, 0.4206, 2.0216, 1.0609, -0.7545,
  0.6578, 4.3197, -0.1134, 0.027, -0.1381, -0.2846, 4.0071, -1.3654, 0.0,
];

/** Logistic coefficients for queries with both an employer and a workplace string. */
export const JOINT_COEFFICIENTS: readonly number[] = [
  -1.145, 0.4711, 0.3617, 0.2098, 0.5169, 2.0579, -0.139, 0.1525, 0.0176, 0.5903, 0.6428, 1.2635, 0.0424,
  -0.0424, 2.0757, 1.8143, 0.0131, 0.5246, 0.5042, 1.9838, -1.4597, 0.0,
];

/**
 * Isotonic calibration of the logistic output (fitIsotonic below, on the
 * same training rows): knots [logistic probability, observed frequency].
 */
export const CALIBRATION_KNOTS: readonly (readonly [number, number])[] = [
  [0.00176, 0.00556],
  [0.00645, 0.01033],
  [0.01604, 0.02623],
  [0.0505, 0.04054],
  [0.19095, 0.23927],
  [0.32543, 0.34261],
  [0.44324, 0.41733],
  [0.64903, 0.48887],
  [0.84377, 0.8752],
  [0.92972, 0.97218],
  [0.97171, 0.9849],
  [0.9847, 0.98808],
  [0.99241, 0.99642],
  [0.99666, 0.99881],
  [0.99961, 0.999],
];

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(x: readonly number[], beta: readonly number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += x[i]! * (beta[i] ?? 0);
  return z;
}

/**
 * Fit logistic regression by Newton's method (iteratively reweighted least
 * squares) with a small ridge penalty, which keeps coefficients finite when
 * a feature separates the classes (exact matches are almost never wrong).
 */
export function fitLogistic(
  xs: readonly number[][],
  ys: readonly number[],
  ridge = 1e-2,
  iterations = 50,
): number[] {
  const d = xs[0]?.length ?? 0;
  const beta = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess: number[][] = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let n = 0; n < xs.length; n++) {
      const x = xs[n]!;
      const p = sigmoid(logit(x, beta));
      const w = Math.max(p * (1 - p), 1e-9);
      const r = ys[n]! - p;
      for (let i = 0; i < d; i++) {
        grad[i]! += r * x[i]!;
        const xi = x[i]! * w;
        const row = hess[i]!;
        for (let j = 0; j < d; j++) row[j]! += xi * x[j]!;
      }
    }
    for (let i = 1; i < d; i++) {
      grad[i]! -= ridge * beta[i]!;
      hess[i]![i]! += ridge;
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let i = 0; i < d; i++) {
      beta[i]! += step[i]!;
      change = Math.max(change, Math.abs(step[i]!));
    }
    if (change < 1e-7) break;
  }
  return beta;
}

/** Gaussian elimination with partial pivoting: solves A x = b. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => {
    const pivot = row[i]!;
    return Math.abs(pivot) < 1e-12 ? 0 : row[n]! / pivot;
  });
}

/** Reliability table: predicted vs observed frequency per probability bin. */
export function reliability(
  ps: readonly number[],
  ys: readonly number[],
  edges: readonly number[] = [0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0001],
): { from: number; to: number; n: number; predicted: number; observed: number }[] {
  const out: { from: number; to: number; n: number; predicted: number; observed: number }[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    let n = 0;
    let sp = 0;
    let sy = 0;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (p >= edges[b]! && p < edges[b + 1]!) {
        n++;
        sp += p;
        sy += ys[i]!;
      }
    }
    out.push({
      from: edges[b]!,
      to: Math.min(1, edges[b + 1]!),
      n,
      predicted: n ? sp / n : 0,
      observed: n ? sy / n : 0,
    });
  }
  return out;
}

/**
 * Isotonic regression (pool adjacent violators) of outcomes on predicted
 * probabilities, summarised as knots for piecewise-linear interpolation.
 * The logistic model ranks candidates well but its middle is off (it said
 * 0.65 where 0.44 came true, 0.92 where 0.97 did): this monotone map fixes
 * the numbers without changing the order. Predictions are first pooled
 * into `bins` quantile bins; each bin's frequency is estimated as
 * (right + 1/2) / (n + 1), so a bin with no errors in it does not claim
 * certainty (675 right of 675 gives 0.9993, not 1), and none above
 * MAX_CONFIDENCE.
 */
export const MAX_CONFIDENCE = 0.999;

export function fitIsotonic(ps: readonly number[], ys: readonly number[], bins = 40): [number, number][] {
  const order = ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]!);
  const blocks: { n: number; sp: number; sy: number }[] = [];
  const size = Math.max(1, Math.ceil(order.length / bins));
  for (let i = 0; i < order.length; i += size) {
    const b = { n: 0, sp: 0, sy: 0 };
    for (const k of order.slice(i, i + size)) {
      b.n++;
      b.sp += ps[k]!;
      b.sy += ys[k]!;
    }
    blocks.push(b);
  }
  // Synthetic variants cannot vouch for better than one error in a thousand.
  const value = (b: { n: number; sy: number }) => Math.min(MAX_CONFIDENCE, (b.sy + 0.5) / (b.n + 1));
  // Pool adjacent violators: merge a block into its predecessor while the outcome would decrease.
  const pooled: { n: number; sp: number; sy: number }[] = [];
  for (const b of blocks) {
    pooled.push({ ...b });
    while (pooled.length > 1 && value(pooled[pooled.length - 2]!) >= value(pooled[pooled.length - 1]!)) {
      const last = pooled.pop()!;
      const prev = pooled[pooled.length - 1]!;
      prev.n += last.n;
      prev.sp += last.sp;
      prev.sy += last.sy;
    }
  }
  return pooled.map((b) => [b.sp / b.n, value(b)]);
}

/** The calibration map: piecewise-linear through the knots, flat beyond the ends. */
export function calibrate(p: number, knots: readonly (readonly [number, number])[]): number {
  if (!knots.length) return p;
  const first = knots[0]!;
  const last = knots[knots.length - 1]!;
  if (p <= first[0]) return first[1];
  if (p >= last[0]) return last[1];
  let lo = 0;
  let hi = knots.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid]![0] <= p) lo = mid;
    else hi = mid;
  }
  const [x0, y0] = knots[lo]!;
  const [x1, y1] = knots[hi]!;
  return x1 === x0 ? y1 : y0 + ((p - x0) * (y1 - y0)) / (x1 - x0);
}
