/**
 * Indicative ballots (decision 0022): a national officer sets one up for a
 * dispute, opens it (the roll is fixed), issues members' links (a CSV, the
 * only copy) and closes it; everyone who may see it follows the turnout as it
 * moves and reads the answers once closed, withheld where few voted.
 */
import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { useDisputes } from "../api/ballots.js";
import {
  type IndicativeDto,
  type IndicativeResultsDto,
  useCreateIndicative,
  useIndicative,
  useIndicativeAction,
  useIndicativeResults,
  useIndicatives,
  useIssueLinks,
  useNonVoters,
} from "../api/indicative.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { idOptions, labelOptions, SelectField } from "../components/SelectField.js";
import { downloadCsv } from "../csv.js";
import { formatDate, formatNumber } from "../format.js";
import { ActionButton, FormError, InputField, isIsoDate, TextareaField } from "./BallotParts.js";

const RESULTS_BY_LABELS = { workplace: "Workplace", ballot: "Ballot (constituency) of the dispute" } as const;
const STATE_LABEL: Record<IndicativeDto["state"], string> = {
  draft: "Not open yet",
  open: "Open",
  closed: "Closed",
};

function StateBadge({ state }: { state: IndicativeDto["state"] }) {
  return <Badge tone={state === "open" ? "ok" : "neutral"}>{STATE_LABEL[state]}</Badge>;
}

