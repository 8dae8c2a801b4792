/**
 * Is the confidence a probability? Checked on variants the constants were
 * not fitted on (a fresh seed of the real ODS registers): within each
 * confidence band the share of right answers must be close to the band's
 * confidence, and auto-accepts right at least 99.5% of the time.
 *
 * MANDATE_FIT=1 refits the constants in calibration.ts (a minute or two)
 * and prints them, with the precision at candidate thresholds on held-out
 * seeds: that is how the constants there were obtained.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { heldOutTrusts, odsRegisterEntries, parseOdsCsv } from "../../test/fixtures/matching/ods-register.js";
import { SHARED_DATA, sharedDataSkip } from "../../test/helpers/shared-data.js";
import { CALIBRATION_KNOTS, FEATURE_NAMES, JOINT_COEFFICIENTS, SINGLE_COEFFICIENTS } from "./calibration.js";
import { calibrationReport, confidenceOfRow, fitCoefficients, thresholdTable, trainingRows } from "./fit.js";
import { AUTO_ACCEPT_CONFIDENCE, buildMatchIndex } from "./index.js";
import { generateVariants, seededRandom, type Variant } from "./variants.js";

const DATA = SHARED_DATA;
const FILES = ["ods/etr-2026.csv", "ods/etr.csv", "ods/ets.csv"].map((f) => path.join(DATA, f));
const missing = FILES.filter((f) => !fs.existsSync(f));
const skip = sharedDataSkip(missing);

function read(file: string): string[][] {
  return parseOdsCsv(fs.readFileSync(path.join(DATA, file), "utf8"));
}

describe("confidence calibration on the real NHS ODS registers", { skip }, () => {
  const trusts = skip ? [] : read("ods/etr-2026.csv");
  const older = skip ? [] : read("ods/etr.csv");
  const sites = skip ? [] : read("ods/ets.csv");
  const laFile = path.join(DATA, "la/uk_local_authorities.csv");
  const councils = fs.existsSync(laFile)
    ? parseOdsCsv(fs.readFileSync(laFile, "utf8"))
        .slice(1)
        .map((r) => r[1] ?? "")
        .filter(Boolean)
    : [];
  const full = skip ? null : odsRegisterEntries({ trusts, sites, olderTrusts: older });

  /**
   * A labelled sample: a register with some trusts left out (`share` of the
   * open ones, or all but `keep` of them: one union's register), variants
   * of the kept ones and strings naming the left-out ones.
   */
  function sample(seed: number, count: number, opts: { share?: number; keep?: number }) {
    const exclude = heldOutTrusts(trusts, { seed, ...opts }, seededRandom);
    const reg = odsRegisterEntries({ trusts, sites, olderTrusts: older, exclude });
    const absentIds = new Set([...full!.trustCode].filter(([, code]) => exclude.has(code)).map(([id]) => id));
    const absent = full!.entries.filter((e) => absentIds.has(e.employerId));
    const index = buildMatchIndex(reg.entries);
    const variants = generateVariants(reg.entries, {
      seed,
      count,
      towns: reg.towns,
      absent,
      otherOrganisations: councils,
    });
    return { index, variants, rows: trainingRows(index, variants) };
  }

  const current = {
    single: [...SINGLE_COEFFICIENTS],
    joint: [...JOINT_COEFFICIENTS],
    knots: [...CALIBRATION_KNOTS],
  };

  test("confidence bands hold what they say, on a seed not fitted on", () => {
    const { rows } = sample(301, 3000, { share: 0.08 });
    const { bins, brier } = calibrationReport(rows, current);
    console.log(`Brier score ${brier.toFixed(4)} over ${rows.length} decisions`);
    for (const b of bins) {
      console.log(
        `  ${b.from.toFixed(3)}-${b.to.toFixed(3)}: n=${String(b.n).padStart(5)} predicted ${b.predicted.toFixed(3)} observed ${b.observed.toFixed(3)}`,
      );
    }
    assert.ok(brier < 0.06, `Brier ${brier}`);
    // Bands with enough decisions to measure: observed within 5 points of predicted above 0.8.
    for (const b of bins)
      if (b.n >= 100 && b.from >= 0.8)
        assert.ok(Math.abs(b.observed - b.predicted) <= 0.05, JSON.stringify(b));
    const [atThreshold] = thresholdTable(rows, current, [AUTO_ACCEPT_CONFIDENCE]);
    console.log(
      `at ${AUTO_ACCEPT_CONFIDENCE}: ${atThreshold!.auto} auto-accepted, ${atThreshold!.wrong} wrong`,
    );
    assert.ok(atThreshold!.precision >= 0.995, JSON.stringify(atThreshold));
  });

  test("refit (MANDATE_FIT=1)", {
    skip: process.env.MANDATE_FIT ? false : "set MANDATE_FIT=1 to refit",
  }, () => {
    const train = [
      ...[101, 102, 103].flatMap((seed) => sample(seed, 6000, { share: 0.08 }).rows),
      ...[105, 106, 107].flatMap((seed) => sample(seed, 3000, { keep: 0.15 }).rows),
    ];
    const c = fitCoefficients(train);
    const fmt = (xs: number[]) => `[\n  ${xs.map((x) => x.toFixed(4)).join(", ")},\n]`;
    console.log(`features: ${FEATURE_NAMES.join(", ")}`);
    console.log(`SINGLE_COEFFICIENTS = ${fmt(c.single)};\nJOINT_COEFFICIENTS = ${fmt(c.joint)};`);
    console.log(
      `CALIBRATION_KNOTS = [\n${c.knots.map(([x, y]) => `  [${x.toFixed(5)}, ${y.toFixed(5)}],`).join("\n")}\n];`,
    );
    const thresholds = [0.95, 0.96, 0.97, 0.975, 0.98, 0.985, 0.99, 0.995];
    for (const [seed, opts] of [
      [201, { share: 0.08 }],
      [202, { share: 0.08 }],
      [205, { keep: 0.15 }],
      [206, { keep: 0.15 }],
    ] as const) {
      const { variants, rows } = sample(seed, 6000, opts);
      const { brier } = calibrationReport(rows, c);
      const matchable = variants.filter((v: Variant) => v.matchable).length;
      console.log(
        `seed ${seed} (${JSON.stringify(opts)}): Brier ${brier.toFixed(4)}, ${matchable} matchable of ${variants.length}`,
      );
      for (const t of thresholdTable(rows, c, thresholds)) {
        console.log(
          `  ${t.threshold}: ${t.auto} auto, ${t.wrong} wrong, precision ${(100 * t.precision).toFixed(2)}%, coverage ${((100 * t.matchableAuto) / matchable).toFixed(1)}%`,
        );
      }
      // Per kind at the current threshold, for the report.
      const byKind = new Map<string, { matchable: number; covered: number }>();
      for (const v of variants) {
        const k = byKind.get(v.kind) ?? { matchable: 0, covered: 0 };
        if (v.matchable) k.matchable++;
        byKind.set(v.kind, k);
      }
      for (const r of rows) {
        if (r.matchable && r.y && confidenceOfRow(r, c) >= AUTO_ACCEPT_CONFIDENCE)
          byKind.get(r.kind)!.covered++;
      }
      console.log(
        `  coverage by kind: ${[...byKind].map(([k, v]) => `${k} ${v.matchable ? ((100 * v.covered) / v.matchable).toFixed(0) : "-"}%`).join(", ")}`,
      );
    }
  });
});
