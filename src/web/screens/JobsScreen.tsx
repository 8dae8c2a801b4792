import { useId } from "react";
import { jobKindName } from "../../jobs/jobs.model.js";
import { type JobDto, useJobAction, useJobs } from "../api/jobs.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDateTime, formatNumber } from "../format.js";

const STATE: Record<JobDto["state"], { label: string; tone: "ok" | "warning" | "error" | "neutral" }> = {
  queued: { label: "Waiting", tone: "neutral" },
  running: { label: "Running", tone: "warning" },
  succeeded: { label: "Finished", tone: "ok" },
  failed: { label: "Failed", tone: "error" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

function eta(seconds: number | null): string {
  if (seconds === null) return "";
  if (seconds < 60) return `about ${seconds} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** Background jobs (member and register imports, ballot documents), with their progress. */
export function JobsScreen() {
  usePageTitle("Jobs");
  const jobs = useJobs();
  const action = useJobAction();
  if (jobs.isPending) return <Loading label="Loading jobs…" />;
  if (jobs.isError) return <ErrorPanel error={jobs.error} title="Cannot load the jobs" />;
  return (
    <>
      <h1>Jobs</h1>
      <p className="muted">
        Imports and other long work run in the background: leaving this page does not stop them, and a job
        whose server stopped carries on where it was. A national officer sees every job of the union; anyone
        else the jobs they started.
      </p>
      {action.isError ? <ErrorPanel error={action.error} title="The job could not be changed" /> : null}
      {jobs.data.length === 0 ? (
        <Empty>
          No jobs yet. A member or register import, an electorate freeze or a set of documents you start
          appears here.
        </Empty>
      ) : (
        <ul className="job-list">
          {jobs.data.map((job) => (
            <JobItem
              key={job.id}
              job={job}
              busy={action.isPending}
              onAction={(a) => action.mutate({ id: job.id, action: a })}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function JobItem({
  job,
  busy,
  onAction,
}: {
  job: JobDto;
  busy: boolean;
  onAction: (action: "cancel" | "retry") => void;
}) {
  const id = useId();
  const state = STATE[job.state];
  const kind = jobKindName(job.kind);
  const pct = job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : null;
  const active = job.state === "queued" || job.state === "running";
  return (
    <li className="card job-item" aria-labelledby={`${id}-title`}>
      <div className="job-head">
        <h2 id={`${id}-title`} className="job-title">
          {kind} <span className="muted">#{job.id}</span>
        </h2>
        <Badge tone={state.tone}>{state.label}</Badge>
      </div>
      {active ? (
        <div className="progress-block">
          <label htmlFor={`${id}-bar`} className="progress-label">
            {formatNumber(job.done)}
            {job.total ? ` of ${formatNumber(job.total)}` : ""} done
            {job.rate ? `, ${formatNumber(Math.round(job.rate))} a second` : ""}
            {job.etaSeconds !== null ? `, ${eta(job.etaSeconds)}` : ""}
            {job.cancelRequested ? " (cancelling…)" : ""}
          </label>
          {pct === null ? (
            <progress id={`${id}-bar`} className="progress" />
          ) : (
            <progress id={`${id}-bar`} className="progress" max={100} value={pct}>
              {pct}%
            </progress>
          )}
        </div>
      ) : (
        <p className="small">
          {formatNumber(job.done)} done
          {job.finishedAt ? `, ended ${formatDateTime(job.finishedAt)}` : ""}
          {job.attempts > 1 ? ` (resumed ${job.attempts - 1} time${job.attempts > 2 ? "s" : ""})` : ""}
        </p>
      )}
      {job.errorMessage && job.state !== "cancelled" ? (
        <p className="form-error">{job.errorMessage}</p>
      ) : null}
      <p className="muted small">
        {job.startedAt
          ? `Started ${formatDateTime(job.startedAt)}`
          : `Queued ${formatDateTime(job.createdAt)}`}
      </p>
      {active && !job.cancelRequested ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => onAction("cancel")}
        >
          Cancel {kind.toLowerCase()} #{job.id}
        </button>
      ) : null}
      {job.state === "failed" || job.state === "cancelled" ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => onAction("retry")}
        >
          Retry {kind.toLowerCase()} #{job.id}
        </button>
      ) : null}
    </li>
  );
}
