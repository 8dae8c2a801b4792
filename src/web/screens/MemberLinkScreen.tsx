/**
 * The member's page (decision 0022), reached by their personal link
 * `/m#<token>` without signing in: the token stays in the fragment, which the
 * browser never sends, and goes to the server only in request bodies. Phone
 * first: one column, large targets.
 */
import { type FormEvent, useEffect, useState } from "react";
import { isApiError } from "../api/client.js";
import {
  confirmLinkAddress,
  correctLinkAddress,
  type LinkViewDto,
  openLink,
  voteByLink,
} from "../api/indicative.js";
import { usePageTitle } from "../components/hooks.js";
import { formatDate } from "../format.js";
import { FormError, InputField } from "./BallotParts.js";

function tokenFromFragment(): string {
  return window.location.hash.replace(/^#/, "").trim();
}

export function MemberLinkScreen() {
  usePageTitle("Your ballot link");
  const [token] = useState(tokenFromFragment);
  const [view, setView] = useState<LinkViewDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    if (!token) {
      setLoading(false);
      return;
    }
    openLink(token)
      .then(setView, setError)
      .finally(() => setLoading(false));
  }, [token]);

  return (
    <main className="login-page member-page">
      <div className="login-card member-card">
        <p className="login-brand">Mandate</p>
        {loading ? (
          <p>Opening your link…</p>
        ) : !token || (isApiError(error) && error.status === 404) ? (
          <>
            <h1>This link does not work</h1>
            <p>
              It may have expired or been replaced by a newer one. Ask your union rep or branch for a new
              link.
            </p>
          </>
        ) : error && !view ? (
          <FormError error={error} title="Your link could not be opened" />
        ) : view ? (
          <LinkActions token={token} view={view} onView={setView} />
        ) : null}
      </div>
    </main>
  );
}

function LinkActions({
  token,
  view,
  onView,
}: {
  token: string;
  view: LinkViewDto;
  onView: (v: LinkViewDto) => void;
}) {
  return (
    <>
      <h1>Hello {view.forenames}</h1>
      <p className="small muted">This link is yours alone; please do not share it.</p>
      {view.ballot ? <Vote token={token} view={view} onView={onView} /> : null}
      <Address token={token} view={view} onView={onView} />
    </>
  );
}

function Vote({
  token,
  view,
  onView,
}: {
  token: string;
  view: LinkViewDto;
  onView: (v: LinkViewDto) => void;
}) {
  const ballot = view.ballot!;
  const [answers, setAnswers] = useState<(number | null)[]>(() => ballot.questions.map(() => null));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (ballot.voted)
    return (
      <section className="section" aria-labelledby="vote-title">
        <h2 id="vote-title">{ballot.title}</h2>
        <div className="notice notice-ok" role="status">
          Thank you: your vote has been counted. Nobody can see how you voted.
        </div>
      </section>
    );
  if (!ballot.canVote)
    return (
      <section className="section" aria-labelledby="vote-title">
        <h2 id="vote-title">{ballot.title}</h2>
        <p>
          {ballot.state === "closed"
            ? "Voting has closed."
            : !ballot.onRoll
              ? "You are not on the list of members for this vote."
              : `Voting is open from ${formatDate(ballot.opensOn)} to ${formatDate(ballot.closesOn)}.`}
        </p>
      </section>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (answers.some((a) => a === null)) {
      setError(new Error("Answer every question."));
      return;
    }
    setBusy(true);
    setError(null);
    voteByLink(token, answers as number[])
      .then(onView, setError)
      .finally(() => setBusy(false));
  };
  return (
    <section className="section" aria-labelledby="vote-title">
      <h2 id="vote-title">{ballot.title}</h2>
      <p className="small">
        Votes close on {formatDate(ballot.closesOn)}. Your answers are counted apart from your name: the union
        sees that you voted, never how.
      </p>
      <form onSubmit={submit}>
        {ballot.questions.map((q, i) => (
          <fieldset key={q.text} className="member-question">
            <legend>{q.text}</legend>
            {q.choices.map((c, j) => (
              <label key={c} className="member-choice">
                <input
                  type="radio"
                  name={`q${i}`}
                  checked={answers[i] === j}
                  onChange={() => setAnswers((a) => a.map((x, k) => (k === i ? j : x)))}
                />
                <span>{c}</span>
              </label>
            ))}
          </fieldset>
        ))}
        <FormError error={error} title="Your vote was not counted" />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? "Sending your vote…" : "Send my vote"}
        </button>
      </form>
    </section>
  );
}

function Address({
  token,
  view,
  onView,
}: {
  token: string;
  view: LinkViewDto;
  onView: (v: LinkViewDto) => void;
}) {
  const [mode, setMode] = useState<"show" | "edit" | "confirmed" | "corrected">("show");
  const [line1, setLine1] = useState("");
  const [line2, setLine2] = useState("");
  const [town, setTown] = useState("");
  const [postcode, setPostcode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = (p: Promise<LinkViewDto>, next: "confirmed" | "corrected") => {
    setBusy(true);
    setError(null);
    p.then((v) => {
      onView(v);
      setMode(next);
    }, setError).finally(() => setBusy(false));
  };
  const a = view.address;
  return (
    <section className="section" aria-labelledby="address-title">
      <h2 id="address-title">Where your ballot papers go</h2>
      <address className="member-address">
        {a.lines.length ? a.lines.map((l) => <div key={l}>{l}</div>) : <div>No address held</div>}
        {a.postcode ? <div>{a.postcode}</div> : null}
      </address>
      {mode === "confirmed" ? (
        <div className="notice notice-ok" role="status">
          Thank you for confirming your address.
        </div>
      ) : mode === "corrected" ? (
        <div className="notice notice-ok" role="status">
          Thank you: your address has been updated.
        </div>
      ) : null}
      {mode === "edit" ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act(
              correctLinkAddress(token, { addressLine1: line1, addressLine2: line2, town, postcode }),
              "corrected",
            );
          }}
        >
          <InputField
            label="Address line 1"
            value={line1}
            onChange={setLine1}
            required
            autoComplete="address-line1"
          />
          <InputField label="Address line 2" value={line2} onChange={setLine2} autoComplete="address-line2" />
          <InputField label="Town or city" value={town} onChange={setTown} autoComplete="address-level2" />
          <InputField
            label="Postcode"
            value={postcode}
            onChange={setPostcode}
            required
            autoComplete="postal-code"
          />
          <FormError error={error} title="Your address was not changed" />
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? "Saving…" : "Save my address"}
          </button>
          <button
            type="button"
            className="button button-secondary button-block"
            onClick={() => setMode("show")}
          >
            Cancel
          </button>
        </form>
      ) : mode === "show" ? (
        <div className="member-actions">
          <FormError error={error} title="Not sent" />
          <button
            type="button"
            className="button button-primary button-block"
            disabled={busy}
            onClick={() => act(confirmLinkAddress(token), "confirmed")}
          >
            This is right
          </button>
          <button
            type="button"
            className="button button-secondary button-block"
            onClick={() => setMode("edit")}
          >
            Correct it
          </button>
        </div>
      ) : null}
    </section>
  );
}
