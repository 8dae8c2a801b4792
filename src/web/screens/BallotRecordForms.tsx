/**
 * The national officer's forms on a ballot's Records tab: suspension of
 * action under a notice and its resumption, the scrutineer's report and its
 * review, copy requests and their supply, replacement papers and late
 * joiners, and mandate extensions by agreement. Each says the server's
 * refusal next to it (FormError); the server checks everything again.
 */
import { type FormEvent, type ReactNode, useState } from "react";
import {
  type ScrutineerReport,
  useRecordCopyRequest,
  useRecordCopySupplied,
  useRecordExtension,
  useRecordPaperChange,
  useRecordScrutineerReport,
  useResumeAction,
  useReviewScrutineerReport,
  useSuspendAction,
} from "../api/records.js";
import { labelOptions, type Option, SelectField } from "../components/SelectField.js";
import { todayIso } from "../format.js";
import { ActionButton, CheckField, FormError, InputField, isIsoDate, TextareaField } from "./BallotParts.js";

export type EmployerChoices = readonly (readonly [number, string])[];

const REQUESTER_LABELS = { member: "A member entitled to vote", employer: "An employer" } as const;
const PAPER_CHANGE_LABELS = {
  replacement: "A paper was lost or spoilt: a replacement was sent",
  late_joiner: "A member joined after the electorate was fixed",
} as const;

