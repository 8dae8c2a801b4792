import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { isApiError, isNotFound } from "../api/client.js";
import { useDuplicateGroups } from "../api/duplicates.js";
import {
  type ImportJobDto,
  type ImportProblemDto,
  invalidateAfterImport,
  type UploadProgress,
  useImportJob,
  useImportProblems,
  useResumeImport,
  useStartImport,
} from "../api/imports.js";
import { useOrgStrings } from "../api/review.js";
import { Badge } from "../components/Badges.js";
import { intParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { Pager } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { downloadCsv, toCsv } from "../csv.js";
import { formatBytes, formatDateTime, formatNumber, plural } from "../format.js";

/** The server refuses anything else (and anything over 1 GB). */
const ACCEPT = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MAX_BYTES = 1024 * 1024 * 1024;
/** The problems endpoint sends at most this many rows. */
const PROBLEM_LIMIT = 1000;
const PROBLEMS_PAGE = 50;
/** A running job whose counts have not moved for this long may have stopped with the server. */
const STALLED_MS = 60_000;

export function ImportScreen() {
  usePageTitle("Import members");
  const [params, update] = useQueryParams();
  const jobId = intParam(params, "job");

  return (
    <>
      <div className="page-head">
        <h1>Import members</h1>
        <p className="lead">
          Load the membership export from your membership system, as CSV or Excel (.xlsx). Rows are matched by
          membership number, so loading the same file again changes nothing.
        </p>
      </div>
      {jobId ? (
        <>
          <p className="back-link">
            <Link to="/imports">← Import another file</Link>
          </p>
          <JobView id={jobId} />
        </>
      ) : (
        <UploadForm onStarted={(job) => update({ job: job.id })} />
      )}
    </>
  );
}

/* ---------- Upload ---------- */

interface ParsedMapping {
  mapping: Record<string, string>;
  errors: string[];
}

/** `field=Header` lines (blank lines and # comments ignored) to a field → header object. */
function parseMapping(text: string): ParsedMapping {
  const mapping: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const field = eq > 0 ? line.slice(0, eq).trim() : "";
    const header = eq > 0 ? line.slice(eq + 1).trim() : "";
    if (!field || !header) {
      errors.push(`Line ${i + 1}: write it as field=Header, for example membershipNumber=Mem No.`);
      return;
    }
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) {
      errors.push(`Line ${i + 1}: "${field}" is not a field name (letters and digits, no spaces).`);
      return;
    }
    if (field in mapping) errors.push(`Line ${i + 1}: ${field} is mapped twice.`);
    mapping[field] = header;
  });
  return { mapping, errors };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function UploadForm({ onStarted }: { onStarted: (job: ImportJobDto) => void }) {
  const id = useId();
  const start = useStartImport();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mappingText, setMappingText] = useState("");
  const [mappingOpen, setMappingOpen] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const parsed = parseMapping(mappingText);

  // Leaving the screen mid-upload cancels it.
  useEffect(() => () => abortRef.current?.abort(), []);

  const choose = (chosen: File | null) => {
    start.reset();
    setProgress(null);
    setFile(chosen);
    if (!chosen) setFileError(null);
    else if (!/\.(csv|txt|xlsx)$/i.test(chosen.name)) setFileError("Choose a .csv or .xlsx file.");
    else if (chosen.size > MAX_BYTES)
      setFileError("The file is larger than 1 GB: split it and import each part.");
    else if (chosen.size === 0) setFileError("The file is empty.");
    else setFileError(null);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setFileError("Choose the membership file to import.");
      return;
    }
    if (fileError || parsed.errors.length > 0) return;
    const controller = new AbortController();
    abortRef.current = controller;
    setProgress({ loaded: 0, total: file.size });
    start.mutate(
      { file, mapping: parsed.mapping, onProgress: setProgress, signal: controller.signal },
      {
        onSuccess: onStarted,
        onError: (error) => {
          setProgress(null);
          // Columns it could not find: open the mapping so the user can name them.
          if (isApiError(error) && stringList(error.details?.missing).length > 0) setMappingOpen(true);
        },
        onSettled: () => {
          abortRef.current = null;
        },
      },
    );
  };

  const uploading = start.isPending;
  const cancelled = start.error instanceof DOMException && start.error.name === "AbortError";
  const details = isApiError(start.error) ? start.error.details : undefined;
  const missing = stringList(details?.missing);
  const headers = stringList(details?.headers);
  const fileHintId = `${id}-file-hint`;
  const fileErrorId = `${id}-file-error`;
  const mapHintId = `${id}-map-hint`;
  const mapErrorId = `${id}-map-error`;

  return (
    <form className="card section upload-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Upload a file
      </h2>
      <div className="field">
        <label htmlFor={`${id}-file`}>Membership file</label>
        <p id={fileHintId} className="field-hint">
          CSV or Excel (.xlsx), with a header row. Up to 1 GB.
        </p>
        <input
          id={`${id}-file`}
          type="file"
          className="file-input"
          accept={ACCEPT}
          disabled={uploading}
          aria-describedby={fileError ? `${fileHintId} ${fileErrorId}` : fileHintId}
          aria-invalid={fileError ? true : undefined}
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
        {file && !fileError ? (
          <p className="muted small">
            {file.name}, {formatBytes(file.size)}
          </p>
        ) : null}
        {fileError ? (
          <p id={fileErrorId} className="field-error">
            {fileError}
          </p>
        ) : null}
      </div>

      <details
        className="mapping"
        open={mappingOpen}
        onToggle={(e) => setMappingOpen((e.target as HTMLDetailsElement).open)}
      >
        <summary>Column mapping (optional)</summary>
        <div className="field">
          <label htmlFor={`${id}-map`}>Column overrides, one per line</label>
          <p id={mapHintId} className="field-hint">
            Mandate recognises the usual column names itself. Add a line only for a column it does not, as{" "}
            <code>field=Column header</code>: for example <code>membershipNumber=Mem No</code>.
          </p>
          <textarea
            id={`${id}-map`}
            rows={4}
            value={mappingText}
            disabled={uploading}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={parsed.errors.length > 0 ? `${mapHintId} ${mapErrorId}` : mapHintId}
            aria-invalid={parsed.errors.length > 0 ? true : undefined}
            onChange={(e) => setMappingText(e.target.value)}
          />
          {parsed.errors.length > 0 ? (
            <ul id={mapErrorId} className="field-error">
              {parsed.errors.map((err) => (
                <li key={err}>{err}</li>
              ))}
            </ul>
          ) : null}
        </div>
      </details>

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={uploading}>
          {uploading ? "Uploading…" : "Upload and import"}
        </button>
        {uploading ? (
          <button type="button" className="button button-secondary" onClick={() => abortRef.current?.abort()}>
            Cancel upload
          </button>
        ) : null}
      </div>

      {uploading && progress ? <UploadBar progress={progress} /> : null}

      <div aria-live="polite" className="live-region">
        {cancelled ? <p className="muted">Upload cancelled. Nothing was imported.</p> : null}
      </div>
      {start.isError && !cancelled ? (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">The file was not imported</p>
          <p>{start.error.message}</p>
          {missing.length > 0 ? (
            <>
              <p>
                No column found for: <strong>{missing.join(", ")}</strong>. Name the column for each under
                “Column mapping”, as <code>{missing[0]}=Column header</code>.
              </p>
              {headers.length > 0 ? <p className="small">Columns in the file: {headers.join(", ")}</p> : null}
            </>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

function UploadBar({ progress }: { progress: UploadProgress }) {
  const id = useId();
  const sent = progress.total !== null && progress.loaded >= progress.total;
  const pct = progress.total ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : null;
  return (
    <div className="progress-block">
      <label htmlFor={id} className="progress-label">
        {sent
          ? "Uploaded: checking the file…"
          : `Uploading: ${formatBytes(progress.loaded)}${progress.total ? ` of ${formatBytes(progress.total)}` : ""}`}
        {pct !== null && !sent ? ` (${pct}%)` : ""}
      </label>
      {/* Once sent, the server reads the headers: the bar turns indeterminate until it answers. */}
      {sent || pct === null ? (
        <progress id={id} className="progress" />
      ) : (
        <progress id={id} className="progress" max={100} value={pct}>
          {pct}%
        </progress>
      )}
    </div>
  );
}

/* ---------- The job ---------- */

const STATUS_LABEL: Record<ImportJobDto["status"], string> = {
  running: "Running",
  completed: "Finished",
  failed: "Failed",
};

const STATUS_TONE: Record<ImportJobDto["status"], "ok" | "warning" | "error"> = {
  running: "warning",
  completed: "ok",
  failed: "error",
};

function JobView({ id }: { id: number }) {
  const job = useImportJob(id);
  const queryClient = useQueryClient();
  const lastStatus = useRef<ImportJobDto["status"] | null>(null);
  const status = job.data?.status;

  // When the job finishes here, every list and count it touched is out of date.
  useEffect(() => {
    if (!status) return;
    if (lastStatus.current === "running" && status !== "running") void invalidateAfterImport(queryClient);
    lastStatus.current = status;
  }, [status, queryClient]);

  if (isNotFound(job.error)) {
    return (
      <Notice tone="warning" title="No such import">
        <p>
          There is no import job {id}. <Link to="/imports">Import a file</Link>.
        </p>
      </Notice>
    );
  }
  if (job.isPending) return <Loading label="Loading the import…" />;
  if (job.isError && !job.data) {
    return <ErrorPanel error={job.error} title="Cannot load the import" onRetry={() => void job.refetch()} />;
  }
  const data = job.data;
  if (!data) return null;
  return (
    <>
      <section aria-labelledby="job-heading" className="card section">
        <div className="job-head">
          <h2 id="job-heading" className="card-title">
            {data.fileName}
          </h2>
          <Badge tone={STATUS_TONE[data.status]}>{STATUS_LABEL[data.status]}</Badge>
        </div>
        <p className="muted small">
          Import {data.id}, started {formatDateTime(data.createdAt)}
          {data.completedAt ? `, finished ${formatDateTime(data.completedAt)}` : ""}.
        </p>
        <p role="status" className="visually-hidden">
          {data.status === "running"
            ? "Import running."
            : data.status === "completed"
              ? "Import finished."
              : "Import failed."}
        </p>
        {job.isError ? (
          <p className="text-warning small">Lost touch with the server: {job.error.message} Retrying…</p>
        ) : null}
        {data.status === "running" ? <RunningProgress job={data} /> : null}
        <RowCounts job={data} />
        {data.status === "failed" ? <FailedPanel job={data} /> : null}
      </section>

      {data.status === "completed" ? <Outcome job={data} /> : null}
      {data.status !== "running" ? <Problems job={data} /> : null}
    </>
  );
}

function RunningProgress({ job }: { job: ImportJobDto }) {
  const id = useId();
  const rowsRead = job.rowsRead;
  const [moved, setMoved] = useState(() => ({ rows: rowsRead, at: Date.now() }));
  const [now, setNow] = useState(() => Date.now());
  // The clock restarts whenever the count moves.
  if (moved.rows !== rowsRead) setMoved({ rows: rowsRead, at: Date.now() });
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  const stalled = now - moved.at > STALLED_MS;

  return (
    <>
      <div className="progress-block">
        <label htmlFor={id} className="progress-label">
          Importing: {plural(rowsRead, "row")} read
          {job.lastLine > 0 ? `, up to line ${formatNumber(job.lastLine)}` : ""}. Rows are saved in batches.
        </label>
        {/* The total number of rows is not known until the end: an indeterminate bar. */}
        <progress id={id} className="progress" />
      </div>
      {stalled ? <StalledNotice job={job} /> : null}
    </>
  );
}

function StalledNotice({ job }: { job: ImportJobDto }) {
  const resume = useResumeImport(job.id);
  return (
    <Notice tone="warning" title="No progress for a minute">
      <p>
        A large batch can take a while. If the server was restarted, the import stopped: resuming carries on
        from the last saved batch and never loads a row twice.
      </p>
      {resume.isSuccess ? <p>Resumed: waiting for progress…</p> : <ResumeButton resume={resume} />}
    </Notice>
  );
}

function ResumeButton({ resume }: { resume: ReturnType<typeof useResumeImport> }) {
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => resume.mutate()}
        disabled={resume.isPending}
      >
        {resume.isPending ? "Resuming…" : "Resume"}
      </button>
      {resume.isError ? (
        <p className="text-error" role="alert">
          Could not resume: {resume.error.message}
        </p>
      ) : null}
    </>
  );
}

function FailedPanel({ job }: { job: ImportJobDto }) {
  const resume = useResumeImport(job.id);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">The import stopped</p>
      <p>{job.error ?? "No reason was recorded."}</p>
      <p>
        Rows up to line {formatNumber(job.lastLine)} are saved. Resuming carries on from the next row and
        never loads a row twice. If the error is in the file itself, correct the file and import it again
        instead.
      </p>
      <ResumeButton resume={resume} />
    </div>
  );
}

function RowCounts({ job }: { job: ImportJobDto }) {
  const items: { label: string; value: number; error?: boolean }[] = [
    { label: "Rows read", value: job.rowsRead },
    { label: "New members", value: job.rowsInserted },
    { label: "Updated", value: job.rowsUpdated },
    { label: "Unchanged", value: job.rowsUnchanged },
    { label: "Rejected", value: job.rowsRejected, error: job.rowsRejected > 0 },
  ];
  return (
    <dl className="stat-grid stat-grid-compact">
      {items.map((item) => (
        <div key={item.label} className={item.error ? "stat stat-error" : "stat"}>
          <dt>{item.label}</dt>
          <dd>{formatNumber(item.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Outcome({ job }: { job: ImportJobDto }) {
  const user = useUser();
  const canReview = hasPermission(user, "org.write");
  // Older servers send these counts only with the finished job; failing that, count across the register.
  const strings = useOrgStrings({ pageSize: 1 }, !job.matching && canReview);
  const reviewGroups = useDuplicateGroups({ status: "review", pageSize: 1 }, !job.duplicates);
  const linkedGroups = useDuplicateGroups({ status: "linked", pageSize: 1 }, !job.duplicates);
  const counts = strings.data?.counts;
  const m =
    job.matching ??
    (counts
      ? {
          auto: counts.auto ?? 0,
          reviewed: counts.reviewed ?? 0,
          review: counts.review ?? 0,
          unmatched: counts.unmatched ?? 0,
        }
      : undefined);
  const d =
    job.duplicates ??
    (reviewGroups.data && linkedGroups.data
      ? { linked: linkedGroups.data.total, review: reviewGroups.data.total }
      : undefined);
  return (
    <div className="two-col section">
      <section aria-labelledby="matching-heading" className="card">
        <h2 id="matching-heading" className="card-title">
          Employer matching
        </h2>
        <p className="muted small">
          {job.matching
            ? "Members, matched to the employer register from the employer and workplace they wrote."
            : "Distinct employer texts members wrote, across the whole register (not members)."}
        </p>
        {m ? (
          <dl className="count-list">
            <CountItem label="Matched automatically" value={m.auto} />
            <CountItem label="Matched by a reviewer" value={m.reviewed} />
            <CountItem
              label="To review"
              value={m.review}
              tone={m.review > 0 ? "warning" : undefined}
              link={
                canReview && m.review > 0
                  ? { to: "/review?status=review", text: "Review matches" }
                  : undefined
              }
            />
            <CountItem
              label="Unmatched"
              value={m.unmatched}
              tone={m.unmatched > 0 ? "error" : undefined}
              link={
                canReview && m.unmatched > 0
                  ? { to: "/review?status=unmatched", text: "See unmatched" }
                  : undefined
              }
            />
          </dl>
        ) : strings.isPending && canReview ? (
          <Loading label="Counting matches…" />
        ) : (
          <p className="muted">No matching counts are available.</p>
        )}
      </section>
      <section aria-labelledby="duplicates-heading" className="card">
        <h2 id="duplicates-heading" className="card-title">
          Possible duplicates
        </h2>
        <p className="muted small">
          {job.duplicates
            ? "Groups with a member from this file that may be one person: they would be sent two ballot papers."
            : "Groups of records that may be one person, across the whole register."}
        </p>
        {d ? (
          <dl className="count-list">
            <CountItem
              label="Linked (certain)"
              value={d.linked}
              link={d.linked > 0 ? { to: "/duplicates?status=linked", text: "See linked" } : undefined}
            />
            <CountItem
              label="To review"
              value={d.review}
              tone={d.review > 0 ? "warning" : undefined}
              link={d.review > 0 ? { to: "/duplicates?status=review", text: "Review duplicates" } : undefined}
            />
          </dl>
        ) : reviewGroups.isError || linkedGroups.isError ? (
          <p className="muted">No duplicate counts are available.</p>
        ) : (
          <Loading label="Counting possible duplicates…" />
        )}
      </section>
    </div>
  );
}

function CountItem({
  label,
  value,
  tone,
  link,
}: {
  label: string;
  value: number;
  tone?: "warning" | "error" | undefined;
  link?: { to: string; text: string } | undefined;
}) {
  return (
    <div className="count-item">
      <dt>{label}</dt>
      <dd>
        <span className={tone ? `count-value text-${tone}` : "count-value"}>{formatNumber(value)}</span>
        {link ? (
          <Link to={link.to} className="count-link">
            {link.text}
          </Link>
        ) : null}
      </dd>
    </div>
  );
}

/* ---------- Problems ---------- */

function isReject(p: ImportProblemDto): boolean {
  return p.severity === "reject" || p.severity === "error";
}

function Problems({ job }: { job: ImportJobDto }) {
  const problems = useImportProblems(job.id, true);
  const [page, setPage] = useState(1);

  let body: ReactNode;
  if (problems.isPending) body = <Loading label="Loading the problems…" />;
  else if (problems.isError) {
    body = (
      <ErrorPanel
        error={problems.error}
        title="Cannot load the problems"
        onRetry={() => void problems.refetch()}
      />
    );
  } else if (problems.data.length === 0) {
    body = <Empty>No rows were rejected and nothing needed a warning.</Empty>;
  } else {
    // Rejected rows first (they were not loaded), then warnings, each by line.
    // Problems have no id: each is numbered in the order the server sent it, for a stable key.
    const sorted = problems.data
      .map((p, n) => ({ ...p, n }))
      .sort((a, b) => Number(isReject(b)) - Number(isReject(a)) || a.line - b.line || a.n - b.n);
    const rejects = sorted.filter(isReject).length;
    const shown = sorted.slice((page - 1) * PROBLEMS_PAGE, page * PROBLEMS_PAGE);
    const download = () => {
      const rows = [
        ["severity", "file", "sheet", "line", "field", "code", "message"],
        ...sorted.map((p) => [
          isReject(p) ? "rejected" : "warning",
          p.file,
          p.sheet ?? "",
          p.line,
          p.field,
          p.code,
          p.message,
        ]),
      ];
      downloadCsv(`import-${job.id}-problems.csv`, toCsv(rows));
    };
    body = (
      <>
        <div className="section-actions">
          <p className="muted">
            {plural(rejects, "rejected row")} (not loaded) and {plural(sorted.length - rejects, "warning")}.
            {problems.data.length >= PROBLEM_LIMIT
              ? ` The server sends the first ${formatNumber(PROBLEM_LIMIT)} by line; there may be more.`
              : ""}
          </p>
          <button type="button" className="button button-secondary" onClick={download}>
            Download problems as CSV
          </button>
        </div>
        <Pager page={page} pageSize={PROBLEMS_PAGE} total={sorted.length} noun="problems" onPage={setPage} />
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">
              Problems found in {job.fileName}, rejected rows first
            </caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.n} className={isReject(p) ? "row-error" : undefined}>
                  <td data-label="Severity">
                    {isReject(p) ? (
                      <Badge tone="error">Rejected</Badge>
                    ) : (
                      <Badge tone="warning">Warning</Badge>
                    )}
                  </td>
                  <td data-label="Line" className="num">
                    {formatNumber(p.line)}
                    {p.sheet ? <span className="cell-sub">sheet {p.sheet}</span> : null}
                  </td>
                  <td data-label="Field">{p.field || "—"}</td>
                  <th scope="row" data-label="Problem">
                    {p.message}
                    <span className="cell-sub">
                      <code>{p.code}</code>
                    </span>
                  </th>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {shown.length > 10 ? (
          <Pager
            page={page}
            pageSize={PROBLEMS_PAGE}
            total={sorted.length}
            noun="problems"
            onPage={setPage}
            bottom
          />
        ) : null}
      </>
    );
  }

  return (
    <section aria-labelledby="problems-heading" className="section">
      <h2 id="problems-heading">Problems</h2>
      {body}
    </section>
  );
}
