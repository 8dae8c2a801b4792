/**
 * Before a notice of industrial action is given: the affected employees it
 * would count on the day, per employer, with the difference from the ballot
 * (s.234A(3)(a): those the union reasonably believes will be induced to take
 * part, so members who left or moved since the ballot are not counted, and
 * members who joined since are not called on under this mandate). The
 * officer chooses the employers given notice.
 */
import { useId } from "react";
import type { AffectedFigures } from "../api/records.js";
import { Badge } from "../components/Badges.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDate, formatNumber } from "../format.js";

export function ActionNoticePreview({
  preview,
  waiting,
  excluded,
  onExclude,
}: {
  preview: { isPending: boolean; isError: boolean; error: unknown; data: AffectedFigures | undefined };
  /** Why there is nothing to show yet (dates missing), or null. */
  waiting: string | null;
  excluded: ReadonlySet<number>;
  onExclude: (employerId: number, excluded: boolean) => void;
}) {
  const id = useId();
  return (
    <section className="fieldset" aria-labelledby={id} data-testid="action-notice-preview">
      <h4 id={id} className="card-title">
        Affected employees on the day
      </h4>
      {waiting ? (
        <p className="muted small">{waiting}</p>
      ) : preview.isPending ? (
        <Loading label="Counting the affected employees…" />
      ) : preview.isError ? (
        <ErrorPanel error={preview.error} title="Cannot count the affected employees" />
      ) : preview.data ? (
        <PreviewTable figures={preview.data} excluded={excluded} onExclude={onExclude} />
      ) : null}
    </section>
  );
}

function PreviewTable({
  figures: f,
  excluded,
  onExclude,
}: {
  figures: AffectedFigures;
  excluded: ReadonlySet<number>;
  onExclude: (employerId: number, excluded: boolean) => void;
}) {
  const chosen = f.employers.filter((e) => e.affected > 0 && !excluded.has(e.employerId));
  return (
    <>
      <p className="small">
        Given {formatDate(f.givenOn)} for action from {formatDate(f.firstDay)}:{" "}
        {formatNumber(f.totals.affected)} affected of {formatNumber(f.totals.balloted)} balloted;{" "}
        {formatNumber(f.totals.joinedSince)} joined since the ballot (not called on). Notice goes to{" "}
        {chosen.length} of {f.employers.length} employer{f.employers.length === 1 ? "" : "s"}.
      </p>
      <p className="muted small">
        {f.rule} ({f.citation})
      </p>
      {f.employers.length ? (
        <div className="table-scroll">
          <table className="table table-compact">
            <caption className="visually-hidden">
              Affected employees by employer, and the difference from the ballot
            </caption>
            <thead>
              <tr>
                <th scope="col">Give notice</th>
                <th scope="col">Employer</th>
                <th scope="col">Balloted</th>
                <th scope="col">Counted</th>
                <th scope="col">Left or lapsed</th>
                <th scope="col">Leaving before action</th>
                <th scope="col">Moved</th>
                <th scope="col">Not balloted (not called)</th>
              </tr>
            </thead>
            <tbody>
              {f.employers.map((e) => {
                const none = e.affected === 0;
                const on = !none && !excluded.has(e.employerId);
                return (
                  <tr key={e.employerId} data-employer={e.employerId}>
                    <td>
                      {none ? (
                        <Badge tone="neutral">No affected employees</Badge>
                      ) : (
                        <input
                          type="checkbox"
                          checked={on}
                          aria-label={`Give notice to ${e.employerName}`}
                          onChange={(ev) => onExclude(e.employerId, !ev.target.checked)}
                        />
                      )}
                    </td>
                    <th scope="row">{e.employerName}</th>
                    <td>{formatNumber(e.balloted)}</td>
                    <td>{formatNumber(e.affected)}</td>
                    <td>{formatNumber(e.left + e.deceased + e.lapsed)}</td>
                    <td>{formatNumber(e.leavingBeforeAction)}</td>
                    <td>
                      {formatNumber(e.movedOut + e.movedAway)} out, {formatNumber(e.movedIn)} in
                    </td>
                    <td>{formatNumber(e.joinedSince + e.notBalloted)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
