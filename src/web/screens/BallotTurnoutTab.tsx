/**
 * Turnout of the ballot's dispute: the dashboard (national, or by region, sector or employer), readiness
 * of each constituency before the ballot opens, the aggregation advisor, and members' own reports with
 * the members not yet reported voted and their personal links (BallotTurnoutReports). The view lives in the URL
 * (?tab=turnout&view=&level=&group=); the dashboard prints as the day's summary.
 */
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { BallotDto } from "../api/ballots.js";
import {
  type Advice,
  type Dashboard,
  type DashboardLevel,
  useAdvice,
  useTurnoutDashboard,
  useTurnoutReadiness,
  useTurnoutSummaryPdf,
} from "../api/turnout.js";
import { Badge } from "../components/Badges.js";
import { ChartCard } from "../components/ChartCard.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { downloadBlob } from "../csv.js";
import { formatDate, formatDateTime, formatNumber } from "../format.js";
import { ActionButton, FormError } from "./BallotParts.js";
import { BallotTurnoutReports } from "./BallotTurnoutReports.js";

const pct = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${n.toFixed(1)}%`);
const STATUS_LABELS = { safe: "Safe", on_track: "On track", at_risk: "At risk", lost: "Lost" } as const;
/** Where a forecast's prior came from, said in a few words beside the forecast. */
const PRIOR_LABELS = { indicative: "indicative ballot", readiness: "readiness" } as const;
const STATUS_TONES = { safe: "ok", on_track: "neutral", at_risk: "warning", lost: "error" } as const;
const FLAG_LABELS = {
  cannot_reach: "Cannot reach the threshold",
  marginal: "Marginal",
  on_course: "On course",
  no_threshold: "No threshold applies",
  no_members: "No members",
} as const;
const FLAG_TONES = {
  cannot_reach: "error",
  marginal: "warning",
  on_course: "ok",
  no_threshold: "neutral",
  no_members: "neutral",
} as const;
const OPTION_LABELS = {
  separate_workplaces: "Separate workplace ballots (s.228)",
  employer: "Aggregated by employer (s.228A(4))",
  occupation: "Aggregated by occupation (s.228A(3))",
  common_dispute: "One ballot, common dispute (s.228A(2))",
} as const;
const KIND_LABELS = {
  voted: "Voted",
  will_vote: "Will vote",
  wont_vote: "Won't vote",
  needs_replacement: "Needs a new paper",
  wrong_address: "Wrong address",
} as const;
const KINDS = ["voted", "will_vote", "wont_vote", "needs_replacement", "wrong_address"] as const;
const KIND_COLORS = {
  voted: "#1d4f91",
  will_vote: "#2f855a",
  wont_vote: "#c53030",
  needs_replacement: "#b7791f",
  wrong_address: "#6b7a90",
} as const;
const VIEWS = [
  { id: "dashboard", label: "Dashboard" },
  { id: "readiness", label: "Readiness" },
  { id: "advisor", label: "Aggregation advisor" },
  { id: "reports", label: "Reports and links" },
] as const;
type View = (typeof VIEWS)[number]["id"];
const LEVELS: readonly { id: DashboardLevel; label: string }[] = [
  { id: "national", label: "National" },
  { id: "region", label: "Region" },
  { id: "sector", label: "Sector" },
  { id: "employer", label: "Employer" },
];

export function BallotTurnoutTab({ ballot }: { ballot: BallotDto }) {
  const [params, setParams] = useSearchParams();
  const view: View = VIEWS.find((v) => v.id === params.get("view"))?.id ?? "dashboard";
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v === null ? next.delete(k) : next.set(k, v);
    setParams(next, { replace: true });
  };
  return (
    <>
      <h2 className="visually-hidden">Turnout</h2>
      <nav className="segmented no-print" aria-label="Turnout views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={v.id === view ? "button button-primary" : "button button-secondary"}
            aria-pressed={v.id === view}
            onClick={() => set({ view: v.id === "dashboard" ? null : v.id })}
          >
            {v.label}
          </button>
        ))}
      </nav>
      {view === "dashboard" ? <DashboardView ballot={ballot} params={params} set={set} /> : null}
      {view === "readiness" ? <ReadinessView ballot={ballot} /> : null}
      {view === "advisor" ? <AdvisorView ballot={ballot} /> : null}
      {view === "reports" ? <BallotTurnoutReports ballot={ballot} /> : null}
    </>
  );
}

function DashboardView({
  ballot,
  params,
  set,
}: {
  ballot: BallotDto;
  params: URLSearchParams;
  set: (c: Record<string, string | null>) => void;
}) {
  const level: DashboardLevel = LEVELS.find((l) => l.id === params.get("level"))?.id ?? "national";
  const groupParam = Number(params.get("group"));
  const group = Number.isInteger(groupParam) && groupParam > 0 ? groupParam : null;
  const national = useTurnoutDashboard(ballot.id, "national", null);
  const pdf = useTurnoutSummaryPdf(ballot.id);
  const selected = useTurnoutDashboard(ballot.id, level, group);
  const groups = national.data?.groups;
  const options =
    level === "region"
      ? groups?.regions
      : level === "sector"
        ? groups?.sectors
        : level === "employer"
          ? groups?.employers
          : [];
  const shown = level === "national" ? national : selected;
  return (
    <>
      <div className="turnout-controls no-print">
        <label htmlFor="turnout-level">View</label>
        <select
          id="turnout-level"
          value={level}
          onChange={(e) => set({ level: e.target.value === "national" ? null : e.target.value, group: null })}
        >
          {LEVELS.filter((l) => l.id !== "employer" || (groups?.employers.length ?? 0) > 0).map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
        {level !== "national" ? (
          <>
            <label htmlFor="turnout-group">{LEVELS.find((l) => l.id === level)!.label}</label>
            <select
              id="turnout-group"
              value={group ?? ""}
              onChange={(e) => set({ group: e.target.value || null })}
            >
              <option value="">Choose…</option>
              {(options ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          Print the day's summary
        </button>
        <ActionButton
          busy={pdf.isPending}
          busyLabel="Preparing…"
          disabled={level !== "national" && group === null}
          onClick={() =>
            pdf.mutate(
              { level, groupId: group },
              {
                onSuccess: (blob) =>
                  downloadBlob(
                    `turnout-summary-ballot-${ballot.id}${level === "national" ? "" : `-${level}-${group}`}.pdf`,
                    blob,
                  ),
              },
            )
          }
        >
          Summary as PDF
        </ActionButton>
      </div>
      <FormError error={pdf.error} title="The summary was not made" />
      {level !== "national" && group === null ? (
        <p className="empty">Choose a {level} to see its constituencies.</p>
      ) : shown.isPending ? (
        <Loading label="Loading turnout…" />
      ) : shown.isError ? (
        <ErrorPanel
          error={shown.error}
          title="Cannot load the dashboard"
          onRetry={() => void shown.refetch()}
        />
      ) : (
        <DashboardBody d={shown.data} />
      )}
    </>
  );
}

function DashboardBody({ d }: { d: Dashboard }) {
  const s = d.summary;
  const needed = d.constituencies
    .filter((c) => (c.votesNeeded50 ?? 0) > 0 && c.status !== "lost")
    .slice(0, 12)
    .map((c) => ({ name: c.name, needed: c.votesNeeded50 ?? 0 }));
  const activity = d.activity.map((a) => ({ ...a, label: formatDate(a.date) }));
  const returns = d.returnsOverTime.map((r) => ({ ...r, label: formatDate(r.date) }));
  return (
    <div className="turnout-dashboard" data-testid="turnout-dashboard">
      <header className="print-head">
        <h2>
          Turnout: {d.dispute.title}
          {d.group ? `, ${d.group.name}` : ", national"}
        </h2>
        <p className="muted small">
          Daily summary as at {formatDate(d.asAt)}; figures computed {formatDateTime(d.computedAt)}. Papers
          returned, never how anyone voted.
        </p>
      </header>
      <dl className="stat-grid">
        <div className="stat">
          <dt>Constituencies</dt>
          <dd>{formatNumber(s.constituencies)}</dd>
        </div>
        <div className="stat">
          <dt>Turnout so far</dt>
          <dd>{pct(s.turnout)}</dd>
        </div>
        <div className="stat">
          <dt>Papers returned</dt>
          <dd>
            {formatNumber(s.returned)} <span className="muted small">of {formatNumber(s.entitled)}</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Papers still needed</dt>
          <dd>{formatNumber(s.votesNeeded50)}</dd>
        </div>
        {(["safe", "on_track", "at_risk", "lost"] as const).map((k) => (
          <div className="stat" key={k}>
            <dt>{STATUS_LABELS[k]}</dt>
            <dd>{formatNumber(s.byStatus[k])}</dd>
          </div>
        ))}
      </dl>
      <div className="chart-grid">
        <ChartCard
          title="Returns over time"
          description={`Papers returned against the ${formatNumber(d.thresholdVotes)} the turnout thresholds need.`}
          empty={returns.length ? null : "No returns from the scrutineer yet."}
        >
          <div className="chart" aria-hidden="true" style={{ height: 240 }}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart
                accessibilityLayer={false}
                data={returns}
                margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
              >
                <CartesianGrid stroke="#d5dae1" />
                <XAxis dataKey="label" fontSize={12} stroke="#4a5568" />
                <YAxis
                  allowDecimals={false}
                  fontSize={12}
                  stroke="#4a5568"
                  tickFormatter={(v: number) => formatNumber(v)}
                  domain={[0, Math.max(d.thresholdVotes, ...returns.map((r) => r.returned))]}
                />
                <Tooltip formatter={(v) => formatNumber(Number(v))} />
                <ReferenceLine
                  y={d.thresholdVotes}
                  stroke="#c53030"
                  strokeDasharray="6 4"
                  label={{ value: "Threshold", fontSize: 12, fill: "#c53030", position: "insideTopLeft" }}
                />
                <Line
                  type="linear"
                  dataKey="returned"
                  name="Papers returned"
                  stroke="#1d4f91"
                  strokeWidth={2}
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <details className="chart-table">
            <summary>Show as a table</summary>
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="num">
                    Papers returned
                  </th>
                  <th scope="col" className="num">
                    Turnout
                  </th>
                </tr>
              </thead>
              <tbody>
                {returns.map((r) => (
                  <tr key={r.date}>
                    <td>{r.label}</td>
                    <td className="num">{formatNumber(r.returned)}</td>
                    <td className="num">{pct(r.turnout)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </ChartCard>
        <ChartCard
          title="Votes needed"
          description="Papers still needed where effort counts most (constituencies not lost, ranked)."
          empty={needed.length ? null : "No constituency still needs papers."}
        >
          <div
            className="chart"
            aria-hidden="true"
            style={{ height: Math.max(160, needed.length * 26 + 40) }}
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                accessibilityLayer={false}
                data={needed}
                layout="vertical"
                margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
              >
                <CartesianGrid horizontal={false} stroke="#d5dae1" />
                <XAxis
                  type="number"
                  fontSize={12}
                  stroke="#4a5568"
                  tickFormatter={(v: number) => formatNumber(v)}
                />
                <YAxis
                  type="category"
                  dataKey="name"
                  width={140}
                  fontSize={12}
                  stroke="#4a5568"
                  interval={0}
                  tickFormatter={(v: string) => (v.length > 22 ? `${v.slice(0, 21)}…` : v)}
                />
                <Tooltip formatter={(v) => formatNumber(Number(v))} />
                <Bar dataKey="needed" name="Papers needed" fill="#b7791f" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </ChartCard>
        <ChartCard
          title="Contact activity"
          description="Contacts reps logged each day, beside members' own reports from reps' conversations and the member link."
          empty={
            activity.some(
              (a) =>
                a.contacts + a.voted + a.will_vote + a.wont_vote + a.needs_replacement + a.wrong_address > 0,
            )
              ? null
              : "No contacts or reports in the last three weeks."
          }
        >
          <div className="chart" aria-hidden="true" style={{ height: 240 }}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                accessibilityLayer={false}
                data={activity}
                margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
              >
                <CartesianGrid vertical={false} stroke="#d5dae1" />
                <XAxis dataKey="label" fontSize={11} stroke="#4a5568" />
                <YAxis fontSize={12} stroke="#4a5568" allowDecimals={false} />
                <Tooltip />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="contacts" name="Contacts logged" fill="#4a5568" isAnimationActive={false} />
                {(Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[]).map((k) => (
                  <Bar
                    key={k}
                    dataKey={k}
                    name={KIND_LABELS[k]}
                    stackId="a"
                    fill={KIND_COLORS[k]}
                    isAnimationActive={false}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
          <details className="chart-table">
            <summary>Show as a table</summary>
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="num">
                    Contacts logged
                  </th>
                  {KINDS.map((k) => (
                    <th key={k} scope="col" className="num">
                      {KIND_LABELS[k]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {activity.map((a) => (
                  <tr key={a.date}>
                    <td>{a.label}</td>
                    <td className="num">{formatNumber(a.contacts)}</td>
                    {KINDS.map((k) => (
                      <td key={k} className="num">
                        {formatNumber(a[k])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </ChartCard>
      </div>
      <section className="card" aria-labelledby="by-status">
        <h3 id="by-status" className="card-title">
          Constituencies by status
        </h3>
        <ScrollRegion label="Constituencies by status">
          <table className="table table-compact" data-testid="by-status-table">
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Constituency</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Turnout
                </th>
                <th scope="col" className="num">
                  Forecast
                </th>
                <th scope="col" className="num">
                  Papers needed
                </th>
                <th scope="col" className="num">
                  Days left
                </th>
              </tr>
            </thead>
            <tbody>
              {d.constituencies.map((c) => (
                <tr key={c.ballotId}>
                  <td>{c.rank}</td>
                  <td>
                    <Link to={`/ballots/${c.ballotId}?tab=turnout`}>{c.name}</Link>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONES[c.status]}>{STATUS_LABELS[c.status]}</Badge>
                  </td>
                  <td className="num">{pct(c.turnout)}</td>
                  <td className="num">
                    {pct(c.forecast)}
                    {c.forecast !== null && c.priorSource ? (
                      <span className="muted small prior-source" data-testid="prior-source">
                        from {PRIOR_LABELS[c.priorSource]}
                      </span>
                    ) : null}
                  </td>
                  <td className="num">{c.votesNeeded50 === null ? "—" : formatNumber(c.votesNeeded50)}</td>
                  <td className="num">{c.daysLeft}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <p className="muted small">
          Forecasts project the returns so far; before they come in, and alongside them, they draw on a closed
          indicative ballot's turnout (less the usual fall of 7 to 22 points) or, where there is none, the
          turnout readiness implies, with a wider band.
        </p>
        {d.summary.constituencies > d.constituencies.length ? (
          <p className="muted small">
            The first {formatNumber(d.constituencies.length)} of {formatNumber(d.summary.constituencies)}, by
            rank.
          </p>
        ) : null}
      </section>
    </div>
  );
}

function ReadinessView({ ballot }: { ballot: BallotDto }) {
  const q = useTurnoutReadiness(ballot.id);
  if (q.isPending) return <Loading label="Counting readiness…" />;
  if (q.isError)
    return <ErrorPanel error={q.error} title="Cannot load readiness" onRetry={() => void q.refetch()} />;
  const r = q.data;
  const flagged = r.constituencies.filter((c) => c.flag === "cannot_reach").length;
  return (
    <section className="card" aria-labelledby="readiness-title" data-testid="turnout-readiness">
      <h3 id="readiness-title" className="card-title">
        Readiness of each constituency
      </h3>
      <p className="muted small">
        Implied turnout: a member with no postal address does not vote; one who pledged votes with probability{" "}
        {r.model.pledged}; others {r.model.base}, plus {r.model.digital} each for an email or mobile, an
        active rep and a contact in the last 30 days. Flagged when below the threshold, marginal within{" "}
        {r.model.marginalPoints} points of it.
      </p>
      {flagged ? (
        <p className="notice notice-warning">
          {formatNumber(flagged)} {flagged === 1 ? "constituency cannot" : "constituencies cannot"} plausibly
          reach the threshold on these figures: change the aggregation or the campaign while there is time.
        </p>
      ) : null}
      <ScrollRegion label="Readiness by constituency">
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Constituency</th>
              <th scope="col" className="num">
                Members
              </th>
              <th scope="col" className="num">
                Postal address
              </th>
              <th scope="col" className="num">
                Email or mobile
              </th>
              <th scope="col" className="num">
                Rep (members per rep)
              </th>
              <th scope="col" className="num">
                Contacted, 30 days
              </th>
              <th scope="col" className="num">
                Pledged
              </th>
              <th scope="col" className="num">
                Implied turnout
              </th>
              <th scope="col">Flag</th>
            </tr>
          </thead>
          <tbody>
            {r.constituencies.map((c) => (
              <tr key={c.ballotId}>
                <td>
                  {c.name}
                  <span className="cell-sub">{c.frozen ? "frozen electorate" : "scope today"}</span>
                </td>
                <td className="num">{formatNumber(c.members)}</td>
                <td className="num">{pct(c.postalShare)}</td>
                <td className="num">{pct(c.digitalShare)}</td>
                <td className="num">
                  {pct(c.repShare)}{" "}
                  <span className="muted">
                    ({c.membersPerRep === null ? "no rep" : formatNumber(c.membersPerRep)})
                  </span>
                </td>
                <td className="num">{pct(c.contactedShare)}</td>
                <td className="num">{pct(c.pledgedShare)}</td>
                <td className="num">
                  {pct(c.impliedTurnout)}
                  {c.turnoutThreshold !== null ? (
                    <span className="cell-sub">needs {c.turnoutThreshold}%</span>
                  ) : null}
                </td>
                <td>
                  <Badge tone={FLAG_TONES[c.flag]}>{FLAG_LABELS[c.flag]}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function AdvisorView({ ballot }: { ballot: BallotDto }) {
  const advise = useAdvice(ballot.id);
  const [yesShare, setYesShare] = useState(80);
  return (
    <section aria-labelledby="advisor-title" data-testid="turnout-advisor">
      <h3 id="advisor-title">Aggregation advisor</h3>
      <p className="muted small">
        Which constituencies win a mandate if the dispute is balloted workplace by workplace, by employer, by
        occupation or all together, on each workplace's implied turnout (readiness) and an expected Yes share.
        Every workplace is taken to have a member affected by the dispute.
      </p>
      <form
        className="turnout-controls no-print"
        onSubmit={(e) => {
          e.preventDefault();
          advise.mutate({ yesShare });
        }}
      >
        <label>
          Expected Yes share (%){" "}
          <input
            type="number"
            min={0}
            max={100}
            value={yesShare}
            onChange={(e) => setYesShare(Number(e.target.value))}
            style={{ width: "6em" }}
          />
        </label>
        <button type="submit" className="button button-primary" disabled={advise.isPending}>
          Compare
        </button>
      </form>
      {advise.isError ? <ErrorPanel error={advise.error} title="Cannot compare" /> : null}
      {advise.data ? <AdviceBody a={advise.data} /> : null}
    </section>
  );
}

function AdviceBody({ a }: { a: Advice }) {
  const chart = a.options
    .filter((o) => o.available)
    .map((o) => ({
      name: OPTION_LABELS[o.option],
      covered: o.membersCovered,
      without: o.entitled - o.membersCovered,
    }));
  return (
    <>
      <ChartCard
        title="Members covered by a mandate"
        description="Under each way of balloting, on these figures."
        empty={chart.length ? null : "No way of balloting is open."}
      >
        <div className="chart" aria-hidden="true" style={{ height: chart.length * 48 + 70 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              accessibilityLayer={false}
              data={chart}
              layout="vertical"
              margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
            >
              <CartesianGrid horizontal={false} stroke="#d5dae1" />
              <XAxis
                type="number"
                fontSize={12}
                stroke="#4a5568"
                tickFormatter={(v: number) => formatNumber(v)}
              />
              <YAxis type="category" dataKey="name" width={200} fontSize={12} stroke="#4a5568" interval={0} />
              <Tooltip formatter={(v) => formatNumber(Number(v))} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar
                dataKey="covered"
                name="With a mandate"
                stackId="a"
                fill="#2f855a"
                isAnimationActive={false}
              />
              <Bar dataKey="without" name="Without" stackId="a" fill="#cbd2dc" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>
      <ScrollRegion label="Aggregation options compared">
        <table className="table table-compact" data-testid="advice-table">
          <thead>
            <tr>
              <th scope="col">Way of balloting</th>
              <th scope="col" className="num">
                Ballots
              </th>
              <th scope="col" className="num">
                Win
              </th>
              <th scope="col" className="num">
                Members with a mandate
              </th>
              <th scope="col">Legal test</th>
            </tr>
          </thead>
          <tbody>
            {a.options.map((o) => (
              <tr key={o.option}>
                <td>
                  {OPTION_LABELS[o.option]}
                  {a.best === o.option ? (
                    <>
                      {" "}
                      <Badge tone="ok">Covers most</Badge>
                    </>
                  ) : null}
                </td>
                <td className="num">{o.available ? formatNumber(o.constituencies.length) : "—"}</td>
                <td className="num">{o.available ? formatNumber(o.won) : "—"}</td>
                <td className="num">
                  {o.available
                    ? `${formatNumber(o.membersCovered)} of ${formatNumber(o.entitled)}`
                    : "Not open"}
                </td>
                <td>
                  {o.unavailableReason ? <p className="small">{o.unavailableReason}</p> : null}
                  {o.legalTests.map((t) => (
                    <p key={t.citation} className="small">
                      {t.test} <span className="muted">({t.citation})</span>
                      {t.unconfirmed ? (
                        <span className="cell-sub">Needs legal review: {t.unconfirmed}</span>
                      ) : null}
                    </p>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {a.options
        .filter((o) => o.available && o.constituencies.length <= 200)
        .map((o) => (
          <details key={o.option} className="chart-table">
            <summary>
              {OPTION_LABELS[o.option]}: each ballot ({formatNumber(o.won)} of{" "}
              {formatNumber(o.constituencies.length)} win)
            </summary>
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Ballot</th>
                  <th scope="col" className="num">
                    Entitled
                  </th>
                  <th scope="col" className="num">
                    Turnout
                  </th>
                  <th scope="col" className="num">
                    Margin (papers)
                  </th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {o.constituencies.map((c) => (
                  <tr key={c.key}>
                    <td>{c.name}</td>
                    <td className="num">{formatNumber(c.entitled)}</td>
                    <td className="num">{pct(c.turnout)}</td>
                    <td className="num">{formatNumber(c.margin)}</td>
                    <td>
                      {c.wins ? (
                        <Badge tone="ok">Mandate</Badge>
                      ) : (
                        <Badge tone="error">{`Fails: ${c.fails.join(", ")}`}</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))}
    </>
  );
}
