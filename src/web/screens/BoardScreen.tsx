/**
 * The National Disputes Unit board: everything the unit watches on one page, refreshed every
 * minute (the server answers 304 while the figures are unchanged), printable as the daily briefing.
 */
import { Link } from "react-router";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { type BoardDto, useBoard, useBriefingPdf } from "../api/board.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { downloadBlob } from "../csv.js";
import { formatDate, formatDateTime, formatNumber } from "../format.js";
import { Conflicts, Timeline } from "./CoalitionScreen.js";

const pct = (n: number | null) => (n === null ? "—" : `${n.toFixed(1)}%`);
const shown = (n: number | null) => (n === null ? "fewer than 10" : formatNumber(n));

function Stat({ label, value, alert = false }: { label: string; value: number; alert?: boolean }) {
  return (
    <div className={alert && value > 0 ? "stat stat-error" : "stat"}>
      <p className="figure-value">{formatNumber(value)}</p>
      <p className="figure-name">{label}</p>
    </div>
  );
}

export function BoardScreen() {
  usePageTitle("Disputes unit board");
  const board = useBoard();
  const pdf = useBriefingPdf();
  if (board.isPending) return <Loading label="Loading the board…" />;
  if (board.isError)
    return (
      <ErrorPanel error={board.error} title="Cannot load the board" onRetry={() => void board.refetch()} />
    );
  const b = board.data;
  const conflicts = b.coalitions.reduce((n, c) => n + c.timetable.conflicts.length, 0);
  return (
    <>
      <div className="page-head">
        <h1>Disputes unit board</h1>
        <p className="lead">
          Joint timetables, every union's turnout, overdue tasks and late requests as at {formatDate(b.asAt)}.
          Figures computed {formatDateTime(b.computedAt)}; the page refreshes itself every {b.refreshSeconds}{" "}
          seconds.
        </p>
        <div className="page-actions no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={pdf.isPending}
            onClick={() =>
              pdf.mutate(undefined, {
                onSuccess: (blob) => downloadBlob(`disputes-unit-briefing-${b.asAt}.pdf`, blob),
              })
            }
          >
            Daily briefing (PDF)
          </button>
        </div>
      </div>
      <div className="stat-grid stat-grid-compact">
        <Stat label="Running disputes" value={b.disputes.length} />
        <Stat label="Timetable conflicts" value={conflicts} alert />
        {b.plans ? <Stat label="Overdue tasks" value={b.plans.overdueCount} alert /> : null}
        {b.requests ? (
          <Stat label="Requests past service level" value={b.requests.pastServiceLevelCount} alert />
        ) : null}
      </div>
      <DayOfAction board={b} />
      {b.coalitions.map((c) => (
        <section key={c.id} className="section" aria-labelledby={`coalition-${c.id}`}>
          <h2 id={`coalition-${c.id}`}>{c.name}</h2>
          <Timeline
            timetable={c.timetable}
            colours={new Map(c.partners.map((p) => [p.union, p.brandColour]))}
          />
          <Conflicts timetable={c.timetable} />
        </section>
      ))}
      <UnionsTurnout board={b} />
      {b.disputes.map((d) => (
        <Regions key={d.dispute.id} dispute={d} />
      ))}
      {b.plans ? <Overdue plans={b.plans} /> : null}
      {b.requests ? <LateRequests requests={b.requests} /> : null}
    </>
  );
}

