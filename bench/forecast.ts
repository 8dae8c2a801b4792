/**
 * `npm run bench -- forecast [--ballots 2000] [--seed 1]`: back-tests the turnout forecast
 * (src/turnout/forecast.ts) on simulated return curves (test/fixtures/turnout/simulate.ts), from the
 * returns alone and with an indicative ballot's prior, at a quarter, half, three quarters and nine tenths
 * of the ballot period: mean absolute error, band coverage and width, and how often the 50% call is right.
 */
import { parseArgs } from "node:util";
import { backtest } from "../test/fixtures/turnout/simulate.js";

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: { ballots: { type: "string", default: "2000" }, seed: { type: "string", default: "1" } },
  });
  const count = Number(values.ballots);
  const seed = Number(values.seed);
  const started = performance.now();
  const returnsOnly = backtest({ seed, count });
  const withIndicativePrior = backtest({ seed, count, withPrior: true });
  return {
    ballots: count,
    seed,
    returnsOnly,
    withIndicativePrior,
    ms: Math.round(performance.now() - started),
  };
}