/** A form folded under its summary, so the records stay readable. */
function FormDisclosure({
  summary,
  onSubmit,
  error,
  errorTitle,
  busy,
  button,
  done,
  children,
}: {
  summary: string;
  onSubmit: () => void;
  error: unknown;
  errorTitle: string;
  busy: boolean;
  button: string;
  done: boolean;
  children: ReactNode;
}) {
  const [problem, setProblem] = useState("");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const missing = [...form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("[required]")].find(
      (el) => !el.value.trim(),
    );
    if (missing) {
      const label = form.querySelector(`label[for="${missing.id}"]`)?.textContent ?? "a required field";
      setProblem(`Fill in: ${label}.`);
      missing.focus();
      return;
    }
    setProblem("");
    onSubmit();
  };
  return (
    <details className="card section disclosure">
      <summary>{summary}</summary>
      <form className="form-stack" onSubmit={submit} noValidate aria-label={summary}>
        {children}
        {problem ? (
          <p className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        <FormError error={error} title={errorTitle} />
        <div className="form-actions">
          <ActionButton primary submit busy={busy} busyLabel="Recording…">
            {button}
          </ActionButton>
        </div>
        <div aria-live="polite" className="live-region">
          {done ? <p className="text-ok small">Recorded.</p> : null}
        </div>
      </form>
    </details>
  );
}

function EmployerSelect({
  employers,
  value,
  onChange,
}: {
  employers: EmployerChoices;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <SelectField label="Employer" value={value} options={employerOptions(employers)} onChange={onChange} />
  );
}

/** The ballot's employers as choices. */
export function employerOptions(employers: EmployerChoices): Option[] {
  return employers.map(([value, label]) => ({ value: String(value), label }));
}

// ---------------------------------------------------------------------------
// Suspension and resumption (s.234A(7A)-(7B))

export function SuspensionForm({ ballotId, noticeId }: { ballotId: number; noticeId: number }) {
  const suspend = useSuspendAction(ballotId);
  const [agreedOn, setAgreedOn] = useState(todayIso());
  const [suspendedFrom, setSuspendedFrom] = useState("");
  const [resumeFrom, setResumeFrom] = useState("");
  const [evidence, setEvidence] = useState("");
  return (
    <FormDisclosure
      summary="Record the action suspended by agreement"
      errorTitle="The suspension was not recorded"
      error={suspend.error}
      busy={suspend.isPending}
      done={suspend.isSuccess}
      button="Record the suspension"
      onSubmit={() =>
        suspend.mutate(
          { noticeId, agreedOn, suspendedFrom, resumeFrom, evidence: evidence.trim() },
          { onSuccess: () => setEvidence("") },
        )
      }
    >
      <p className="field-hint">
        Action suspended by agreement with the employer may resume on a date agreed without a new notice
        (s.234A(7A)-(7B)).
      </p>
      <div className="filter-row">
        <InputField type="date" label="Agreed on" value={agreedOn} onChange={setAgreedOn} required />
        <InputField
          type="date"
          label="Suspended from"
          value={suspendedFrom}
          onChange={setSuspendedFrom}
          required
        />
        <InputField
          type="date"
          label="May resume from"
          value={resumeFrom}
          onChange={setResumeFrom}
          required
        />
      </div>
      <TextareaField
        label="Evidence of the agreement"
        hint="The letter or email with the employer, by its reference and date."
        value={evidence}
        onChange={setEvidence}
        required
      />
    </FormDisclosure>
  );
}

export function ResumptionForm({ ballotId, suspensionId }: { ballotId: number; suspensionId: number }) {
  const resume = useResumeAction(ballotId);
  const [resumedOn, setResumedOn] = useState(todayIso());
  const [evidence, setEvidence] = useState("");
  return (
    <FormDisclosure
      summary="Record the action resumed"
      errorTitle="The resumption was not recorded"
      error={resume.error}
      busy={resume.isPending}
      done={resume.isSuccess}
      button="Record the resumption"
      onSubmit={() => resume.mutate({ recordId: suspensionId, resumedOn, evidence: evidence.trim() })}
    >
      <InputField type="date" label="Resumed on" value={resumedOn} onChange={setResumedOn} required />
      <TextareaField label="Evidence (optional)" value={evidence} onChange={setEvidence} />
    </FormDisclosure>
  );
}

// ---------------------------------------------------------------------------
// The scrutineer's report (s.231B), its review, copy requests and their supply

export function ScrutineerReportForm({ ballotId, report }: { ballotId: number; report: ScrutineerReport }) {
  const save = useRecordScrutineerReport(ballotId);
  const r = report.report;
  const [receivedOn, setReceivedOn] = useState(r?.receivedOn ?? todayIso());
  const [noContravention, setNoContravention] = useState(r?.noContravention ?? true);
  const [security, setSecurity] = useState(r?.securityArrangements ?? true);
  const [noInterference, setNoInterference] = useState(r?.noInterference ?? true);
  const [particulars, setParticulars] = useState(r?.particulars ?? "");
  const qualified = !(noContravention && security && noInterference);
  return (
    <FormDisclosure
      summary={r ? "Record a corrected scrutineer's report" : "Record the scrutineer's report"}
      errorTitle="The report was not recorded"
      error={save.error}
      busy={save.isPending}
      done={save.isSuccess}
      button="Record the report"
      onSubmit={() =>
        save.mutate({
          receivedOn,
          noContravention,
          securityArrangements: security,
          noInterference,
          particulars: particulars.trim(),
        })
      }
    >
      <InputField type="date" label="Date received" value={receivedOn} onChange={setReceivedOn} required />
      <fieldset className="fieldset">
        <legend>The scrutineer states that they are satisfied (s.231B(1))</legend>
        <CheckField
          label="(a) there are no reasonable grounds for believing there was any contravention of a statutory requirement in relation to the ballot"
          checked={noContravention}
          onChange={setNoContravention}
        />
        <CheckField
          label="(b) the arrangements for the voting papers and the count included the security arrangements reasonably practicable to minimise the risk of unfairness or malpractice"
          checked={security}
          onChange={setSecurity}
        />
        <CheckField
          label="(c) they could carry out their functions without interference from the union calling their independence into question"
          checked={noInterference}
          onChange={setNoInterference}
        />
      </fieldset>
      <p className="small" role="status">
        {qualified
          ? "Qualified: a statement is not made. Give the particulars the scrutineer gave; no notice of action can be given until the report is reviewed."
          : "Not qualified: every statement is made."}
      </p>
      <TextareaField
        label={qualified ? "Particulars the scrutineer gave" : "Particulars the scrutineer gave (if any)"}
        value={particulars}
        onChange={setParticulars}
        required={qualified}
        rows={4}
      />
      {r ? (
        <p className="field-hint">A corrected report replaces the one recorded and needs its own review.</p>
      ) : null}
    </FormDisclosure>
  );
}

export function ReportReviewForm({ ballotId }: { ballotId: number }) {
  const review = useReviewScrutineerReport(ballotId);
  const [reviewedOn, setReviewedOn] = useState(todayIso());
  const [note, setNote] = useState("");
  return (
    <FormDisclosure
      summary="Record the review of the qualified report"
      errorTitle="The review was not recorded"
      error={review.error}
      busy={review.isPending}
      done={review.isSuccess}
      button="Record the review"
      onSubmit={() => review.mutate({ reviewedOn, note: note.trim() })}
    >
      <InputField type="date" label="Reviewed on" value={reviewedOn} onChange={setReviewedOn} required />
      <TextareaField
        label="Conclusion of the review"
        hint="Who reviewed it, and whether action may be called on this ballot."
        value={note}
        onChange={setNote}
        required
      />
    </FormDisclosure>
  );
}

export function CopyRequestForm({ ballotId, employers }: { ballotId: number; employers: EmployerChoices }) {
  const request = useRecordCopyRequest(ballotId);
  const [requestedOn, setRequestedOn] = useState(todayIso());
  const [requesterType, setRequesterType] = useState<"member" | "employer">("member");
  const [employerId, setEmployerId] = useState(employers[0] ? String(employers[0][0]) : "");
  const [reference, setReference] = useState("");
  return (
    <FormDisclosure
      summary="Record a request for a copy of the report"
      errorTitle="The request was not recorded"
      error={request.error}
      busy={request.isPending}
      done={request.isSuccess}
      button="Record the request"
      onSubmit={() =>
        request.mutate(
          {
            requestedOn,
            requesterType,
            reference: reference.trim(),
            employerId: requesterType === "employer" && Number(employerId) ? Number(employerId) : null,
          },
          { onSuccess: () => setReference("") },
        )
      }
    >
      <div className="filter-row">
        <InputField type="date" label="Requested on" value={requestedOn} onChange={setRequestedOn} required />
        <SelectField
          label="Asked by"
          value={requesterType}
          options={labelOptions(REQUESTER_LABELS)}
          onChange={(v) => setRequesterType(v as "member" | "employer")}
        />
        {requesterType === "employer" ? (
          <EmployerSelect employers={employers} value={employerId} onChange={setEmployerId} />
        ) : null}
      </div>
      <InputField
        label={requesterType === "member" ? "Membership number" : "The employer's reference"}
        hint="No names or addresses here."
        value={reference}
        onChange={setReference}
      />
    </FormDisclosure>
  );
}

/** One outstanding request: the day its copy went out. */
export function CopySuppliedForm({ ballotId, requestId }: { ballotId: number; requestId: number }) {
  const supplied = useRecordCopySupplied(ballotId);
  const [suppliedOn, setSuppliedOn] = useState(todayIso());
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (isIsoDate(suppliedOn)) supplied.mutate({ recordId: requestId, suppliedOn });
  };
  return (
    <form
      className="inline-form"
      onSubmit={submit}
      noValidate
      aria-label={`Copy supplied for request ${requestId}`}
    >
      <InputField type="date" label="Copy supplied on" value={suppliedOn} onChange={setSuppliedOn} required />
      <ActionButton submit busy={supplied.isPending} busyLabel="Recording…">
        Record supplied
      </ActionButton>
      <FormError error={supplied.error} title="Not recorded" />
    </form>
  );
}