/** What exists of the day of action so far: the coalitions' joint days and the conflicts on each. */
function DayOfAction({ board: b }: { board: BoardDto }) {
  return (
    <section className="card" aria-labelledby="day-of-action">
      <h2 id="day-of-action" className="card-title">
        Day of action
      </h2>
      {b.dayOfAction.days.length === 0 ? (
        <p className="empty">No joint day of action is set in any coalition.</p>
      ) : (
        <ul className="plain-list">
          {b.dayOfAction.days.map((d) => (
            <li key={`${d.coalition}-${d.day}`}>
              <strong>{formatDate(d.day)}</strong> · {d.coalition} ·{" "}
              {d.conflicts ? (
                <Badge tone="error">{`${d.conflicts} conflict${d.conflicts === 1 ? "" : "s"}`}</Badge>
              ) : (
                <Badge tone="ok">every union can take part</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Each union's turnout side by side: the union's own disputes, and each partner as it published. */
function UnionsTurnout({ board: b }: { board: BoardDto }) {
  const rows = [
    ...b.disputes.map((d) => ({
      name: `Ours: ${d.dispute.title}`,
      turnout: d.national.turnout,
      note: `${formatNumber(d.national.returned)} of ${formatNumber(d.national.entitled)}`,
    })),
    ...b.coalitions.flatMap((c) =>
      c.partners.map((p) => ({
        name: p.name,
        turnout: p.turnout ?? 0,
        note: `${shown(p.returned)} of ${shown(p.entitled)}, published ${formatDate(p.asOf)}`,
      })),
    ),
  ];
  return (
    <figure className="card chart-card">
      <figcaption>
        <h2 className="card-title">Every union's turnout</h2>
        <p className="muted small">
          Our own from the returns; other unions' as they published them to the coalition (rounded, small
          counts withheld). The red dashed line is the 50% turnout threshold.
        </p>
      </figcaption>
      {rows.length === 0 ? (
        <p className="empty">No running ballot and nothing published.</p>
      ) : (
        <>
          <div className="chart" aria-hidden="true" style={{ height: Math.max(140, rows.length * 44 + 50) }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                data={rows}
                layout="vertical"
                margin={{ left: 8, right: 16 }}
                accessibilityLayer={false}
              >
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" domain={[0, 100]} unit="%" />
                <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 12 }} />
                <Tooltip formatter={(v) => `${v}%`} />
                <ReferenceLine x={50} stroke="#b00020" strokeDasharray="4 3" />
                <Bar dataKey="turnout" name="Turnout" fill="#1d4f91" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ScrollRegion label="Every union's turnout, as a table">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Union</th>
                  <th scope="col">Turnout</th>
                  <th scope="col">Papers</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name}>
                    <td>{r.name}</td>
                    <td>{pct(r.turnout)}</td>
                    <td>{r.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </figure>
  );
}

function Regions({ dispute: d }: { dispute: BoardDto["disputes"][number] }) {
  const n = d.national;
  return (
    <section className="card" aria-labelledby={`dispute-${d.dispute.id}`}>
      <h2 id={`dispute-${d.dispute.id}`} className="card-title">
        {d.dispute.title}: turnout by region
      </h2>
      <p className="muted small">
        Votes {formatDate(d.openingDate)} to {formatDate(d.closingDate)}. {formatNumber(n.returned)} of{" "}
        {formatNumber(n.entitled)} returned ({pct(n.turnout)}), {formatNumber(n.votesNeeded50)} papers still
        needed. <Link to={`/ballots/${d.ballot.id}`}>Open the ballot</Link>
      </p>
      <ScrollRegion label={`${d.dispute.title} by region`}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Region</th>
              <th scope="col">Turnout</th>
              <th scope="col">Papers needed</th>
              <th scope="col">At risk</th>
              <th scope="col">Lost</th>
              <th scope="col">Safe or on track</th>
            </tr>
          </thead>
          <tbody>
            {d.regions.map((r) => (
              <tr key={r.id} className={r.byStatus.at_risk + r.byStatus.lost > 0 ? "row-warning" : undefined}>
                <td>{r.name}</td>
                <td>{pct(r.turnout)}</td>
                <td>{formatNumber(r.votesNeeded50)}</td>
                <td>{formatNumber(r.byStatus.at_risk)}</td>
                <td>{formatNumber(r.byStatus.lost)}</td>
                <td>{formatNumber(r.byStatus.safe + r.byStatus.on_track)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function Overdue({ plans: p }: { plans: NonNullable<BoardDto["plans"]> }) {
  return (
    <section className="card" aria-labelledby="overdue-tasks">
      <h2 id="overdue-tasks" className="card-title">
        Overdue tasks ({formatNumber(p.overdueCount)})
      </h2>
      {p.regionsWithoutPlan.length ? (
        <p className="notice notice-warning">No plan yet for {p.regionsWithoutPlan.join(", ")}.</p>
      ) : null}
      {p.overdueTasks.length === 0 ? (
        <p className="empty">No task is overdue.</p>
      ) : (
        <ul className="plain-list">
          {p.overdueTasks.map((t) => (
            <li key={t.id}>
              <strong>{t.title}</strong> · {t.planTitle} ({t.scopeName}) ·{" "}
              <Badge tone="error">{`${t.daysOverdue} day${t.daysOverdue === 1 ? "" : "s"} late`}</Badge>
            </li>
          ))}
        </ul>
      )}
      <p className="small no-print">
        <Link to="/plans">Every plan</Link>
      </p>
    </section>
  );
}

function LateRequests({ requests: r }: { requests: NonNullable<BoardDto["requests"]> }) {
  return (
    <section className="card" aria-labelledby="late-requests">
      <h2 id="late-requests" className="card-title">
        Requests past their service level ({formatNumber(r.pastServiceLevelCount)})
      </h2>
      {r.pastServiceLevel.length === 0 ? (
        <p className="empty">Every open request is within its service level.</p>
      ) : (
        <ul className="plain-list">
          {r.pastServiceLevel.map((q) => (
            <li key={q.id}>
              <Link to={`/requests/${q.id}`}>{q.title}</Link> · {q.department}
              {q.region ? ` · ${q.region}` : ""} · was due {formatDateTime(q.dueAt)}{" "}
              {q.escalated ? <Badge tone="error">escalated</Badge> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
