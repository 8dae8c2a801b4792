/**
 * Essential-service cover for one day of action, per employer in the reader's scope: the services, posts
 * and numbers agreed, who agreed on each side and when, the members exempted to provide it (named only
 * where the employer and the member agreed to naming; otherwise numbers), and the employer's requests
 * for more cover with their answers. Officers record and answer; everyone else reads.
 */
import { type FormEvent, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import { useMembers } from "../api/members.js";
import {
  type CoverAgreement,
  useAddExemption,
  useAnswerRequest,
  useCover,
  useCoverRequest,
  usePickets,
  useRecordCover,
} from "../api/picket.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { InputField } from "./BallotParts.js";

const ANSWER_LABEL = { granted: "Granted", refused: "Refused", partly: "Partly granted" } as const;
const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

export function CoverPanel({ disputeId, day }: { disputeId: number; day: string }) {
  const user = useUser();
  const cover = useCover(disputeId, day);
  const pickets = usePickets(disputeId, day);
  const canCover = hasPermission(user, "action.cover");
  if (cover.isPending) return <Loading label="Loading cover…" />;
  if (cover.isError) return <ErrorPanel error={cover.error} title="Cannot load cover" />;
  return (
    <section className="section" aria-labelledby="cover-heading">
      <h2 id="cover-heading">Cover</h2>
      <p className="muted small">
        Essential-service cover agreed with each employer for the day. Members exempted to provide it count as
        exempt for cover and are never put on a picket rota.
      </p>
      {cover.data.agreements.length === 0 ? <Empty>No cover agreed for this day.</Empty> : null}
      {cover.data.agreements.map((a) => (
        <Agreement key={a.id} disputeId={disputeId} a={a} canCover={canCover} />
      ))}
      {canCover && pickets.data ? (
        <CoverForm disputeId={disputeId} day={day} workplaces={pickets.data.workplaces} />
      ) : null}
    </section>
  );
}

function Agreement({ disputeId, a, canCover }: { disputeId: number; a: CoverAgreement; canCover: boolean }) {
  const answer = useAnswerRequest(disputeId);
  const headingId = `cover-${a.id}`;
  return (
    <article className="card" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        {a.employerName}
        <span className="muted small"> · {a.exemptTotal} exempt for cover</span>
      </h3>
      <ul className="plain-list small">
        {a.items.map((i) => (
          <li key={`${i.service}-${i.post}-${i.number}`}>
            {i.service}
            {i.post ? ` · ${i.post}` : ""} · {i.number}
          </li>
        ))}
      </ul>
      <p className="small muted">
        Agreed {when(a.agreedAt)} by {a.unionAgreedName} (union) and {a.employerAgreedName}
        {a.employerAgreedRole ? `, ${a.employerAgreedRole}` : ""} (employer).{" "}
        {a.namingAgreed ? "Naming agreed." : "Numbers only: no names."}
      </p>
      {a.note ? <p className="small">{a.note}</p> : null}
      {a.exemptions.length ? (
        <>
          <h4 className="small">Exempted</h4>
          <ul className="plain-list small">
            {a.exemptions.map((x) => (
              <li key={x.id}>
                {x.name ?? `${x.number} member${x.number === 1 ? "" : "s"}`}
                {x.workplaceName ? ` · ${x.workplaceName}` : ""}
                {x.post ? ` · ${x.post}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {a.requests.length ? (
        <>
          <h4 className="small">Requests for more cover</h4>
          <ul className="plain-list small">
            {a.requests.map((r) => (
              <li key={r.id}>
                {when(r.requestedAt)} · {r.requestedByName}: {r.details}
                {r.postsRequested !== null ? ` (${r.postsRequested} posts)` : ""}{" "}
                {r.answer ? (
                  <span className="badge">
                    {ANSWER_LABEL[r.answer]}
                    {r.postsGranted !== null && r.answer !== "refused" ? `: ${r.postsGranted}` : ""}
                  </span>
                ) : canCover ? (
                  <span className="cover-answer">
                    {(["granted", "partly", "refused"] as const).map((k) => (
                      <button
                        key={k}
                        type="button"
                        className="button button-secondary button-small"
                        disabled={answer.isPending}
                        onClick={() => answer.mutate({ id: r.id, answer: k })}
                      >
                        {ANSWER_LABEL[k]}
                      </button>
                    ))}
                  </span>
                ) : (
                  <span className="badge badge-warning">Not answered</span>
                )}
                {r.answerNote ? <span className="muted"> · {r.answerNote}</span> : null}
              </li>
            ))}
          </ul>
          {answer.isError ? <p className="form-error">{answer.error.message}</p> : null}
        </>
      ) : null}
      {canCover ? <ExemptionForm disputeId={disputeId} a={a} /> : null}
      {canCover ? <RequestForm disputeId={disputeId} agreementId={a.id} /> : null}
    </article>
  );
}

function CoverForm({
  disputeId,
  day,
  workplaces,
}: {
  disputeId: number;
  day: string;
  workplaces: { employerId: number; employerName: string }[];
}) {
  const record = useRecordCover(disputeId, day);
  const [employer, setEmployer] = useState("");
  const [service, setService] = useState("");
  const [post, setPost] = useState("");
  const [number, setNumber] = useState("1");
  const [unionName, setUnionName] = useState("");
  const [employerName, setEmployerName] = useState("");
  const [agreedAt, setAgreedAt] = useState("");
  const [naming, setNaming] = useState(false);
  const employers = new Map(workplaces.map((w) => [w.employerId, w.employerName]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!employer) return;
    record.mutate({
      employerId: Number(employer),
      items: [{ service, post, number: Number(number) }],
      unionAgreedName: unionName,
      employerAgreedName: employerName,
      agreedAt: new Date(agreedAt).toISOString(),
      namingAgreed: naming,
    });
  };
  return (
    <details className="disclosure picket-form card">
      <summary>Record cover agreed with an employer</summary>
      <form className="form-stack" onSubmit={submit} aria-label="Record cover agreed with an employer">
        <div className="field">
          <label htmlFor="cover-employer">Employer</label>
          <select id="cover-employer" required value={employer} onChange={(e) => setEmployer(e.target.value)}>
            <option value="">Choose…</option>
            {[...employers].map(([eid, n]) => (
              <option key={eid} value={eid}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cover-service">Service</label>
          <input
            id="cover-service"
            type="text"
            required
            value={service}
            onChange={(e) => setService(e.target.value)}
          />
        </div>
        <div className="picket-times">
          <div className="field">
            <label htmlFor="cover-post">Post</label>
            <input id="cover-post" type="text" value={post} onChange={(e) => setPost(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="cover-number">Number</label>
            <input
              id="cover-number"
              type="number"
              min={1}
              inputMode="numeric"
              required
              value={number}
              onChange={(e) => setNumber(e.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="cover-union">Agreed for the union by</label>
          <input
            id="cover-union"
            type="text"
            required
            value={unionName}
            onChange={(e) => setUnionName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="cover-employer-name">Agreed for the employer by</label>
          <input
            id="cover-employer-name"
            type="text"
            required
            value={employerName}
            onChange={(e) => setEmployerName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="cover-when">When</label>
          <input
            id="cover-when"
            type="datetime-local"
            required
            value={agreedAt}
            onChange={(e) => setAgreedAt(e.target.value)}
          />
        </div>
        <label className="action-check">
          <input type="checkbox" checked={naming} onChange={(e) => setNaming(e.target.checked)} />
          The employer and the members agreed to naming
        </label>
        {record.isError ? <p className="form-error">{record.error.message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            Record the cover
          </button>
        </div>
      </form>
    </details>
  );
}

function ExemptionForm({ disputeId, a }: { disputeId: number; a: CoverAgreement }) {
  const add = useAddExemption(disputeId, a.id);
  const [number, setNumber] = useState("1");
  const [post, setPost] = useState("");
  const [query, setQuery] = useState("");
  const [memberId, setMemberId] = useState<number | null>(null);
  const members = useMembers({
    search: query.trim() || undefined,
    employerId: a.employerId,
    status: "active",
    pageSize: 5,
  });
  const id = `exempt-${a.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(a.namingAgreed && memberId !== null ? { memberId, post } : { number: Number(number), post }, {
      onSuccess: () => {
        setMemberId(null);
        setQuery("");
      },
    });
  };
  return (
    <details className="disclosure picket-form">
      <summary>Exempt members for this cover</summary>
      <form
        className="form-stack"
        onSubmit={submit}
        aria-label={`Exempt members for cover at ${a.employerName}`}
      >
        {a.namingAgreed ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-member`}>Member (naming agreed)</label>
              <input
                id={`${id}-member`}
                type="search"
                autoComplete="off"
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  setMemberId(null);
                }}
              />
            </div>
            {query.trim().length >= 2 && memberId === null && members.data ? (
              <ul className="plain-list" aria-label="Matching members">
                {members.data.items.map((m) => (
                  <li key={m.id}>
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() => {
                        setMemberId(m.id);
                        setQuery(`${m.forenames} ${m.surname} (${m.membershipNumber})`);
                      }}
                    >
                      {m.forenames} {m.surname} · {m.membershipNumber}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <InputField
            label="How many (no names: naming not agreed)"
            type="number"
            min={1}
            value={number}
            onChange={setNumber}
          />
        )}
        <InputField label="Post" value={post} onChange={setPost} />
        {add.isError ? <p className="form-error">{add.error.message}</p> : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={add.isPending || (a.namingAgreed && memberId === null)}
          >
            Exempt
          </button>
        </div>
      </form>
    </details>
  );
}

function RequestForm({ disputeId, agreementId }: { disputeId: number; agreementId: number }) {
  const record = useCoverRequest(disputeId, agreementId);
  const [by, setBy] = useState("");
  const [details, setDetails] = useState("");
  const [posts, setPosts] = useState("");
  const [at, setAt] = useState("");
  const id = `request-${agreementId}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate(
      {
        requestedAt: new Date(at).toISOString(),
        requestedByName: by,
        details,
        postsRequested: posts === "" ? null : Number(posts),
      },
      { onSuccess: () => setDetails("") },
    );
  };
  return (
    <details className="disclosure picket-form">
      <summary>Record a request for more cover</summary>
      <form className="form-stack" onSubmit={submit} aria-label="Record a request for more cover">
        <InputField label="When" type="datetime-local" required value={at} onChange={setAt} />
        <InputField label="Asked by (employer)" required value={by} onChange={setBy} />
        <div className="field">
          <label htmlFor={`${id}-details`}>What they asked for</label>
          <textarea
            id={`${id}-details`}
            rows={2}
            required
            value={details}
            onChange={(e) => setDetails(e.target.value)}
          />
        </div>
        <InputField label="Posts asked for" type="number" min={0} value={posts} onChange={setPosts} />
        {record.isError ? <p className="form-error">{record.error.message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            Record the request
          </button>
        </div>
      </form>
    </details>
  );
}
