import { type FormEvent, useId, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type BallotDto,
  type EmployerTimetable,
  type ReceiptKind,
  useRecordReceipt,
  useTimetable,
} from "../api/ballots.js";
import { Badge } from "../components/Badges.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { SelectField } from "../components/SelectField.js";
import { formatDate, formatNumber, todayIso } from "../format.js";
import { RECEIPT_KIND_LABELS } from "../labels.js";
import {
  ActionButton,
  DeadlineList,
  FormError,
  InputField,
  isIsoDate,
  TextareaField,
} from "./BallotParts.js";

const RECEIPT_KINDS = Object.keys(RECEIPT_KIND_LABELS) as ReceiptKind[];

export function BallotTimetableTab({ ballot }: { ballot: BallotDto }) {
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  const timetable = useTimetable(ballot.id);
  if (timetable.isPending) return <Loading label="Loading the timetable…" />;
  if (timetable.isError) {
    return (
      <ErrorPanel
        error={timetable.error}
        title="Cannot load the timetable"
        onRetry={() => void timetable.refetch()}
      />
    );
  }
  const t = timetable.data;
  return (
    <>
      <h2>Timetable</h2>
      <div className="two-col">
        <section className="section" aria-labelledby="deadlines-heading">
          <h3 id="deadlines-heading">Statutory dates</h3>
          <DeadlineList deadlines={t.deadlines} warnings={t.warnings} today={todayIso()} days={t.days} />
        </section>
        <section className="section" aria-labelledby="receipts-heading">
          <h3 id="receipts-heading">Proof of receipt, by employer</h3>
          <p className="muted small">
            A deadline is met when the employer has <em>received</em> the document: record when and how, with
            the evidence a court would ask for.
          </p>
          {t.employers.map((e) => (
            <EmployerReceipts key={e.employerId} employer={e} />
          ))}
          {canManage ? <ReceiptForm ballotId={ballot.id} employers={t.employers} /> : null}
        </section>
      </div>
    </>
  );
}

function EmployerReceipts({ employer: e }: { employer: EmployerTimetable }) {
  const id = useId();
  return (
    <section className="card receipts" aria-labelledby={id}>
      <h4 id={id} className="card-title">
        {e.employerName} <span className="muted small">({formatNumber(e.entitled)} entitled)</span>
      </h4>
      {e.warnings.length ? (
        <div className="notice notice-warning" role="note">
          <ul>
            {e.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="table table-compact table-cards">
          <caption className="visually-hidden">Receipts by {e.employerName}</caption>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Due by</th>
              <th scope="col">Received</th>
              <th scope="col">How</th>
            </tr>
          </thead>
          <tbody>
            {e.receipts.map((r) => (
              <tr key={r.kind} className={r.onTime === false ? "row-error" : undefined}>
                <th scope="row" data-label="Document">
                  {RECEIPT_KIND_LABELS[r.kind]}
                </th>
                <td data-label="Due by">
                  {r.dueBy ? formatDate(r.dueBy) : <span className="muted">—</span>}
                </td>
                <td data-label="Received">
                  {r.receivedOn ? (
                    <>
                      {formatDate(r.receivedOn)}{" "}
                      {r.onTime === true ? (
                        <Badge tone="ok">On time</Badge>
                      ) : r.onTime === false ? (
                        <Badge tone="error">Late</Badge>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">Not recorded</span>
                  )}
                </td>
                <td data-label="How">
                  {r.method || <span className="muted">—</span>}
                  {r.evidence ? <span className="cell-sub">{r.evidence}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ReceiptForm({ ballotId, employers }: { ballotId: number; employers: readonly EmployerTimetable[] }) {
  const id = useId();
  const record = useRecordReceipt(ballotId);
  const [employerId, setEmployerId] = useState(employers[0] ? String(employers[0].employerId) : "");
  const [kind, setKind] = useState<ReceiptKind>("ballot_notice");
  const [sentOn, setSentOn] = useState("");
  const [receivedOn, setReceivedOn] = useState("");
  const [method, setMethod] = useState("");
  const [evidence, setEvidence] = useState("");
  const [tried, setTried] = useState(false);
  const receivedError =
    tried && !isIsoDate(receivedOn) ? "Give the date the employer received it." : undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (!employerId || !isIsoDate(receivedOn)) return;
    record.mutate(
      {
        employerId: Number(employerId),
        kind,
        sentOn: isIsoDate(sentOn) ? sentOn : null,
        receivedOn,
        method: method.trim(),
        evidence: evidence.trim(),
      },
      {
        onSuccess: () => {
          setTried(false);
          setSentOn("");
          setReceivedOn("");
          setMethod("");
          setEvidence("");
        },
      },
    );
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="card-title">
        Record a receipt
      </h4>
      <form className="form-stack" onSubmit={submit} noValidate>
        <div className="filter-row">
          <SelectField
            label="Employer"
            value={employerId}
            options={employers.map((e) => ({ value: String(e.employerId), label: e.employerName }))}
            onChange={setEmployerId}
          />
          <SelectField
            label="Document"
            value={kind}
            options={RECEIPT_KINDS.map((k) => ({ value: k, label: RECEIPT_KIND_LABELS[k] }))}
            onChange={(v) => setKind(v as ReceiptKind)}
          />
        </div>
        <div className="filter-row">
          <InputField type="date" label="Sent on (optional)" value={sentOn} onChange={setSentOn} />
          <InputField
            type="date"
            label="Received on"
            value={receivedOn}
            onChange={setReceivedOn}
            error={receivedError}
            required
          />
        </div>
        <InputField
          label="How it was delivered"
          hint="E.g. recorded delivery, email to the named HR contact, by hand."
          value={method}
          onChange={setMethod}
        />
        <TextareaField
          label="Evidence of receipt"
          hint="Tracking number, acknowledgement email, signature…"
          value={evidence}
          onChange={setEvidence}
          rows={2}
        />
        <FormError error={record.error} title="The receipt was not recorded" />
        <div className="form-actions">
          <ActionButton primary submit busy={record.isPending} busyLabel="Recording…">
            Record the receipt
          </ActionButton>
          <span aria-live="polite" className="live-region">
            {record.isSuccess && !record.isPending ? <span className="text-ok small">Recorded.</span> : null}
          </span>
        </div>
      </form>
    </section>
  );
}
