/**
 * The Turnout tab's "Reports and links" view: a ballot's turnout as members report it (decision 0022): reports by kind for this constituency,
 * the members not yet reported voted (reps chase them; a report of having voted, by a rep or the
 * member's link, takes them off), for officers who import the returns the scrutineer's per-member feed
 * of papers returned, and, for national officers, the members' personal links.
 */
import { type FormEvent, useId, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import {
  useBallotLinks,
  useBallotTurnout,
  useImportVotedFeed,
  useIssueBallotLinkSheet,
  useIssueBallotLinks,
  useNotVoted,
} from "../api/ballot-links.js";
import type { BallotDto } from "../api/ballots.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { downloadBlob, downloadCsv } from "../csv.js";
import { formatDateTime, formatNumber } from "../format.js";
import { ActionButton, FieldError, FieldHint, FormError } from "./BallotParts.js";

const REPORT_LABELS = {
  voted: "Reported voted",
  needs_replacement: "Need a replacement paper",
  wrong_address: "Address wrong",
  will_vote: "Will vote",
  wont_vote: "Won't vote",
} as const;

export function BallotTurnoutReports({ ballot: b }: { ballot: BallotDto }) {
  const user = useUser();
  const canIssue = hasPermission(user, "ballots.manage");
  const turnout = useBallotTurnout(b.id);
  const notVoted = useNotVoted(b.id, hasPermission(user, "turnout.reports") && b.electorate !== null);
  const links = useBallotLinks(b.id, canIssue && b.electorate !== null);
  const issue = useIssueBallotLinks(b.id);
  const sheet = useIssueBallotLinkSheet(b.id);
  const [issued, setIssued] = useState<number | null>(null);
  const own = turnout.data?.constituencies.find((c) => c.ballotId === b.id);
  const run = (scope: "ballot" | "dispute") =>
    issue.mutate(scope, {
      onSuccess: (csv) => {
        downloadCsv(`member-links-ballot-${b.id}${scope === "dispute" ? "-dispute" : ""}.csv`, csv);
        setIssued(Math.max(0, csv.trim().split(/\r?\n/).length - 1));
        void links.refetch();
      },
    });
  return (
    <>
      <section className="section" aria-labelledby="reports-title">
        <h2 id="reports-title">Members' reports</h2>
        {turnout.isPending ? (
          <Loading label="Loading turnout…" />
        ) : turnout.isError ? (
          <ErrorPanel
            error={turnout.error}
            title="Cannot load turnout"
            onRetry={() => void turnout.refetch()}
          />
        ) : !own ? (
          <p className="muted">Reports are counted once the electorate is frozen.</p>
        ) : (
          <dl className="facts">
            {(Object.keys(REPORT_LABELS) as (keyof typeof REPORT_LABELS)[]).map((k) => (
              <div key={k}>
                <dt>{REPORT_LABELS[k]}</dt>
                <dd data-testid={`reports-${k}`}>{formatNumber(own.reports[k] ?? 0)}</dd>
              </div>
            ))}
          </dl>
        )}
        <p className="small muted">
          Members report through their link or to their rep; nobody reports how they voted.
        </p>
      </section>
      {hasPermission(user, "turnout.returns") && b.electorate !== null ? (
        <VotedFeedImport ballot={b} />
      ) : null}
      {notVoted.data ? (
        <section className="section" aria-labelledby="not-voted-title">
          <h2 id="not-voted-title">Not yet reported voted ({formatNumber(notVoted.data.length)})</h2>
          <ul data-testid="not-voted">
            {notVoted.data.slice(0, 200).map((m) => (
              <li key={m.memberId}>
                {m.name} <span className="muted">{m.workplace ?? ""}</span>
              </li>
            ))}
          </ul>
          {notVoted.data.length > 200 ? <p className="small muted">The first 200 are shown.</p> : null}
        </section>
      ) : null}
      {canIssue ? (
        <section className="section" aria-labelledby="links-title">
          <h2 id="links-title">Member links</h2>
          {b.electorate === null ? (
            <p className="muted">Freeze the electorate first: links go to the members it includes.</p>
          ) : (
            <>
              <p className="small muted">
                A personal link for each member of the frozen electorate, to report having voted, ask for a
                replacement paper or correct their address; it expires at the end of the closing day. Issuing
                withdraws earlier links. The file is the only copy: Mandate keeps a fingerprint.
              </p>
              <div className="section-actions">
                <ActionButton
                  busy={issue.isPending}
                  busyLabel="Issuing…"
                  primary
                  onClick={() => run("ballot")}
                >
                  Issue links (CSV)
                </ActionButton>
                <ActionButton busy={issue.isPending} busyLabel="Issuing…" onClick={() => run("dispute")}>
                  Issue for every ballot of the dispute
                </ActionButton>
                <ActionButton
                  busy={sheet.isPending}
                  busyLabel="Issuing…"
                  onClick={() =>
                    sheet.mutate(undefined, {
                      onSuccess: (pdf) => {
                        downloadBlob(`member-links-ballot-${b.id}.pdf`, pdf);
                        setIssued(null);
                        void links.refetch();
                      },
                    })
                  }
                >
                  Issue as a printable sheet (PDF)
                </ActionButton>
              </div>
              {issued !== null ? (
                <div className="notice notice-ok" role="status">
                  {formatNumber(issued)} links issued and downloaded.
                </div>
              ) : null}
              <FormError error={issue.error ?? sheet.error} title="Links not issued" />
              {links.data?.length ? (
                <div className="table-scroll">
                  <table className="table" aria-label="Member links">
                    <thead>
                      <tr>
                        <th scope="col">Member</th>
                        <th scope="col">Number</th>
                        <th scope="col">Status</th>
                        <th scope="col">Last used</th>
                      </tr>
                    </thead>
                    <tbody>
                      {links.data
                        .filter((l) => l.status === "live")
                        .slice(0, 500)
                        .map((l) => (
                          <tr key={l.id}>
                            <td>{l.name}</td>
                            <td>{l.membershipNumber}</td>
                            <td>{l.status}</td>
                            <td>{l.lastUsedAt ? formatDateTime(l.lastUsedAt) : "Not yet"}</td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </>
  );
}

/** The largest feed the server takes (16 MB of CSV: a national ballot's membership numbers). */
const MAX_FEED_BYTES = 16 * 1024 * 1024;

/**
 * The scrutineer's per-member feed of papers returned (membership or paper numbers), read here and
 * checked by the server: every member named is recorded as having voted; a bad row refuses the file.
 */
function VotedFeedImport({ ballot }: { ballot: BallotDto }) {
  const id = useId();
  const upload = useImportVotedFeed(ballot.id);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    upload.reset();
    if (!file) {
      setProblem("Choose the scrutineer's file of papers returned.");
      return;
    }
    if (file.size > MAX_FEED_BYTES) {
      setProblem("The file is larger than 16 MB; ask the scrutineer for it in parts.");
      return;
    }
    upload.mutate({ fileName: file.name, csv: await file.text() });
  };

  const done = upload.data;
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Scrutineer's feed of papers returned</h2>
      <form className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-file`}>Papers returned (CSV)</label>
          <FieldHint
            id={id}
            hint="One row per member whose paper came back: membership_number or paper_number, with ballot_id or constituency where the dispute has several. Never how anyone voted."
          />
          <input
            id={`${id}-file`}
            type="file"
            className="file-input"
            accept=".csv,text/csv"
            aria-describedby={problem ? `${id}-hint ${id}-error` : `${id}-hint`}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <FieldError id={id} error={problem} />
        </div>
        <FormError error={upload.error} title="The file was not accepted; nothing was recorded" />
        {done ? (
          <div className="notice notice-ok" role="status" data-testid="voted-feed-result">
            {formatNumber(done.recorded)} member{done.recorded === 1 ? "" : "s"} recorded as having voted in{" "}
            {formatNumber(done.constituencies)} constituenc{done.constituencies === 1 ? "y" : "ies"} (
            {formatNumber(done.members)} named, {formatNumber(done.alreadyReported)} already reported).
          </div>
        ) : null}
        <div className="form-actions">
          <ActionButton submit busy={upload.isPending} busyLabel="Importing…">
            Import papers returned
          </ActionButton>
        </div>
      </form>
    </section>
  );
}
