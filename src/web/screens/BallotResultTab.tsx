import { type FormEvent, useId, useRef, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type BallotDto,
  type Evaluation,
  type QuestionKind,
  type ResultDto,
  useImportScrutineerResult,
  useRecordResult,
  useResult,
} from "../api/ballots.js";
import { Badge } from "../components/Badges.js";
import { ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDate, formatNumber } from "../format.js";
import { FIGURE_LABELS, QUESTION_LABELS, THRESHOLD_TEST_LABELS } from "../labels.js";
import {
  ActionButton,
  Citation,
  FieldError,
  FieldHint,
  FormError,
  InputField,
  isIsoDate,
  LegalReviewBanner,
} from "./BallotParts.js";
import { BallotResultNotice } from "./BallotResultNotice.js";

const CAN_ENTER: readonly BallotDto["state"][] = ["notices_issued", "open", "closed", "result_declared"];

export function BallotResultTab({ ballot }: { ballot: BallotDto }) {
  const user = useUser();
  const canEnter = hasPermission(user, "ballots.results");
  const result = useResult(ballot.id);
  const verdictRef = useRef<HTMLDivElement>(null);

  if (result.isPending) return <Loading label="Loading the result…" />;
  if (result.isError) {
    return (
      <ErrorPanel error={result.error} title="Cannot load the result" onRetry={() => void result.refetch()} />
    );
  }
  return (
    <>
      <h2>Result</h2>
      <div ref={verdictRef} tabIndex={-1} className="message-focus">
        {result.data ? <Verdict result={result.data} /> : <p className="muted">No result entered yet.</p>}
      </div>
      {result.data ? <BallotResultNotice ballotId={ballot.id} /> : null}
      {canEnter ? (
        CAN_ENTER.includes(ballot.state) ? (
          <>
            <ResultForm
              key={result.data?.declaredOn ?? "new"}
              ballot={ballot}
              existing={result.data}
              onSaved={() => requestAnimationFrame(() => verdictRef.current?.focus())}
            />
            <ScrutineerFile
              ballot={ballot}
              onSaved={() => requestAnimationFrame(() => verdictRef.current?.focus())}
            />
          </>
        ) : (
          <Notice tone="info" title="Not yet">
            <p>A result can be entered once the notices of ballot have been issued.</p>
          </Notice>
        )
      ) : null}
    </>
  );
}

interface QuestionCounts {
  yes: string;
  no: string;
  spoilt: string;
}

/** A replaced result starts from the counts entered before (kept with the majority test's figures). */
function countsFrom(existing: ResultDto | null, q: QuestionKind): QuestionCounts {
  const figures = existing?.evaluation.tests.find((t) => t.name === "majority" && t.question === q)?.figures;
  const text = (n: number | undefined) => (n === undefined ? "" : String(n));
  return { yes: text(figures?.yes), no: text(figures?.no), spoilt: text(figures?.spoilt) };
}

function count(s: string): number | null {
  return /^\d+$/.test(s.trim()) ? Number(s.trim()) : null;
}

