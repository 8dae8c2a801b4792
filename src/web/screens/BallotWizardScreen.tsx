/**
 * Setting up a ballot, step by step: the constituency (s.228 / s.228A), the
 * questions, the dates with the timetable the law gives them, the people
 * named on the voting paper, and the tests the result will face. The same
 * wizard changes the set-up of an existing ballot (which thaws a frozen
 * electorate). The server has the last word: its refusals are shown on the
 * step they concern.
 */
import { type FormEvent, useId, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import {
  type AggregationTest,
  type BallotDto,
  ballotAllows,
  type CreateBallotInput,
  type DisputeDto,
  type QuestionKind,
  type UpdateBallotInput,
  useBallot,
  useCreateBallot,
  useDispute,
  useLawAt,
  useProposedTimetable,
  useUpdateBallot,
} from "../api/ballots.js";
import { isApiError, isNotFound } from "../api/client.js";
import { useEmployer } from "../api/registers.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDate, isClosed, todayIso, workplaceChoice } from "../format.js";
import { AGGREGATION_TEST_LABELS, QUESTION_LABELS, VOTING_METHOD_LABELS } from "../labels.js";
import {
  CheckField,
  Citation,
  errorIssues,
  FieldError,
  FieldHint,
  FormError,
  InputField,
  isIsoDate,
  lines,
  NotInUnion,
  RadioField,
  TextareaField,
} from "./BallotParts.js";

type VotingMethod = BallotDto["votingMethod"];

interface EmployerScope {
  included: boolean;
  whole: boolean;
  workplaceIds: number[];
}

interface Draft {
  name: string;
  kind: "workplace" | "aggregated";
  aggregationTest: AggregationTest | null;
  aggregationReason: string;
  /** Workplace ballot: the one employer and workplace. */
  employerId: number | null;
  workplaceId: number | null;
  /** Aggregated ballot: per employer of the dispute. */
  scope: Record<number, EmployerScope>;
  jobCategories: string;
  questions: QuestionKind[];
  actionShortTypes: string;
  expectedPeriods: string;
  votingMethod: VotingMethod;
  openingDate: string;
  closingDate: string;
  plannedActionFrom: string;
  scrutineerName: string;
  scrutineerAddress: string;
  returnAddress: string;
  authorisedPerson: string;
  ipsBelief: boolean;
  ipsEvidence: string;
  walesDevolved: boolean;
  includeArrears: boolean;
  checkOffRoute: boolean;
  reballot: boolean;
  partnerUnionIds: number[];
}

/** An employer of the dispute, every workplace of it balloted if it is in at all. */
function wholeEmployer(included: boolean): EmployerScope {
  return { included, whole: true, workplaceIds: [] };
}

const STEPS = ["Constituency", "Questions", "Dates", "People", "Tests"] as const;
type Step = 0 | 1 | 2 | 3 | 4;

function emptyDraft(dispute: DisputeDto): Draft {
  return {
    name: "",
    kind: "aggregated",
    aggregationTest: null,
    aggregationReason: "",
    employerId: null,
    workplaceId: null,
    scope: Object.fromEntries(dispute.employers.map((e) => [e.id, wholeEmployer(true)])),
    jobCategories: "",
    questions: ["strike"],
    actionShortTypes: "",
    expectedPeriods: "",
    votingMethod: "postal",
    openingDate: "",
    closingDate: "",
    plannedActionFrom: "",
    scrutineerName: "",
    scrutineerAddress: "",
    returnAddress: "",
    authorisedPerson: "",
    ipsBelief: false,
    ipsEvidence: "",
    walesDevolved: false,
    includeArrears: false,
    checkOffRoute: false,
    reballot: false,
    partnerUnionIds: [],
  };
}

function draftFromBallot(b: BallotDto, dispute: DisputeDto): Draft {
  const scope: Record<number, EmployerScope> = Object.fromEntries(
    dispute.employers.map((e) => [e.id, wholeEmployer(false)]),
  );
  for (const s of b.scope) {
    const entry = scope[s.employerId] ?? wholeEmployer(false);
    entry.included = true;
    if (s.workplaceId === null) entry.whole = true;
    else {
      entry.whole = false;
      entry.workplaceIds = [...entry.workplaceIds, s.workplaceId];
    }
    scope[s.employerId] = entry;
  }
  const first = b.scope[0];
  return {
    name: b.name,
    kind: b.kind,
    aggregationTest: b.aggregationTest,
    aggregationReason: b.aggregationReason,
    employerId: b.kind === "workplace" ? (first?.employerId ?? null) : null,
    workplaceId: b.kind === "workplace" ? (first?.workplaceId ?? null) : null,
    scope,
    jobCategories: (b.jobCategories ?? []).join("\n"),
    questions: b.questions,
    actionShortTypes: b.actionShortTypes.join("\n"),
    expectedPeriods: b.expectedPeriods,
    votingMethod: b.votingMethod,
    openingDate: b.openingDate,
    closingDate: b.closingDate,
    plannedActionFrom: b.plannedActionFrom ?? "",
    scrutineerName: b.scrutineerName,
    scrutineerAddress: b.scrutineerAddress,
    returnAddress: b.returnAddress,
    authorisedPerson: b.authorisedPerson,
    ipsBelief: b.ipsBelief,
    ipsEvidence: b.ipsEvidence,
    walesDevolved: b.walesDevolved,
    includeArrears: b.includeArrears,
    checkOffRoute: b.checkOffRoute,
    reballot: b.reballot,
    partnerUnionIds: b.partnerUnionIds,
  };
}

type ScopeEntry = CreateBallotInput["scope"][number];

function toInput(d: Draft): CreateBallotInput {
  const scope: ScopeEntry[] =
    d.kind === "workplace"
      ? d.employerId !== null
        ? [{ employerId: d.employerId, workplaceId: d.workplaceId }]
        : []
      : Object.entries(d.scope).flatMap(([employerId, s]): ScopeEntry[] =>
          !s.included
            ? []
            : s.whole
              ? [{ employerId: Number(employerId), workplaceId: null }]
              : s.workplaceIds.map((workplaceId) => ({ employerId: Number(employerId), workplaceId })),
        );
  const categories = lines(d.jobCategories);
  return {
    name: d.name.trim(),
    kind: d.kind,
    aggregationTest: d.kind === "aggregated" ? d.aggregationTest : null,
    aggregationReason: d.aggregationReason.trim(),
    questions: d.questions,
    actionShortTypes: d.questions.includes("action_short_of_strike") ? lines(d.actionShortTypes) : [],
    expectedPeriods: d.expectedPeriods.trim(),
    votingMethod: d.votingMethod,
    openingDate: d.openingDate,
    closingDate: d.closingDate,
    plannedActionFrom: d.plannedActionFrom || null,
    jobCategories: d.kind === "aggregated" && d.aggregationTest === "occupation" ? categories : null,
    includeArrears: d.includeArrears,
    partnerUnionIds: d.partnerUnionIds,
    scrutineerName: d.scrutineerName.trim(),
    scrutineerAddress: d.scrutineerAddress.trim(),
    returnAddress: d.returnAddress.trim(),
    authorisedPerson: d.authorisedPerson.trim(),
    ipsBelief: d.ipsBelief,
    ipsEvidence: d.ipsBelief ? d.ipsEvidence.trim() : "",
    walesDevolved: d.walesDevolved,
    checkOffRoute: d.checkOffRoute,
    reballot: d.reballot,
    scope,
  };
}

type Problems = Partial<Record<string, string>>;

/** What the browser can check before asking the server; the server checks the rest. */
function problemsOf(d: Draft, step: Step): Problems {
  const p: Problems = {};
  if (step === 0) {
    if (!d.name.trim()) p.name = "Name the constituency, as the notices and the result will report it.";
    if (d.kind === "workplace") {
      if (d.employerId === null) p.employer = "Choose the employer.";
      else if (d.workplaceId === null) p.workplace = "Choose the one workplace balloted (s.228).";
    } else {
      if (!d.aggregationTest) p.aggregationTest = "Choose the s.228A test the aggregated ballot relies on.";
      const included = Object.values(d.scope).filter((s) => s.included);
      if (included.length === 0) p.scope = "Include at least one employer.";
      else if (included.some((s) => !s.whole && s.workplaceIds.length === 0))
        p.scope = "Choose the workplaces of each employer balloted by workplace, or take all of them.";
      if (d.aggregationTest === "occupation" && lines(d.jobCategories).length === 0)
        p.jobCategories = "The occupation test needs the job categories balloted.";
    }
  }
  if (step === 1 && d.questions.length === 0) p.questions = "Ask at least one question.";
  if (step === 2) {
    if (!isIsoDate(d.openingDate)) p.openingDate = "Give the opening date.";
    if (!isIsoDate(d.closingDate)) p.closingDate = "Give the closing date.";
    else if (isIsoDate(d.openingDate) && d.closingDate < d.openingDate)
      p.closingDate = "The ballot cannot close before it opens.";
    if (d.plannedActionFrom && isIsoDate(d.closingDate) && d.plannedActionFrom <= d.closingDate)
      p.plannedActionFrom = "Action can only start after the ballot closes and the result is known.";
  }
  return p;
}

/** Which step a refusal from the server belongs to. */
function stepOfError(error: unknown): Step {
  const issues = errorIssues(error);
  const text = [isApiError(error) ? error.message : "", ...issues.map((i) => i.field)].join(" ");
  if (isApiError(error) && error.code === "law.method_not_in_force") return 1;
  if (/questions|actionShortTypes|expectedPeriods|votingMethod|action short of a strike/i.test(text))
    return 1;
  if (/openingDate|closingDate|plannedActionFrom|closes before it opens/i.test(text)) return 2;
  if (/scrutineer|returnAddress|authorisedPerson/i.test(text)) return 3;
  if (/ipsBelief|ipsEvidence|walesDevolved|includeArrears|checkOffRoute/i.test(text)) return 4;
  return 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------
// Screens: new ballot in a dispute, or change an existing ballot

export function BallotWizardScreen() {
  const params = useParams();
  const disputeId = Number(params.id);
  const dispute = useDispute(disputeId);
  usePageTitle("Add a ballot");
  if (isNotFound(dispute.error)) {
    return <NotInUnion title="No such dispute">It does not exist in your union.</NotInUnion>;
  }
  if (dispute.isPending) return <Loading label="Loading the dispute…" />;
  if (dispute.isError) return <ErrorPanel error={dispute.error} onRetry={() => void dispute.refetch()} />;
  return <NewBallot dispute={dispute.data} />;
}

export function BallotEditScreen() {
  const params = useParams();
  const ballotId = Number(params.id);
  const ballot = useBallot(ballotId);
  const dispute = useDispute(ballot.data?.disputeId ?? 0);
  usePageTitle("Change the ballot set-up");
  if (isNotFound(ballot.error)) {
    return <NotInUnion title="No such ballot">It does not exist in your union.</NotInUnion>;
  }
  if (ballot.isError) return <ErrorPanel error={ballot.error} onRetry={() => void ballot.refetch()} />;
  if (dispute.isError) return <ErrorPanel error={dispute.error} onRetry={() => void dispute.refetch()} />;
  if (ballot.isPending || dispute.isPending) return <Loading label="Loading the ballot…" />;
  return <EditBallot ballot={ballot.data} dispute={dispute.data} />;
}

function NewBallot({ dispute }: { dispute: DisputeDto }) {
  const navigate = useNavigate();
  const create = useCreateBallot(dispute.id);
  return (
    <>
      <p className="back-link">
        <Link to={`/ballots/disputes/${dispute.id}`}>← {dispute.title}</Link>
      </p>
      <div className="page-head">
        <h1>Add a ballot</h1>
        <p className="lead">In the dispute “{dispute.title}”.</p>
      </div>
      <Wizard
        dispute={dispute}
        initial={emptyDraft(dispute)}
        submitLabel="Create the ballot"
        pending={create.isPending}
        error={create.error}
        onSubmit={(input) => create.mutate(input, { onSuccess: (b) => navigate(`/ballots/${b.id}`) })}
      />
    </>
  );
}

function EditBallot({ ballot, dispute }: { ballot: BallotDto; dispute: DisputeDto }) {
  const navigate = useNavigate();
  const update = useUpdateBallot(ballot.id);
  const [initial] = useState(() => draftFromBallot(ballot, dispute));
  // The lifecycle table (from the server) decides, as the services do.
  const editable = ballotAllows(ballot, "edit_setup").allowed;
  const before = toInput(initial);
  return (
    <>
      <p className="back-link">
        <Link to={`/ballots/${ballot.id}`}>← {ballot.name}</Link>
      </p>
      <div className="page-head">
        <h1>Change the set-up</h1>
        <p className="lead">{ballot.name}</p>
      </div>
      {!editable ? (
        <Notice tone="warning" title="The set-up can no longer change">
          <p>Notices have been issued for this ballot: its set-up is what the employers were told.</p>
        </Notice>
      ) : (
        <>
          {ballot.state === "frozen" ? (
            <Notice tone="warning" title="Saving thaws the electorate">
              <p>
                The electorate is frozen. Any change to the set-up discards the snapshot: freeze it again and
                re-run the pre-flight checks afterwards.
              </p>
            </Notice>
          ) : null}
          <Wizard
            dispute={dispute}
            initial={initial}
            submitLabel="Save the changes"
            pending={update.isPending}
            error={update.error}
            onSubmit={(input) => {
              const changed = (Object.keys(input) as (keyof CreateBallotInput)[]).filter(
                (k) => !sameJson(input[k], before[k]),
              );
              if (changed.length === 0) {
                navigate(`/ballots/${ballot.id}`);
                return;
              }
              // Every field with a default goes back, changed or not: the server's partial schema fills
              // missing ones with their defaults (resetting them). The two lists without a default are
              // left out when unchanged, so they are not counted as changes.
              const patch: UpdateBallotInput = { ...input };
              if (!changed.includes("questions")) delete patch.questions;
              if (!changed.includes("scope")) delete patch.scope;
              update.mutate(patch, { onSuccess: () => navigate(`/ballots/${ballot.id}`) });
            }}
          />
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------
// The wizard

function Wizard({
  dispute,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  dispute: DisputeDto;
  initial: Draft;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: CreateBallotInput) => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [step, setStep] = useState<Step>(0);
  const [reached, setReached] = useState<Step>(initial.name ? 4 : 0);
  const [tried, setTried] = useState<ReadonlySet<Step>>(new Set());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const errorStep = error ? stepOfError(error) : null;

  // A refusal from the server takes the user to the step it concerns (once per refusal).
  const [shownError, setShownError] = useState<unknown>(error);
  if (shownError !== error) {
    setShownError(error);
    if (errorStep !== null) setStep(errorStep);
  }

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const problems = tried.has(step) ? problemsOf(draft, step) : {};
  const stepProps: StepProps = { draft, set, problems };

  // A new step starts at its heading, for keyboard and screen-reader users.
  const go = (next: Step) => {
    setStep(next);
    setReached((r) => (next > r ? next : r));
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried((t) => new Set([...t, step]));
    if (Object.keys(problemsOf(draft, step)).length > 0) return;
    if (step < 4) {
      go((step + 1) as Step);
      return;
    }
    for (const s of [0, 1, 2, 3] as Step[]) {
      if (Object.keys(problemsOf(draft, s)).length > 0) {
        setTried((t) => new Set([...t, s]));
        go(s);
        return;
      }
    }
    onSubmit(toInput(draft));
  };

  return (
    <div className="wizard">
      <nav aria-label="Steps" className="steps">
        <ol>
          {STEPS.map((label, i) => (
            <li key={label}>
              <button
                type="button"
                className="step"
                aria-current={i === step ? "step" : undefined}
                disabled={i > reached}
                onClick={() => go(i as Step)}
              >
                <span className="step-number" aria-hidden="true">
                  {i + 1}
                </span>
                {label}
                {errorStep === i ? <span className="visually-hidden"> (has a problem)</span> : null}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <form className="card wizard-panel" onSubmit={submit} noValidate>
        <h2 ref={headingRef} tabIndex={-1} className="card-title step-heading">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </h2>
        {errorStep === step ? <FormError error={error} title="The server did not accept the ballot" /> : null}
        {step === 0 ? <ConstituencyStep {...stepProps} dispute={dispute} /> : null}
        {step === 1 ? <QuestionsStep {...stepProps} /> : null}
        {step === 2 ? <DatesStep {...stepProps} /> : null}
        {step === 3 ? <PeopleStep {...stepProps} /> : null}
        {step === 4 ? <TestsStep {...stepProps} /> : null}
        <div className="form-actions">
          {step > 0 ? (
            <button type="button" className="button button-secondary" onClick={() => go((step - 1) as Step)}>
              ← Back
            </button>
          ) : null}
          <button type="submit" className="button button-primary" disabled={pending}>
            {step < 4 ? "Next →" : pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

type Setter = <K extends keyof Draft>(key: K, value: Draft[K]) => void;

/** What each step works on: the draft, one field of it at a time, and the problems found on the step. */
interface StepProps {
  draft: Draft;
  set: Setter;
  problems: Problems;
}

/** The constituency's steps also choose among the dispute's employers. */
interface ScopeStepProps extends StepProps {
  dispute: DisputeDto;
}

// ---------------------------------------------------------------------------
// Step 1: constituency

function ConstituencyStep(props: ScopeStepProps) {
  const { draft, set, problems } = props;
  const id = useId();
  return (
    <div className="form-stack">
      <InputField
        label="Name of the constituency"
        hint="As the notices and the result will report it, e.g. “All members at the three employers”."
        value={draft.name}
        onChange={(v) => set("name", v)}
        error={problems.name}
        required
      />
      <fieldset className="fieldset">
        <legend>Kind of ballot</legend>
        <div className="radio-list">
          <RadioField
            name={`${id}-kind`}
            checked={draft.kind === "workplace"}
            onChange={() => set("kind", "workplace")}
            label="Workplace ballot"
            hint="One workplace (s.228): members there vote, and the result counts for that workplace alone."
          />
          <RadioField
            name={`${id}-kind`}
            checked={draft.kind === "aggregated"}
            onChange={() => set("kind", "aggregated")}
            label="Aggregated ballot"
            hint="Several workplaces or employers counted together, relying on one of the s.228A tests."
          />
        </div>
      </fieldset>
      {draft.kind === "workplace" ? <WorkplaceScope {...props} /> : <AggregatedScope {...props} />}
    </div>
  );
}

function WorkplaceScope({ draft, set, dispute, problems }: ScopeStepProps) {
  const id = useId();
  const employer = useEmployer(draft.employerId ?? undefined);
  return (
    <div className="filter-row">
      <div className="field">
        <label htmlFor={`${id}-employer`}>Employer</label>
        <select
          id={`${id}-employer`}
          value={draft.employerId ?? ""}
          aria-invalid={problems.employer ? true : undefined}
          aria-describedby={problems.employer ? `${id}-employer-error` : undefined}
          onChange={(e) => {
            set("employerId", e.target.value ? Number(e.target.value) : null);
            set("workplaceId", null);
          }}
        >
          <option value="">Choose an employer</option>
          {dispute.employers.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-employer`} error={problems.employer} />
      </div>
      <div className="field field-grow">
        <label htmlFor={`${id}-workplace`}>Workplace</label>
        <select
          id={`${id}-workplace`}
          value={draft.workplaceId ?? ""}
          disabled={draft.employerId === null || employer.isPending}
          aria-invalid={problems.workplace ? true : undefined}
          aria-describedby={problems.workplace ? `${id}-workplace-error` : undefined}
          onChange={(e) => set("workplaceId", e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">
            {draft.employerId !== null && employer.isPending ? "Loading workplaces…" : "Choose a workplace"}
          </option>
          {(employer.data?.workplaces ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {workplaceChoice(w)}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-workplace`} error={problems.workplace} />
        {employer.isError ? <p className="text-error small">{employer.error.message}</p> : null}
      </div>
    </div>
  );
}

function AggregatedScope({ draft, set, dispute, problems }: ScopeStepProps) {
  const id = useId();
  const tests = Object.keys(AGGREGATION_TEST_LABELS) as AggregationTest[];
  return (
    <>
      <fieldset
        className="fieldset"
        aria-describedby={problems.aggregationTest ? `${id}-test-error` : undefined}
      >
        <legend>The s.228A test relied on</legend>
        <div className="radio-list">
          {tests.map((t) => (
            <RadioField
              key={t}
              name={`${id}-test`}
              checked={draft.aggregationTest === t}
              onChange={() => set("aggregationTest", t)}
              label={AGGREGATION_TEST_LABELS[t]}
            />
          ))}
        </div>
        <FieldError id={`${id}-test`} error={problems.aggregationTest} />
      </fieldset>
      <TextareaField
        label="Why the test is met"
        hint="Recorded with the ballot: the reason the members balloted together share the test."
        value={draft.aggregationReason}
        onChange={(v) => set("aggregationReason", v)}
      />
      {draft.aggregationTest === "occupation" ? (
        <TextareaField
          label="Job categories balloted (one per line)"
          hint="Only members whose job category is one of these are entitled to vote."
          value={draft.jobCategories}
          onChange={(v) => set("jobCategories", v)}
          error={problems.jobCategories}
          rows={4}
        />
      ) : null}
      <fieldset className="fieldset" aria-describedby={problems.scope ? `${id}-scope-error` : undefined}>
        <legend>Employers and workplaces in the ballot</legend>
        <ul className="scope-list">
          {dispute.employers.map((e) => (
            <EmployerScopeRow
              key={e.id}
              employerId={e.id}
              name={e.name}
              value={draft.scope[e.id] ?? wholeEmployer(false)}
              onChange={(v) => set("scope", { ...draft.scope, [e.id]: v })}
            />
          ))}
        </ul>
        <FieldError id={`${id}-scope`} error={problems.scope} />
      </fieldset>
    </>
  );
}

function EmployerScopeRow({
  employerId,
  name,
  value,
  onChange,
}: {
  employerId: number;
  name: string;
  value: EmployerScope;
  onChange: (v: EmployerScope) => void;
}) {
  const id = useId();
  const employer = useEmployer(value.included && !value.whole ? employerId : undefined);
  return (
    <li className="scope-row">
      <CheckField
        label={`Include ${name}`}
        checked={value.included}
        onChange={(included) => onChange({ ...value, included })}
      />
      {value.included ? (
        <div className="scope-detail">
          <div className="radio-row">
            <RadioField
              name={`${id}-whole`}
              checked={value.whole}
              onChange={() => onChange({ ...value, whole: true })}
              label="Every workplace"
            />
            <RadioField
              name={`${id}-whole`}
              checked={!value.whole}
              onChange={() => onChange({ ...value, whole: false })}
              label="Only some workplaces"
            />
          </div>
          {!value.whole ? (
            employer.isPending ? (
              <Loading label="Loading workplaces…" />
            ) : employer.isError ? (
              <p className="text-error small">{employer.error.message}</p>
            ) : employer.data.workplaces.length === 0 ? (
              <p className="muted small">No workplaces on the register for this employer.</p>
            ) : (
              <ul className="choice-list" aria-label={`Workplaces of ${name}`}>
                {employer.data.workplaces.map((w) => (
                  <li key={w.id}>
                    <input
                      id={`${id}-w${w.id}`}
                      type="checkbox"
                      checked={value.workplaceIds.includes(w.id)}
                      onChange={(e) =>
                        onChange({
                          ...value,
                          workplaceIds: e.target.checked
                            ? [...value.workplaceIds, w.id]
                            : value.workplaceIds.filter((x) => x !== w.id),
                        })
                      }
                    />
                    <label htmlFor={`${id}-w${w.id}`}>
                      {w.name}
                      {isClosed(w.closedOn) ? <Badge tone="error">Closed</Badge> : null}
                      <span className="cell-sub">
                        {[w.siteCode, w.postcode, `${w.activeMemberCount} active members`]
                          .filter(Boolean)
                          .join(" · ")}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

// ---------------------------------------------------------------------------
// Step 2: questions

function QuestionsStep({ draft, set, problems }: StepProps) {
  const id = useId();
  const toggle = (q: QuestionKind, on: boolean) =>
    set(
      "questions",
      (["strike", "action_short_of_strike"] as const).filter((k) =>
        k === q ? on : draft.questions.includes(k),
      ),
    );
  return (
    <div className="form-stack">
      <fieldset className="fieldset" aria-describedby={problems.questions ? `${id}-error` : undefined}>
        <legend>Questions on the voting paper</legend>
        <p className="field-hint">Each kind of action needs its own question (s.229(2)).</p>
        <CheckField
          label="Strike"
          checked={draft.questions.includes("strike")}
          onChange={(on) => toggle("strike", on)}
          hint="Are you prepared to take part in a strike?"
        />
        <CheckField
          label="Action short of a strike"
          checked={draft.questions.includes("action_short_of_strike")}
          onChange={(on) => toggle("action_short_of_strike", on)}
          hint="Are you prepared to take part in industrial action short of a strike?"
        />
        <FieldError id={id} error={problems.questions} />
      </fieldset>
      {draft.questions.includes("action_short_of_strike") ? (
        <TextareaField
          label="Types of action short of a strike (one per line)"
          hint="E.g. overtime ban, work to rule. Required on papers under the 2016 rules (s.229(2C))."
          value={draft.actionShortTypes}
          onChange={(v) => set("actionShortTypes", v)}
        />
      ) : null}
      <TextareaField
        label="When the action is expected (optional)"
        hint="Printed on voting papers under the 2016 rules (s.229(2D)) only."
        value={draft.expectedPeriods}
        onChange={(v) => set("expectedPeriods", v)}
        rows={2}
      />
      <div className="field">
        <label htmlFor={`${id}-method`}>Voting method</label>
        <FieldHint
          id={`${id}-method`}
          hint="Fully postal unless a method the law allows on the opening day; the server checks."
        />
        <select
          id={`${id}-method`}
          aria-describedby={`${id}-method-hint`}
          value={draft.votingMethod}
          onChange={(e) => set("votingMethod", e.target.value as VotingMethod)}
        >
          {(Object.keys(VOTING_METHOD_LABELS) as VotingMethod[]).map((m) => (
            <option key={m} value={m}>
              {VOTING_METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------
// Step 3: dates, with the law in force on the opening day

const DATES: readonly {
  key: "openingDate" | "closingDate" | "plannedActionFrom";
  label: string;
  hint: string;
  required: boolean;
}[] = [
  {
    key: "openingDate",
    label: "Opening date",
    hint: "The day the first voting papers are sent.",
    required: true,
  },
  {
    key: "closingDate",
    label: "Closing date",
    hint: "The last day votes may be cast (the date of the ballot).",
    required: true,
  },
  {
    key: "plannedActionFrom",
    label: "Planned first day of action (optional)",
    hint: "Members leaving before it should not be balloted.",
    required: false,
  },
];

function DatesStep({ draft, set, problems }: StepProps) {
  return (
    <div className="form-stack">
      <div className="filter-row">
        {DATES.map((d) => (
          <InputField
            key={d.key}
            type="date"
            label={d.label}
            hint={d.hint}
            value={draft[d.key]}
            onChange={(v) => set(d.key, v)}
            error={problems[d.key]}
            required={d.required}
          />
        ))}
      </div>
      <TimetablePreview
        opening={draft.openingDate}
        closing={draft.closingDate}
        plannedAction={draft.plannedActionFrom}
      />
    </div>
  );
}

interface RuleVersion {
  value: unknown;
  summary: string;
  citation: string;
  unconfirmed: string | null;
}

/**
 * The timetable for the dates being typed, computed by the server from the law
 * in force (the same function that dates the saved ballot), with the regime's
 * name and the mandate rule from the law on the opening day.
 */
function TimetablePreview({
  opening,
  closing,
  plannedAction,
}: {
  opening: string;
  closing: string;
  plannedAction: string;
}) {
  const law = useLawAt(isIsoDate(opening) ? opening : null);
  const timetable = useProposedTimetable(
    isIsoDate(opening) ? opening : null,
    isIsoDate(closing) && closing >= opening ? closing : null,
  );
  if (!isIsoDate(opening)) {
    return <p className="muted">Give the opening date to see the timetable the law sets.</p>;
  }
  if (!isIsoDate(closing) || closing < opening) {
    return <p className="muted">Give a closing date on or after the opening date to see the timetable.</p>;
  }
  if (law.isPending || timetable.isPending)
    return <Loading label="Reading the law in force on the opening day…" />;
  if (law.isError) return <FormError error={law.error} title="Cannot read the law for this date" />;
  if (timetable.isError) return <FormError error={timetable.error} title="Cannot work out the timetable" />;
  const rule = (id: string): RuleVersion | null => law.data.rules.find((r) => r.id === id)?.version ?? null;
  const mandate = rule("mandate_period");
  const statement = rule("dismissal_statement");
  const today = todayIso();
  const deadline = (id: string) => timetable.data.deadlines.find((d) => d.id === id)?.date ?? null;
  const earliest = deadline("earliest_action");
  const noticeBy = deadline("ballot_notice");
  return (
    <section className="timetable-preview" aria-labelledby="timetable-preview-title">
      <h3 id="timetable-preview-title">Timetable under the law on {formatDate(opening)}</h3>
      <p>
        <Badge tone="neutral">{`Regime ${law.data.regime.id}`}</Badge> {law.data.regime.name}:{" "}
        <span className="muted small">{law.data.regime.legislation}</span>
      </p>
      {noticeBy && noticeBy < today ? (
        <p className="text-error">
          The notice of ballot would have to reach the employers by {formatDate(noticeBy)}, which has passed:
          choose a later opening date.
        </p>
      ) : null}
      {timetable.data.warnings.map((w) => (
        <p key={w} className="text-warning">
          {w}
        </p>
      ))}
      {plannedAction && earliest && plannedAction < earliest ? (
        <p className="text-warning">
          The planned first day of action is before the earliest day the notice period allows (
          {formatDate(earliest)}).
        </p>
      ) : null}
      <table className="table table-compact table-cards">
        <caption className="visually-hidden">Deadlines</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">What</th>
            <th scope="col">Rule</th>
          </tr>
        </thead>
        <tbody>
          {timetable.data.deadlines.map((d) => (
            <tr key={d.id}>
              <th scope="row" data-label="Date" className="nowrap">
                {formatDate(d.date)}
              </th>
              <td data-label="What">{d.label}</td>
              <td data-label="Rule">
                <div>
                  {d.rule} <Citation>{d.citation}</Citation>
                  {d.unconfirmed ? <Badge tone="warning">Needs legal review</Badge> : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {mandate ? (
        <p className="small">
          <strong>Mandate:</strong> {mandate.summary} <Citation>{mandate.citation}</Citation>
        </p>
      ) : null}
      {statement?.unconfirmed ? (
        <Notice tone="warning" title="Needs legal review: the voting-paper statement">
          <p>{statement.unconfirmed}</p>
          <p className="small">
            After creating the ballot, a national officer records the wording on the ballot's page.
          </p>
        </Notice>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------
// Step 4: people on the voting paper

function PeopleStep({ draft, set }: StepProps) {
  return (
    <div className="form-stack">
      <p className="field-hint">
        Pre-flight checks these before any notice goes out: the scrutineer is required above 50 entitled
        (s.226B), the return address and the person authorised to call action must be on every paper
        (ss.229(1A), 229(3)).
      </p>
      <InputField
        label="Scrutineer's name"
        value={draft.scrutineerName}
        onChange={(v) => set("scrutineerName", v)}
      />
      <TextareaField
        label="Scrutineer's address"
        value={draft.scrutineerAddress}
        onChange={(v) => set("scrutineerAddress", v)}
        rows={2}
      />
      <TextareaField
        label="Return address for voting papers"
        value={draft.returnAddress}
        onChange={(v) => set("returnAddress", v)}
        rows={2}
      />
      <InputField
        label="Person authorised to call the action"
        hint="Named on the voting paper (s.229(3)), e.g. “The General Secretary”."
        value={draft.authorisedPerson}
        onChange={(v) => set("authorisedPerson", v)}
      />
    </div>
  );
}

// ---------------------------------------------------------------------------
// Step 5: the tests the result will face

function TestsStep({ draft, set }: StepProps) {
  return (
    <div className="form-stack">
      <CheckField
        label="Most of those entitled normally work in important public services"
        hint="The union's reasonable belief: under the 2016 rules the 40% support test then applies (s.226(2B))."
        checked={draft.ipsBelief}
        onChange={(v) => set("ipsBelief", v)}
      />
      {draft.ipsBelief ? (
        <TextareaField
          label="Evidence for the belief"
          value={draft.ipsEvidence}
          onChange={(v) => set("ipsEvidence", v)}
        />
      ) : null}
      <CheckField
        label="The employer is a devolved Welsh public authority"
        hint="The Trade Union (Wales) Act 2017 disapplies the 40% test there."
        checked={draft.walesDevolved}
        onChange={(v) => set("walesDevolved", v)}
      />
      <CheckField
        label="Members in arrears may vote"
        hint="As the union's rule book says; otherwise they are left out of the electorate with the reason."
        checked={draft.includeArrears}
        onChange={(v) => set("includeArrears", v)}
      />
      <CheckField
        label="Use check-off information for the notice figures"
        hint="Only for members on check-off (s.226A(2)(c)(ii)); pre-flight flags anyone else."
        checked={draft.checkOffRoute}
        onChange={(v) => set("checkOffRoute", v)}
      />
      <CheckField
        label="Re-ballot of members already taking action"
        hint='The questions ask whether members are prepared to "take part or to continue to take part" (s.229(2)).'
        checked={draft.reballot}
        onChange={(v) => set("reballot", v)}
      />
      <Summary draft={draft} />
    </div>
  );
}

function Summary({ draft }: { draft: Draft }) {
  const input = toInput(draft);
  return (
    <section className="wizard-summary" aria-labelledby="wizard-summary-title">
      <h3 id="wizard-summary-title">Check before saving</h3>
      <dl className="facts">
        <div>
          <dt>Constituency</dt>
          <dd>{input.name || "—"}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>
            {input.kind === "workplace"
              ? "Workplace ballot (s.228)"
              : input.aggregationTest
                ? `Aggregated: ${AGGREGATION_TEST_LABELS[input.aggregationTest]}`
                : "Aggregated"}
          </dd>
        </div>
        <div>
          <dt>Questions</dt>
          <dd>{input.questions.map((q) => QUESTION_LABELS[q]).join("; ")}</dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>
            {formatDate(input.openingDate)} to {formatDate(input.closingDate)}
          </dd>
        </div>
        <div>
          <dt>Scope entries</dt>
          <dd>{input.scope.length}</dd>
        </div>
      </dl>
    </section>
  );
}
