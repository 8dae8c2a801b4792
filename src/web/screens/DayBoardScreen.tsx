/**
 * The live national board of a day of action: workplaces by status (picket up, numbers out, cover in
 * place, incidents), totals by region, sector and union, numbers out over the day, a map drawn with no
 * network, and the incident log. Refreshes itself; everything in the reader's scope only.
 */
import { type FormEvent, lazy, Suspense, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { hasPermission, useUser } from "../api/auth.js";
import { type PartnerDayDto, usePartnerDay } from "../api/coalition.js";
import {
  type DayBoardDto,
  type IncidentDto,
  useAddFollowup,
  useDayBoard,
  useFollowupDone,
  useIncidents,
  useRecordIncident,
  useReportingWorkplaces,
  useUpdateIncident,
} from "../api/dayboard.js";
import { ChartCard } from "../components/ChartCard.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { formatDate, formatDateTime, formatNumber, todayIso } from "../format.js";

const DayBoardMap = lazy(() => import("./DayBoardMap.js").then((m) => ({ default: m.DayBoardMap })));

const STATUS_TEXT = { incident: "Open incident", picket: "Picket up", out: "Out", none: "None out" } as const;
const SHOWN = 100;

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{formatNumber(value)}</dd>
    </div>
  );
}

export function DayBoardScreen() {
  usePageTitle("Day of action board");
  const [search, setSearch] = useSearchParams();
  const day = search.get("day") ?? todayIso();
  const user = useUser();
  const board = useDayBoard(day);
  return (
    <>
      <div className="page-head">
        <h1>Day of action board</h1>
        <p className="lead">
          {formatDate(day)}: every workplace reporting in your scope.
          {board.data
            ? ` Figures as at ${formatDateTime(board.data.computedAt)}; the page refreshes itself every ${board.data.refreshSeconds} seconds.`
            : ""}
        </p>
        <div className="page-actions no-print">
          <div className="field">
            <label htmlFor="board-day">Day</label>
            <input
              id="board-day"
              type="date"
              value={day}
              onChange={(e) => e.target.value && setSearch({ day: e.target.value })}
            />
          </div>
          {hasPermission(user, "action.report") ? (
            <Link className="button" to={`/action/report?day=${day}`}>
              Report numbers
            </Link>
          ) : null}
        </div>
      </div>
      {board.isPending ? <Loading label="Loading the board…" /> : null}
      {board.isError ? (
        <ErrorPanel error={board.error} title="Cannot load the board" onRetry={() => void board.refetch()} />
      ) : null}
      {board.data ? <Board board={board.data} partners={hasPermission(user, "coalition.read")} /> : null}
      <Incidents day={day} />
    </>
  );
}

function Board({ board: b, partners }: { board: DayBoardDto; partners: boolean }) {
  const t = b.totals;
  return (
    <>
      <dl className="stat-grid stat-grid-compact" aria-label="Totals">
        <Stat label="Workplaces reporting" value={t.workplaces} />
        <Stat label="Out on strike" value={t.out} />
        <Stat label="At work" value={t.atWork} />
        <Stat label="Exempt for cover" value={t.exempt} />
        <Stat label="Picket lines up" value={t.picketUp} />
        <Stat label="Cover in place" value={t.coverInPlace} />
        <Stat label="Open incidents" value={t.openIncidents} />
      </dl>
      <div className="dayboard-grid">
        <figure className="card" aria-labelledby="map-title">
          <figcaption>
            <h2 id="map-title" className="card-title">
              Map
            </h2>
          </figcaption>
          <Suspense fallback={<Loading label="Drawing the map…" />}>
            <DayBoardMap board={b} />
          </Suspense>
        </figure>
        <ChartCard
          title="Numbers out over the day"
          description="As reported by the end of each half hour (UK time): each workplace's latest report counts."
          empty={b.overTheDay.length ? null : "No reports yet."}
        >
          <ResponsiveContainer width="100%" height={280}>
            <AreaChart data={b.overTheDay} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="time" minTickGap={24} />
              <YAxis allowDecimals={false} width={56} />
              <Tooltip formatter={(v) => formatNumber(Number(v))} />
              {/* Each point is the figure by the end of its half hour, so it is drawn over that half hour
                  (stepBefore): the current half hour shows as soon as a report arrives in it. */}
              <Area type="stepBefore" dataKey="out" name="Out" stroke="#1f2d4d" fill="#c9d3e6" />
            </AreaChart>
          </ResponsiveContainer>
        </ChartCard>
      </div>
      <Groups title="By region" rows={b.byRegion} />
      <Groups title="By sector" rows={b.bySector} />
      <ByUnion board={b} partners={partners} />
      <Workplaces board={b} />
    </>
  );
}

/**
 * The reader's own union (live, in its scope) and, for readers of the coalition's shared figures, the
 * other unions of its coalitions on this day: counts they shared, as at the time they shared them.
 */
