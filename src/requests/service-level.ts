/**
 * Service levels of requests for assistance (decisions/0031), pure: when a first answer is due, whether
 * the level was met, and the median and 90th percentile of times. No I/O: tested directly.
 */
export const URGENCIES = ["critical", "high", "normal", "low"] as const;
export type Urgency = (typeof URGENCIES)[number];

export const SERVICE_LEVEL_UNITS = ["hours", "working_days"] as const;
export type ServiceLevelUnit = (typeof SERVICE_LEVEL_UNITS)[number];

export interface ServiceLevel {
  amount: number;
  unit: ServiceLevelUnit;
}

/** What a union gets until it sets its own: critical 4 hours, high 1 working day, normal 3, low 10. */
export const DEFAULT_SERVICE_LEVELS: Record<Urgency, ServiceLevel> = {
  critical: { amount: 4, unit: "hours" },
  high: { amount: 1, unit: "working_days" },
  normal: { amount: 3, unit: "working_days" },
  low: { amount: 10, unit: "working_days" },
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When the first answer is due. Hours are clock hours; working days skip weekends and bank holidays (as
 * `isWorkingDay` says, by UK calendar date): the same time of day on the nth working day after the day
 * raised. `ukDateOf` turns an instant into its UK calendar date.
 */
export function dueAt(
  raisedAt: Date,
  level: ServiceLevel,
  isWorkingDay: (isoDate: string) => boolean,
  ukDateOf: (d: Date) => string,
): Date {
  if (level.unit === "hours") return new Date(raisedAt.getTime() + level.amount * HOUR);
  let counted = 0;
  let days = 0;
  // A year of calendar days is far more than any service level of at most 1,000 working days needs... but bounded.
  while (counted < level.amount && days < 2000) {
    days++;
    if (isWorkingDay(ukDateOf(new Date(raisedAt.getTime() + days * DAY)))) counted++;
  }
  return new Date(raisedAt.getTime() + days * DAY);
}

export type ServiceLevelState = "waiting" | "met" | "missed";

/** Met: first answered by the due time; missed: answered late, or still unanswered after it. */
export function serviceLevelState(
  r: { dueAt: Date; firstAnsweredAt: Date | null },
  now: Date,
): ServiceLevelState {
  if (r.firstAnsweredAt) return r.firstAnsweredAt.getTime() <= r.dueAt.getTime() ? "met" : "missed";
  return now.getTime() > r.dueAt.getTime() ? "missed" : "waiting";
}

/** The pth percentile (0 to 100) by the nearest-rank method; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Hours between two instants, one decimal. */
export function hoursBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / HOUR) * 10) / 10;
}