function ResultForm({
  ballot,
  existing,
  onSaved,
}: {
  ballot: BallotDto;
  existing: ResultDto | null;
  onSaved: () => void;
}) {
  const id = useId();
  const record = useRecordResult(ballot.id);
  const [votesCast, setVotesCast] = useState(existing ? String(existing.votesCast) : "");
  const [declaredOn, setDeclaredOn] = useState(existing?.declaredOn ?? ballot.closingDate);
  const [counts, setCounts] = useState<Record<string, QuestionCounts>>(() =>
    Object.fromEntries(ballot.questions.map((q) => [q, countsFrom(existing, q)])),
  );
  const [tried, setTried] = useState(false);

  const setCount = (q: QuestionKind, field: keyof QuestionCounts, value: string) =>
    setCounts((c) => ({ ...c, [q]: { ...(c[q] ?? { yes: "", no: "", spoilt: "" }), [field]: value } }));

  const votesError = tried && count(votesCast) === null ? "Give the number of papers returned." : undefined;
  const dateError = tried && !isIsoDate(declaredOn) ? "Give the date the result was declared." : undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    const votes = count(votesCast);
    const questions = ballot.questions.map((q) => {
      const c = counts[q] ?? { yes: "", no: "", spoilt: "" };
      return {
        question: q,
        yes: count(c.yes),
        no: count(c.no),
        spoilt: c.spoilt.trim() ? count(c.spoilt) : null,
      };
    });
    if (votes === null || !isIsoDate(declaredOn)) return;
    if (
      questions.some(
        (q) => q.yes === null || q.no === null || (counts[q.question]?.spoilt.trim() && q.spoilt === null),
      )
    )
      return;
    record.mutate(
      {
        votesCast: votes,
        declaredOn,
        questions: questions.map((q) => ({
          question: q.question,
          yes: q.yes ?? 0,
          no: q.no ?? 0,
          spoilt: q.spoilt,
        })),
      },
      { onSuccess: onSaved },
    );
  };

  return (
    <section className="card section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="card-title">
        {existing ? "Replace the result" : "Enter the scrutineer's result"}
      </h3>
      <p className="field-hint">
        The number entitled is the frozen electorate's ({formatNumber(ballot.electorate?.entitled ?? null)}),
        the figure the notices gave; it is not typed in.
      </p>
      <form className="form-stack" onSubmit={submit} noValidate>
        <div className="filter-row">
          <InputField
            type="number"
            min={0}
            label="Votes cast"
            hint="Every paper returned, spoilt ones included."
            value={votesCast}
            onChange={setVotesCast}
            error={votesError}
            required
          />
          <InputField
            type="date"
            label="Declared on"
            value={declaredOn}
            onChange={setDeclaredOn}
            error={dateError}
            required
          />
        </div>
        {ballot.questions.map((q) => {
          const c = counts[q] ?? { yes: "", no: "", spoilt: "" };
          const label = QUESTION_LABELS[q];
          return (
            <fieldset key={q} className="fieldset">
              <legend>{label}</legend>
              <div className="filter-row">
                <InputField
                  type="number"
                  min={0}
                  label={`${label}: Yes`}
                  value={c.yes}
                  onChange={(v) => setCount(q, "yes", v)}
                  error={tried && count(c.yes) === null ? "Give the Yes count." : undefined}
                  required
                />
                <InputField
                  type="number"
                  min={0}
                  label={`${label}: No`}
                  value={c.no}
                  onChange={(v) => setCount(q, "no", v)}
                  error={tried && count(c.no) === null ? "Give the No count." : undefined}
                  required
                />
                <InputField
                  type="number"
                  min={0}
                  label={`${label}: spoilt (optional)`}
                  hint="Left blank: votes cast − Yes − No."
                  value={c.spoilt}
                  onChange={(v) => setCount(q, "spoilt", v)}
                />
              </div>
            </fieldset>
          );
        })}
        <FormError error={record.error} title="The result was not recorded" />
        <div className="form-actions">
          <ActionButton primary submit busy={record.isPending} busyLabel="Recording…">
            {existing ? "Replace the result" : "Record the result"}
          </ActionButton>
        </div>
      </form>
    </section>
  );
}

