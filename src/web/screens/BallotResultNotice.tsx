import { useId } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import { useResultNotice, useSendResultNotice } from "../api/result-notice.js";
import { ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDateTime, formatNumber } from "../format.js";
import { ActionButton } from "./BallotParts.js";

/**
 * The statutory result notice to members (s.231) on the ballot's result tab: how many of those entitled
 * to vote have been told, by which channel, and why the rest have not; national officers send it.
 */
export function BallotResultNotice({ ballotId }: { ballotId: number }) {
  const user = useUser();
  const canSend = hasPermission(user, "ballots.manage") && hasPermission(user, "comms.send");
  const canExport = hasPermission(user, "ballots.voter_file");
  const notice = useResultNotice(ballotId);
  const send = useSendResultNotice(ballotId);
  const id = useId();
  if (notice.isPending) return <Loading label="Loading the result notice…" />;
  if (notice.isError) return <ErrorPanel error={notice.error} title="Cannot load the result notice" />;
  const n = notice.data;
  const started = n.rounds.length > 0;
  const busy = n.inProgress > 0;
  return (
    <section className="section card" aria-labelledby={`${id}-h`} data-testid="result-notice">
      <h3 id={`${id}-h`}>Result notice to members</h3>
      <p className="small muted">
        The law (s.231) requires every member entitled to vote to be told the result as soon as reasonably
        practicable: each is sent their constituency's figures by email, else by text, else by letter.
      </p>
      {!n.resultRecorded ? <p className="muted">Record the result first.</p> : null}
      <dl className="stat-grid stat-grid-compact">
        <div className="stat">
          <dt>Entitled to vote</dt>
          <dd>{formatNumber(n.entitled)}</dd>
        </div>
        <div className="stat">
          <dt>Told</dt>
          <dd>{formatNumber(n.told.total)}</dd>
        </div>
        <div className="stat">
          <dt>Not yet told</dt>
          <dd>{formatNumber(n.notYetTold)}</dd>
        </div>
      </dl>
      {started ? (
        <>
          <p>
            By email {formatNumber(n.told.email)}, by text {formatNumber(n.told.sms)}, by letter{" "}
            {formatNumber(n.told.letter)}
            {busy ? `; ${formatNumber(n.inProgress)} being sent now` : ""}.
          </p>
          {n.notTold.length > 0 ? (
            <>
              <h4>Why the others are not told</h4>
              <ul className="plain-list">
                {n.notTold.map((r) => (
                  <li key={r.reason}>
                    {formatNumber(r.members)} {r.label}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="small muted">
            {n.rounds.length === 1 ? "Sent" : `Sent in ${n.rounds.length} rounds`}: first{" "}
            {formatDateTime(n.rounds[0]!.createdAt)} by {n.rounds[0]!.createdBy ?? "—"}
            {n.firstToldAt ? `; first member told ${formatDateTime(n.firstToldAt)}` : ""}
            {n.lastToldAt ? `, last ${formatDateTime(n.lastToldAt)}` : ""}.
          </p>
          {canExport ? (
            <p>
              <a href={`/api/ballots/${ballotId}/result-notice/members.csv`} download>
                Download the record per member (CSV: told when, by which channel, or why not)
              </a>
            </p>
          ) : null}
        </>
      ) : null}
      {canSend && n.resultRecorded ? (
        <div className="form-actions">
          <ActionButton
            primary={!started}
            busy={send.isPending}
            busyLabel="Queuing…"
            disabled={busy || (started && n.notYetTold === 0)}
            onClick={() => send.mutate()}
          >
            {started ? "Tell those not yet told" : "Tell members the result"}
          </ActionButton>
        </div>
      ) : null}
      {send.isError ? <ErrorPanel error={send.error} title="Not sent" /> : null}
      {send.isSuccess && !busy ? (
        <Notice tone="ok" title="Queued">
          <p>The notice is being sent to every constituency of the dispute whose result is recorded.</p>
        </Notice>
      ) : null}
    </section>
  );
}
