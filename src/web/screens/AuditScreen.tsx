import {
  AUDIT_EVENT_NAMES,
  type AuditRowDto,
  type AuditVerifyDto,
  useAuditLog,
  useVerifyAudit,
} from "../api/audit.js";
import { Badge } from "../components/Badges.js";
import { intParam, textParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { PagedList } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { SelectField } from "../components/SelectField.js";
import { formatDateTime, formatNumber } from "../format.js";

const PAGE_SIZE = 50;

export function AuditScreen() {
  usePageTitle("Audit log");
  const [params, update] = useQueryParams();
  const event = textParam(params, "event");
  const page = intParam(params, "page") ?? 1;
  const log = useAuditLog({ event, page, pageSize: PAGE_SIZE });
  const verify = useVerifyAudit();

  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <p className="lead">
          Every sign-in, change and export, chained with a key kept outside the database and checked against
          signed checkpoints, so that no row can be altered or removed unnoticed. Rows record ids and field
          names, never the personal values.
        </p>
      </div>

      <section aria-labelledby="verify-heading" className="card section">
        <h2 id="verify-heading" className="card-title">
          Chain integrity
        </h2>
        <div className="verify-row">
          <button
            type="button"
            className="button button-primary"
            onClick={() => verify.mutate()}
            disabled={verify.isPending}
          >
            {verify.isPending ? "Verifying…" : "Verify chain"}
          </button>
          <div aria-live="polite" className="verify-result">
            {verify.isError ? <p className="text-error">Could not verify: {verify.error.message}</p> : null}
            {verify.data ? <Verdict verdict={verify.data} /> : null}
          </div>
        </div>
      </section>

      <div className="filters card">
        <div className="filter-row">
          <SelectField
            label="Event"
            emptyLabel="All events"
            value={event ?? ""}
            options={AUDIT_EVENT_NAMES.map((name) => ({ value: name, label: name }))}
            onChange={(v) => update({ event: v })}
          />
        </div>
      </div>

      {log.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : log.isError ? (
        <ErrorPanel error={log.error} title="Cannot load the audit log" onRetry={() => void log.refetch()} />
      ) : (
        <section aria-label="Audit rows" className={log.isPlaceholderData ? "is-stale" : undefined}>
          <PagedList result={log.data} noun="rows" onPage={(p) => update({ page: p })} busy={log.isFetching}>
            {log.data.items.length === 0 ? (
              <Empty>No audit rows{event ? ` for ${event}` : ""}.</Empty>
            ) : (
              // Wide rows scroll sideways: the area takes focus so a keyboard can scroll it in every browser.
              <ScrollRegion label="Audit log rows (scrolls sideways)">
                <table className="table table-cards audit-table">
                  <caption className="visually-hidden">Audit log, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        Seq
                      </th>
                      <th scope="col">Time</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Event</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {log.data.items.map((row) => (
                      <AuditRow key={row.seq} row={row} />
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
          </PagedList>
        </section>
      )}
    </>
  );
}

function AuditRow({ row }: { row: AuditRowDto }) {
  const details = Object.keys(row.details).length > 0 ? JSON.stringify(row.details) : "";
  return (
    <tr>
      <th scope="row" data-label="Seq" className="num">
        {row.seq}
      </th>
      <td data-label="Time" className="nowrap">
        {formatDateTime(row.at)}
      </td>
      <td data-label="Actor">{row.actorLabel}</td>
      <td data-label="Event">
        <code>{row.event}</code>
      </td>
      <td data-label="Subject" className="nowrap">
        {row.subjectType ? (
          <>
            {row.subjectType}
            {row.subjectId ? ` #${row.subjectId}` : ""}
          </>
        ) : (
          "—"
        )}
      </td>
      <td data-label="Outcome">
        <Badge tone={row.outcome === "success" ? "ok" : row.outcome === "failure" ? "error" : "warning"}>
          {row.outcome}
        </Badge>
      </td>
      <td data-label="Details">
        {details ? <code className="json">{details}</code> : <span className="muted">—</span>}
      </td>
    </tr>
  );
}

function Verdict({ verdict }: { verdict: AuditVerifyDto }) {
  if (verdict.ok) {
    return (
      <p className="verdict verdict-ok">
        <strong>Chain intact.</strong> {formatNumber(verdict.rows)} rows verified up to #{verdict.headSeq}{" "}
        (head hash <code>{verdict.headHash.slice(0, 16)}…</code>). <Anchoring verdict={verdict} />
      </p>
    );
  }
  return (
    <p className="verdict verdict-broken">
      <strong>Chain broken{verdict.brokenAtSeq !== null ? ` at row #${verdict.brokenAtSeq}` : ""}.</strong>{" "}
      {verdict.reason ?? "The rows do not match their hashes."} {formatNumber(verdict.rows)} rows checked. The
      log may have been tampered with: keep this result and investigate before relying on the log.{" "}
      <Anchoring verdict={verdict} />
    </p>
  );
}

/** How the chain compared with the signed checkpoints kept outside the database. */
function Anchoring({ verdict }: { verdict: AuditVerifyDto }) {
  const { compared, latestSeq, latestAt } = verdict.checkpoints;
  if (latestSeq === null || latestAt === null) {
    return <span className="checkpoint-result">No checkpoint outside the database to compare with yet.</span>;
  }
  return (
    <span className="checkpoint-result">
      Compared with {formatNumber(compared)} signed checkpoint{compared === 1 ? "" : "s"} kept outside the
      database; the latest, of {new Date(latestAt).toLocaleString("en-GB")}, anchors {formatNumber(latestSeq)}{" "}
      rows.
    </span>
  );
}
