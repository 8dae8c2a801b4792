import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type ActionNoticeInput,
  type BallotDto,
  type DocumentDto,
  documentDownloadUrl,
  type QuestionKind,
  useCreateActionNotices,
  useDocuments,
  useGenerateNotices,
  useGenerateResultNotices,
  useGenerateVoterFile,
  useLegalSignOff,
  useSignOffLegalReview,
  useVerifyDocuments,
} from "../api/ballots.js";
import { isApiError } from "../api/client.js";
import type { JobDto } from "../api/jobs.js";
import { useActionNoticePreview } from "../api/records.js";
import { Badge } from "../components/Badges.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatBytes, formatDateTime, plural, todayIso } from "../format.js";
import { DOCUMENT_KIND_LABELS, QUESTION_LABELS } from "../labels.js";
import { ActionNoticePreview } from "./ActionNoticePreview.js";
import {
  ActionButton,
  ballotTabPath,
  CheckField,
  FormError,
  InputField,
  isIsoDate,
  lines,
  ShortHash,
  TextareaField,
} from "./BallotParts.js";

const ISSUED: readonly BallotDto["state"][] = ["notices_issued", "open", "closed", "result_declared"];

export function BallotDocumentsTab({ ballot }: { ballot: BallotDto }) {
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  const canVoterFile = hasPermission(user, "ballots.voter_file");
  const documents = useDocuments(ballot.id);
  const issued = ISSUED.includes(ballot.state);

  return (
    <>
      <h2>Documents</h2>
      <LegalSignOffPanel ballotId={ballot.id} canManage={canManage} />
      {canManage || canVoterFile ? (
        <section className="card section" aria-labelledby="generate-heading">
          <h3 id="generate-heading" className="card-title">
            Produce documents
          </h3>
          {canManage ? <GenerateNotices ballot={ballot} /> : null}
          {canVoterFile ? <VoterFile ballot={ballot} issued={issued} /> : null}
          {canManage && ballot.state === "result_declared" ? <ResultNotices ballot={ballot} /> : null}
        </section>
      ) : null}
      {canManage && ballot.state === "result_declared" ? <ActionNoticeForm ballot={ballot} /> : null}

      <section className="section" aria-labelledby="documents-heading">
        <h3 id="documents-heading">Produced so far</h3>
        {documents.isPending ? (
          <Loading label="Loading documents…" />
        ) : documents.isError ? (
          <ErrorPanel
            error={documents.error}
            title="Cannot load the documents"
            onRetry={() => void documents.refetch()}
          />
        ) : documents.data.length === 0 ? (
          <Empty>No documents yet.</Empty>
        ) : (
          <>
            <DocumentTable documents={documents.data} />
            {canManage ? <VerifyDocuments ballotId={ballot.id} /> : null}
          </>
        )}
      </section>
    </>
  );
}

/**
 * Items needing legal review are for the union's staff: documents are drafts
 * (watermarked) until a national officer records the lawyer's sign-off.
 */
function LegalSignOffPanel({ ballotId, canManage }: { ballotId: number; canManage: boolean }) {
  const state = useLegalSignOff(ballotId);
  const signOff = useSignOffLegalReview(ballotId);
  const [reviewer, setReviewer] = useState("");
  const [reviewed, setReviewed] = useState("");
  if (state.isPending || state.isError) return null;
  const s = state.data;
  if (!s.items.length) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signOff.mutate({ reviewer: reviewer.trim(), reviewed: reviewed.trim() });
  };
  return (
    <section className="card section" aria-labelledby="signoff-heading">
      <h3 id="signoff-heading" className="card-title">
        Legal review{" "}
        {s.final ? <Badge tone="ok">Signed off</Badge> : <Badge tone="warning">Documents are drafts</Badge>}
      </h3>
      {s.signOff ? (
        <p className="small">
          Signed off by {s.signOff.reviewer} on {formatDateTime(s.signOff.signedAt)}: {s.signOff.reviewed}
        </p>
      ) : null}
      {s.outstanding.length ? (
        <>
          <p className="small">
            These rules need legal review. Until a lawyer has reviewed them and a national officer records it,
            every document is a watermarked draft for the union's staff, never to be sent.
          </p>
          <ul className="small">
            {s.outstanding.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
          {canManage ? (
            <form onSubmit={submit} className="form-grid">
              <InputField
                label="Reviewed by (lawyer, firm)"
                value={reviewer}
                onChange={setReviewer}
                required
              />
              <TextareaField
                label="What was reviewed, and the advice in short"
                value={reviewed}
                onChange={setReviewed}
                required
              />
              <ActionButton primary busy={signOff.isPending} busyLabel="Recording…" submit>
                Record legal sign-off
              </ActionButton>
              {signOff.isError ? (
                <FormError error={signOff.error} title="The sign-off was not recorded" />
              ) : null}
            </form>
          ) : null}
        </>
      ) : (
        <p className="small">Documents produced now are final. Produce them again to replace the drafts.</p>
      )}
    </section>
  );
}

