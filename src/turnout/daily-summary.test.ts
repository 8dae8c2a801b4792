import assert from "node:assert/strict";
import { test } from "node:test";
import { union } from "../../test/fixtures/notices/documents.js";
import { pdfPageTexts, pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { dailySummaryFilename, renderDailySummary } from "./daily-summary.js";
import type { DashboardDto } from "./readiness.model.js";

const constituency = (
  rank: number,
  name: string,
  status: DashboardDto["constituencies"][number]["status"],
  more: Partial<DashboardDto["constituencies"][number]> = {},
): DashboardDto["constituencies"][number] => ({
  ballotId: rank,
  name,
  entitled: 1000,
  returned: 300,
  turnout: 30,
  turnoutThreshold: 50,
  votesNeeded50: 200,
  daysLeft: 12,
  forecast: 48.5,
  priorSource: null,
  status,
  rank,
  ...more,
});

const dashboard = (
  constituencies: DashboardDto["constituencies"],
  total = constituencies.length,
): DashboardDto => ({
  ballot: { id: 7, name: "St James's" },
  dispute: { id: 3, title: "NHS pay 2026/27" },
  level: "region",
  group: { id: 4, name: "Yorkshire & Humberside" },
  asAt: "2026-12-15",
  computedAt: "2026-12-15T10:04:00.000Z",
  summary: {
    constituencies: total,
    entitled: 4000,
    returned: 1500,
    turnout: 37.5,
    votesNeeded50: 501,
    byStatus: { safe: 1, on_track: 1, at_risk: 1, lost: 1 },
  },
  returnsOverTime: Array.from({ length: 9 }, (_, i) => ({
    date: `2026-12-${String(7 + i).padStart(2, "0")}`,
    returned: 150 * (i + 1),
    turnout: 3.75 * (i + 1),
  })),
  thresholdVotes: 2000,
  activity: Array.from({ length: 21 }, (_, i) => ({
    date: `2026-12-${String(i + 1).padStart(2, "0")}`,
    contacts: i,
    voted: 2 * i,
    will_vote: 1,
    wont_vote: 0,
    needs_replacement: 1,
    wrong_address: 1,
  })),
  constituencies,
  groups: { regions: [], sectors: [], employers: [] },
});

const four = [
  constituency(1, "Leeds General Infirmary", "at_risk", {
    votesNeeded50: 1,
    forecast: 49.9,
    priorSource: "readiness",
  }),
  constituency(2, "St James's University Hospital", "on_track", { forecast: 55, priorSource: "indicative" }),
  constituency(3, "Bradford Royal Infirmary", "safe", { votesNeeded50: 0, turnout: 51, forecast: 60 }),
  constituency(4, "Belfast City Hospital", "lost", {
    turnoutThreshold: null,
    votesNeeded50: null,
    forecast: null,
  }),
];

test("the day's summary: the view's figures, then the constituencies by status with the papers each needs", async () => {
  const pdf = await renderDailySummary({ union, dashboard: dashboard(four) });
  const text = await pdfText(pdf);
  for (const expected of [
    "Turnout summary: NHS pay 2026/27",
    "Yorkshire & Humberside (region)",
    "1,500 of 4,000 entitled (37.5%)",
    "501 across the constituencies short of their threshold",
    "At risk 1, On track 1, Lost 1, Safe 1",
    "At risk: only the high end of the forecast reaches the threshold (1)",
    "Leeds General Infirmary 30.0% 49.9% (readiness) 1 12",
    "St James's University Hospital 30.0% 55.0% (indicative) 200 12",
    "Bradford Royal Infirmary 51.0% 60.0% 0 12",
    "Belfast City Hospital 30.0% none yet no threshold 12",
    "The thresholds need 2,000 papers in all.",
  ])
    assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
  // Statuses in the order effort counts: at risk, on track, lost, safe.
  const order = ["At risk:", "On track:", "Lost:", "Safe:"].map((h) => text.indexOf(h));
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
  );
  // The last seven days of returns and of activity only.
  assert.ok(text.includes("2026-12-15 1,350 33.8%") && !text.includes("2026-12-08 300"));
  assert.ok(text.includes("Contact activity, last 7 days") && text.includes("2026-12-21 20 40 1 0 2"));
  assert.ok(!text.includes("2026-12-14 13 26"));
  assert.equal(dailySummaryFilename(dashboard(four)), "turnout-summary-ballot-7-region-4-2026-12-15.pdf");
});

test("same dashboard, same bytes; a long list breaks across pages under its header; a capped list says so", async () => {
  const a = await renderDailySummary({ union, dashboard: dashboard(four) });
  const b = await renderDailySummary({ union, dashboard: dashboard(four) });
  assert.deepEqual(a, b);
  const many = Array.from({ length: 250 }, (_, i) => constituency(i + 1, `Workplace ${i + 1}`, "at_risk"));
  const pages = await pdfPageTexts(await renderDailySummary({ union, dashboard: dashboard(many, 5000) }));
  assert.ok(pages.length > 3, `${pages.length} pages`);
  for (const page of pages.slice(1, -1)) assert.ok(page.includes("Rank Constituency Turnout Forecast"), page);
  assert.ok(pages.at(-1)!.includes("Page"));
  assert.ok(pages.join(" ").includes("The first 250 constituencies by rank are listed of 5,000"));
});
