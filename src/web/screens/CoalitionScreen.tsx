/**
 * A coalition of unions (decision 0032): the joint timetable as a timeline (every union's ballot window,
 * notice of action and mandate against the days of action), the conflicts with their reasons and
 * citations, each union's published aggregates (suppressed and rounded: never a count of 7 or fewer),
 * and the joint employer view. Members' names never reach this screen: only published counts.
 */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type CoalitionDto,
  type TimetableDto,
  type UnionAggregatesDto,
  useAgreeToCoalition,
  useCoalitionAggregates,
  useCoalitions,
  useCoalitionTimetable,
  useJointEmployers,
  usePublishToCoalition,
} from "../api/coalition.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { formatDate, formatDateTime, formatNumber } from "../format.js";

const CONFLICT_LABEL: Record<TimetableDto["conflicts"][number]["kind"], string> = {
  no_ballot: "No ballot",
  mandate_expired: "Mandate no longer in force",
  mandate_not_obtained: "No mandate",
  closes_too_late: "Ballot closes too late",
  notice_too_late: "Notice of action too late",
};

const MANDATE_LABEL: Record<string, string> = {
  yes: "Mandate",
  no: "No mandate",
  pending: "Result awaited",
  mixed: "Mixed",
};

export function CoalitionScreen() {
  usePageTitle("Coalition");
  const { id } = useParams();
  const list = useCoalitions();
  if (list.isPending) return <Loading label="Loading coalitions…" />;
  if (list.isError)
    return (
      <ErrorPanel error={list.error} title="Cannot load coalitions" onRetry={() => void list.refetch()} />
    );
  const chosen = id ? list.data.find((c) => c.id === Number(id)) : list.data[0];
  return (
    <>
      <div className="page-head">
        <h1>Coalition</h1>
        <p className="lead">
          Unions balloting together for a joint day of action. Each union shares its ballots' dates and its
          aggregates only, never a member: counts of 7 or fewer are withheld and every figure is rounded to 5.
        </p>
      </div>
      {list.data.length > 1 ? (
        <nav className="section-actions" aria-label="Coalitions">
          {list.data.map((c) => (
            <Link
              key={c.id}
              to={`/coalition/${c.id}`}
              className="button"
              aria-current={c.id === chosen?.id ? "page" : undefined}
            >
              {c.name}
            </Link>
          ))}
        </nav>
      ) : null}
      {!chosen ? <Empty>Your union is in no coalition.</Empty> : <CoalitionDetail coalition={chosen} />}
    </>
  );
}

