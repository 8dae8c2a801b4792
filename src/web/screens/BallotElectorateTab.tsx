import { useEffect } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type BallotDto,
  ballotAllows,
  type ElectorateSummaryDto,
  useBallotRefresh,
  useElectorate,
  useElectorateSummary,
  useFreezeElectorate,
} from "../api/ballots.js";
import { useJob } from "../api/jobs.js";
import { Badge } from "../components/Badges.js";
import { intParam, useQueryParams } from "../components/hooks.js";
import { Pager } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { SelectField } from "../components/SelectField.js";
import { formatDate, formatDateTime, formatNumber, plural } from "../format.js";
import { ActionButton, BarTable, FormError, ShortHash } from "./BallotParts.js";

const PAGE_SIZE = 50;

/**
 * Freezes (or re-freezes) the electorate as at today. The freeze runs as a job:
 * the button queues it, the page follows its progress (also on the Jobs
 * screen) and shows the ballot frozen once it ends. Disabled, with the reason,
 * when the ballot's state does not allow it (the server's lifecycle table).
 */
export function FreezeButton({ ballot, primary = true }: { ballot: BallotDto; primary?: boolean }) {
  const freeze = useFreezeElectorate(ballot.id);
  const refresh = useBallotRefresh(ballot.id);
  const job = useJob(freeze.data?.id ?? null);
  const running = job.data ? job.data.state === "queued" || job.data.state === "running" : freeze.isSuccess;
  const ended = job.data && !running ? job.data : null;
  const endedId = ended?.id ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh once when the job ends
  useEffect(() => {
    if (endedId !== null) void refresh();
  }, [endedId]);
  const { allowed, reason } = ballotAllows(ballot, "freeze");
  const label = ballot.electorate ? "Freeze the electorate again" : "Freeze the electorate";
  const result = ended?.state === "succeeded" ? (ended.result as { entitled: number; hash: string }) : null;
  const pct = job.data?.total ? Math.min(100, Math.round((job.data.done / job.data.total) * 100)) : null;
  const reasonId = `freeze-reason-${ballot.id}`;
  return (
    <div className="freeze">
      <ActionButton
        primary={primary}
        busy={freeze.isPending || running}
        busyLabel="Freezing…"
        disabled={!allowed}
        describedBy={!allowed && reason ? reasonId : undefined}
        onClick={() => freeze.mutate()}
      >
        {label}
      </ActionButton>
      {!allowed && reason ? (
        <p id={reasonId} className="muted small">
          {reason}
        </p>
      ) : null}
      <div aria-live="polite" className="live-region">
        {running ? (
          <p className="small">
            Freezing as a background job
            {job.data?.total
              ? `: ${formatNumber(job.data.done)} of ${formatNumber(job.data.total)} members`
              : ""}
            .{" "}
            {pct !== null ? (
              <progress className="progress" max={100} value={pct} aria-label="Freeze progress" />
            ) : null}{" "}
            <Link to="/jobs">Follow it on the Jobs screen</Link>.
          </p>
        ) : null}
        {result ? (
          <p className="text-ok small">
            Frozen: {plural(result.entitled, "member")} entitled, fingerprint <ShortHash hash={result.hash} />
            .
          </p>
        ) : null}
        {ended && ended.state !== "succeeded" ? (
          <p className="form-error">The electorate was not frozen: {ended.errorMessage ?? ended.state}</p>
        ) : null}
      </div>
      <FormError error={freeze.error} title="The electorate was not frozen" />
    </div>
  );
}

export function BallotElectorateTab({ ballot }: { ballot: BallotDto }) {
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  const frozen = ballot.electorate !== null;
  return (
    <>
      <h2>Electorate</h2>
      {canManage ? (
        <section className="card section" aria-labelledby="freeze-heading">
          <h3 id="freeze-heading" className="card-title">
            {frozen ? "Snapshot" : "Freeze the electorate"}
          </h3>
          <p>
            Freezing takes every member the ballot's scope reaches as at today, entitled or not with the
            reason, numbers the voting papers and fingerprints the list (SHA-256). The notices give the
            fingerprint so every copy can be matched. After fixing records, freeze again.
          </p>
          {ballot.state !== "draft" && ballot.state !== "frozen" ? (
            <p className="muted">Notices have been issued: the electorate can no longer change.</p>
          ) : null}
          <FreezeButton ballot={ballot} />
        </section>
      ) : null}
      {frozen ? (
        <ElectorateSummary ballot={ballot} />
      ) : (
        <Empty>The electorate has not been frozen yet.</Empty>
      )}
      {/* A thawed ballot's old rows are no electorate: the server lists names only once frozen again. */}
      {frozen && canManage && ballot.state !== "draft" ? <ElectorateList ballot={ballot} /> : null}
      {frozen && canManage && ballot.state === "draft" ? (
        <p className="muted">The set-up changed since the last freeze: freeze again to list the members.</p>
      ) : null}
    </>
  );
}

function ElectorateSummary({ ballot }: { ballot: BallotDto }) {
  const summary = useElectorateSummary(ballot.id);
  if (summary.isPending) return <Loading label="Loading the electorate…" />;
  if (summary.isError) {
    return (
      <ErrorPanel
        error={summary.error}
        title="Cannot load the electorate"
        onRetry={() => void summary.refetch()}
      />
    );
  }
  return <SummaryView summary={summary.data} frozenAt={ballot.electorate?.frozenAt ?? null} />;
}