// ---------------------------------------------------------------------------
// Replacement papers and late joiners (ss.227, 230)

export function PaperChangeForm({ ballotId }: { ballotId: number }) {
  const record = useRecordPaperChange(ballotId);
  const [kind, setKind] = useState<"replacement" | "late_joiner">("replacement");
  const [recordedOn, setRecordedOn] = useState(todayIso());
  const [paper, setPaper] = useState("");
  const [memberId, setMemberId] = useState("");
  const [entitled, setEntitled] = useState(true);
  const [reason, setReason] = useState("");
  return (
    <FormDisclosure
      summary="Record a replacement paper or a late joiner"
      errorTitle="The change was not recorded"
      error={record.error}
      busy={record.isPending}
      done={record.isSuccess}
      button="Record it"
      onSubmit={() =>
        record.mutate(
          kind === "replacement"
            ? { kind, recordedOn, replacesPaper: Number(paper), reason: reason.trim() }
            : { kind, recordedOn, memberId: Number(memberId), entitled, reason: reason.trim() },
          { onSuccess: () => setReason("") },
        )
      }
    >
      <div className="filter-row">
        <SelectField
          label="What happened"
          value={kind}
          options={labelOptions(PAPER_CHANGE_LABELS)}
          onChange={(v) => setKind(v as "replacement" | "late_joiner")}
        />
        <InputField type="date" label="Recorded on" value={recordedOn} onChange={setRecordedOn} required />
        {kind === "replacement" ? (
          <InputField
            type="number"
            min={1}
            label="Number of the paper replaced"
            value={paper}
            onChange={setPaper}
            required
          />
        ) : (
          <InputField
            type="number"
            min={1}
            label="Member's record number"
            hint="The number at the end of the member's page address (/members/…)."
            value={memberId}
            onChange={setMemberId}
            required
          />
        )}
      </div>
      {kind === "late_joiner" ? (
        <CheckField
          label="Entitled to vote (given a paper with the next number)"
          checked={entitled}
          onChange={setEntitled}
        />
      ) : null}
      <TextareaField label="Reason" value={reason} onChange={setReason} required />
    </FormDisclosure>
  );
}

// ---------------------------------------------------------------------------
// Mandate extensions (regime B: s.234(1))

export function ExtensionForm({
  ballotId,
  employers,
  latest,
}: {
  ballotId: number;
  employers: EmployerChoices;
  latest: string;
}) {
  const record = useRecordExtension(ballotId);
  const [employerId, setEmployerId] = useState(employers[0] ? String(employers[0][0]) : "");
  const [agreedOn, setAgreedOn] = useState(todayIso());
  const [lastDay, setLastDay] = useState(latest);
  const [evidence, setEvidence] = useState("");
  return (
    <FormDisclosure
      summary="Record an extension agreed with an employer"
      errorTitle="The extension was not recorded"
      error={record.error}
      busy={record.isPending}
      done={record.isSuccess}
      button="Record the extension"
      onSubmit={() =>
        record.mutate(
          { employerId: Number(employerId), agreedOn, lastDay, evidence: evidence.trim() },
          { onSuccess: () => setEvidence("") },
        )
      }
    >
      <div className="filter-row">
        <EmployerSelect employers={employers} value={employerId} onChange={setEmployerId} />
        <InputField type="date" label="Agreed on" value={agreedOn} onChange={setAgreedOn} required />
        <InputField
          type="date"
          label="Last day of the mandate"
          value={lastDay}
          onChange={setLastDay}
          required
        />
      </div>
      <TextareaField label="Evidence of the agreement" value={evidence} onChange={setEvidence} required />
    </FormDisclosure>
  );
}
