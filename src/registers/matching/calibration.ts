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
  /** Only an acronym matched. */
  acronymOnly: boolean;
  /** Postcode evidence for the candidate, -0.3 (far from the employer) .. 1 (same district as the site); 0 without a postcode. */
  postcode: number;
  /** Postcode evidence for the candidate minus that for the best other employer. */
  postcodeMargin: number;
  /** Rarity weight the query explains, divided by the weight of a word unique to one employer. */
  information: number;
  /** Query words (wards and departments aside) the candidate does not explain. */
  unmatched: number;
  /** Weight of the rarest word the candidate's own name matches, over that of a word unique to one employer. */
  peak: number;
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
    f.complete ? 1 : 0,
    // How much a lead counts depends on what kind of match leads.
    f.exact ? sm : 0,
    f.complete ? sm : 0,
    f.acronymOnly ? sm : 0,
    Math.min(1, f.peak),
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
  "complete",
  "exact_x_sqrt_margin",
  "complete_x_sqrt_margin",
  "acronym_x_sqrt_margin",
  "peak",
];

/**
 * Logistic coefficients for one-string queries (employer or workplace alone).
 * PLACEHOLDER until fitted.
 */
export const SINGLE_COEFFICIENTS: readonly number[] = [
  -12, 6, 0, 0, 4, 8, 2, 0, -1, 0.5, 0.5, 2, -1, 0, 0, 0, 0, 0,
];

/** Logistic coefficients for queries with both an employer and a workplace string. */
export const JOINT_COEFFICIENTS: readonly number[] = [
  -12, 6, 0, 0, 4, 8, 2, 0, -1, 0.5, 0.5, 2, -1, 0, 0, 0, 0, 0,
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