function CoalitionDetail({ coalition: c }: { coalition: CoalitionDto }) {
  const user = useUser();
  const agreed = c.you.state === "agreed";
  const timetable = useCoalitionTimetable(c.id, agreed);
  const aggregates = useCoalitionAggregates(c.id, agreed);
  const employers = useJointEmployers(c.id, agreed);
  const publish = usePublishToCoalition(c.id);
  const agree = useAgreeToCoalition(c.id);
  const [published, setPublished] = useState<string | null>(null);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="coalition-head">
        <h2 id="coalition-head" className="card-title">
          {c.name}
        </h2>
        <p>
          Coordinated by <strong>{c.coordinator}</strong>
          {c.you.coordinator ? " (your union)" : ""}. Day{c.daysOfAction.length === 1 ? "" : "s"} of action:{" "}
          <strong>{c.daysOfAction.map(formatDate).join(", ") || "not set yet"}</strong>.
        </p>
        {!agreed ? (
          <div className="notice notice-warning">
            <p className="notice-title">Your union has not agreed to share with this coalition.</p>
            <p>
              Nothing of your union is shown to the coalition, nor the coalition's figures to you, until it
              agrees.
            </p>
            {hasPermission(user, "coalition.manage") ? (
              <button
                type="button"
                className="button button-primary"
                disabled={agree.isPending}
                onClick={() => agree.mutate()}
              >
                Agree to share aggregates
              </button>
            ) : null}
          </div>
        ) : hasPermission(user, "coalition.publish") ? (
          <p className="section-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={publish.isPending}
              onClick={() =>
                publish.mutate(undefined, {
                  onSuccess: (r) =>
                    setPublished(`Report ${r.sequence} published as at ${formatDate(r.asOf)}.`),
                })
              }
            >
              Publish our aggregates now
            </button>
            <span className="muted small" role="status">
              {published ?? (c.publishDaily ? "Published every morning." : "")}
              {publish.isError ? (publish.error as Error).message : ""}
            </span>
          </p>
        ) : null}
        <ScrollRegion label="Member unions">
          <table className="table">
            <caption className="visually-hidden">Member unions and their agreements</caption>
            <thead>
              <tr>
                <th scope="col">Union</th>
                <th scope="col">Where</th>
                <th scope="col">Agreement</th>
                <th scope="col">Last report</th>
              </tr>
            </thead>
            <tbody>
              {c.members.map((m) => (
                <tr key={m.id}>
                  <td>
                    <span
                      className="union-swatch"
                      style={{ background: m.brandColour ?? "#555" }}
                      aria-hidden="true"
                    />
                    {m.name}
                    {m.partnerOf ? <span className="muted small"> (balloted with {m.partnerOf})</span> : null}
                  </td>
                  <td>{m.where === "here" ? "This installation" : "Its own Mandate (signed reports)"}</td>
                  <td>
                    {m.state === "agreed" ? (
                      <>
                        <Badge tone="ok">Agreed</Badge>{" "}
                        <span className="small">
                          {m.agreedBy} · {formatDateTime(m.agreedAt)}
                        </span>
                      </>
                    ) : (
                      <Badge tone="warning">Invited</Badge>
                    )}
                  </td>
                  <td>
                    {m.lastReportAsOf
                      ? `${formatDate(m.lastReportAsOf)} (no. ${m.lastSequence})`
                      : "None yet"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </section>
      {agreed ? (
        <>
          {timetable.isPending ? (
            <Loading label="Loading the joint timetable…" />
          ) : timetable.isError ? (
            <ErrorPanel error={timetable.error} title="Cannot load the joint timetable" />
          ) : (
            <>
              <Timeline
                timetable={timetable.data}
                colours={new Map(c.members.map((m) => [m.key, m.brandColour]))}
              />
              <Conflicts timetable={timetable.data} />
            </>
          )}
          {aggregates.isPending ? (
            <Loading label="Loading aggregates…" />
          ) : aggregates.isError ? (
            <ErrorPanel error={aggregates.error} title="Cannot load the aggregates" />
          ) : (
            <Aggregates unions={aggregates.data} />
          )}
          {employers.data ? <JointEmployers rows={employers.data} /> : null}
        </>
      ) : null}
    </div>
  );
}

const DAY_MS = 86_400_000;
const toTime = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** The joint timetable as a timeline: one row per union's ballot, the days of action as red lines. */
export function Timeline({
  timetable: t,
  colours,
}: {
  timetable: TimetableDto;
  colours: Map<string, string | null>;
}) {
  if (!t.ballots.length)
    return (
      <section className="card">
        <h2 className="card-title">Joint timetable</h2>
        <p className="empty">No union has linked a ballot to the coalition yet.</p>
      </section>
    );
  const dates = [
    ...t.daysOfAction,
    ...t.ballots.flatMap((b) => [b.ballotNoticeBy, b.closingDate, b.earliestAction]),
  ].map(toTime);
  const from = Math.min(...dates) - 3 * DAY_MS;
  const to = Math.max(...dates) + 5 * DAY_MS;
  const labelW = 200;
  const width = 880;
  const rowH = 34;
  const top = 26;
  const height = top + t.ballots.length * rowH + 10;
  const x = (d: string) => labelW + ((toTime(d) - from) / (to - from)) * (width - labelW - 10);
  const clampX = (d: string | null) => (d === null ? width - 10 : Math.min(width - 10, x(d)));
  const conflicted = new Set(t.conflicts.map((c) => `${c.union}\u0000${c.ballot}`));
  const months: string[] = [];
  for (let d = new Date(from); d.getTime() < to; d.setUTCMonth(d.getUTCMonth() + 1, 1)) {
    months.push(d.toISOString().slice(0, 7));
  }
  return (
    <figure className="card chart-card">
      <figcaption>
        <h2 className="card-title">Joint timetable</h2>
        <p className="muted small">
          Notice of ballot to voting window (solid), then the notice of action the law requires before the
          first day of action (hatched). Red lines: the days of action. A row marked ⚠ has a conflict below.
        </p>
      </figcaption>
      <ScrollRegion label="Joint timetable chart">
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          role="img"
          aria-label="Joint timetable"
          className="timeline"
        >
          <defs>
            <pattern
              id="hatch"
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" fill="#fff" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#777" strokeWidth="2" />
            </pattern>
          </defs>
          {months.map((m) => {
            const mx = x(`${m}-01`);
            return mx >= labelW ? (
              <g key={m}>
                <line x1={mx} x2={mx} y1={top - 6} y2={height} stroke="#ddd" />
                <text x={mx + 3} y={14} fontSize="11" fill="#555">
                  {new Date(`${m}-01T00:00:00Z`).toLocaleDateString("en-GB", {
                    month: "short",
                    year: "numeric",
                    timeZone: "UTC",
                  })}
                </text>
              </g>
            ) : null;
          })}
          {t.ballots.map((b, i) => {
            const y = top + i * rowH;
            const colour = colours.get(b.union) ?? "#2a5d9f";
            const bad = conflicted.has(`${b.union}\u0000${b.ballot}`);
            return (
              <g key={`${b.union}-${b.ballot}`}>
                <title>
                  {`${b.union}: ${b.ballot}. Notice of ballot by ${b.ballotNoticeBy}; votes ${b.openingDate} to ${b.closingDate}; earliest action ${b.earliestAction}; mandate ends ${b.mandateEnds ?? "?"}.`}
                </title>
                <text x={4} y={y + 20} fontSize="12" fill={bad ? "#b00020" : "#222"}>
                  {`${bad ? "⚠ " : ""}${b.union}: ${b.ballot}`.slice(0, 30)}
                </text>
                <rect
                  x={x(b.ballotNoticeBy)}
                  y={y + 10}
                  width={Math.max(1, x(b.openingDate) - x(b.ballotNoticeBy))}
                  height={12}
                  fill={colour}
                  opacity={0.3}
                />
                <rect
                  x={x(b.openingDate)}
                  y={y + 6}
                  width={Math.max(2, x(b.closingDate) - x(b.openingDate))}
                  height={20}
                  fill={colour}
                />
                <rect
                  x={x(b.resultDate)}
                  y={y + 6}
                  width={Math.max(2, x(b.earliestAction) - x(b.resultDate))}
                  height={20}
                  fill="url(#hatch)"
                  stroke="#777"
                />
                <line
                  x1={x(b.earliestAction)}
                  x2={clampX(b.mandateEnds)}
                  y1={y + 16}
                  y2={y + 16}
                  stroke={colour}
                  strokeWidth={2}
                  strokeDasharray="4 3"
                />
              </g>
            );
          })}
          {t.daysOfAction.map((d) => (
            <g key={d}>
              <line x1={x(d)} x2={x(d)} y1={top - 6} y2={height} stroke="#b00020" strokeWidth={2} />
              <text x={x(d) + 3} y={top - 8} fontSize="11" fill="#b00020">
                {formatDate(d)}
              </text>
            </g>
          ))}
        </svg>
      </ScrollRegion>
    </figure>
  );
}

export function Conflicts({ timetable: t }: { timetable: TimetableDto }) {
  return (
    <section className="card" aria-labelledby="conflicts-head">
      <h2 id="conflicts-head" className="card-title">
        Conflicts with the days of action
      </h2>
      {t.conflicts.length === 0 ? (
        <p className="notice notice-ok">Every union can lawfully take part on every day of action.</p>
      ) : (
        <ul className="stack conflict-list">
          {t.conflicts.map((c) => (
            <li key={`${c.union}-${c.ballot}-${c.day}-${c.kind}`} className="notice notice-error">
              <p className="notice-title">
                {formatDate(c.day)} · {c.union} · {CONFLICT_LABEL[c.kind]}
              </p>
              <p>{c.reason}</p>
              <p className="small muted">
                {c.citation}
                {c.unconfirmed ? ` (needs legal review: ${c.unconfirmed})` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const shown = (n: number | null) => (n === null ? "fewer than 10" : formatNumber(n));
const pct = (n: number | null) => (n === null ? "—" : `${n}%`);

function Aggregates({ unions }: { unions: UnionAggregatesDto[] }) {
  if (!unions.length)
    return (
      <section className="card">
        <h2 className="card-title">Shared aggregates</h2>
        <p className="empty">No union has published its aggregates yet.</p>
      </section>
    );
  return (
    <section className="card" aria-labelledby="aggregates-head">
      <h2 id="aggregates-head" className="card-title">
        Shared aggregates
      </h2>
      <p className="muted small">
        As each union published them. Counts of 7 or fewer are withheld; figures are rounded to 5 with a small
        fixed adjustment, so totals are the sum of the figures shown.
      </p>
      {unions.map((u) => (
        <div key={u.union} className="stack">
          <h3 className="union-head">
            <span
              className="union-swatch"
              style={{ background: u.brandColour ?? "#555" }}
              aria-hidden="true"
            />
            {u.name}{" "}
            <span className="muted small">
              report {u.sequence}, as at {formatDate(u.asOf)}
            </span>
          </h3>
          <ScrollRegion label={`${u.name}: figures by region`}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Region</th>
                  <th scope="col" className="num">
                    Entitled
                  </th>
                  <th scope="col" className="num">
                    Returned
                  </th>
                  <th scope="col" className="num">
                    Turnout
                  </th>
                  <th scope="col" className="num">
                    Yes
                  </th>
                  <th scope="col">Mandate</th>
                </tr>
              </thead>
              <tbody>
                {u.release.breakdowns.region.map((c) => (
                  <tr key={c.key}>
                    <td>{c.label}</td>
                    <td className="num">{shown(c.entitled)}</td>
                    <td className="num">{shown(c.returned)}</td>
                    <td className="num">{pct(c.turnout)}</td>
                    <td className="num">{pct(c.yesShare)}</td>
                    <td>{MANDATE_LABEL[c.mandate]}</td>
                  </tr>
                ))}
                <tr className="total">
                  <th scope="row">Total shown</th>
                  <td className="num">{formatNumber(u.release.totals.region.entitled)}</td>
                  <td className="num">
                    {u.release.totals.region.turnout === null
                      ? "—"
                      : formatNumber(u.release.totals.region.returned)}
                  </td>
                  <td className="num">{pct(u.release.totals.region.turnout)}</td>
                  <td colSpan={2} className="small muted">
                    {u.release.totals.region.suppressedCells
                      ? `${u.release.totals.region.suppressedCells} withheld`
                      : ""}
                  </td>
                </tr>
              </tbody>
            </table>
          </ScrollRegion>
        </div>
      ))}
    </section>
  );
}

function JointEmployers({
  rows,
}: {
  rows: {
    key: string;
    label: string;
    unions: {
      union: string;
      name: string;
      brandColour: string | null;
      cell: UnionAggregatesDto["release"]["breakdowns"]["employer"][number];
    }[];
  }[];
}) {
  return (
    <section className="card" aria-labelledby="joint-head">
      <h2 id="joint-head" className="card-title">
        Employers balloted by several unions
      </h2>
      {rows.length === 0 ? (
        <p className="empty">No employer has published figures from more than one union yet.</p>
      ) : (
        <ScrollRegion label="Employers balloted by several unions">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Employer</th>
                <th scope="col">Union</th>
                <th scope="col" className="num">
                  Entitled
                </th>
                <th scope="col" className="num">
                  Turnout
                </th>
                <th scope="col" className="num">
                  Yes
                </th>
                <th scope="col">Mandate</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((r) =>
                r.unions.map((u, i) => (
                  <tr key={`${r.key}-${u.union}`}>
                    {i === 0 ? (
                      <th scope="rowgroup" rowSpan={r.unions.length}>
                        {r.label}
                      </th>
                    ) : null}
                    <td>
                      <span
                        className="union-swatch"
                        style={{ background: u.brandColour ?? "#555" }}
                        aria-hidden="true"
                      />
                      {u.name}
                    </td>
                    <td className="num">{shown(u.cell.entitled)}</td>
                    <td className="num">{pct(u.cell.turnout)}</td>
                    <td className="num">{pct(u.cell.yesShare)}</td>
                    <td>{MANDATE_LABEL[u.cell.mandate]}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
