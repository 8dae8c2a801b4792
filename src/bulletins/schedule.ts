/**
 * When scheduled digests are due (decisions/0037). Pure. A union's digests cover periods that end at
 * an hour of UK local time (Europe/London, so 08:00 stays 08:00 across the clock changes): every day
 * (daily), or on one weekday (weekly). A period runs from one such end to the next, so across a clock
 * change a daily period is 23 or 25 hours long.
 */

export type DigestFrequency = "daily" | "weekly";

export interface DigestTimes {
  frequency: DigestFrequency;
  /** 0–23, UK local time. */
  hour: number;
  /** ISO weekday, 1 Monday to 7 Sunday (weekly only). */
  weekday: number;
}

export interface DigestPeriod {
  frequency: DigestFrequency;
  start: Date;
  end: Date;
}

const LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  hourCycle: "h23",
});

interface LocalDay {
  y: number;
  m: number;
  d: number;
}

function localParts(t: Date): LocalDay & { h: number } {
  const parts = LONDON.formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour") };
}

/** The day `n` days after this one (calendar arithmetic, no time zone). */
function addDays(day: LocalDay, n: number): LocalDay {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** ISO weekday of a calendar day. */
function weekdayOf(day: LocalDay): number {
  const w = new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/**
 * The instant the UK clock shows `hour`:00 on this day. The UK is on UTC or one hour ahead, so the
 * instant is that hour read as UTC, or an hour before it. An hour the spring change skips (01:00)
 * is the instant of the change (02:00 BST); an hour the autumn change repeats is its first showing.
 */
export function ukHour(day: LocalDay, hour: number): Date {
  const asUtc = Date.UTC(day.y, day.m - 1, day.d, hour);
  for (const t of [asUtc - 3_600_000, asUtc]) {
    const p = localParts(new Date(t));
    if (p.y === day.y && p.m === day.m && p.d === day.d && p.h === hour) return new Date(t);
  }
  return new Date(asUtc);
}

/** The ends of periods are on these days: every day, or the weekday. */
function isEndDay(times: DigestTimes, day: LocalDay): boolean {
  return times.frequency === "daily" || weekdayOf(day) === times.weekday;
}

const step = (times: DigestTimes) => (times.frequency === "daily" ? 1 : 7);

/** The latest period end at or before `now`. */
function latestEnd(times: DigestTimes, now: Date): { day: LocalDay; at: Date } {
  let day: LocalDay = localParts(now);
  for (let i = 0; i < 8 && !isEndDay(times, day); i++) day = addDays(day, -1);
  let at = ukHour(day, times.hour);
  if (at.getTime() > now.getTime()) {
    day = addDays(day, -step(times));
    at = ukHour(day, times.hour);
  }
  return { day, at };
}

/** The period that ended last, at or before `now`: the one a run at `now` makes. */
export function latestPeriod(times: DigestTimes, now: Date): DigestPeriod {
  const end = latestEnd(times, now);
  return {
    frequency: times.frequency,
    start: ukHour(addDays(end.day, -step(times)), times.hour),
    end: end.at,
  };
}

/** The next period end after `now`: when the next run is due. */
export function nextRun(times: DigestTimes, now: Date): Date {
  const end = latestEnd(times, now);
  return ukHour(addDays(end.day, step(times)), times.hour);
}
