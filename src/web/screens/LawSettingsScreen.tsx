/**
 * The union's commencement dates for changes in the law that Mandate's law
 * data does not know (decision 0013): the 50% turnout repeal and electronic,
 * hybrid and workplace voting. Everyone signed in reads them, since they
 * decide verdicts; a national officer records each with its legal source.
 */
import { type FormEvent, useId, useState } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { type CommencementSetting, useCommencements, useRecordCommencement } from "../api/law.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDate, formatDateTime } from "../format.js";
import {
  ActionButton,
  Citation,
  FormError,
  InputField,
  isIsoDate,
  RadioField,
  TextareaField,
  Unconfirmed,
} from "./BallotParts.js";

export function LawSettingsScreen() {
  usePageTitle("Law in force");
  const user = useUser();
  const canRecord = hasPermission(user, "law.commencements");
  const list = useCommencements();
  return (
    <>
      <h1>Law in force: commencement dates</h1>
      <p className="muted">
        Some changes made by the Employment Rights Act 2025 apply only from a date set by a commencement
        order. Until the union records that date here, with its legal source, Mandate treats the change as not
        in force. The dates decide ballots' verdicts and voting methods.
        {hasPermission(user, "org.write") ? (
          <>
            {" "}
            <Link to="/settings">The union's letterhead</Link> is on the Settings screen.
          </>
        ) : null}
      </p>
      {!canRecord ? <p className="small">Only a national officer can record a commencement date.</p> : null}
      {list.isPending ? (
        <Loading label="Loading the commencement dates…" />
      ) : list.isError ? (
        <ErrorPanel
          error={list.error}
          title="Cannot load the commencement dates"
          onRetry={() => void list.refetch()}
        />
      ) : (
        list.data.map((s) => (
          <CommencementCard key={s.id} setting={s} canRecord={canRecord} userId={user.id} />
        ))
      )}
    </>
  );
}

/** In force from a date, or not in force: said in words, never by colour alone. */
function StateBadge({ commencedOn }: { commencedOn: string | null }) {
  return commencedOn ? (
    <Badge tone="ok">{`In force from ${formatDate(commencedOn)}`}</Badge>
  ) : (
    <Badge tone="neutral">Not in force</Badge>
  );
}

function CommencementCard({
  setting: s,
  canRecord,
  userId,
}: {
  setting: CommencementSetting;
  canRecord: boolean;
  userId: number;
}) {
  const id = useId();
  const r = s.recorded;
  return (
    <section className="card section" aria-labelledby={id} data-switch={s.id}>
      <h2 id={id} className="card-title">
        {s.title} <StateBadge commencedOn={r ? r.commencedOn : s.defaultCommencedOn} />
      </h2>
      <dl className="facts">
        <div>
          <dt>State</dt>
          <dd>
            {r
              ? r.commencedOn
                ? `In force from ${formatDate(r.commencedOn)}, as recorded by the union`
                : "Not in force, as recorded by the union"
              : s.defaultCommencedOn
                ? `In force from ${formatDate(s.defaultCommencedOn)} (Mandate's law data; nothing recorded by the union)`
                : "Not in force (Mandate's law data; nothing recorded by the union)"}
          </dd>
        </div>
        <div>
          <dt>Legal source</dt>
          <dd>{r ? r.source : <Citation>{s.citation}</Citation>}</dd>
        </div>
        <div>
          <dt>Recorded</dt>
          <dd>
            {r
              ? `${formatDateTime(r.recordedAt)} by ${
                  r.recordedBy === null
                    ? "the system"
                    : r.recordedBy === userId
                      ? "you"
                      : `user no. ${r.recordedBy}`
                }`
              : "Not yet"}
          </dd>
        </div>
      </dl>
      {r ? null : <Unconfirmed reason={s.unconfirmed} />}
      {canRecord ? <CommencementForm setting={s} /> : null}
    </section>
  );
}

function CommencementForm({ setting: s }: { setting: CommencementSetting }) {
  const id = useId();
  const record = useRecordCommencement();
  const current = s.recorded ? s.recorded.commencedOn : s.defaultCommencedOn;
  const [inForce, setInForce] = useState(current !== null);
  const [date, setDate] = useState(current ?? "");
  const [source, setSource] = useState("");
  const [problem, setProblem] = useState("");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inForce && !isIsoDate(date)) return setProblem("Give the date the change came into force.");
    if (!source.trim())
      return setProblem("Give the legal source: the commencement order, or the advice relied on.");
    setProblem("");
    record.mutate(
      { id: s.id, commencedOn: inForce ? date : null, source: source.trim() },
      { onSuccess: () => setSource("") },
    );
  };
  return (
    <details className="disclosure">
      <summary>Record the commencement of {s.title.toLowerCase()}</summary>
      <form className="form-stack" onSubmit={submit} noValidate aria-label={`Record: ${s.title}`}>
        <fieldset className="fieldset">
          <legend>Is the change in force?</legend>
          <RadioField
            name={`${id}-state`}
            label="In force from a date"
            checked={inForce}
            onChange={() => setInForce(true)}
          />
          <RadioField
            name={`${id}-state`}
            label="Not in force"
            checked={!inForce}
            onChange={() => setInForce(false)}
          />
        </fieldset>
        {inForce ? (
          <InputField type="date" label="Commencement date" value={date} onChange={setDate} required />
        ) : null}
        <TextareaField
          label="Legal source"
          hint="The commencement order (its SI number and article), or the legal advice relied on."
          value={source}
          onChange={setSource}
          required
        />
        {problem ? (
          <p className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        <FormError error={record.error} title="The commencement date was not recorded" />
        <div className="form-actions">
          <ActionButton primary submit busy={record.isPending} busyLabel="Recording…">
            Record
          </ActionButton>
        </div>
        <div aria-live="polite" className="live-region">
          {record.isSuccess ? <p className="text-ok small">Recorded.</p> : null}
        </div>
      </form>
    </details>
  );
}
