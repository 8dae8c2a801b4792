import { useId } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type BallotDto,
  ballotAllows,
  type PreflightCheck,
  type PreflightItem,
  usePreflight,
} from "../api/ballots.js";
import { Badge } from "../components/Badges.js";
import { ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDateTime, formatNumber, plural } from "../format.js";
import { FreezeButton } from "./BallotElectorateTab.js";
import { ballotTabPath, Citation } from "./BallotParts.js";
import { StatementReview, statementBlocked } from "./StatementReview.js";

/** Where a member's page sends the officer back to once the record is fixed. */
export interface ReturnState {
  returnTo: string;
  returnLabel: string;
}

function failing(c: PreflightCheck): boolean {
  return c.count > 0;
}

/** Blocking problems first, then warnings; passed checks last. */
function ordered(checks: readonly PreflightCheck[]): PreflightCheck[] {
  const rank = (c: PreflightCheck) => (!failing(c) ? 2 : c.severity === "block" ? 0 : 1);
  return [...checks].sort((a, b) => rank(a) - rank(b));
}

export function BallotPreflightTab({ ballot }: { ballot: BallotDto }) {
  const preflight = usePreflight(ballot.id);
  const user = useUser();
  const canFix = hasPermission(user, "members.write");

  return (
    <>
      <div className="section-actions">
        <h2>Pre-flight checks</h2>
        <button
          type="button"
          className="button button-secondary"
          disabled={preflight.isFetching}
          onClick={() => void preflight.refetch()}
        >
          {preflight.isFetching ? "Checking…" : "Run pre-flight again"}
        </button>
      </div>
      <p className="lead">
        The data defects that have cost unions injunctions, looked for before any notice goes to an employer.
        Each check cites the case it comes from.
      </p>
      {preflight.isPending ? (
        <Loading label="Running the pre-flight checks…" />
      ) : preflight.isError ? (
        <ErrorPanel
          error={preflight.error}
          title="Cannot run the pre-flight checks"
          onRetry={() => void preflight.refetch()}
        />
      ) : (
        <div className={preflight.isFetching ? "is-stale" : undefined}>
          <Outcome
            blocking={preflight.data.blocking}
            checks={preflight.data.checks}
            checkedAt={preflight.dataUpdatedAt}
          />
          {preflight.data.electorateHash !== null &&
          ballot.electorate !== null &&
          preflight.data.electorateHash !== ballot.electorate.hash ? (
            <Notice tone="warning" title="Checked against an older snapshot">
              <p>Run pre-flight again.</p>
            </Notice>
          ) : null}
          <section className="card section fix-loop" aria-labelledby="fix-heading">
            <h3 id="fix-heading" className="card-title">
              Fixed some records?
            </h3>
            <p>
              The checks read the frozen snapshot: after fixing members' records, freeze the electorate again,
              then the checks run on the new snapshot.
            </p>
            <FreezeButton ballot={ballot} primary={false} />
          </section>
          <ol className="check-list">
            {ordered(preflight.data.checks)
              .filter(failing)
              .map((c) => (
                <li key={c.code}>
                  <CheckCard check={c} ballot={ballot} canFix={canFix} />
                </li>
              ))}
          </ol>
          <PassedChecks checks={preflight.data.checks.filter((c) => !failing(c))} />
        </div>
      )}
    </>
  );
}

function Outcome({
  blocking,
  checks,
  checkedAt,
}: {
  blocking: boolean;
  checks: readonly PreflightCheck[];
  checkedAt: number;
}) {
  const blocks = checks.filter((c) => c.severity === "block" && failing(c)).length;
  const warnings = checks.filter((c) => c.severity === "warn" && failing(c)).length;
  return (
    <div role="status" className="preflight-outcome">
      {blocking ? (
        <Notice tone="error" title="Pre-flight blocked">
          <p>
            {plural(blocks, "check")} must be fixed before notices can be issued
            {warnings ? `; ${plural(warnings, "warning")} to judge` : ""}.
          </p>
        </Notice>
      ) : (
        <Notice tone="ok" title="Pre-flight passed">
          <p>
            No blocking problems: notices can be generated
            {warnings
              ? `. ${plural(warnings, "warning")} still need${warnings === 1 ? "s" : ""} a judgement`
              : ""}
            .
          </p>
        </Notice>
      )}
      <p className="muted small">Checked {formatDateTime(new Date(checkedAt).toISOString())}.</p>
    </div>
  );
}

