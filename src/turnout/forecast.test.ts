import assert from "node:assert/strict";
import { test } from "node:test";
import { backtest } from "../../test/fixtures/turnout/simulate.js";
import {
  BAND_Z,
  forecastTurnout,
  MIN_INDICATIVE_ROLL,
  MIN_READINESS_MEMBERS,
  priorFromIndicative,
  priorFromIndicativeRoll,
  priorFromReadiness,
  READINESS_PRIOR_SD,
} from "./forecast.js";

test("no returns and no prior: no forecast; a prior alone gives its own band", () => {
  assert.equal(forecastTurnout({ entitled: 100, periodDays: 28, points: [] }), null);
  const f = forecastTurnout({ entitled: 100, periodDays: 28, points: [], prior: priorFromIndicative(70) });
  assert.equal(f?.basis, "prior");
  assert.equal(f?.turnout, 55.5);
  assert.ok(f!.low < 55.5 && f!.high > 55.5);
});

test("a curve projects beyond what is in, never below it, and the band narrows as the ballot runs", () => {
  const early = forecastTurnout({ entitled: 1000, periodDays: 28, points: [{ day: 6, returned: 200 }] })!;
  const later = forecastTurnout({
    entitled: 1000,
    periodDays: 28,
    points: [
      { day: 6, returned: 200 },
      { day: 13, returned: 320 },
      { day: 20, returned: 380 },
    ],
  })!;
  assert.ok(early.turnout > 20 && early.low >= 20);
  assert.ok(later.turnout >= 38 && later.low >= 38);
  assert.ok(later.high - later.low < early.high - early.low);
  const final = forecastTurnout({ entitled: 1000, periodDays: 28, points: [{ day: 27, returned: 512 }] })!;
  assert.deepEqual(final, { turnout: 51.2, low: 51.2, high: 51.2, basis: "final" });
});

test("back-test on 400 simulated return curves: the error stays under its bounds", () => {
  const curve = backtest({ seed: 7, count: 400 });
  const prior = backtest({ seed: 7, count: 400, withPrior: true });
  const at = (rows: typeof curve, x: number) => rows.find((r) => r.at === x)!;
  // Figures of the full run are in docs/benchmarks.md; these bounds leave room for the seed.
  assert.ok(at(curve, 0.5).meanAbsoluteError < 13, JSON.stringify(curve));
  assert.ok(at(curve, 0.9).meanAbsoluteError < 9, JSON.stringify(curve));
  assert.ok(at(curve, 0.5).coverage > 0.6, JSON.stringify(curve));
  for (const r of prior) assert.ok(r.meanAbsoluteError < 5.5, JSON.stringify(prior));
  assert.ok(at(prior, 0.5).coverage > 0.7, JSON.stringify(prior));
});

test("an indicative roll under ten members gives no prior; from ten, its turnout less the usual fall", () => {
  assert.equal(MIN_INDICATIVE_ROLL, 10);
  assert.equal(priorFromIndicativeRoll(9, 9), null);
  assert.deepEqual(priorFromIndicativeRoll(10, 7), priorFromIndicative(70));
  assert.equal(priorFromIndicativeRoll(20, 1)?.turnout, 0);
});

test("readiness as the prior: its implied turnout, from ten members, with a band twice an indicative ballot's", () => {
  assert.equal(MIN_READINESS_MEMBERS, 10);
  assert.equal(priorFromReadiness(55, 9), null);
  assert.deepEqual(priorFromReadiness(55, 10), { turnout: 55, sd: READINESS_PRIOR_SD });
  assert.equal(READINESS_PRIOR_SD, 2 * priorFromIndicative(70).sd);
  // Before any return: the implied turnout, ± 1.28 sd (80%).
  const readiness = forecastTurnout({
    entitled: 400,
    periodDays: 28,
    points: [],
    prior: priorFromReadiness(55, 400),
  })!;
  assert.deepEqual(readiness, {
    turnout: 55,
    low: 55 - BAND_Z * READINESS_PRIOR_SD,
    high: 55 + BAND_Z * READINESS_PRIOR_SD,
    basis: "prior",
  });
  // The same expected turnout from an indicative ballot (69.5 less the usual fall) has half the band.
  const indicative = forecastTurnout({
    entitled: 400,
    periodDays: 28,
    points: [],
    prior: priorFromIndicative(69.5),
  })!;
  assert.equal(indicative.turnout, 55);
  assert.ok(readiness.high - readiness.low > 1.9 * (indicative.high - indicative.low));
});

test("with returns, the wider readiness prior pulls the curve's projection less than an indicative one", () => {
  const points = [
    { day: 3, returned: 60 },
    { day: 6, returned: 110 },
  ];
  const curve = forecastTurnout({ entitled: 400, periodDays: 28, points })!;
  const readiness = forecastTurnout({
    entitled: 400,
    periodDays: 28,
    points,
    prior: priorFromReadiness(75, 400),
  })!;
  const indicative = forecastTurnout({
    entitled: 400,
    periodDays: 28,
    points,
    prior: priorFromIndicative(89.5),
  })!;
  assert.equal(readiness.basis, "returns_and_prior");
  // Both priors say 75%: each pulls the projection up, the indicative ballot's further.
  assert.ok(curve.turnout < readiness.turnout, `${curve.turnout} < ${readiness.turnout}`);
  assert.ok(readiness.turnout < indicative.turnout, `${readiness.turnout} < ${indicative.turnout}`);
  assert.ok(readiness.high - readiness.low > indicative.high - indicative.low);
  // Never below what is in already (27.5%), however low the readiness.
  const low = forecastTurnout({ entitled: 400, periodDays: 28, points, prior: priorFromReadiness(5, 400) })!;
  assert.ok(low.turnout >= 27.5 && low.low >= 27.5);
});