/** The scrutineer's CSV (question, votes_cast, yes, no, spoilt), read here and checked by the server. */
function ScrutineerFile({ ballot, onSaved }: { ballot: BallotDto; onSaved: () => void }) {
  const id = useId();
  const upload = useImportScrutineerResult(ballot.id);
  const [file, setFile] = useState<File | null>(null);
  const [declaredOn, setDeclaredOn] = useState(ballot.closingDate);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setProblem(null);
    if (!file) {
      setProblem("Choose the scrutineer's CSV file.");
      return;
    }
    if (file.size > 100_000) {
      setProblem("The file is larger than a result file can be (100 KB).");
      return;
    }
    const csv = await file.text();
    upload.mutate({ filename: file.name, csv, declaredOn }, { onSuccess: onSaved });
  };

  return (
    <details className="card section disclosure">
      <summary>Import the scrutineer's result file instead</summary>
      <form className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-file`}>Scrutineer's result (CSV)</label>
          <FieldHint id={id} hint="One row per question: question, votes_cast, yes, no, spoilt." />
          <input
            id={`${id}-file`}
            type="file"
            className="file-input"
            accept=".csv,text/csv"
            aria-describedby={problem ? `${id}-hint ${id}-error` : `${id}-hint`}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <FieldError id={id} error={problem} />
        </div>
        <InputField type="date" label="Declared on" value={declaredOn} onChange={setDeclaredOn} />
        <FormError error={upload.error} title="The file was not accepted" />
        <div className="form-actions">
          <ActionButton submit busy={upload.isPending} busyLabel="Importing…">
            Import the result file
          </ActionButton>
        </div>
      </form>
    </details>
  );
}

function figureLabel(key: string): string {
  return FIGURE_LABELS[key] ?? key;
}

function figureValue(key: string, value: number): string {
  return /Percent/.test(key) ? `${value}%` : formatNumber(value);
}

/** The verdict, said plainly: MANDATE or NO MANDATE per question, then every test with its figures and authority. */
export function Verdict({ result }: { result: ResultDto }) {
  const e: Evaluation = result.evaluation;
  const asked = [...new Set(e.tests.flatMap((t) => (t.question ? [t.question] : [])))] as QuestionKind[];
  return (
    <section className="verdict-panel" aria-labelledby="verdict-heading">
      <h3 id="verdict-heading" className="visually-hidden">
        Verdict
      </h3>
      <ul className="verdict-list">
        {asked.map((q) => {
          const yes = e.mandateFor.includes(q);
          return (
            <li
              key={q}
              className={yes ? "verdict-big verdict-yes" : "verdict-big verdict-no"}
              data-testid={`verdict-${q}`}
            >
              <span className="verdict-question">{QUESTION_LABELS[q]}</span>
              <strong className="verdict-word">{yes ? "MANDATE" : "NO MANDATE"}</strong>
            </li>
          );
        })}
      </ul>
      <p>
        Regime {e.regime} ({e.regimeName}): {formatNumber(e.votesCast)} of {formatNumber(e.entitled)} entitled
        voted, a turnout of {e.turnoutPercent}%. Declared {formatDate(result.declaredOn)}
        {result.source === "scrutineer_csv" ? " from the scrutineer's file" : ""}.
      </p>

      <div className="table-scroll">
        <table className="table table-cards verdict-tests">
          <caption className="visually-hidden">Threshold tests</caption>
          <thead>
            <tr>
              <th scope="col">Test</th>
              <th scope="col">Outcome</th>
              <th scope="col">Figures</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
            {e.tests.map((t) => (
              <tr key={`${t.name}-${t.question ?? "all"}`} data-test={t.name}>
                <th scope="row" data-label="Test">
                  {THRESHOLD_TEST_LABELS[t.name] ?? t.name}
                  <span className="cell-sub">
                    {t.question ? QUESTION_LABELS[t.question] : "Whole ballot"}
                  </span>
                </th>
                <td data-label="Outcome">
                  {t.met ? <Badge tone="ok">Met</Badge> : <Badge tone="error">Not met</Badge>}
                </td>
                <td data-label="Figures">
                  <dl className="figures">
                    {Object.entries(t.figures).map(([k, v]) => (
                      <div key={k}>
                        <dt className="figure-name">{figureLabel(k)}</dt>
                        <dd className="figure-value">{figureValue(k, v)}</dd>
                      </div>
                    ))}
                  </dl>
                </td>
                <td data-label="Rule">
                  <div>
                    {t.rule} <Citation>{t.citation}</Citation>
                    {t.unconfirmed ? (
                      <p className="small text-warning">
                        <span className="legal-tag">Needs legal review</span> {t.unconfirmed}
                      </p>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {e.notApplicable.length > 0 ? (
        <>
          <h4 className="subhead">Tests that do not apply</h4>
          <ul className="plain-list">
            {e.notApplicable.map((n) => (
              <li key={n.name}>
                <strong>{THRESHOLD_TEST_LABELS[n.name] ?? n.name}:</strong> {n.reason}{" "}
                <Citation>{n.citation}</Citation>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h4 className="subhead">How long the mandate lasts</h4>
      <p>
        {e.mandatePeriod.lastDay ? (
          <>
            {e.mandate ? "The mandate's last day: " : "Had there been a mandate, its last day would be "}
            <strong data-testid="mandate-last-day">{formatDate(e.mandatePeriod.lastDay)}</strong>.
          </>
        ) : (
          "No last day without a closing date."
        )}{" "}
        {e.mandatePeriod.lastDayByAgreement ? (
          <>By agreement with the employer: {formatDate(e.mandatePeriod.lastDayByAgreement)}. </>
        ) : null}
        {e.mandatePeriod.courtLimit ? (
          <>A court may extend it to {formatDate(e.mandatePeriod.courtLimit)}. </>
        ) : null}
      </p>
      <p className="small">
        {e.mandatePeriod.rule} <Citation>{e.mandatePeriod.citation}</Citation>
      </p>

      <LegalReviewBanner
        level={4}
        items={e.legalReview}
        intro="The verdict relies on rules that are not confirmed in Mandate's law data: have the union's lawyers check them before calling action."
      />
    </section>
  );
}