export function IndicativeListScreen() {
  usePageTitle("Indicative ballots");
  const user = useUser();
  const canManage = hasPermission(user, "indicative.manage");
  const list = useIndicatives();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div className="page-head section-actions">
        <div>
          <h1>Indicative ballots</h1>
          <p className="lead">
            Consultative votes of a dispute's members through their personal links. Who voted is known; how
            anyone voted is not.
          </p>
        </div>
        {canManage && !creating ? (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New indicative ballot
          </button>
        ) : null}
      </div>
      {creating ? <NewIndicativeForm onDone={() => setCreating(false)} /> : null}
      {list.isPending ? (
        <Loading label="Loading indicative ballots…" />
      ) : list.isError ? (
        <ErrorPanel
          error={list.error}
          title="Cannot load indicative ballots"
          onRetry={() => void list.refetch()}
        />
      ) : list.data.length === 0 ? (
        <Empty>No indicative ballots yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">State</th>
                <th scope="col">Voting</th>
                <th scope="col" className="num">
                  Voted
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/indicative/${b.id}`}>{b.title}</Link>
                  </td>
                  <td>
                    <StateBadge state={b.state} />
                  </td>
                  <td>
                    {formatDate(b.opensOn)} to {formatDate(b.closesOn)}
                  </td>
                  <td className="num">
                    {formatNumber(b.voted)} of {formatNumber(b.roll)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function NewIndicativeForm({ onDone }: { onDone: () => void }) {
  const disputes = useDisputes();
  const create = useCreateIndicative();
  const [disputeId, setDisputeId] = useState("");
  const [title, setTitle] = useState("");
  const [question, setQuestion] = useState("Would you vote yes to strike action?");
  const [choices, setChoices] = useState("Yes\nNo");
  const [opensOn, setOpensOn] = useState("");
  const [closesOn, setClosesOn] = useState("");
  const [by, setBy] = useState<"workplace" | "ballot">("workplace");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        disputeId: Number(disputeId),
        title,
        questions: [
          {
            text: question,
            choices: choices
              .split("\n")
              .map((c) => c.trim())
              .filter(Boolean),
          },
        ],
        constituencyKind: by,
        opensOn,
        closesOn,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="card" onSubmit={submit} aria-label="New indicative ballot">
      <h2 className="card-title">New indicative ballot</h2>
      <SelectField
        label="Dispute"
        value={disputeId}
        emptyLabel="Choose…"
        options={idOptions(disputes.data, (d) => d.title)}
        onChange={setDisputeId}
        required
      />
      <InputField label="Title" value={title} onChange={setTitle} required />
      <InputField label="Question" value={question} onChange={setQuestion} required />
      <TextareaField label="Answers, one a line" value={choices} onChange={setChoices} />
      <InputField
        label="Opens on"
        type="date"
        value={opensOn}
        onChange={setOpensOn}
        required
        error={opensOn && !isIsoDate(opensOn) ? "Give a date." : undefined}
      />
      <InputField label="Closes on" type="date" value={closesOn} onChange={setClosesOn} required />
      <SelectField
        label="Results by"
        value={by}
        options={labelOptions(RESULTS_BY_LABELS)}
        onChange={(v) => setBy(v as "workplace" | "ballot")}
      />
      <FormError error={create.error} />
      <div className="section-actions">
        <ActionButton busy={create.isPending} busyLabel="Creating…" primary submit>
          Create
        </ActionButton>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function IndicativeScreen() {
  const id = Number(useParams().id);
  const user = useUser();
  const canManage = hasPermission(user, "indicative.manage");
  const ballot = useIndicative(id);
  const results = useIndicativeResults(id, ballot.data?.state === "open");
  const action = useIndicativeAction(id);
  const issue = useIssueLinks(id);
  const nonVoters = useNonVoters(id, hasPermission(user, "members.read") && ballot.data?.state === "open");
  usePageTitle(ballot.data?.title ?? "Indicative ballot");
  if (ballot.isPending) return <Loading label="Loading the indicative ballot…" />;
  if (ballot.isError)
    return (
      <ErrorPanel
        error={ballot.error}
        title="Cannot load the indicative ballot"
        onRetry={() => void ballot.refetch()}
      />
    );
  const b = ballot.data;
  const run = (a: "open" | "close") =>
    action.mutate(a, {
      onSuccess: () => {
        void ballot.refetch();
        void results.refetch();
      },
    });
  return (
    <>
      <Link to="/indicative" className="back-link">
        ← Indicative ballots
      </Link>
      <div className="page-head">
        <h1>{b.title}</h1>
        <p className="lead">
          <StateBadge state={b.state} /> Voting {formatDate(b.opensOn)} to {formatDate(b.closesOn)}; answers
          shown where at least {b.minimumCell} voted.
        </p>
      </div>
      {canManage ? (
        <div className="section-actions">
          {b.state === "draft" ? (
            <ActionButton busy={action.isPending} busyLabel="Opening…" primary onClick={() => run("open")}>
              Open (fix the roll)
            </ActionButton>
          ) : null}
          {b.state === "open" ? (
            <>
              <ActionButton
                busy={issue.isPending}
                busyLabel="Issuing…"
                onClick={() =>
                  issue.mutate(undefined, { onSuccess: (csv) => downloadCsv(`member-links-${id}.csv`, csv) })
                }
              >
                Issue links (CSV)
              </ActionButton>
              <ActionButton busy={action.isPending} busyLabel="Closing…" onClick={() => run("close")}>
                Close voting
              </ActionButton>
            </>
          ) : null}
        </div>
      ) : null}
      {canManage && b.state === "open" ? (
        <p className="small muted">
          Issuing gives every voter a new link and withdraws their earlier one. The file is the only copy of
          the links: Mandate keeps only a fingerprint of each.
        </p>
      ) : null}
      <FormError error={action.error ?? issue.error} />
      <section className="section" aria-labelledby="ind-questions">
        <h2 id="ind-questions">Questions</h2>
        <ol>
          {b.questions.map((q) => (
            <li key={q.text}>
              {q.text} <span className="muted">({q.choices.join(" / ")})</span>
            </li>
          ))}
        </ol>
      </section>
      {results.isPending ? (
        <Loading label="Loading turnout…" />
      ) : results.isError ? (
        <ErrorPanel
          error={results.error}
          title="Cannot load the results"
          onRetry={() => void results.refetch()}
        />
      ) : (
        <Results results={results.data} />
      )}
      {nonVoters.data ? (
        <section className="section" aria-labelledby="ind-nonvoters">
          <h2 id="ind-nonvoters">Still to vote ({formatNumber(nonVoters.data.length)})</h2>
          <ul>
            {nonVoters.data.slice(0, 200).map((n) => (
              <li key={n.memberId}>
                {n.name} <span className="muted">{n.workplace ?? ""}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function Results({ results: r }: { results: IndicativeResultsDto }) {
  const rows = [...r.constituencies, r.overall];
  const questions = r.overall.questions ?? r.constituencies.find((c) => c.questions)?.questions ?? null;
  return (
    <section className="section" aria-labelledby="ind-results">
      <h2 id="ind-results">Turnout and results</h2>
      {r.notes.map((n) => (
        <p key={n} className="small muted">
          {n}
        </p>
      ))}
      <div className="table-scroll">
        <table className="table" aria-label="Turnout and results by constituency">
          <thead>
            <tr>
              <th scope="col">Constituency</th>
              <th scope="col" className="num">
                Voted
              </th>
              <th scope="col" className="num">
                Roll
              </th>
              {(questions ?? []).map((q, i) =>
                q.choices.map((c) => (
                  <th scope="col" className="num" key={`${q.text}-${c.choice}`}>
                    Q{i + 1} {c.choice}
                  </th>
                )),
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.key} className={c.key === "overall" ? "total-row" : undefined}>
                <th scope="row">{c.label}</th>
                <td className="num" data-testid={`voted-${c.key}`}>
                  {formatNumber(c.voted)}
                </td>
                <td className="num">{formatNumber(c.roll)}</td>
                {(questions ?? []).map((q, i) =>
                  q.choices.map((ch, j) => (
                    <td className="num" key={`${q.text}-${ch.choice}`}>
                      {c.questions ? formatNumber(c.questions[i]?.choices[j]?.votes ?? 0) : "withheld"}
                    </td>
                  )),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
