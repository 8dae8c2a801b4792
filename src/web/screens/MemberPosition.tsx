/**
 * A member's position on industrial action (decisions/0023): recorded as opposed in principle, they are
 * on no contact list, but keep their vote and are told the result. Each change is kept and audited.
 */
import { useMemberPosition, useRecordPosition } from "../api/canvass.js";
import { ErrorPanel } from "../components/QueryState.js";
import { formatDateTime } from "../format.js";

export function MemberPositionCard({ memberId }: { memberId: number }) {
  const position = useMemberPosition(memberId, true);
  const record = useRecordPosition(memberId);
  const opposed = position.data?.opposedInPrinciple ?? false;
  const last = position.data?.history[0];
  return (
    <section aria-labelledby="position-heading" className="card">
      <h2 id="position-heading" className="card-title">
        Position on industrial action
      </h2>
      {position.isError ? <ErrorPanel error={position.error} title="Cannot load the position" /> : null}
      {position.data ? (
        <>
          <p data-testid="member-position">
            {opposed
              ? "Opposed in principle: kept off contact lists. Still entitled to vote and told the result."
              : "Nothing recorded: on contact lists like every member."}
          </p>
          {last ? <p className="small muted">Recorded {formatDateTime(last.recordedAt)}</p> : null}
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={record.isPending}
            onClick={() => record.mutate(!opposed)}
          >
            {opposed ? "Clear: no longer opposed in principle" : "Record as opposed in principle"}
          </button>
          {record.isError ? <ErrorPanel error={record.error} title="The position was not recorded" /> : null}
        </>
      ) : null}
    </section>
  );
}
