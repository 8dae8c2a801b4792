/**
 * Dates on ballot documents, written the UK way ("7 December 2026"). Pure
 * string work on `YYYY-MM-DD`: no Date in local time, so the machine's time
 * zone can never move a printed date by a day.
 */

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(iso: string): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(iso);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const t = new Date(Date.UTC(year, month - 1, day));
    if (t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new Error(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
}

/** "2026-12-07" → "7 December 2026". Throws on anything that is not a real calendar date. */
export function formatUkDate(iso: string): string {
  const { year, month, day } = parts(iso);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** Midnight UTC at the start of the date: the PDF creation date, fixed by the input rather than the clock. */
export function startOfDayUtc(iso: string): Date {
  const { year, month, day } = parts(iso);
  return new Date(Date.UTC(year, month - 1, day));
}

/** Checks an ISO date and returns it, so inputs fail loudly before anything is drawn. */
export function assertIsoDate(iso: string, field: string): string {
  try {
    parts(iso);
  } catch {
    throw new Error(`${field} is not a calendar date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  }
  return iso;
}