function CheckCard({
  check: c,
  ballot,
  canFix,
}: {
  check: PreflightCheck;
  ballot: BallotDto;
  canFix: boolean;
}) {
  const id = useId();
  const blocks = c.severity === "block";
  const memberItems = c.items.some((i) => i.memberId !== null);
  const returnState: ReturnState = {
    returnTo: ballotTabPath(ballot.id, "preflight"),
    returnLabel: "Back to the pre-flight checks",
  };
  return (
    <section
      className={blocks ? "card check check-block" : "card check check-warn"}
      aria-labelledby={`${id}-title`}
      data-check={c.code}
    >
      <div className="check-head">
        <h3 id={`${id}-title`} className="card-title">
          {c.title}
        </h3>
        {blocks ? <Badge tone="error">Blocks notices</Badge> : <Badge tone="warning">Warning</Badge>}
        <span className="check-count">{plural(c.count, "item")}</span>
      </div>
      <p className="small">
        <span className="muted">Authority: </span>
        <Citation>{c.citation}</Citation>
      </p>
      {c.code === "setup.incomplete" ? (
        <SetupItems items={c.items} ballot={ballot} />
      ) : memberItems ? (
        <div className="table-scroll">
          <table className="table table-compact table-cards">
            <caption className="visually-hidden">{c.title}</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {c.items.map((item) => (
                <tr key={`${item.memberId ?? ""}|${item.detail}`}>
                  <th scope="row" data-label="Member">
                    {item.memberId !== null ? (
                      <Link to={`/members/${item.memberId}`} state={returnState}>
                        {item.membershipNumber ?? `Member ${item.memberId}`}
                        <span className="visually-hidden">: open the record{canFix ? " to fix it" : ""}</span>
                      </Link>
                    ) : (
                      "—"
                    )}
                  </th>
                  <td data-label="Problem">{item.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <ul className="plain-list">
          {c.items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no id of their own
            <li key={i}>
              {item.detail}
              {item.employerId !== null ? (
                <>
                  {" "}
                  <Link to={`/employers/${item.employerId}`}>Open the employer's workplaces</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {c.count > c.items.length ? (
        <p className="muted small">
          Showing the first {formatNumber(c.items.length)} of {formatNumber(c.count)}.
        </p>
      ) : null}
    </section>
  );
}

/** The set-up problems: the statement wording is recorded here; the rest in the set-up. */
function SetupItems({ items, ballot }: { items: readonly PreflightItem[]; ballot: BallotDto }) {
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  // The lifecycle table (from the server) decides, as the services do.
  const editable = ballotAllows(ballot, "edit_setup").allowed;
  const blockedByStatement = statementBlocked(ballot);
  const statementItem = (item: PreflightItem) => /statement/i.test(item.detail);
  const others = items.filter((i) => !(blockedByStatement && statementItem(i)));
  return (
    <>
      {others.length > 0 ? (
        <ul className="plain-list">
          {others.map((item) => (
            <li key={item.detail}>{item.detail}</li>
          ))}
        </ul>
      ) : null}
      {others.length > 0 && canManage && editable ? (
        <p>
          <Link to={`/ballots/${ballot.id}/edit`}>Change the set-up</Link>
        </p>
      ) : null}
      {blockedByStatement ? <StatementReview ballot={ballot} /> : null}
    </>
  );
}

function PassedChecks({ checks }: { checks: readonly PreflightCheck[] }) {
  if (checks.length === 0) return null;
  return (
    <details className="disclosure passed-checks">
      <summary>{plural(checks.length, "check")} passed</summary>
      <ul className="plain-list">
        {checks.map((c) => (
          <li key={c.code}>
            <Badge tone="ok">Passed</Badge> {c.title} <Citation>{c.citation}</Citation>
          </li>
        ))}
      </ul>
    </details>
  );
}
