/**
 * Weekends and UK bank holidays against statutory deadlines: an annotation
 * only. The law's deadlines count calendar days (a notice "received no later
 * than the 7th day before the opening day"), so nothing here moves a date;
 * it tells the union when a notice must reach an employer on a day its
 * offices may be shut, so it can be delivered earlier.
 *
 * Bank holidays differ by nation (Banking and Financial Dealings Act 1971,
 * Sch.1; St Andrew's Day in Scotland, St Patrick's Day and the Battle of the
 * Boyne in Northern Ireland). They come from the date-holidays package, public
 * holidays only (type "public"), read once per nation and year.
 */
import Holidays from "date-holidays";
import { formatUkDate } from "../notices/index.js";
import { addDays, type IsoDate } from "./dates.js";

export const NATIONS = ["england", "wales", "scotland", "northern_ireland"] as const;
export type Nation = (typeof NATIONS)[number];

const REGION: Record<Nation, string> = {
  england: "ENG",
  wales: "WLS",
  scotland: "SCT",
  northern_ireland: "NIR",
};

export const NATION_LABEL: Record<Nation, string> = {
  england: "England",
  wales: "Wales",
  scotland: "Scotland",
  northern_ireland: "Northern Ireland",
};

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

const cache = new Map<string, Map<IsoDate, string>>();

/** The public bank holidays of a nation in a year, by date. */
export function bankHolidays(nation: Nation, year: number): Map<IsoDate, string> {
  const key = `${nation}:${year}`;
  let days = cache.get(key);
  if (!days) {
    days = new Map();
    const hd = new Holidays("GB", REGION[nation]);
    for (const h of hd.getHolidays(year) ?? []) {
      if (h.type !== "public") continue;
      const date = h.date.slice(0, 10);
      const name = h.name.replace(/\u2019/g, "'");
      days.set(date, days.has(date) ? `${days.get(date)}; ${name}` : name);
    }
    cache.set(key, days);
  }
  return days;
}

/** The day of the week of an ISO date (no time zone involved). */
export function weekday(date: IsoDate): (typeof WEEKDAYS)[number] {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** Why a date is not a working day in a nation ("Saturday", "Christmas Day (bank holiday)"), or null. */
export function nonWorkingReason(date: IsoDate, nation: Nation): string | null {
  const day = weekday(date);
  const holiday = bankHolidays(nation, Number(date.slice(0, 4))).get(date);
  if (holiday) return `${holiday} (bank holiday in ${NATION_LABEL[nation]})`;
  if (day === "Saturday" || day === "Sunday") return day;
  return null;
}

export interface DayNote {
  date: IsoDate;
  weekday: string;
  /** The nations in which the date is not a working day, with the reason. */
  nonWorking: { nation: Nation; reason: string }[];
}

/** The weekday of a date and, for each nation given, why it is not a working day there. */
export function dayNote(date: IsoDate, nations: readonly Nation[]): DayNote {
  return {
    date,
    weekday: weekday(date),
    nonWorking: nations.flatMap((nation) => {
      const reason = nonWorkingReason(date, nation);
      return reason ? [{ nation, reason }] : [];
    }),
  };
}

/** The last working day in the nation on or before the date. */
export function workingDayOnOrBefore(date: IsoDate, nation: Nation): IsoDate {
  let d = date;
  for (let i = 0; i < 14 && nonWorkingReason(d, nation); i++) d = addDays(d, -1);
  return d;
}

const RECEIPT_LABEL: Record<string, string> = {
  ballot_notice: "The notice of ballot",
  sample_paper: "The sample voting paper",
  result_employer: "The result of the ballot",
  action_notice: "The notice of industrial action",
};

/**
 * A warning for each notice an employer must receive on a day that is not a
 * working day in the employer's nation, with the last working day before it.
 */
export function receiptWarnings(due: { kind: string; dueBy: IsoDate | null }[], nation: Nation): string[] {
  return due.flatMap(({ kind, dueBy }) => {
    if (!dueBy) return [];
    const reason = nonWorkingReason(dueBy, nation);
    if (!reason) return [];
    const earlier = workingDayOnOrBefore(dueBy, nation);
    return [
      `${RECEIPT_LABEL[kind] ?? kind} must be received by ${weekday(dueBy)} ${formatUkDate(dueBy)}, not a working day in ${NATION_LABEL[nation]} (${reason}): plan for it to arrive by ${weekday(earlier)} ${formatUkDate(earlier)}. The statutory date itself is unchanged.`,
    ];
  });
}
