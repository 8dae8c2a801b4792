/**
 * Reporting on the day, on a phone: pick the workplace, say whether the picket is up, count who is
 * out, at work and exempt for cover with big steppers, send. Several times a day: each report is
 * kept and the latest is the figure. Who is in the dispute is shown as counts only; members opposed
 * in principle are respected: never listed for the line, never pressed.
 */
import { type FormEvent, useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type ReportingWorkplaceDto, useRecordReport, useReportingWorkplaces } from "../api/dayboard.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDate, formatDateTime, formatNumber, todayIso } from "../format.js";

function Stepper({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number;
  onChange: (n: number) => void;
}) {
  const id = useId();
  const set = (n: number) => onChange(Math.max(0, Math.min(1_000_000, Number.isFinite(n) ? n : 0)));
  return (
    <div className="stepper">
      <label htmlFor={id}>{label}</label>
      <div className="stepper-row">
        <button
          type="button"
          className="stepper-button"
          aria-label={`${label}: one fewer`}
          onClick={() => set(value - 1)}
        >
          −
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={1_000_000}
          value={value}
          onChange={(e) => set(Number.parseInt(e.target.value || "0", 10))}
        />
        <button
          type="button"
          className="stepper-button"
          aria-label={`${label}: one more`}
          onClick={() => set(value + 1)}
        >
          +
        </button>
      </div>
    </div>
  );
}

export function ActionReportScreen() {
  usePageTitle("Report on the day");
  const [search, setSearch] = useSearchParams();
  const day = search.get("day") ?? todayIso();
  const [q, setQ] = useState("");
  const places = useReportingWorkplaces(day, q);
  const [workplaceId, setWorkplaceId] = useState<number | null>(null);
  const chosen = places.data?.find((w) => w.workplaceId === workplaceId) ?? null;
  useEffect(() => {
    if (workplaceId === null && places.data?.length === 1) setWorkplaceId(places.data[0]!.workplaceId);
  }, [places.data, workplaceId]);

  return (
    <>
      <div className="page-head">
        <h1>Report on the day</h1>
        <p className="lead">
          Numbers out at your workplace on {formatDate(day)}. Report as often as you like: the latest report
          is the figure on the <Link to={`/action/board?day=${day}`}>national board</Link>.
        </p>
      </div>
      <div className="field">
        <label htmlFor="report-day">Day</label>
        <input
          id="report-day"
          type="date"
          value={day}
          onChange={(e) => e.target.value && setSearch({ day: e.target.value })}
        />
      </div>
      {places.isPending ? <Loading label="Loading your workplaces…" /> : null}
      {places.isError ? (
        <ErrorPanel
          error={places.error}
          title="Cannot load your workplaces"
          onRetry={() => void places.refetch()}
        />
      ) : null}
      {places.data && (places.data.length > 1 || q) ? (
        <div className="field">
          <label htmlFor="report-find">Find a workplace</label>
          <input id="report-find" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
      ) : null}
      {places.data && places.data.length > 1 ? (
        <div className="field">
          <label htmlFor="report-workplace">Workplace</label>
          <select
            id="report-workplace"
            value={workplaceId ?? ""}
            onChange={(e) => setWorkplaceId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">Choose…</option>
            {places.data.map((w) => (
              <option key={w.workplaceId} value={w.workplaceId}>
                {w.workplaceName}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {places.data?.length === 0 ? <p className="empty">No workplace to report for.</p> : null}
      {chosen ? <ReportForm key={chosen.workplaceId} day={day} place={chosen} /> : null}
    </>
  );
}

function ReportForm({ day, place }: { day: string; place: ReportingWorkplaceDto }) {
  const record = useRecordReport(day);
  const last = place.latest;
  const [picketUp, setPicketUp] = useState(last?.picketUp ?? false);
  const [out, setOut] = useState(last?.out ?? 0);
  const [atWork, setAtWork] = useState(last?.atWork ?? 0);
  const [exempt, setExempt] = useState(last?.exempt ?? 0);
  const [sent, setSent] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    record.mutate(
      { workplaceId: place.workplaceId, picketUp, outCount: out, atWorkCount: atWork, exemptCount: exempt },
      { onSuccess: () => setSent(`Report sent: ${formatNumber(out)} out at ${place.workplaceName}.`) },
    );
  };
  return (
    <section className="card" aria-labelledby="report-place">
      <h2 id="report-place" className="card-title">
        {place.workplaceName}
      </h2>
      <dl className="stat-grid stat-grid-compact" aria-label="Members at this workplace (counts only)">
        <div className="stat">
          <dt>In the dispute</dt>
          <dd>{formatNumber(place.inDispute)}</dd>
        </div>
        <div className="stat">
          <dt>Not in the dispute</dt>
          <dd>{formatNumber(place.notInDispute)}</dd>
        </div>
        <div className="stat">
          <dt>Opposed in principle</dt>
          <dd>{formatNumber(place.opposedInPrinciple)}</dd>
        </div>
      </dl>
      <p className="muted small">
        Members opposed in principle are respected: they are not listed for the line and not pressed.
      </p>
      <p className="muted small">
        {last
          ? `Last report ${formatDateTime(last.reportedAt)}: ${formatNumber(last.out)} out (${last.reports} report${last.reports === 1 ? "" : "s"} today).`
          : "No report yet today."}
      </p>
      <form className="form-stack" onSubmit={submit} aria-label="Report numbers">
        <fieldset className="toggle-pair">
          <legend>Picket line up?</legend>
          <label className={picketUp ? "toggle toggle-on" : "toggle"}>
            <input type="radio" name="picket" checked={picketUp} onChange={() => setPicketUp(true)} />
            Yes
          </label>
          <label className={!picketUp ? "toggle toggle-on" : "toggle"}>
            <input type="radio" name="picket" checked={!picketUp} onChange={() => setPicketUp(false)} />
            No
          </label>
        </fieldset>
        <Stepper label="Out on strike" value={out} onChange={setOut} />
        <Stepper label="At work" value={atWork} onChange={setAtWork} />
        <Stepper label="Exempt for cover" value={exempt} onChange={setExempt} />
        {record.isError ? <p className="form-error">{record.error.message}</p> : null}
        {sent ? (
          <p className="notice notice-ok" role="status">
            {sent}
          </p>
        ) : null}
        <button type="submit" className="button button-primary report-send" disabled={record.isPending}>
          Send the report
        </button>
      </form>
    </section>
  );
}
