/** Display formats: numbers as 12,345 and dates as "27 Nov 2026" (en-GB). */

export const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString("en-GB");
}

/** A calendar date ("2026-11-27", or a timestamp's date part) as "27 Nov 2026"; no time-zone shift. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

/** A timestamp in the browser's time zone, as "27 Nov 2026, 14:05:09". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

let serverToday: string | null = null;

/** Set from the session: the server's clock decides what "today" is, whatever the browser's clock says. */
export function setServerToday(today: string | null): void {
  serverToday = today;
}

/** Today as YYYY-MM-DD: the server's date once signed in, else the browser's. */
export function todayIso(): string {
  if (serverToday) return serverToday;
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Has a closing date been reached (closed on or before today)? */
export function isClosed(closedOn: string | null | undefined): boolean {
  return Boolean(closedOn) && (closedOn ?? "") <= todayIso();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export function titleCase(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1).replaceAll("_", " ") : s;
}

/** A 0..1 probability as a whole percentage ("87%"); values already over 1 are taken as percentages. */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "—";
  const pct = p <= 1 ? p * 100 : p;
  if (pct > 99 && pct < 100) return ">99%";
  if (pct > 0 && pct < 1) return "<1%";
  return `${Math.round(pct)}%`;
}

/** A size in bytes as "850 KB" or "12.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** A workplace as one choice in a list: "St James's University Hospital (LS9 7TF) — closed". */
export function workplaceChoice(w: {
  name: string;
  postcode: string | null;
  closedOn: string | null;
}): string {
  return `${w.name}${w.postcode ? ` (${w.postcode})` : ""}${isClosed(w.closedOn) ? " — closed" : ""}`;
}