function ByUnion({ board: b, partners }: { board: DayBoardDto; partners: boolean }) {
  const shared = usePartnerDay(b.day, partners);
  const others = shared.data ?? [];
  const rows: GroupRow[] = [
    ...b.byUnion,
    ...others.flatMap((p) =>
      p.totals ? [{ id: `${p.coalitionId}-${p.union}`, name: p.name, ...p.totals }] : [],
    ),
  ];
  const silent = others.filter((p) => !p.totals);
  return (
    <Groups title="By union" rows={rows}>
      {others.length ? <PartnerNote partners={others} silent={silent} /> : null}
      {shared.isError ? (
        <p className="form-error small">The coalition's figures could not be loaded.</p>
      ) : null}
    </Groups>
  );
}

function PartnerNote({ partners, silent }: { partners: PartnerDayDto[]; silent: PartnerDayDto[] }) {
  const from = partners.filter((p) => p.totals && p.source === "report");
  return (
    <p className="muted small">
      Other unions' figures are the totals they share with the coalition, with no workplace named
      {from.length
        ? `; ${from.map((p) => `${p.name} as at ${p.at ? formatDateTime(p.at) : "their last report"}`).join(", ")}`
        : ""}
      .{silent.length ? ` Nothing shared yet for this day by ${silent.map((p) => p.name).join(", ")}.` : ""}
    </p>
  );
}

type GroupRow = Omit<DayBoardDto["byRegion"][number], "id"> & { id: number | string };

