import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { useDispute } from "../api/ballots.js";
import { isNotFound } from "../api/client.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDateTime } from "../format.js";
import { BackToBallots, BallotTable, NotInUnion } from "./BallotParts.js";

export function DisputeScreen() {
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const user = useUser();
  const dispute = useDispute(valid ? id : 0);
  usePageTitle(dispute.data ? dispute.data.title : "Dispute");

  if (!valid || isNotFound(dispute.error)) {
    return <NotInUnion title="Dispute not found">No such dispute in your union.</NotInUnion>;
  }
  if (dispute.isPending) return <Loading label="Loading the dispute…" />;
  if (dispute.isError) {
    return (
      <ErrorPanel
        error={dispute.error}
        title="Cannot load this dispute"
        onRetry={() => void dispute.refetch()}
      />
    );
  }
  const d = dispute.data;
  const canManage = hasPermission(user, "ballots.manage");
  const canOpenEmployers = hasPermission(user, "org.read");

  return (
    <>
      <BackToBallots />
      <div className="page-head">
        <h1>{d.title}</h1>
        <p className="muted small">Set up {formatDateTime(d.createdAt)}</p>
        {hasPermission(user, "action.read") ? (
          <p>
            <Link to={`/ballots/disputes/${d.id}/action`}>Day of action: calendar and strike pay</Link>
          </p>
        ) : null}
      </div>

      <div className="detail-grid">
        <section className="card" aria-labelledby="matters-heading">
          <h2 id="matters-heading" className="card-title">
            Matters in issue
          </h2>
          {d.mattersInIssue ? (
            <p className="prose">{d.mattersInIssue}</p>
          ) : (
            <p className="muted">Not recorded.</p>
          )}
          {d.coalition ? (
            <>
              <h3>Coalition</h3>
              <p className="prose">{d.coalition}</p>
            </>
          ) : null}
        </section>
        <section className="card" aria-labelledby="employers-heading">
          <h2 id="employers-heading" className="card-title">
            Employers in dispute
          </h2>
          <ul className="plain-list">
            {d.employers.map((e) => (
              <li key={e.id}>
                {canOpenEmployers ? <Link to={`/employers/${e.id}`}>{e.name}</Link> : e.name}
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section className="section" aria-labelledby="ballots-heading">
        <div className="section-actions">
          <h2 id="ballots-heading">Ballots</h2>
          {canManage ? (
            <Link to={`/ballots/disputes/${d.id}/new`} className="button button-primary">
              Add a ballot
            </Link>
          ) : null}
        </div>
        <p className="muted small">
          One ballot per constituency: a single workplace (s.228), or several workplaces aggregated under one
          of the s.228A tests.
        </p>
        <BallotTable ballots={d.ballots} caption={`Ballots in ${d.title}`} />
      </section>
    </>
  );
}