function GenerateNotices({ ballot }: { ballot: BallotDto }) {
  const generate = useGenerateNotices(ballot.id);
  const frozen = ballot.electorate !== null;
  return (
    <div className="generate">
      <p>
        The notice of ballot for every employer (with CSV annexes where lists are long) and the sample voting
        paper. Refused while pre-flight blocks.
      </p>
      {!frozen ? <p className="muted small">Freeze the electorate and pass pre-flight first.</p> : null}
      <ActionButton
        primary
        busy={generate.isPending}
        busyLabel="Generating…"
        disabled={!frozen}
        onClick={() => generate.mutate()}
      >
        {ISSUED.includes(ballot.state) ? "Generate notices again" : "Generate notices"}
      </ActionButton>
      <div aria-live="polite" className="live-region">
        <JobProgress job={generate.progress} />
        {generate.isSuccess ? (
          <p className="text-ok small">
            {plural(generate.data.total ?? generate.data.done, "document")} produced.
          </p>
        ) : null}
      </div>
      {generate.isError ? <NoticesRefused error={generate.error} ballotId={ballot.id} /> : null}
    </div>
  );
}

/** The running job of a set of documents: how many of them are done (they are rendered one at a time). */
function JobProgress({ job }: { job: JobDto | null }) {
  if (!job) return null;
  if (job.state === "queued") return <p className="muted small">Waiting for the background worker…</p>;
  const total = job.total ?? 0;
  return (
    <p className="small">
      <progress max={total || 1} value={job.done} aria-label="Documents produced so far" /> {job.done} of{" "}
      {total} documents
    </p>
  );
}

