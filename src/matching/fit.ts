/**
 * Test and benchmark helper: fits the confidence model (calibration.ts) on
 * labelled variants (variants.ts) and measures how well a set of
 * coefficients is calibrated. Pure; calibration.test.ts runs it on the real
 * ODS registers and prints the constants to paste into calibration.ts.
 */
import type { MatchIndex } from "./build.js";
import {
  calibrate,
  featureVector,
  fitIsotonic,
  fitLogistic,
  logit,
  reliability,
  sigmoid,
} from "./calibration.js";
import { matchOrganisationDetailed } from "./match.js";
import type { Variant, VariantKind } from "./variants.js";

export interface TrainingRow {
  mode: "single" | "joint";
  x: number[];
  /** 1 when the best candidate is the employer the variant means. */
  y: 0 | 1;
  kind: VariantKind;
  matchable: boolean;
}

/**
 * One row per variant the model decides: matched with features, and not
 * sent to review by a rule (a conflict between employer and workplace is
 * review whatever the model says, so it would only teach the model that
 * consistent-looking pairs are sometimes wrong).
 */
export function trainingRows(index: MatchIndex, variants: readonly Variant[]): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const v of variants) {
    const d = matchOrganisationDetailed(index, v.query);
    if (!d.features || d.conflict || d.mode === "none") continue;
    const right =
      d.result.best !== null && v.employerId !== null && d.result.best.employerId === v.employerId;
    rows.push({
      mode: d.mode,
      x: featureVector(d.features),
      y: right ? 1 : 0,
      kind: v.kind,
      matchable: v.matchable,
    });
  }
  return rows;
}

export interface Coefficients {
  single: number[];
  joint: number[];
  /** Isotonic calibration knots over the logistic output (calibration.ts). */
  knots: (readonly [number, number])[];
}

/**
 * Ridge strength. The score features are collinear (s is a product of
 * qcov and fcov); at 0.01 the fit gave coefficients of +-40 that cancel,
 * at 1 they stay small with the same held-out precision, and small
 * coefficients carry over to registers unlike the one fitted on.
 */
const RIDGE = 1;

export function fitCoefficients(rows: readonly TrainingRow[]): Coefficients {
  const fit = (mode: TrainingRow["mode"]) => {
    const r = rows.filter((x) => x.mode === mode);
    return fitLogistic(
      r.map((x) => x.x),
      r.map((x) => x.y),
      RIDGE,
    );
  };
  const single = fit("single");
  const joint = fit("joint");
  // One monotone map for both models, fitted on their outputs over the same rows.
  const raw = rows.map((r) => sigmoid(logit(r.x, r.mode === "single" ? single : joint)));
  const knots = fitIsotonic(
    raw,
    rows.map((r) => r.y),
  );
  return { single, joint, knots };
}

/** The calibrated confidence the matcher would give this row. */
export function confidenceOfRow(row: TrainingRow, c: Coefficients): number {
  return calibrate(sigmoid(logit(row.x, row.mode === "single" ? c.single : c.joint)), c.knots);
}

/** Precision and count of auto-accepts at each threshold. */
export function thresholdTable(
  rows: readonly TrainingRow[],
  c: Coefficients,
  thresholds: readonly number[],
): { threshold: number; auto: number; wrong: number; precision: number; matchableAuto: number }[] {
  const ps = rows.map((r) => confidenceOfRow(r, c));
  return thresholds.map((threshold) => {
    let auto = 0;
    let wrong = 0;
    let matchableAuto = 0;
    rows.forEach((r, i) => {
      if (ps[i]! < threshold) return;
      auto++;
      if (!r.y) wrong++;
      else if (r.matchable) matchableAuto++;
    });
    return { threshold, auto, wrong, precision: auto ? (auto - wrong) / auto : 1, matchableAuto };
  });
}

/** Reliability of the coefficients on rows: predicted against observed, per confidence bin. */
export function calibrationReport(rows: readonly TrainingRow[], c: Coefficients) {
  const ps = rows.map((r) => confidenceOfRow(r, c));
  const ys = rows.map((r) => r.y);
  let brier = 0;
  ps.forEach((p, i) => {
    brier += (p - ys[i]!) ** 2;
  });
  return { bins: reliability(ps, ys), brier: rows.length ? brier / rows.length : 0 };
}