function Groups({ title, rows, children }: { title: string; rows: GroupRow[]; children?: React.ReactNode }) {
  if (!rows.length) return null;
  return (
    <section className="section" aria-label={title}>
      <h2>{title}</h2>
      {children}
      <ScrollRegion label={title}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Workplaces</th>
              <th scope="col">Out</th>
              <th scope="col">At work</th>
              <th scope="col">Exempt</th>
              <th scope="col">Picket lines</th>
              <th scope="col">Cover in place</th>
              <th scope="col">Open incidents</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.name}</th>
                <td>{formatNumber(r.workplaces)}</td>
                <td>{formatNumber(r.out)}</td>
                <td>{formatNumber(r.atWork)}</td>
                <td>{formatNumber(r.exempt)}</td>
                <td>{formatNumber(r.picketUp)}</td>
                <td>{formatNumber(r.coverInPlace)}</td>
                <td>{formatNumber(r.openIncidents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function Workplaces({ board: b }: { board: DayBoardDto }) {
  const [status, setStatus] = useState<"" | keyof typeof STATUS_TEXT>("");
  const order = { incident: 0, picket: 1, out: 2, none: 3 } as const;
  const rows = b.workplaces
    .filter((w) => !status || w.status === status)
    .sort((x, y) => order[x.status] - order[y.status] || y.out - x.out || x.name.localeCompare(y.name));
  return (
    <section className="section" aria-labelledby="workplaces-heading">
      <h2 id="workplaces-heading">Workplaces</h2>
      <div className="field">
        <label htmlFor="board-status">Status</label>
        <select id="board-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">All</option>
          {(Object.keys(STATUS_TEXT) as (keyof typeof STATUS_TEXT)[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_TEXT[s]}
            </option>
          ))}
        </select>
      </div>
      {rows.length > SHOWN ? (
        <p className="muted small">
          The first {SHOWN} of {formatNumber(rows.length)}: incidents first, then picket lines, then the most
          out.
        </p>
      ) : null}
      <ScrollRegion label="Workplaces">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Workplace</th>
              <th scope="col">Status</th>
              <th scope="col">Out</th>
              <th scope="col">At work</th>
              <th scope="col">Exempt</th>
              <th scope="col">Cover</th>
              <th scope="col">Last report</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map((w) => (
              <tr key={w.id}>
                <th scope="row">{w.name}</th>
                <td>{STATUS_TEXT[w.status]}</td>
                <td>{formatNumber(w.out)}</td>
                <td>{w.atWork === null ? "—" : formatNumber(w.atWork)}</td>
                <td>{w.exempt === null ? "—" : formatNumber(w.exempt)}</td>
                <td>{w.cover ? "In place" : "—"}</td>
                <td>{w.at ? formatDateTime(w.at) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

function Incidents({ day }: { day: string }) {
  const user = useUser();
  const incidents = useIncidents(day);
  const canRecord = hasPermission(user, "action.report");
  const canManage = hasPermission(user, "action.incidents");
  return (
    <section className="section" aria-labelledby="incidents-heading">
      <h2 id="incidents-heading">Incident log</h2>
      {canRecord ? <IncidentForm day={day} /> : null}
      {incidents.isError ? (
        <ErrorPanel
          error={incidents.error}
          title="Cannot load the incidents"
          onRetry={() => void incidents.refetch()}
        />
      ) : null}
      {incidents.data?.length === 0 ? <p className="empty">No incidents recorded.</p> : null}
      {incidents.data?.map((i) => (
        <Incident key={i.id} day={day} incident={i} canManage={canManage} />
      ))}
    </section>
  );
}

function IncidentForm({ day }: { day: string }) {
  const places = useReportingWorkplaces(day, "");
  const record = useRecordIncident(day);
  const [workplaceId, setWorkplaceId] = useState("");
  const [kind, setKind] = useState<IncidentDto["kind"]>("police");
  const [severity, setSeverity] = useState<IncidentDto["severity"]>("medium");
  const [description, setDescription] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate(
      { workplaceId: Number(workplaceId), kind, severity, description },
      { onSuccess: () => setDescription("") },
    );
  };
  return (
    <form className="form-stack card" onSubmit={submit} aria-label="Record an incident">
      <div className="field">
        <label htmlFor="incident-workplace">Workplace</label>
        <select
          id="incident-workplace"
          required
          value={workplaceId}
          onChange={(e) => setWorkplaceId(e.target.value)}
        >
          <option value="">Choose…</option>
          {places.data?.map((w) => (
            <option key={w.workplaceId} value={w.workplaceId}>
              {w.workplaceName}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="incident-kind">Kind</label>
        <select id="incident-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="police">Police</option>
          <option value="employer">Employer</option>
          <option value="media">Media</option>
          <option value="safety">Safety</option>
          <option value="other">Other</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="incident-severity">Severity</label>
        <select
          id="incident-severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value as typeof severity)}
        >
          <option value="low">Low</option>
          <option value="medium">Medium</option>
          <option value="high">High</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="incident-description">What happened (at most 2,000 characters)</label>
        <textarea
          id="incident-description"
          required
          maxLength={2000}
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      {record.isError ? <p className="form-error">{record.error.message}</p> : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={record.isPending}>
          Record the incident
        </button>
      </div>
    </form>
  );
}

function Incident({
  day,
  incident: i,
  canManage,
}: {
  day: string;
  incident: IncidentDto;
  canManage: boolean;
}) {
  const update = useUpdateIncident(day);
  const add = useAddFollowup(day);
  const done = useFollowupDone(day);
  const [who, setWho] = useState("");
  const [what, setWhat] = useState("");
  const [dueOn, setDueOn] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { id: i.id, who, what, dueOn: dueOn || null },
      {
        onSuccess: () => {
          setWho("");
          setWhat("");
          setDueOn("");
        },
      },
    );
  };
  return (
    <article className="card" aria-labelledby={`incident-${i.id}`}>
      <h3 id={`incident-${i.id}`} className="card-title">
        {i.kind[0]!.toUpperCase() + i.kind.slice(1)} · {i.workplaceName} · {formatDateTime(i.occurredAt)}
      </h3>
      <p className="muted small">
        Severity {i.severity}; {i.state === "open" ? "open" : `closed ${formatDateTime(i.closedAt)}`}
      </p>
      <p>{i.description}</p>
      {i.followups.length ? (
        <ul className="plain-list">
          {i.followups.map((f) => (
            <li key={f.id}>
              {canManage ? (
                <label>
                  <input
                    type="checkbox"
                    checked={f.doneAt !== null}
                    onChange={(e) => done.mutate({ id: i.id, followupId: f.id, done: e.target.checked })}
                  />{" "}
                  {f.who}: {f.what}
                  {f.dueOn ? ` (by ${formatDate(f.dueOn)})` : ""}
                </label>
              ) : (
                <span>
                  {f.doneAt ? "Done: " : ""}
                  {f.who}: {f.what}
                  {f.dueOn ? ` (by ${formatDate(f.dueOn)})` : ""}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {canManage ? (
        <form className="form-stack" onSubmit={submit} aria-label={`Add a follow-up to incident ${i.id}`}>
          <div className="field">
            <label htmlFor={`fu-who-${i.id}`}>Who</label>
            <input
              id={`fu-who-${i.id}`}
              required
              maxLength={200}
              value={who}
              onChange={(e) => setWho(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`fu-what-${i.id}`}>What</label>
            <input
              id={`fu-what-${i.id}`}
              required
              maxLength={1000}
              value={what}
              onChange={(e) => setWhat(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`fu-due-${i.id}`}>Due</label>
            <input
              id={`fu-due-${i.id}`}
              type="date"
              value={dueOn}
              onChange={(e) => setDueOn(e.target.value)}
            />
          </div>
          {add.isError ? <p className="form-error">{add.error.message}</p> : null}
          <div className="form-actions">
            <button type="submit" className="button" disabled={add.isPending}>
              Add the follow-up
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={update.isPending}
              onClick={() => update.mutate({ id: i.id, state: i.state === "open" ? "closed" : "open" })}
            >
              {i.state === "open" ? "Close the incident" : "Reopen the incident"}
            </button>
          </div>
        </form>
      ) : null}
    </article>
  );
}
