/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD). Statutory periods count in
 * whole UK calendar days, so dates never carry a time or a zone: every
 * computation runs on UTC midnights and returns a plain date string.
 */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function toUtc(date: IsoDate): Date {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Calendar months; a day that does not exist in the target month falls back to its last day (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = toUtc(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return fromUtc(d);
}

export interface MonthsPeriodEnd {
  /** The last day of the period. */
  lastDay: IsoDate;
  /** The end month has no day with the start day's number (31 August + 6 months): see decision 0012. */
  noCorrespondingDay: boolean;
}

/**
 * The last day of a period of `months` months "beginning with" `start` (decision 0012). The
 * corresponding-date rule (Dodds v Walker [1981] 1 WLR 1441 HL): a period of months after a day ends on the
 * day with the same number in the later month, or, where that month has no such day, on its last day. A
 * period "beginning with" a day counts that day (Zoan v Rouamba [2000] 1 WLR 1509 CA), so it ends one day
 * earlier: on the day before the corresponding day. Where the end month has no corresponding day, the
 * period ends on that month's last day (6 months beginning with 31 August end on 28 or 29 February), not
 * the day before it: the months then run out at the end of that month.
 */
export function lastDayOfMonthsBeginningWith(start: IsoDate, months: number): MonthsPeriodEnd {
  const d = toUtc(start);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  if (day > last) {
    target.setUTCDate(last);
    return { lastDay: fromUtc(target), noCorrespondingDay: true };
  }
  target.setUTCDate(day);
  return { lastDay: addDays(fromUtc(target), -1), noCorrespondingDay: false };
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}
