/**
 * Votes still needed, per constituency and rolled up, and the constituencies ranked by how winnable
 * they are. Pure: the thresholds come from the law module (thresholdsFor), the dates and figures from
 * the caller. Never how anyone voted: only papers returned and members' own reports of whether they
 * will vote.
 */
import { daysBetween, type Thresholds, votesForPercent } from "../law/index.js";
import { type Forecast, forecastTurnout, type TurnoutPrior } from "./forecast.js";

export const TURNOUT_STATUSES = ["safe", "on_track", "at_risk", "lost"] as const;
export type TurnoutStatus = (typeof TURNOUT_STATUSES)[number];

export interface Group {
  id: number;
  name: string;
}

export interface ConstituencyInput {
  ballotId: number;
  name: string;
  entitled: number;
  openingDate: string;
  closingDate: string;
  thresholds: Pick<Thresholds, "turnout" | "support" | "regime" | "jurisdiction">;
  /** The scrutineer's returns up to today, any order. */
  returns: readonly { date: string; papersReturned: number }[];
  /** Members whose latest own report is that they will not vote. */
  wontVote: number;
  prior?: TurnoutPrior | null;
  groups: { employers: Group[]; workplaces: Group[]; regions: Group[]; sectors: Group[] };
}

export interface ConstituencyTurnout {
  ballotId: number;
  name: string;
  regime: string;
  entitled: number;
  returned: number;
  /** The date of the latest return, or null before the first. */
  asOf: string | null;
  /** Percent, two decimals. */
  turnout: number;
  /** The turnout threshold's percent, or null where none applies. */
  turnoutThreshold: number | null;
  /** More papers needed to reach the turnout threshold; null where none applies. */
  votesNeeded50: number | null;
  /** Yes votes the 40% rule needs in all; null where it does not apply. */
  yesNeeded40: number | null;
  /** Days from today to the closing day, both counted; 0 once closed. */
  daysLeft: number;
  /** Papers a day needed from today to reach the threshold; null where nothing is needed or no day is left. */
  requiredDailyRate: number | null;
  /** Papers a day over the last week of returns (or since opening); null before two figures exist. */
  currentDailyRate: number | null;
  /** Entitled members who have not returned a paper and have not said they won't vote. */
  reachable: number;
  /** 0 (lost) to 1 (nothing more needed): the share of reachable members still needed, slowed by the pace needed against the pace so far. */
  winnability: number;
  /** 1 = where effort counts most: the most winnable of the constituencies still short. */
  rank: number;
  forecast: Forecast | null;
  status: TurnoutStatus;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Days since 1970-01-01 of an ISO date, remembered: a national dispute's status counts days between the
 * same few dozen dates hundreds of thousands of times, and each count through the law module's
 * calendar checks parses and validates both dates again. The first sight of a date goes through it
 * (so a malformed date still throws); later ones are a map lookup.
 */
const dayNumbers = new Map<string, number>();
function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = daysBetween("1970-01-01", date);
    if (dayNumbers.size >= 10_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}
const daysFromTo = (a: string, b: string) => dayNumber(b) - dayNumber(a);

/** Days left counted from today (or the opening day, if later) to the closing day, both included. */
export function daysLeft(today: string, openingDate: string, closingDate: string): number {
  if (today > closingDate) return 0;
  const from = today < openingDate ? openingDate : today;
  return daysFromTo(from, closingDate) + 1;
}

/** Papers a day over the last 7 days of returns, or since the opening day when there is one return. */
export function currentDailyRate(
  openingDate: string,
  returns: readonly { date: string; papersReturned: number }[],
): number | null {
  const inOrder = returns.every((r, i) => i === 0 || returns[i - 1]!.date <= r.date);
  const sorted = inOrder ? returns : [...returns].sort((a, b) => (a.date < b.date ? -1 : 1));
  const last = sorted.at(-1);
  if (!last) return null;
  const lastDay = dayNumber(last.date);
  let since: (typeof sorted)[number] | undefined;
  for (let i = sorted.length - 1; i >= 0; i--)
    if (lastDay - dayNumber(sorted[i]!.date) >= 7) {
      since = sorted[i];
      break;
    }
  if (since) return round2((last.papersReturned - since.papersReturned) / daysFromTo(since.date, last.date));
  const base = sorted.length > 1 ? sorted[0]! : null;
  if (base && daysFromTo(base.date, last.date) > 0)
    return round2((last.papersReturned - base.papersReturned) / daysFromTo(base.date, last.date));
  return round2(last.papersReturned / (daysFromTo(openingDate, last.date) + 1));
}

/**
 * safe: the threshold is met (or none applies), or even the low end of the band reaches it;
 * on_track: the forecast reaches it; at_risk: only the high end does, or there is no forecast yet;
 * lost: the ballot closed short, more votes are needed than members can still give, or even the high
 * end falls short.
 */
export function statusOf(
  c: Pick<ConstituencyTurnout, "votesNeeded50" | "turnoutThreshold" | "daysLeft" | "reachable" | "forecast">,
): TurnoutStatus {
  if (c.votesNeeded50 === null || c.votesNeeded50 === 0 || c.turnoutThreshold === null) return "safe";
  if (c.daysLeft === 0 || c.votesNeeded50 > c.reachable) return "lost";
  const f = c.forecast;
  if (!f) return "at_risk";
  if (f.basis === "final") return "lost";
  if (f.low >= c.turnoutThreshold) return "safe";
  if (f.turnout >= c.turnoutThreshold) return "on_track";
  if (f.high >= c.turnoutThreshold) return "at_risk";
  return "lost";
}

export function winnability(
  c: Pick<
    ConstituencyTurnout,
    "votesNeeded50" | "reachable" | "daysLeft" | "requiredDailyRate" | "currentDailyRate"
  >,
): number {
  if (c.votesNeeded50 === null || c.votesNeeded50 === 0) return 1;
  if (c.daysLeft === 0 || c.reachable <= 0 || c.votesNeeded50 > c.reachable) return 0;
  const effort = c.votesNeeded50 / c.reachable;
  // No pace yet: take it as needing twice what is happening.
  const pace =
    c.currentDailyRate && c.currentDailyRate > 0 && c.requiredDailyRate !== null
      ? c.requiredDailyRate / c.currentDailyRate
      : 2;
  return Math.round(((1 - effort) / Math.max(1, pace)) * 1000) / 1000;
}

export function constituencyTurnout(
  input: ConstituencyInput,
  today: string,
): Omit<ConstituencyTurnout, "rank"> {
  const returns = input.returns.filter((r) => r.date <= today).sort((a, b) => (a.date < b.date ? -1 : 1));
  const last = returns.at(-1) ?? null;
  const returned = last?.papersReturned ?? 0;
  const { turnout: t, support } = input.thresholds;
  const votesNeeded50 = t ? Math.max(0, votesForPercent(input.entitled, t.percent) - returned) : null;
  const yesNeeded40 = support ? votesForPercent(input.entitled, support.percent) : null;
  const left = daysLeft(today, input.openingDate, input.closingDate);
  const requiredDailyRate = votesNeeded50 && left > 0 ? round2(votesNeeded50 / left) : null;
  const rate = currentDailyRate(input.openingDate, returns);
  const reachable = Math.max(0, input.entitled - returned - input.wontVote);
  const periodDays = daysFromTo(input.openingDate, input.closingDate) + 1;
  const forecast = forecastTurnout({
    entitled: input.entitled,
    periodDays,
    points: returns.map((r) => ({ day: daysFromTo(input.openingDate, r.date), returned: r.papersReturned })),
    prior: input.prior ?? null,
  });
  // Once closed, the last return is the turnout.
  const closedForecast =
    left === 0 && forecast && forecast.basis !== "final"
      ? {
          turnout: round1(pct(returned, input.entitled)),
          low: round1(pct(returned, input.entitled)),
          high: round1(pct(returned, input.entitled)),
          basis: "final" as const,
        }
      : forecast;
  const base = {
    ballotId: input.ballotId,
    name: input.name,
    regime: input.thresholds.regime,
    entitled: input.entitled,
    returned,
    asOf: last?.date ?? null,
    turnout: round2(pct(returned, input.entitled)),
    turnoutThreshold: t?.percent ?? null,
    votesNeeded50,
    yesNeeded40,
    daysLeft: left,
    requiredDailyRate,
    currentDailyRate: rate,
    reachable,
    forecast: closedForecast,
  };
  return { ...base, winnability: winnability(base), status: statusOf(base) };
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Ranked: first those still short, most winnable first (then fewer votes needed); then those with nothing to win. */
export function rankConstituencies(list: Omit<ConstituencyTurnout, "rank">[]): ConstituencyTurnout[] {
  const short = (c: Omit<ConstituencyTurnout, "rank">) => (c.votesNeeded50 ?? 0) > 0 && c.status !== "lost";
  const sorted = [...list].sort(
    (a, b) =>
      Number(short(b)) - Number(short(a)) ||
      Number(b.status !== "lost") - Number(a.status !== "lost") ||
      b.winnability - a.winnability ||
      (a.votesNeeded50 ?? 0) - (b.votesNeeded50 ?? 0) ||
      a.name.localeCompare(b.name),
  );
  return sorted.map((c, i) => ({ ...c, rank: i + 1 }));
}

export interface Rollup {
  id: number;
  name: string;
  constituencies: number;
  entitled: number;
  returned: number;
  /** Percent of the entitled in these constituencies. */
  turnout: number;
  /** Summed over the constituencies where a turnout threshold applies. */
  votesNeeded50: number;
  byStatus: Record<TurnoutStatus, number>;
}

/**
 * Figures by employer, workplace, region or sector. A constituency counts in every group it covers (an
 * aggregated ballot of two employers in both employers' rows), so the rows of one dimension may overlap.
 */
export function rollUp(
  list: readonly ConstituencyTurnout[],
  groupsOf: (c: ConstituencyTurnout) => Group[],
): Rollup[] {
  const rows = new Map<number, Rollup>();
  for (const c of list) {
    for (const g of groupsOf(c)) {
      const r =
        rows.get(g.id) ??
        ({
          id: g.id,
          name: g.name,
          constituencies: 0,
          entitled: 0,
          returned: 0,
          turnout: 0,
          votesNeeded50: 0,
          byStatus: { safe: 0, on_track: 0, at_risk: 0, lost: 0 },
        } satisfies Rollup);
      r.constituencies++;
      r.entitled += c.entitled;
      r.returned += c.returned;
      r.votesNeeded50 += c.votesNeeded50 ?? 0;
      r.byStatus[c.status]++;
      rows.set(g.id, r);
    }
  }
  return [...rows.values()]
    .map((r) => ({ ...r, turnout: round2(pct(r.returned, r.entitled)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
