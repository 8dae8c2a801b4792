/**
 * The projected final turnout of a constituency from its returns so far, with an uncertainty band.
 * Pure: no dates, no I/O; days are counted from the opening day (day 0).
 *
 * Model. Postal returns arrive front-loaded: by the fraction τ of the ballot period gone, a share
 * S(τ) = 1 − (1 − τ)^k of the papers that will ever come back has come back, for some shape k. Each k
 * on a grid projects the final turnout from the latest return (returned / S(τ)); the shapes are weighted
 * by how well they fit the curve so far (each earlier return as a share of the latest). The central
 * forecast is the weighted mean; the band adds the spread of the shapes to an error that shrinks as the
 * ballot runs out (calibrated by the back-test, `npm run bench -- forecast`, docs/benchmarks.md).
 * A prior (an indicative ballot's turnout, less the usual fall to the statutory ballot; else the turnout
 * readiness implies, with a wider band) is combined by precision. The forecast never falls below the turnout already reached, nor above 100%.
 */

export interface ReturnPoint {
  /** Days since the opening day (0 = the opening day); the return counts papers in by the end of it. */
  day: number;
  /** Running total of papers returned. */
  returned: number;
}

export interface TurnoutPrior {
  /** Expected final turnout, percent. */
  turnout: number;
  /** Its standard deviation, percentage points. */
  sd: number;
}

export interface ForecastInput {
  entitled: number;
  /** Days from the opening day to the closing day, both counted. */
  periodDays: number;
  points: readonly ReturnPoint[];
  prior?: TurnoutPrior | null;
}

export interface Forecast {
  /** Percent of those entitled, one decimal. */
  turnout: number;
  low: number;
  high: number;
  basis: "returns" | "prior" | "returns_and_prior" | "final";
}

/** The band: central ± Z · sd, about an 80% band. */
export const BAND_Z = 1.28;
/** Percentage points of error in a projection made at τ, beyond the spread of the shapes: SPREAD · √(1 − τ). */
export const SPREAD = 14;
const SHAPES = Array.from({ length: 15 }, (_, i) => 0.5 + i * 0.25); // k = 0.5 .. 4.0
/** How closely a shape must follow the curve: the tolerance of each earlier point's share. */
const FIT_TOLERANCE = 0.06;
/** The most days a postal paper is taken to spend in the post before the first can come back. */
const POST_DAYS = 4;

export function shareBy(tau: number, k: number): number {
  if (tau <= 0) return 0;
  if (tau >= 1) return 1;
  return 1 - (1 - tau) ** k;
}

/**
 * An indicative ballot's turnout as a prior for the statutory one: turnout typically falls 7 to 22
 * points between them, so the middle of that fall, with a standard deviation covering the range.
 */
export function priorFromIndicative(indicativeTurnout: number): TurnoutPrior {
  return { turnout: Math.max(0, indicativeTurnout - 14.5), sd: 5 };
}

/** The fewest members on a constituency's indicative roll for its turnout to serve as a prior. */
export const MIN_INDICATIVE_ROLL = 10;

/** The prior from a constituency's indicative roll and votes; none from a roll under MIN_INDICATIVE_ROLL. */
export function priorFromIndicativeRoll(roll: number, voted: number): TurnoutPrior | null {
  if (roll < MIN_INDICATIVE_ROLL) return null;
  return priorFromIndicative((100 * voted) / roll);
}

/**
 * Readiness's implied turnout (readiness.ts) as a prior where no indicative ballot gives one. It is a
 * model of who can be reached, not anyone's answer, so its band is twice as wide as an indicative
 * ballot's: sd 10 points, about ± 13 at 80%, which holds the reference campaigns the model is
 * calibrated on (41% to 77.5%) within a band of their implied turnouts.
 */
export const READINESS_PRIOR_SD = 10;
/** The fewest members in a constituency for its readiness to serve as a prior. */
export const MIN_READINESS_MEMBERS = 10;

/** The prior from a constituency's readiness; none from fewer than MIN_READINESS_MEMBERS members. */
export function priorFromReadiness(impliedTurnout: number, members: number): TurnoutPrior | null {
  if (members < MIN_READINESS_MEMBERS) return null;
  return { turnout: Math.min(100, Math.max(0, impliedTurnout)), sd: READINESS_PRIOR_SD };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function band(central: number, sd: number, floor: number): Forecast & { sd: number } {
  const c = Math.min(100, Math.max(floor, central));
  return {
    turnout: round1(c),
    low: round1(Math.min(c, Math.max(floor, c - BAND_Z * sd))),
    high: round1(Math.max(c, Math.min(100, c + BAND_Z * sd))),
    basis: "returns",
    sd,
  };
}

export function forecastTurnout(input: ForecastInput): Forecast | null {
  const { entitled, periodDays } = input;
  if (entitled <= 0 || periodDays <= 0) return null;
  const points = [...input.points].filter((p) => p.day >= 0).sort((a, b) => a.day - b.day);
  const last = points.at(-1);
  const now = last ? (100 * last.returned) / entitled : 0;
  const prior = input.prior ?? null;
  if (last && last.day + 1 >= periodDays) {
    return { turnout: round1(now), low: round1(now), high: round1(now), basis: "final" };
  }
  if (!last || last.returned === 0) {
    if (!prior) return null;
    const { sd: _sd, ...f } = band(prior.turnout, prior.sd, now);
    return { ...f, basis: "prior" };
  }
  const tau = (last.day + 1) / periodDays;
  const earlier = points.filter((p) => p !== last && p.returned > 0);
  // Papers take days in the post: a shape may start up to POST_DAYS late, never after the first paper came in.
  const firstIn = points.find((p) => p.returned > 0)!.day;
  const projections: { final: number; weight: number }[] = [];
  for (let delay = 0; delay <= Math.min(POST_DAYS, firstIn); delay++) {
    const span = periodDays - delay;
    const at = (day: number) => (day + 1 - delay) / span;
    for (const k of SHAPES) {
      const s = shareBy(at(last.day), k);
      if (s <= 0) continue;
      let sse = 0;
      for (const p of earlier) sse += (p.returned / last.returned - shareBy(at(p.day), k) / s) ** 2;
      projections.push({ final: Math.min(100, now / s), weight: Math.exp(-sse / (2 * FIT_TOLERANCE ** 2)) });
    }
  }
  let total = projections.reduce((a, p) => a + p.weight, 0);
  if (!(total > 0)) {
    for (const p of projections) p.weight = 1;
    total = projections.length;
  }
  const mean = projections.reduce((a, p) => a + p.weight * p.final, 0) / total;
  const spread = projections.reduce((a, p) => a + p.weight * (p.final - mean) ** 2, 0) / total;
  const sd = Math.sqrt(spread + (SPREAD * Math.sqrt(1 - tau)) ** 2);
  if (!prior) {
    const { sd: _sd, ...f } = band(mean, sd, now);
    return f;
  }
  const wCurve = 1 / sd ** 2;
  const wPrior = 1 / Math.max(0.5, prior.sd) ** 2;
  const combined = (mean * wCurve + prior.turnout * wPrior) / (wCurve + wPrior);
  const { sd: _sd, ...f } = band(combined, Math.sqrt(1 / (wCurve + wPrior)), now);
  return { ...f, basis: "returns_and_prior" };
}