function SummaryView({ summary: s, frozenAt }: { summary: ElectorateSummaryDto; frozenAt: string | null }) {
  return (
    <section className="section" aria-labelledby="summary-heading">
      <h3 id="summary-heading" className="visually-hidden">
        Summary
      </h3>
      <dl className="stat-grid">
        <div className="stat">
          <dt>Entitled to vote</dt>
          <dd data-testid="entitled">{formatNumber(s.entitled)}</dd>
        </div>
        <div className="stat">
          <dt>Not entitled</dt>
          <dd>{formatNumber(s.excluded)}</dd>
        </div>
        <div className="stat">
          <dt>As at</dt>
          <dd className="stat-small">{formatDate(s.asAt)}</dd>
        </div>
        <div className="stat">
          <dt>Fingerprint</dt>
          <dd className="stat-small">
            <ShortHash hash={s.hash} />
          </dd>
        </div>
      </dl>
      {frozenAt ? <p className="muted small">Frozen {formatDateTime(frozenAt)}.</p> : null}
      {s.addedSince > 0 ? (
        <Notice tone="warning" title="The register has moved on">
          <p>
            {plural(s.addedSince, "member")} in the ballot's scope now {s.addedSince === 1 ? "is" : "are"} not
            in the snapshot (joined or moved in since). Freeze again if they should vote.
          </p>
        </Notice>
      ) : null}
      <div className="chart-grid">
        <BarTable
          title="By reason"
          countLabel="Members"
          rows={s.byReason.map((r) => ({
            key: `${r.reason}|${r.included}`,
            label: (
              <>
                {r.included ? <Badge tone="ok">In</Badge> : <Badge tone="neutral">Out</Badge>} {r.reason}
              </>
            ),
            count: r.count,
            tone: r.included ? "ok" : "muted",
          }))}
        />
        {s.byEmployer.length > 0 ? (
          <BarTable
            title="Entitled by employer"
            countLabel="Entitled"
            rows={s.byEmployer.map((e) => ({
              key: String(e.employerId),
              label: e.employerName,
              count: e.entitled,
            }))}
          />
        ) : (
          <p className="muted">Figures by employer are not available to your role.</p>
        )}
      </div>
    </section>
  );
}

function ElectorateList({ ballot }: { ballot: BallotDto }) {
  const [params, update] = useQueryParams();
  const includedParam = params.get("included");
  const included = includedParam === "true" ? true : includedParam === "false" ? false : undefined;
  const employerId = intParam(params, "employerId");
  const page = intParam(params, "page") ?? 1;
  const list = useElectorate(ballot.id, { included, employerId, page, pageSize: PAGE_SIZE });
  const employers = [...new Map(ballot.scope.map((s) => [s.employerId, s.employerName])).entries()];
  const employerName = new Map(employers);

  return (
    <section className="section" aria-labelledby="members-heading">
      <h3 id="members-heading">Members in the snapshot</h3>
      <div className="filters card">
        <div className="filter-row">
          <SelectField
            label="Entitlement"
            emptyLabel="Entitled and not"
            value={includedParam ?? ""}
            options={[
              { value: "true", label: "Entitled to vote" },
              { value: "false", label: "Not entitled" },
            ]}
            onChange={(v) => update({ included: v })}
          />
          <SelectField
            label="Employer"
            emptyLabel="All employers"
            value={employerId ? String(employerId) : ""}
            options={employers.map(([id, name]) => ({ value: String(id), label: name }))}
            onChange={(v) => update({ employerId: v })}
          />
        </div>
      </div>
      {list.isPending ? (
        <Loading label="Loading members…" />
      ) : list.isError ? (
        <ErrorPanel error={list.error} title="Cannot load the members" onRetry={() => void list.refetch()} />
      ) : (
        <div className={list.isPlaceholderData ? "is-stale" : undefined}>
          <Pager
            page={list.data.page}
            pageSize={list.data.pageSize}
            total={list.data.total}
            noun="members"
            onPage={(p) => update({ page: p })}
            busy={list.isFetching}
          />
          {list.data.items.length === 0 ? (
            <Empty>No members match.</Empty>
          ) : (
            <div className="table-scroll">
              <table className="table table-cards">
                <caption className="visually-hidden">Members in the snapshot, page {list.data.page}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Paper
                    </th>
                    <th scope="col">Member</th>
                    <th scope="col">Employer</th>
                    <th scope="col">Job category</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((m) => (
                    <tr key={m.memberId} className={m.included ? undefined : "row-muted"}>
                      <td data-label="Paper" className="num">
                        {m.paperNumber === null ? "—" : m.paperNumber}
                      </td>
                      <th scope="row" data-label="Member">
                        <Link to={`/members/${m.memberId}`}>{m.name}</Link>
                        <span className="cell-sub">{m.membershipNumber}</span>
                      </th>
                      <td data-label="Employer">
                        {employerName.get(m.employerId) ?? `Employer ${m.employerId}`}
                      </td>
                      <td data-label="Job category">
                        {m.jobCategory ?? <span className="muted">None</span>}
                      </td>
                      <td data-label="Reason">
                        {m.included ? (
                          <Badge tone="ok">Entitled</Badge>
                        ) : (
                          <Badge tone="neutral">Not entitled</Badge>
                        )}
                        <span className="cell-sub">{m.reason}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
