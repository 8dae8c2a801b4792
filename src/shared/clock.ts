/** Time comes in through the context, so "as at" logic and tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock {
  const t = new Date(iso);
  return { now: () => new Date(t) };
}

/** Made once: building a formatter for a time zone costs far more than formatting with it. */
const UK_DAY = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date in the UK (Europe/London), which is what statutory periods count in. */
export function ukDate(d: Date): string {
  const parts = UK_DAY.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