/** A 422 from pre-flight names its blocking checks; anything else is said as it came. */
function NoticesRefused({ error, ballotId }: { error: unknown; ballotId: number }) {
  if (isApiError(error) && error.code === "ballots.preflight_blocked") {
    const raw = error.details?.checks;
    const checks = Array.isArray(raw)
      ? raw.flatMap((c) => {
          const rec = c as Record<string, unknown>;
          return typeof rec.title === "string"
            ? [{ title: rec.title, count: typeof rec.count === "number" ? rec.count : null }]
            : [];
        })
      : [];
    return (
      <div className="form-error" role="alert">
        <p className="form-error-title">Pre-flight blocks the notices</p>
        <p>{error.message}</p>
        {checks.length > 0 ? (
          <ul>
            {checks.map((c) => (
              <li key={c.title}>
                {c.title}
                {c.count !== null ? ` (${c.count})` : ""}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <Link to={ballotTabPath(ballotId, "preflight")}>Open the pre-flight checks</Link>
        </p>
      </div>
    );
  }
  return <FormError error={error} title="The notices were not generated" />;
}

function VoterFile({ ballot, issued }: { ballot: BallotDto; issued: boolean }) {
  const voterFile = useGenerateVoterFile(ballot.id);
  return (
    <div className="generate">
      <p>The scrutineer's voter file: paper number, name and address of each member entitled (audited).</p>
      <ActionButton
        busy={voterFile.isPending}
        busyLabel="Producing…"
        disabled={!issued}
        onClick={() => voterFile.mutate()}
      >
        Produce the voter file
      </ActionButton>
      {!issued ? <p className="muted small">Available once the notices are issued.</p> : null}
      <FormError error={voterFile.error} title="The voter file was not produced" />
    </div>
  );
}

function ResultNotices({ ballot }: { ballot: BallotDto }) {
  const results = useGenerateResultNotices(ballot.id);
  return (
    <div className="generate">
      <p>The result to members (s.231) and to every employer (s.231A).</p>
      <ActionButton busy={results.isPending} busyLabel="Producing…" onClick={() => results.mutate()}>
        Produce the result notices
      </ActionButton>
      <div aria-live="polite" className="live-region">
        <JobProgress job={results.progress} />
      </div>
      <FormError error={results.error} title="The result notices were not produced" />
    </div>
  );
}

function ActionNoticeForm({ ballot }: { ballot: BallotDto }) {
  const create = useCreateActionNotices(ballot.id);
  const [continuous, setContinuous] = useState(true);
  const [startDate, setStartDate] = useState("");
  const [dates, setDates] = useState("");
  const [kinds, setKinds] = useState<QuestionKind[]>(ballot.questions);
  const [givenOn, setGivenOn] = useState(todayIso());
  const [shorter, setShorter] = useState(false);
  const [evidence, setEvidence] = useState("");
  // The preview of the affected employees on the day; the employers the officer leaves out.
  const actionDates = continuous ? (isIsoDate(startDate) ? [startDate] : []) : lines(dates).filter(isIsoDate);
  const firstDay = [...actionDates].sort()[0] ?? "";
  const previewReady = isIsoDate(givenOn) && firstDay !== "";
  const preview = useActionNoticePreview(ballot.id, givenOn, firstDay, previewReady);
  const [excluded, setExcluded] = useState<ReadonlySet<number>>(new Set());
  const exclude = (employerId: number, out: boolean) =>
    setExcluded((prev) => {
      const next = new Set(prev);
      if (out) next.add(employerId);
      else next.delete(employerId);
      return next;
    });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input: ActionNoticeInput = {
      continuous,
      startDate: continuous && isIsoDate(startDate) ? startDate : null,
      dates: continuous ? [] : lines(dates).filter(isIsoDate),
      kinds,
      givenOn,
      shorterNoticeAgreed: shorter,
      agreementEvidence: shorter ? evidence.trim() : "",
      // Null: every employer with affected employees; otherwise those the officer left ticked.
      employerIds:
        excluded.size && preview.data
          ? preview.data.employers
              .filter((e) => e.affected > 0 && !excluded.has(e.employerId))
              .map((e) => e.employerId)
          : null,
    };
    create.mutate(input);
  };

  return (
    <details className="card section disclosure">
      <summary>Notices of industrial action</summary>
      <form className="form-stack" onSubmit={submit} noValidate>
        <p className="field-hint">
          One notice to each employer with affected employees on the day it is given (s.234A); untick an
          employer below to leave it out.
        </p>
        <CheckField label="Continuous action" checked={continuous} onChange={setContinuous} />
        {continuous ? (
          <InputField type="date" label="Start date" value={startDate} onChange={setStartDate} />
        ) : (
          <TextareaField
            label="Dates of action (one per line, YYYY-MM-DD)"
            value={dates}
            onChange={setDates}
            rows={3}
          />
        )}
        <fieldset className="fieldset">
          <legend>Kinds of action</legend>
          {ballot.questions.map((q) => (
            <CheckField
              key={q}
              label={QUESTION_LABELS[q]}
              checked={kinds.includes(q)}
              onChange={(on) => setKinds(on ? [...kinds, q] : kinds.filter((k) => k !== q))}
            />
          ))}
        </fieldset>
        <InputField type="date" label="Notice given on" value={givenOn} onChange={setGivenOn} />
        <CheckField
          label="The employer agreed a shorter notice period"
          checked={shorter}
          onChange={setShorter}
        />
        {shorter ? (
          <TextareaField label="Evidence of the agreement" value={evidence} onChange={setEvidence} />
        ) : null}
        <ActionNoticePreview
          preview={preview}
          waiting={
            previewReady
              ? null
              : "Give the date of the notice and the first day of action to see who it counts."
          }
          excluded={excluded}
          onExclude={exclude}
        />
        <FormError error={create.error} title="The notices were not produced" />
        <div className="form-actions">
          <ActionButton primary submit busy={create.isPending} busyLabel="Producing…">
            Produce the notices of action
          </ActionButton>
        </div>
        {create.isSuccess ? (
          <p className="text-ok small" role="status">
            {plural(create.data.length, "document")} produced.
          </p>
        ) : null}
      </form>
    </details>
  );
}

function DocumentTable({ documents }: { documents: readonly DocumentDto[] }) {
  return (
    <div className="table-scroll">
      <table className="table table-cards">
        <caption className="visually-hidden">Documents produced for this ballot</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Employer</th>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">SHA-256</th>
            <th scope="col">Produced</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => (
            <tr key={d.id} data-kind={d.kind}>
              <th scope="row" data-label="Document">
                {DOCUMENT_KIND_LABELS[d.kind] ?? d.kind}{" "}
                {d.draft ? <Badge tone="warning">Draft: not to be sent</Badge> : null}
              </th>
              <td data-label="Employer">{d.employerName ?? <span className="muted">—</span>}</td>
              <td data-label="File" className="break">
                <a href={documentDownloadUrl(d.id)} download={d.filename}>
                  {d.filename}
                  <span className="visually-hidden">
                    {" "}
                    ({DOCUMENT_KIND_LABELS[d.kind] ?? d.kind}
                    {d.employerName ? `, ${d.employerName}` : ""})
                  </span>
                </a>
              </td>
              <td data-label="Size" className="num">
                {formatBytes(d.bytes)}
              </td>
              <td data-label="SHA-256">
                <ShortHash hash={d.sha256} />
              </td>
              <td data-label="Produced">{formatDateTime(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every stored document re-rendered from its stored input: the bytes must match what was sent. */
function VerifyDocuments({ ballotId }: { ballotId: number }) {
  const verify = useVerifyDocuments(ballotId);
  const r = verify.data;
  return (
    <div className="generate verify-documents">
      <ActionButton busy={verify.isPending} busyLabel="Checking…" onClick={() => verify.mutate()}>
        Check the stored documents
      </ActionButton>
      <div aria-live="polite" className="live-region">
        {r && !verify.isPending ? (
          r.differing.length === 0 ? (
            <p className="text-ok small">
              All {r.checked} documents re-render byte for byte from their stored inputs.
            </p>
          ) : (
            <p className="text-error small">
              {r.identical} of {r.checked} documents match; {r.differing.length} differ (document
              {r.differing.length === 1 ? "" : "s"} {r.differing.join(", ")}).
            </p>
          )
        ) : null}
      </div>
      <FormError error={verify.error} title="The documents could not be checked" />
    </div>
  );
}
