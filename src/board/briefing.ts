/**
 * The disputes unit's daily briefing on paper: the board as a PDF (the joint timetable and its conflicts,
 * every union's turnout, overdue tasks, requests past their service level, the days of action). Counts
 * only: no member is named. Pure but for pdfkit's in-memory rendering, through the ballot documents' page
 * layout (notices' DocumentWriter).
 */
import { DocumentWriter, formatCount, type UnionParty } from "../notices/index.js";
import type { BoardDto } from "./board.model.js";

const pct = (n: number | null) => (n === null ? "-" : `${n.toFixed(1)}%`);
const count = (n: number | null) => (n === null ? "suppressed" : formatCount(n));

export function renderBriefing(input: { union: UnionParty; board: BoardDto }): Promise<Buffer> {
  const b = input.board;
  const w = new DocumentWriter({
    union: input.union,
    title: "Disputes unit daily briefing",
    issuedOn: b.asAt,
    draft: false,
    footer: ["Disputes unit daily briefing", `as at ${b.asAt}`, "counts only, never how anyone voted"],
    subject: `board-briefing:${b.asAt}`,
  });
  const conflicts = b.coalitions.reduce((n, c) => n + c.timetable.conflicts.length, 0);
  w.facts([
    ["Figures computed", b.computedAt.replace("T", " ").slice(0, 16).concat(" UTC")],
    ["Running disputes", formatCount(b.disputes.length)],
    ["Coalitions", `${formatCount(b.coalitions.length)}, ${formatCount(conflicts)} timetable conflicts`],
    ...(b.plans ? ([["Overdue tasks", formatCount(b.plans.overdueCount)]] as [string, string][]) : []),
    ...(b.requests
      ? ([["Requests past their service level", formatCount(b.requests.pastServiceLevelCount)]] as [
          string,
          string,
        ][])
      : []),
  ]);

  for (const c of b.coalitions) {
    w.heading(`Joint timetable: ${c.name}`);
    w.table(
      [
        { header: "Union", width: 0.14 },
        { header: "Ballot", width: 0.3 },
        { header: "Opens", width: 0.14 },
        { header: "Closes", width: 0.14 },
        { header: "Earliest action", width: 0.16 },
        { header: "Mandate", width: 0.12 },
      ],
      c.timetable.ballots.map((x) => [
        x.union,
        x.ballot,
        x.openingDate,
        x.closingDate,
        x.earliestAction,
        x.mandate,
      ]),
    );
    if (c.timetable.conflicts.length) {
      w.heading(`Conflicts with the days of action (${formatCount(c.timetable.conflicts.length)})`);
      w.table(
        [
          { header: "Day", width: 0.14 },
          { header: "Union", width: 0.12 },
          { header: "Ballot", width: 0.24 },
          { header: "Why", width: 0.5 },
        ],
        c.timetable.conflicts.map((x) => [x.day, x.union, x.ballot, x.reason]),
      );
    }
    if (c.partners.length) {
      w.heading("Other unions' turnout (as they published it)");
      w.table(
        [
          { header: "Union", width: 0.34 },
          { header: "As of", width: 0.16 },
          { header: "Entitled", width: 0.17, align: "right" },
          { header: "Returned", width: 0.17, align: "right" },
          { header: "Turnout", width: 0.16, align: "right" },
        ],
        c.partners.map((p) => [p.name, p.asOf, count(p.entitled), count(p.returned), pct(p.turnout)]),
      );
    }
  }

  for (const d of b.disputes) {
    const n = d.national;
    w.heading(`Turnout: ${d.dispute.title} (closes ${d.closingDate})`);
    w.paragraph(
      `${formatCount(n.returned)} of ${formatCount(n.entitled)} papers returned (${pct(n.turnout)}); ${formatCount(n.votesNeeded50)} still needed. Safe ${n.byStatus.safe}, on track ${n.byStatus.on_track}, at risk ${n.byStatus.at_risk}, lost ${n.byStatus.lost}.`,
    );
    w.table(
      [
        { header: "Region", width: 0.3 },
        { header: "Turnout", width: 0.14, align: "right" },
        { header: "Papers needed", width: 0.16, align: "right" },
        { header: "At risk", width: 0.13, align: "right" },
        { header: "Lost", width: 0.13, align: "right" },
        { header: "Safe / on track", width: 0.14, align: "right" },
      ],
      d.regions.map((r) => [
        r.name,
        pct(r.turnout),
        formatCount(r.votesNeeded50),
        formatCount(r.byStatus.at_risk),
        formatCount(r.byStatus.lost),
        formatCount(r.byStatus.safe + r.byStatus.on_track),
      ]),
    );
  }

  if (b.plans?.overdueTasks.length) {
    w.heading(`Overdue tasks (${formatCount(b.plans.overdueCount)})`);
    w.table(
      [
        { header: "Task", width: 0.4 },
        { header: "Plan", width: 0.3 },
        { header: "Due", width: 0.16 },
        { header: "Days late", width: 0.14, align: "right" },
      ],
      b.plans.overdueTasks.map((t) => [
        t.title,
        `${t.planTitle} (${t.scopeName})`,
        t.dueOn ?? "-",
        String(t.daysOverdue),
      ]),
    );
  }
  if (b.requests?.pastServiceLevel.length) {
    w.heading(`Requests past their service level (${formatCount(b.requests.pastServiceLevelCount)})`);
    w.table(
      [
        { header: "Request", width: 0.4 },
        { header: "Department", width: 0.22 },
        { header: "Urgency", width: 0.12 },
        { header: "Was due", width: 0.26 },
      ],
      b.requests.pastServiceLevel.map((q) => [
        `${q.title}${q.escalated ? " (escalated)" : ""}`,
        q.department,
        q.urgency,
        q.dueAt.replace("T", " ").slice(0, 16),
      ]),
    );
  }
  w.heading("Day of action");
  if (b.dayOfAction.days.length)
    w.table(
      [
        { header: "Day", width: 0.2 },
        { header: "Coalition", width: 0.6 },
        { header: "Conflicts", width: 0.2, align: "right" },
      ],
      b.dayOfAction.days.map((d) => [d.day, d.coalition, String(d.conflicts)]),
    );
  else w.paragraph("No joint day of action is set.");
  return w.finish();
}
