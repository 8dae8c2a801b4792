/**
 * Disclosure control of the aggregates a union shares with its coalition (pure, no I/O).
 *
 * The rules statistical offices use for tables of people:
 * - a count of 7 or fewer is suppressed (published as null, "fewer than 10");
 * - every other count is perturbed by noise from the cell key, then rounded to base 5; a figure that comes
 *   out below 10 is suppressed too, so no published figure ever reads as a count of 7 or fewer;
 * - the noise is the same for the same set of members every time (the "cell key" method): it is drawn
 *   from a keyed hash (HMAC-SHA256 under the union's secret disclosure key) of the cell's sorted member ids.
 *   Asking again, or publishing again tomorrow with the same members, gives the same figure, so repeated
 *   releases cannot be averaged; a cell whose members changed gets fresh noise, so comparing two releases
 *   (differencing) shows a multiple of 5 that may be 0, 5 or 10 whether one member joined or none did.
 *   The key is the union's own and never leaves its installation, so no one else can recompute the noise;
 * - totals are recomputed from the published cells (suppressed cells count 0), so "total minus the other
 *   parts" gives back only what the parts already say.
 * The member ids never leave this module: a release carries counts only.
 */
import { createHmac } from "node:crypto";

/** Counts at or below this are never published. */
export const SUPPRESS_AT_OR_BELOW = 7;
/** Published counts are multiples of this. */
export const ROUNDING_BASE = 5;
/** The largest noise added before rounding (either way). */
export const NOISE_MAX = 2;
/** A yes share is given only for results with more votes than this. */
const MIN_VOTES_FOR_SHARE = 7;

export const BREAKDOWNS = ["employer", "sector", "region"] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export type CellMandate = "yes" | "no" | "pending" | "mixed";

export interface CellInput {
  /** A key the coalition can join on: an employer's register code, a sector's or region's code. */
  key: string;
  label: string;
  /** Members entitled to vote in the union's coalition ballots who fall in this cell. */
  entitled: readonly number[];
  /** Those of them whose paper is known to be returned. */
  returned: readonly number[];
  /** Declared results of the ballots covering the cell (whole constituencies, as published under s.231). */
  results: readonly { yes: number; no: number; mandate: boolean }[];
  /** Ballots covering the cell whose result is still awaited. */
  pendingBallots: number;
}

export interface PublishedCell {
  key: string;
  label: string;
  /** Null when suppressed. */
  entitled: number | null;
  returned: number | null;
  /** Percent of the published entitled, whole number; null when either count is suppressed. */
  turnout: number | null;
  /** Percent Yes among Yes and No in the covering ballots' declared results; null before a result. */
  yesShare: number | null;
  mandate: CellMandate;
}

export interface BreakdownTotals {
  entitled: number;
  returned: number;
  turnout: number | null;
  /** Cells left out of the totals because they are suppressed. */
  suppressedCells: number;
}

export interface AggregateRelease {
  breakdowns: Record<Breakdown, PublishedCell[]>;
  totals: Record<Breakdown, BreakdownTotals>;
}

/** The cell key: a number from the keyed hash of the sorted member ids, the same for the same set every time. */
export function cellKey(memberIds: readonly number[], secret: Uint8Array): number {
  const sorted = [...new Set(memberIds)].sort((a, b) => a - b);
  const mac = createHmac("sha256", secret).update(sorted.join(",")).digest();
  return mac.readUInt32BE(0);
}

/** The noise of a cell: -2..+2, uniform over cell keys. */
export function cellNoise(memberIds: readonly number[], secret: Uint8Array): number {
  return (cellKey(memberIds, secret) % (2 * NOISE_MAX + 1)) - NOISE_MAX;
}

function roundToBase(n: number): number {
  return Math.round(n / ROUNDING_BASE) * ROUNDING_BASE;
}

/** The published figure of a set of members, or null when suppressed. */
export function protectedCount(memberIds: readonly number[], secret: Uint8Array): number | null {
  const n = new Set(memberIds).size;
  if (n <= SUPPRESS_AT_OR_BELOW) return null;
  const value = roundToBase(n + cellNoise(memberIds, secret));
  return value < 2 * ROUNDING_BASE ? null : value;
}

function percent(part: number, whole: number): number {
  return Math.min(100, Math.round((part / whole) * 100));
}

function mandateOf(cell: CellInput): CellMandate {
  const declared = cell.results.map((r) => (r.mandate ? "yes" : "no"));
  const states = new Set<string>([...declared, ...(cell.pendingBallots > 0 ? ["pending"] : [])]);
  if (states.size === 0) return "pending";
  if (states.size > 1) return "mixed";
  return [...states][0] as CellMandate;
}

export function protectCell(cell: CellInput, secret: Uint8Array): PublishedCell {
  const entitled = protectedCount(cell.entitled, secret);
  const returned = protectedCount(cell.returned, secret);
  const yes = cell.results.reduce((s, r) => s + r.yes, 0);
  const votes = cell.results.reduce((s, r) => s + r.yes + r.no, 0);
  return {
    key: cell.key,
    label: cell.label,
    entitled,
    returned,
    turnout: entitled !== null && returned !== null && entitled > 0 ? percent(returned, entitled) : null,
    yesShare: votes > MIN_VOTES_FOR_SHARE ? percent(yes, votes) : null,
    mandate: mandateOf(cell),
  };
}

/**
 * Totals from the published cells only: nothing suppressed can be recovered by subtracting parts. The
 * turnout is over the cells whose entitled and returned are both published (null when none is), so a
 * withheld "returned" never reads as a turnout of 0%.
 */
export function totalsOf(cells: readonly PublishedCell[]): BreakdownTotals {
  const entitled = cells.reduce((s, c) => s + (c.entitled ?? 0), 0);
  const both = cells.filter((c) => c.entitled !== null && c.returned !== null);
  const returned = both.reduce((s, c) => s + c.returned!, 0);
  const base = both.reduce((s, c) => s + c.entitled!, 0);
  return {
    entitled,
    returned,
    turnout: base > 0 ? percent(returned, base) : null,
    suppressedCells: cells.filter((c) => c.entitled === null).length,
  };
}

export function discloseAggregates(
  cells: Record<Breakdown, readonly CellInput[]>,
  secret: Uint8Array,
): AggregateRelease {
  const breakdowns = {} as Record<Breakdown, PublishedCell[]>;
  const totals = {} as Record<Breakdown, BreakdownTotals>;
  for (const b of BREAKDOWNS) {
    breakdowns[b] = cells[b]
      .map((c) => protectCell(c, secret))
      .sort((x, y) => x.label.localeCompare(y.label) || x.key.localeCompare(y.key));
    totals[b] = totalsOf(breakdowns[b]);
  }
  return { breakdowns, totals };
}
