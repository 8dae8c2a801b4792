/**
 * The ballot's records after its electorate is fixed: each notice of
 * industrial action with the affected employees on its day and the
 * difference from the ballot, suspensions and resumptions, the scrutineer's
 * report and copy requests, replacement papers and late joiners, mandate
 * extensions and the employers' correspondence (filterable by employer).
 */
import { type FormEvent, useId, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import type { BallotDto } from "../api/ballots.js";
import {
  type ActionNoticeRecord,
  type Correspondence,
  useActionNotices,
  useCorrespondence,
  useExtensions,
  usePaperChanges,
  useRecordCorrespondence,
  useScrutineerReport,
} from "../api/records.js";
import { Badge } from "../components/Badges.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { labelOptions, SelectField } from "../components/SelectField.js";
import { formatDate, formatNumber, todayIso } from "../format.js";
import { ActionButton, FormError, InputField, isIsoDate, TextareaField, Unconfirmed } from "./BallotParts.js";
import {
  CopyRequestForm,
  CopySuppliedForm,
  type EmployerChoices,
  ExtensionForm,
  employerOptions,
  PaperChangeForm,
  ReportReviewForm,
  ResumptionForm,
  ScrutineerReportForm,
  SuspensionForm,
} from "./BallotRecordForms.js";

const DIRECTION_LABELS = { received: "Received", sent: "Sent" } as const;
const KIND_LABELS: Record<string, string> = {
  objection: "Objection",
  information_request: "Request for information",
  legal_threat: "Legal threat",
  reply: "Reply",
  other: "Other",
};

/** The employers in the ballot, for the forms' choices. */
const scopeEmployers = (ballot: BallotDto): EmployerChoices => [
  ...new Map(ballot.scope.map((s) => [s.employerId, s.employerName])).entries(),
];

export function BallotRecordsTab({ ballot }: { ballot: BallotDto }) {
  // Recording is for national officers (ballots.manage); the server refuses everyone else anyway.
  const canManage = hasPermission(useUser(), "ballots.manage");
  return (
    <>
      <h2>Records</h2>
      <ActionNotices ballotId={ballot.id} canManage={canManage} />
      <ScrutineerReportSection ballot={ballot} canManage={canManage} />
      <PaperChangesSection ballot={ballot} canManage={canManage} />
      <ExtensionsSection ballot={ballot} canManage={canManage} />
      <CorrespondenceSection ballot={ballot} />
    </>
  );
}

function Warnings({ items }: { items: readonly string[] }) {
  if (!items.length) return null;
  return (
    <ul className="warnings" role="status">
      {items.map((w) => (
        <li key={w}>
          <Badge tone="warning">Check</Badge> {w}
        </li>
      ))}
    </ul>
  );
}

function ActionNotices({ ballotId, canManage }: { ballotId: number; canManage: boolean }) {
  const notices = useActionNotices(ballotId);
  const id = useId();
  if (notices.isPending) return <Loading label="Loading the notices of action…" />;
  if (notices.isError) return <ErrorPanel error={notices.error} title="Cannot load the notices of action" />;
  return (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>Notices of industrial action</h3>
      <p className="muted small">
        Each notice counts the balloted members still employed in the constituency on the day it was given
        (s.234A(3)(a)); members who joined since the ballot are not called on under this mandate.
      </p>
      {notices.data.length === 0 ? <p className="muted">No notice of action has been given.</p> : null}
      {notices.data.map((n) => (
        <ActionNoticeCard key={n.id} notice={n} ballotId={ballotId} canManage={canManage} />
      ))}
    </section>
  );
}

function ActionNoticeCard({
  notice: n,
  ballotId,
  canManage,
}: {
  notice: ActionNoticeRecord;
  ballotId: number;
  canManage: boolean;
}) {
  const id = useId();
  const f = n.figures;
  return (
    <section className="card" aria-labelledby={id}>
      <h4 id={id} className="card-title">
        Notice given {formatDate(n.givenOn)}: action from {formatDate(f.firstDay)}{" "}
        <Badge tone={n.status === "suspended" ? "warning" : "ok"}>
          {n.status === "suspended"
            ? "Suspended by agreement"
            : n.status === "resumed"
              ? "Resumed"
              : "Active"}
        </Badge>
      </h4>
      <p>
        {formatNumber(f.totals.affected)} affected of {formatNumber(f.totals.balloted)} balloted;{" "}
        {formatNumber(f.totals.joinedSince)} joined since the ballot (not called on).
      </p>
      {f.employers.length ? (
        <div className="table-scroll">
          <table className="table table-compact">
            <caption className="visually-hidden">Difference from the ballot, by employer</caption>
            <thead>
              <tr>
                <th scope="col">Employer</th>
                <th scope="col">Balloted</th>
                <th scope="col">Affected</th>
                <th scope="col">Left</th>
                <th scope="col">Lapsed</th>
                <th scope="col">Moved out</th>
                <th scope="col">Leaving before action</th>
                <th scope="col">Joined since (not called)</th>
              </tr>
            </thead>
            <tbody>
              {f.employers.map((e) => (
                <tr key={e.employerId}>
                  <th scope="row">{e.employerName}</th>
                  <td>{formatNumber(e.balloted)}</td>
                  <td>{formatNumber(e.affected)}</td>
                  <td>{formatNumber(e.left + e.deceased)}</td>
                  <td>{formatNumber(e.lapsed)}</td>
                  <td>{formatNumber(e.movedOut + e.movedAway)}</td>
                  <td>{formatNumber(e.leavingBeforeAction)}</td>
                  <td>{formatNumber(e.joinedSince + e.notBalloted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {n.suspensions.map((s) => (
        <p key={s.id} className="small">
          Suspended from {formatDate(s.suspendedFrom)} by agreement of {formatDate(s.agreedOn)}; may resume
          from {formatDate(s.resumeFrom)}
          {s.resumedOn ? `; resumed ${formatDate(s.resumedOn)}` : ""}.
          {s.evidence ? ` Evidence: ${s.evidence}` : ""}
        </p>
      ))}
      <Warnings items={n.legalReview} />
      {canManage
        ? n.suspensions
            .filter((s) => !s.resumedOn)
            .map((s) => <ResumptionForm key={s.id} ballotId={ballotId} suspensionId={s.id} />)
        : null}
      {canManage && n.status !== "suspended" ? <SuspensionForm ballotId={ballotId} noticeId={n.id} /> : null}
    </section>
  );
}

const REQUESTER_LABELS: Record<string, string> = { member: "Member", employer: "Employer" };

function ScrutineerReportSection({ ballot, canManage }: { ballot: BallotDto; canManage: boolean }) {
  const ballotId = ballot.id;
  const report = useScrutineerReport(ballotId);
  const id = useId();
  if (report.isPending) return <Loading label="Loading the scrutineer's report…" />;
  if (report.isError) return <ErrorPanel error={report.error} title="Cannot load the scrutineer's report" />;
  const r = report.data;
  return (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>Scrutineer's report</h3>
      {r.report ? (
        <div data-testid="scrutineer-report">
          <p>
            Received {formatDate(r.report.receivedOn)}:{" "}
            {r.report.qualified ? (
              <Badge tone="error">Qualified</Badge>
            ) : (
              <Badge tone="ok">Not qualified</Badge>
            )}
            {r.report.particulars ? ` ${r.report.particulars}` : ""}
            {r.report.reviewedOn
              ? ` Reviewed ${formatDate(r.report.reviewedOn)}: ${r.report.reviewNote}`
              : r.report.qualified
                ? " Not yet reviewed: no notice of action until it is."
                : ""}
          </p>
          <ul className="small">
            <li>
              No grounds to believe any statutory requirement was contravened:{" "}
              {r.report.noContravention ? "stated" : "not stated"}
            </li>
            <li>
              Security arrangements reasonably practicable:{" "}
              {r.report.securityArrangements ? "stated" : "not stated"}
            </li>
            <li>
              Functions carried out without interference: {r.report.noInterference ? "stated" : "not stated"}
            </li>
          </ul>
        </div>
      ) : (
        <p className="muted">Not recorded.</p>
      )}
      <Unconfirmed reason={r.unconfirmed || null} />
      <p className="muted small">
        Copies to members or employers who ask until {formatDate(r.copiesDueUntil)} ({r.citation}).{" "}
        {r.requests.length} request(s), {r.requests.filter((q) => q.outstanding).length} outstanding.
      </p>
      {r.requests.length ? (
        <ul>
          {r.requests.map((q) => (
            <li key={q.id}>
              {formatDate(q.requestedOn)} · {REQUESTER_LABELS[q.requesterType] ?? q.requesterType}
              {q.reference ? ` (${q.reference})` : ""} ·{" "}
              {q.suppliedOn
                ? `copy supplied ${formatDate(q.suppliedOn)}`
                : q.outstanding
                  ? "copy not yet supplied"
                  : "no copy due"}
              {canManage && !q.suppliedOn ? <CopySuppliedForm ballotId={ballotId} requestId={q.id} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <Warnings items={r.warnings} />
      {canManage && (ballot.state === "closed" || ballot.state === "result_declared") ? (
        <ScrutineerReportForm key={r.report?.receivedOn ?? "new"} ballotId={ballotId} report={r} />
      ) : null}
      {canManage && r.report?.qualified && !r.report.reviewedOn ? (
        <ReportReviewForm ballotId={ballotId} />
      ) : null}
      {canManage && (ballot.state === "closed" || ballot.state === "result_declared") ? (
        <CopyRequestForm ballotId={ballotId} employers={scopeEmployers(ballot)} />
      ) : null}
    </section>
  );
}

function PaperChangesSection({ ballot, canManage }: { ballot: BallotDto; canManage: boolean }) {
  const ballotId = ballot.id;
  const changes = usePaperChanges(ballotId);
  const id = useId();
  if (changes.isPending) return <Loading label="Loading paper changes…" />;
  if (changes.isError) return <ErrorPanel error={changes.error} title="Cannot load paper changes" />;
  const c = changes.data;
  return (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>Replacement papers and late joiners</h3>
      {c.changes.length === 0 ? <p className="muted">None recorded.</p> : null}
      <ul>
        {c.changes.map((x) => (
          <li key={x.id}>
            {formatDate(x.recordedOn)}:{" "}
            {x.kind === "replacement"
              ? `paper ${x.replacesPaper} replaced by paper ${x.paperNumber}`
              : x.kind === "late_joiner"
                ? `late joiner given paper ${x.paperNumber}`
                : "late joiner not entitled"}
            {x.employerName ? ` (${x.employerName})` : ""}: {x.reason}
          </li>
        ))}
      </ul>
      <Warnings items={c.warnings} />
      {canManage && (ballot.state === "notices_issued" || ballot.state === "open") ? (
        <PaperChangeForm ballotId={ballotId} />
      ) : null}
    </section>
  );
}

function ExtensionsSection({ ballot, canManage }: { ballot: BallotDto; canManage: boolean }) {
  const ballotId = ballot.id;
  const ext = useExtensions(ballotId);
  const id = useId();
  if (ext.isPending) return <Loading label="Loading mandate extensions…" />;
  if (ext.isError) return <ErrorPanel error={ext.error} title="Cannot load mandate extensions" />;
  const x = ext.data;
  return (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>Mandate extensions by agreement</h3>
      <p className="muted small">
        {x.latestByAgreement
          ? `The mandate ends ${x.mandateLastDay ? formatDate(x.mandateLastDay) : "—"}; by agreement with an employer it can run to ${formatDate(x.latestByAgreement)}.`
          : "The law in force for this ballot allows no extension by agreement."}
      </p>
      <ul>
        {x.extensions.map((e) => (
          <li key={e.id}>
            {e.employerName}: to {formatDate(e.lastDay)}, agreed {formatDate(e.agreedOn)} ({e.evidence})
          </li>
        ))}
      </ul>
      {canManage && x.latestByAgreement && ballot.state === "result_declared" ? (
        <ExtensionForm ballotId={ballotId} employers={scopeEmployers(ballot)} latest={x.latestByAgreement} />
      ) : null}
    </section>
  );
}

function CorrespondenceSection({ ballot }: { ballot: BallotDto }) {
  const ballotId = ballot.id;
  const user = useUser();
  const list = useCorrespondence(ballotId);
  const [employer, setEmployer] = useState("");
  const id = useId();
  if (list.isPending) return <Loading label="Loading correspondence…" />;
  if (list.isError) return <ErrorPanel error={list.error} title="Cannot load correspondence" />;
  const employers = [...new Map(list.data.map((c) => [c.employerId, c.employerName])).entries()];
  const shown = employer ? list.data.filter((c) => String(c.employerId) === employer) : list.data;
  return (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>Employer objections and correspondence</h3>
      {employers.length > 1 ? (
        <SelectField
          label="Employer"
          value={employer}
          emptyLabel="All employers"
          options={employerOptions(employers)}
          onChange={setEmployer}
        />
      ) : null}
      {shown.length === 0 ? <p className="muted">Nothing logged.</p> : null}
      <ul>
        {shown.map((c: Correspondence) => (
          <li key={c.id}>
            {formatDate(c.dated)} · {c.employerName} · {c.direction === "received" ? "Received" : "Sent"} ·{" "}
            {KIND_LABELS[c.kind] ?? c.kind}: {c.summary}
            {c.documentReference ? ` (ref. ${c.documentReference})` : ""}
          </li>
        ))}
      </ul>
      {hasPermission(user, "ballots.manage") ? (
        <CorrespondenceForm
          ballotId={ballotId}
          employers={[...new Map(ballot.scope.map((s) => [s.employerId, s.employerName])).entries()]}
        />
      ) : null}
    </section>
  );
}

function CorrespondenceForm({
  ballotId,
  employers,
}: {
  ballotId: number;
  employers: readonly (readonly [number, string])[];
}) {
  const id = useId();
  const record = useRecordCorrespondence(ballotId);
  const [employerId, setEmployerId] = useState(employers[0] ? String(employers[0][0]) : "");
  const [dated, setDated] = useState(todayIso());
  const [direction, setDirection] = useState<"received" | "sent">("received");
  const [kind, setKind] = useState("objection");
  const [summary, setSummary] = useState("");
  const [reference, setReference] = useState("");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!isIsoDate(dated) || !summary.trim() || !Number(employerId)) return;
    record.mutate(
      {
        employerId: Number(employerId),
        dated,
        direction,
        kind: kind as never,
        summary: summary.trim(),
        documentReference: reference.trim(),
      },
      { onSuccess: () => setSummary("") },
    );
  };
  return (
    <form className="form-stack card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="card-title">
        Log correspondence
      </h4>
      <div className="filter-row">
        <SelectField
          label="Employer"
          value={employerId}
          options={employerOptions(employers)}
          onChange={setEmployerId}
        />
        <InputField type="date" label="Dated" value={dated} onChange={setDated} />
        <SelectField
          label="Direction"
          value={direction}
          options={labelOptions(DIRECTION_LABELS)}
          onChange={(v) => setDirection(v as "received" | "sent")}
        />
        <SelectField label="Kind" value={kind} options={labelOptions(KIND_LABELS)} onChange={setKind} />
      </div>
      <TextareaField label="Summary" value={summary} onChange={setSummary} />
      <InputField label="Document reference" value={reference} onChange={setReference} />
      <FormError error={record.error} />
      <ActionButton busy={record.isPending} busyLabel="Saving…" submit primary>
        Log it
      </ActionButton>
    </form>
  );
}
