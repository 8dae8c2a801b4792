/**
 * One ballot: what it is and what it still needs (Overview), who votes
 * (Electorate), whether the data is safe to give an employer (Pre-flight),
 * what was produced (Documents), the statutory dates and proof of receipt
 * (Timetable), and the verdict (Result). Tabs live in the URL (?tab=).
 */
import type { ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { hasPermission, type UserDto, useUser } from "../api/auth.js";
import { type BallotDto, ballotAllows, useBallot } from "../api/ballots.js";
import { isNotFound } from "../api/client.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDate, formatDateTime, formatNumber } from "../format.js";
import { AGGREGATION_TEST_LABELS, QUESTION_LABELS, VOTING_METHOD_LABELS } from "../labels.js";
import { BallotDocumentsTab } from "./BallotDocumentsTab.js";
import { BallotElectorateTab } from "./BallotElectorateTab.js";
import {
  BallotStateBadge,
  type BallotTab,
  ballotTabPath,
  LegalReviewBanner,
  NotInUnion,
  ShortHash,
} from "./BallotParts.js";
import { BallotPreflightTab } from "./BallotPreflightTab.js";
import { BallotRecordsTab } from "./BallotRecordsTab.js";
import { BallotResultTab } from "./BallotResultTab.js";
import { BallotTimetableTab } from "./BallotTimetableTab.js";
import { BallotTurnoutTab } from "./BallotTurnoutTab.js";
import { StatementReview, statementBlocked } from "./StatementReview.js";

const TABS: readonly { id: BallotTab; label: string; permission: string }[] = [
  { id: "overview", label: "Overview", permission: "ballots.read" },
  { id: "electorate", label: "Electorate", permission: "ballots.read" },
  { id: "preflight", label: "Pre-flight", permission: "ballots.manage" },
  { id: "documents", label: "Documents", permission: "ballots.read" },
  { id: "timetable", label: "Timetable", permission: "ballots.read" },
  { id: "result", label: "Result", permission: "ballots.read" },
  { id: "records", label: "Records", permission: "ballots.read" },
  { id: "turnout", label: "Turnout", permission: "turnout.read" },
];

function tabsFor(user: UserDto) {
  return TABS.filter((t) => hasPermission(user, t.permission));
}

export function BallotScreen() {
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const ballot = useBallot(valid ? id : 0);
  usePageTitle(ballot.data ? ballot.data.name : "Ballot");

  if (!valid || isNotFound(ballot.error)) {
    return <NotInUnion title="Ballot not found">No such ballot in your union.</NotInUnion>;
  }
  if (ballot.isPending) return <Loading label="Loading the ballot…" />;
  if (ballot.isError) {
    return (
      <ErrorPanel
        error={ballot.error}
        title="Cannot load this ballot"
        onRetry={() => void ballot.refetch()}
      />
    );
  }
  return <Ballot ballot={ballot.data} />;
}

function Ballot({ ballot: b }: { ballot: BallotDto }) {
  const user = useUser();
  const [params] = useSearchParams();
  const tabs = tabsFor(user);
  const requested = params.get("tab");
  const tab: BallotTab = tabs.find((t) => t.id === requested)?.id ?? "overview";

  return (
    <>
      <p className="back-link">
        <Link to={`/ballots/disputes/${b.disputeId}`}>← {b.disputeTitle}</Link>
      </p>
      <div className="page-head ballot-head">
        <h1>{b.name}</h1>
        <p className="ballot-meta">
          <BallotStateBadge state={b.state} />
          <Badge tone="neutral">{`Regime ${b.regime}`}</Badge>
          <span>
            {formatDate(b.openingDate)} to {formatDate(b.closingDate)}
          </span>
          {b.electorate ? <span>{formatNumber(b.electorate.entitled)} entitled</span> : null}
        </p>
      </div>

      <LegalReviewBanner items={b.legalReview} compact={tab !== "overview"} />

      <nav aria-label="Ballot sections" className="tabs">
        <ul className="tab-list">
          {tabs.map((t) => (
            <li key={t.id}>
              <Link
                to={ballotTabPath(b.id, t.id)}
                className="tab"
                aria-current={t.id === tab ? "page" : undefined}
              >
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <div className="tab-panel">
        {tab === "overview" ? <Overview ballot={b} /> : null}
        {tab === "electorate" ? <BallotElectorateTab ballot={b} /> : null}
        {tab === "preflight" ? <BallotPreflightTab ballot={b} /> : null}
        {tab === "documents" ? <BallotDocumentsTab ballot={b} /> : null}
        {tab === "timetable" ? <BallotTimetableTab ballot={b} /> : null}
        {tab === "result" ? <BallotResultTab ballot={b} /> : null}
        {tab === "records" ? <BallotRecordsTab ballot={b} /> : null}
        {tab === "turnout" ? <BallotTurnoutTab ballot={b} /> : null}
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function orNone(s: string): ReactNode {
  return s.trim() ? s : <span className="muted">Not given</span>;
}

function Overview({ ballot: b }: { ballot: BallotDto }) {
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  // The lifecycle table (from the server) decides, as the services do.
  const editable = ballotAllows(b, "edit_setup").allowed;
  return (
    <>
      <h2 className="visually-hidden">Overview</h2>
      <NextSteps ballot={b} canManage={canManage} />
      <StatementReview ballot={b} />

      {canManage && editable ? (
        <p>
          <Link to={`/ballots/${b.id}/edit`} className="button button-secondary">
            Change the set-up
          </Link>
        </p>
      ) : null}

      <div className="detail-grid">
        <section className="card" aria-labelledby="constituency-heading">
          <h3 id="constituency-heading" className="card-title">
            Constituency
          </h3>
          <dl className="facts">
            <Fact label="Kind">
              {b.kind === "workplace" ? "Workplace ballot (s.228)" : "Aggregated (s.228A)"}
            </Fact>
            {b.aggregationTest ? (
              <Fact label="Test relied on">{AGGREGATION_TEST_LABELS[b.aggregationTest]}</Fact>
            ) : null}
            {b.aggregationReason ? <Fact label="Why the test is met">{b.aggregationReason}</Fact> : null}
            {b.jobCategories ? <Fact label="Job categories">{b.jobCategories.join(", ")}</Fact> : null}
            <Fact label="Members in arrears">{b.includeArrears ? "May vote" : "Not entitled"}</Fact>
          </dl>
          <h4 className="subhead">In scope</h4>
          <ul className="plain-list">
            {b.scope.map((s) => (
              <li key={`${s.employerId}-${s.workplaceId ?? ""}`}>
                {s.employerName}
                <span className="muted">: {s.workplaceName ?? "every workplace"}</span>
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="paper-heading">
          <h3 id="paper-heading" className="card-title">
            Voting paper
          </h3>
          <dl className="facts">
            <Fact label="Questions">{b.questions.map((q) => QUESTION_LABELS[q]).join("; ")}</Fact>
            {b.actionShortTypes.length ? (
              <Fact label="Action short of a strike">{b.actionShortTypes.join(", ")}</Fact>
            ) : null}
            <Fact label="Voting method">{VOTING_METHOD_LABELS[b.votingMethod]}</Fact>
            <Fact label="Scrutineer">
              {orNone(b.scrutineerName)}
              {b.scrutineerAddress ? <span className="cell-sub">{b.scrutineerAddress}</span> : null}
            </Fact>
            <Fact label="Return address">{orNone(b.returnAddress)}</Fact>
            <Fact label="Authorised to call action">{orNone(b.authorisedPerson)}</Fact>
          </dl>
        </section>

        <section className="card" aria-labelledby="dates-heading">
          <h3 id="dates-heading" className="card-title">
            Dates and tests
          </h3>
          <dl className="facts">
            <Fact label="Opens">{formatDate(b.openingDate)}</Fact>
            <Fact label="Closes">{formatDate(b.closingDate)}</Fact>
            <Fact label="Planned first action">{formatDate(b.plannedActionFrom)}</Fact>
            <Fact label="Regime">{b.regime}</Fact>
            <Fact label="Important public services">
              {b.ipsBelief ? "Believed: the 40% test may apply" : "No"}
            </Fact>
            <Fact label="Devolved Welsh authority">{b.walesDevolved ? "Yes" : "No"}</Fact>
          </dl>
        </section>

        <section className="card" aria-labelledby="electorate-heading">
          <h3 id="electorate-heading" className="card-title">
            Electorate
          </h3>
          {b.electorate ? (
            <dl className="facts">
              <Fact label="Entitled to vote">{formatNumber(b.electorate.entitled)}</Fact>
              <Fact label="As at">{formatDate(b.electorate.asAt)}</Fact>
              <Fact label="Frozen">{formatDateTime(b.electorate.frozenAt)}</Fact>
              <Fact label="Fingerprint">
                <ShortHash hash={b.electorate.hash} />
              </Fact>
            </dl>
          ) : (
            <p className="muted">Not frozen yet.</p>
          )}
        </section>
      </div>
    </>
  );
}

/** What the ballot needs next, in order, for the officer running it. */
function NextSteps({ ballot: b, canManage }: { ballot: BallotDto; canManage: boolean }) {
  if (!canManage) return null;
  const steps: { done: boolean; text: ReactNode }[] = [
    {
      done: b.electorate !== null,
      text: <Link to={ballotTabPath(b.id, "electorate")}>Freeze the electorate</Link>,
    },
    {
      done: !statementBlocked(b),
      text: "Record the voting-paper statement wording verified by the union's lawyers",
    },
    {
      done: b.state !== "draft" && b.state !== "frozen",
      text: (
        <>
          <Link to={ballotTabPath(b.id, "preflight")}>Pass the pre-flight checks</Link> and{" "}
          <Link to={ballotTabPath(b.id, "documents")}>generate the notices</Link>
        </>
      ),
    },
    {
      done: b.state === "result_declared",
      text: (
        <>
          Record proof of receipt on the <Link to={ballotTabPath(b.id, "timetable")}>timetable</Link>, then
          enter the <Link to={ballotTabPath(b.id, "result")}>result</Link>
        </>
      ),
    },
  ];
  return (
    <section className="card section" aria-labelledby="next-heading">
      <h3 id="next-heading" className="card-title">
        What this ballot needs
      </h3>
      <ol className="next-steps">
        {steps.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, in a fixed order
          <li key={i} className={s.done ? "next-done" : undefined}>
            {s.done ? <Badge tone="ok">Done</Badge> : <Badge tone="warning">To do</Badge>} {s.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
