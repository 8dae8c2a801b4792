/**
 * The day's turnout summary on paper: the dashboard (national, or one region, sector or employer) as a
 * PDF an officer can print, with the figures, the constituencies by status and the papers each still
 * needs, the returns of the last days and the campaign's activity. Counts only: no member is named.
 * Pure but for pdfkit's in-memory rendering, through the ballot documents' page layout (notices'
 * DocumentWriter): the same dashboard gives the same bytes.
 */
import { type Column, DocumentWriter, formatCount, type UnionParty } from "../notices/index.js";
import type { DashboardDto } from "./readiness.model.js";

export interface DailySummaryInput {
  union: UnionParty;
  dashboard: DashboardDto;
}

const STATUS_ORDER = ["at_risk", "on_track", "lost", "safe"] as const;
const STATUS_HEADINGS = {
  at_risk: "At risk: only the high end of the forecast reaches the threshold",
  on_track: "On track: the forecast reaches the threshold",
  lost: "Lost: even the high end of the forecast falls short, or too few members are left",
  safe: "Safe: the threshold is met, none applies, or the low end of the forecast reaches it",
} as const;
const STATUS_WORDS = { safe: "Safe", on_track: "On track", at_risk: "At risk", lost: "Lost" } as const;
const PRIOR_WORDS = { indicative: "indicative", readiness: "readiness" } as const;
/** Days of returns and activity printed (the screen's charts show three weeks). */
const RECENT_DAYS = 7;

const pct = (n: number | null) => (n === null ? "-" : `${n.toFixed(1)}%`);

const COLUMNS: Column[] = [
  { header: "Rank", width: 0.07, align: "right" },
  { header: "Constituency", width: 0.37 },
  { header: "Turnout", width: 0.1, align: "right" },
  { header: "Forecast", width: 0.22, align: "right" },
  { header: "Papers needed", width: 0.14, align: "right" },
  { header: "Days left", width: 0.1, align: "right" },
];

export function dailySummaryFilename(d: DashboardDto): string {
  const part = d.group ? `-${d.level}-${d.group.id}` : "";
  return `turnout-summary-ballot-${d.ballot.id}${part}-${d.asAt}.pdf`;
}

export function renderDailySummary(input: DailySummaryInput): Promise<Buffer> {
  const d = input.dashboard;
  const view = d.group ? `${d.group.name} (${d.level})` : "National";
  const w = new DocumentWriter({
    union: input.union,
    title: `Turnout summary: ${d.dispute.title}`,
    issuedOn: d.asAt,
    draft: false,
    footer: [`Turnout summary, ${view}`, `as at ${d.asAt}`, "papers returned, never how anyone voted"],
    subject: `turnout-summary:${d.ballot.id}:${d.level}:${d.group?.id ?? ""}:${d.asAt}`,
  });
  const s = d.summary;
  w.facts([
    ["View", view],
    ["Figures computed", d.computedAt.replace("T", " ").slice(0, 16).concat(" UTC")],
    ["Constituencies", formatCount(s.constituencies)],
    [
      "Papers returned",
      `${formatCount(s.returned)} of ${formatCount(s.entitled)} entitled (${pct(s.turnout)})`,
    ],
    [
      "Papers still needed",
      `${formatCount(s.votesNeeded50)} across the constituencies short of their threshold`,
    ],
    ["By status", STATUS_ORDER.map((k) => `${STATUS_WORDS[k]} ${formatCount(s.byStatus[k])}`).join(", ")],
  ]);

  for (const status of STATUS_ORDER) {
    const rows = d.constituencies.filter((c) => c.status === status);
    if (!rows.length) continue;
    w.heading(`${STATUS_HEADINGS[status]} (${formatCount(s.byStatus[status])})`);
    w.table(
      COLUMNS,
      rows.map((c) => [
        String(c.rank),
        c.name,
        pct(c.turnout),
        c.forecast === null
          ? "none yet"
          : `${pct(c.forecast)}${c.priorSource ? ` (${PRIOR_WORDS[c.priorSource]})` : ""}`,
        c.votesNeeded50 === null ? "no threshold" : formatCount(c.votesNeeded50),
        String(c.daysLeft),
      ]),
    );
  }
  if (s.constituencies > d.constituencies.length)
    w.paragraph(
      `The first ${formatCount(d.constituencies.length)} constituencies by rank are listed of ${formatCount(s.constituencies)}; the figures above count them all.`,
      { size: 8.5 },
    );

  const returns = d.returnsOverTime.slice(-RECENT_DAYS);
  if (returns.length) {
    w.heading(`Papers returned, last ${returns.length} return day${returns.length === 1 ? "" : "s"}`);
    w.table(
      [
        { header: "Date", width: 0.34 },
        { header: "Papers returned", width: 0.33, align: "right" },
        { header: "Turnout", width: 0.33, align: "right" },
      ],
      returns.map((r) => [r.date, formatCount(r.returned), pct(r.turnout)]),
    );
    w.paragraph(`The thresholds need ${formatCount(d.thresholdVotes)} papers in all.`, { size: 8.5 });
  }

  const activity = d.activity.slice(-RECENT_DAYS);
  if (activity.length) {
    w.heading(`Contact activity, last ${activity.length} days`);
    w.table(
      [
        { header: "Date", width: 0.2 },
        { header: "Contacts", width: 0.16, align: "right" },
        { header: "Voted", width: 0.16, align: "right" },
        { header: "Will vote", width: 0.16, align: "right" },
        { header: "Won't vote", width: 0.16, align: "right" },
        { header: "Paper / address", width: 0.16, align: "right" },
      ],
      activity.map((a) => [
        a.date,
        formatCount(a.contacts),
        formatCount(a.voted),
        formatCount(a.will_vote),
        formatCount(a.wont_vote),
        formatCount(a.needs_replacement + a.wrong_address),
      ]),
    );
  }
  w.paragraph(
    "Forecasts project the returns so far; the source of a forecast's prior is in brackets: a closed indicative ballot's turnout less the usual fall, or the turnout readiness implies (a wider band). Contacts are those reps logged; the other columns are members' own reports.",
    { size: 8.5 },
  );
  return w.finish();
}
