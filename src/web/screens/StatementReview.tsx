import { type FormEvent, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import { type BallotDto, ballotAllows, useReviewStatement } from "../api/ballots.js";
import { Notice } from "../components/QueryState.js";
import { ActionButton, FormError, TextareaField } from "./BallotParts.js";

const MIN_LENGTH = 20;

/** Is the voting-paper statement (s.229(4)) missing: unconfirmed in law and not yet recorded by the union? */
export function statementBlocked(ballot: BallotDto): boolean {
  return (
    ballot.dismissalStatementReviewed === null &&
    ballot.legalReview.some((r) => r.rule === "dismissal_statement")
  );
}

/**
 * The s.229(4) statement under the Employment Rights Act 2025: the law data
 * does not confirm its wording, so nothing can be issued until a national
 * officer records the wording the union's lawyers verified.
 */
export function StatementReview({ ballot }: { ballot: BallotDto }) {
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  // The lifecycle table (from the server) decides, as the services do.
  const editable = ballotAllows(ballot, "edit_setup").allowed;
  const blocked = statementBlocked(ballot);
  const reviewed = ballot.dismissalStatementReviewed;
  const reason = ballot.legalReview.find((r) => r.rule === "dismissal_statement")?.reason;

  if (!blocked && reviewed === null) return null;
  return (
    <section className="statement-review" aria-labelledby={`statement-${ballot.id}`}>
      {blocked ? (
        <Notice tone="error" title="Voting-paper statement: wording needed">
          <h3 id={`statement-${ballot.id}`} className="visually-hidden">
            Voting-paper statement
          </h3>
          <p>
            <span className="legal-tag">Needs legal review</span> {reason}
          </p>
          <p>
            Voting papers, the sample paper and the notices of ballot cannot be issued until a national
            officer records the statement wording verified by the union's lawyers (TULRCA 1992 s.229(4) as
            amended by the Employment Rights Act 2025).
          </p>
        </Notice>
      ) : (
        <Notice tone="warning" title="Voting-paper statement: wording recorded after legal review">
          <h3 id={`statement-${ballot.id}`} className="visually-hidden">
            Voting-paper statement
          </h3>
          <blockquote className="statement-text">{reviewed}</blockquote>
          <p className="small">
            Printed on every voting paper. The statutory text itself is still not confirmed in Mandate's law
            data.
          </p>
        </Notice>
      )}
      {canManage && editable ? (
        blocked ? (
          <StatementForm ballotId={ballot.id} initial="" />
        ) : (
          <details className="disclosure">
            <summary>Change the recorded wording</summary>
            <StatementForm ballotId={ballot.id} initial={reviewed ?? ""} />
          </details>
        )
      ) : blocked && !canManage ? (
        <p className="muted small">Only a national officer can record the wording.</p>
      ) : null}
    </section>
  );
}

function StatementForm({ ballotId, initial }: { ballotId: number; initial: string }) {
  const review = useReviewStatement(ballotId);
  const [text, setText] = useState(initial);
  const [tried, setTried] = useState(false);
  const tooShort = text.trim().length < MIN_LENGTH;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (tooShort) return;
    review.mutate(text.trim());
  };
  return (
    <form className="form-stack statement-form" onSubmit={submit} noValidate>
      <TextareaField
        label="Statement wording verified by the union's lawyers"
        hint="Exactly as it must be printed on the voting paper, unqualified and without comment. Your name is recorded with it."
        value={text}
        onChange={setText}
        rows={4}
        error={tried && tooShort ? `Give the full wording (at least ${MIN_LENGTH} characters).` : undefined}
      />
      <FormError error={review.error} title="The wording was not recorded" />
      <div className="form-actions">
        <ActionButton primary submit busy={review.isPending} busyLabel="Recording…">
          Record the reviewed wording
        </ActionButton>
      </div>
    </form>
  );
}
