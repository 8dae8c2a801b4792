/**
 * The member's page (decision 0022), reached by their personal link
 * `/m#<token>` without signing in: the token stays in the fragment, which the
 * browser never sends, and goes to the server only in request bodies. Phone
 * first: one column, large targets.
 */
import { type FormEvent, useEffect, useState } from "react";
import { claimByLink, type ReplacementReason, reportByLink } from "../api/ballot-links.js";
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

/** What each part of the member's page takes: their token, what the link offers, and a way to update it. */
interface LinkSection {
  token: string;
  view: LinkViewDto;
  onView: (v: LinkViewDto) => void;
}

function tokenFromFragment(): string {
  return window.location.hash.replace(/^#/, "").trim();
}

export function MemberLinkScreen() {
  usePageTitle("Your union link");
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

function LinkActions({ token, view, onView }: LinkSection) {
  return (
    <>
      <h1>Hello {view.forenames}</h1>
      <p className="small muted">This link is yours alone; please do not share it.</p>
      {view.ballot ? <Vote token={token} view={view} onView={onView} /> : null}
      {view.statutory ? <StatutoryBallot token={token} view={view} onView={onView} /> : null}
      {view.strikePay ? <StrikePayClaim token={token} view={view} onView={onView} /> : null}
      {view.strikePay && !view.ballot && !view.statutory ? null : (
        <Address
          token={token}
          view={view}
          onView={onView}
          wrongAddress={
            view.statutory?.inElectorate ? () => reportByLink(token, { kind: "wrong_address" }) : undefined
          }
        />
      )}
    </>
  );
}

function Vote({ token, view, onView }: LinkSection) {
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

const REASONS: { id: ReplacementReason; label: string }[] = [
  { id: "not_received", label: "It never arrived" },
  { id: "lost", label: "I have lost it" },
  { id: "spoilt", label: "It is spoilt (damaged or filled in wrongly)" },
];

/**
 * A statutory ballot's link: the member says they have voted (which stops the reminders), asks
 * for a replacement paper with the reason, or says their address is wrong (below). Never how they
 * voted: the vote itself goes on the paper, to the independent scrutineer.
 */
const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
const CLAIM_STATE = {
  submitted: "claimed, waiting for approval",
  approved: "approved",
  rejected: "not approved",
  paid: "paid",
} as const;
const EVIDENCE_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;

/** A file as the claim carries it (base64), or why it cannot go. */
async function evidenceOf(file: File | null) {
  if (!file) return null;
  const type = EVIDENCE_TYPES.find((t) => t === file.type);
  if (!type) throw new Error("Evidence must be a PDF, JPEG or PNG file.");
  if (file.size > MAX_EVIDENCE_BYTES) throw new Error("Evidence must be 2 MB or smaller.");
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { name: file.name.slice(0, 200) || "evidence", contentType: type, base64: btoa(binary) };
}

/**
 * A dispute's strike pay link: the member ticks the strike days they were out (a day already claimed is
 * shown with its claim's state, never offered again) or asks for a hardship grant, with a note or a file
 * as evidence; their claims and where each stands are listed under the form.
 */
function StrikePayClaim({ token, view, onView }: LinkSection) {
  const pay = view.strikePay!;
  const open = pay.days.filter((d) => d.claim === null).map((d) => d.day);
  const hardship = (pay.rules?.hardshipMaxPence ?? 0) > 0;
  const [kind, setKind] = useState<"strike_pay" | "hardship">("strike_pay");
  const [chosen, setChosen] = useState<string[]>([]);
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSent(false);
    if (kind === "strike_pay" && !chosen.length) {
      setError(new Error("Tick the days you were out."));
      return;
    }
    const pence = Math.round(Number(amount) * 100);
    if (kind === "hardship" && !(pence > 0)) {
      setError(new Error("Say how much you are asking for, in pounds."));
      return;
    }
    setBusy(true);
    evidenceOf(file)
      .then((evidence) =>
        claimByLink(token, {
          kind,
          days: kind === "strike_pay" ? chosen : [],
          requestedPence: kind === "hardship" ? pence : null,
          evidenceNote: note.trim(),
          evidence,
        }),
      )
      .then((v) => {
        onView(v);
        setChosen([]);
        setAmount("");
        setNote("");
        setFile(null);
        setSent(true);
      }, setError)
      .finally(() => setBusy(false));
  };
  return (
    <section className="section" aria-labelledby="strike-pay-title">
      <h2 id="strike-pay-title">Strike pay: {pay.dispute}</h2>
      {pay.rules ? (
        <p className="small">
          {pounds(pay.rules.ratePence)} for each day you were out
          {pay.rules.unpaidDays ? `; the first ${pay.rules.unpaidDays} day(s) are not paid` : ""}
          {pay.rules.maxPaidDays !== null ? `; at most ${pay.rules.maxPaidDays} paid days` : ""}.
          {hardship && pay.rules.hardshipMaxPence !== null
            ? ` A hardship grant of up to ${pounds(pay.rules.hardshipMaxPence)} may help if you are in difficulty.`
            : ""}
        </p>
      ) : (
        <p>Your union has not set the strike pay rules for this dispute yet. Try again later.</p>
      )}
      {sent ? (
        <div className="notice notice-ok" role="status">
          Thank you: your claim is sent. Your branch or region will look at it.
        </div>
      ) : null}
      {pay.rules ? (
        <form className="member-actions member-claim" onSubmit={submit}>
          {hardship ? (
            <fieldset className="member-question">
              <legend>What are you claiming?</legend>
              <label className="member-choice">
                <input
                  type="radio"
                  name="claim-kind"
                  checked={kind === "strike_pay"}
                  onChange={() => setKind("strike_pay")}
                />
                <span>Strike pay for days I was out</span>
              </label>
              <label className="member-choice">
                <input
                  type="radio"
                  name="claim-kind"
                  checked={kind === "hardship"}
                  onChange={() => setKind("hardship")}
                />
                <span>A hardship grant</span>
              </label>
            </fieldset>
          ) : null}
          {kind === "strike_pay" ? (
            <fieldset className="member-question">
              <legend>The days you were out</legend>
              {pay.days.length === 0 ? <p className="small">No strike day has come yet.</p> : null}
              {pay.days.map((d) =>
                d.claim === null ? (
                  <label key={d.day} className="member-choice">
                    <input
                      type="checkbox"
                      checked={chosen.includes(d.day)}
                      onChange={(e) =>
                        setChosen(e.target.checked ? [...chosen, d.day] : chosen.filter((x) => x !== d.day))
                      }
                    />
                    <span>{formatDate(d.day)}</span>
                  </label>
                ) : (
                  <p key={d.day} className="small">
                    {formatDate(d.day)}: {CLAIM_STATE[d.claim]}
                  </p>
                ),
              )}
            </fieldset>
          ) : (
            <>
              <InputField
                label="How much are you asking for (£)"
                type="number"
                value={amount}
                onChange={setAmount}
              />
              {pay.rules.hardshipCriteria.length ? (
                <div className="small">
                  <p>The union looks at:</p>
                  <ul>
                    {pay.rules.hardshipCriteria.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </>
          )}
          {kind === "strike_pay" && open.length === 0 ? (
            pay.days.length ? (
              <p className="small">Every strike day so far is claimed.</p>
            ) : null
          ) : (
            <>
              <div className="field">
                <label htmlFor="claim-note">
                  What shows this (optional): a picket you stood on, a payslip
                </label>
                <textarea
                  id="claim-note"
                  rows={3}
                  maxLength={2000}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor="claim-file">
                  A file as evidence (optional: PDF, JPEG or PNG, at most 2 MB)
                </label>
                <input
                  id="claim-file"
                  type="file"
                  accept="application/pdf,image/jpeg,image/png"
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
              </div>
              <FormError error={error} title="Not sent" />
              <button type="submit" className="button button-primary button-block" disabled={busy}>
                {busy ? "Sending…" : "Send my claim"}
              </button>
            </>
          )}
        </form>
      ) : null}
      {pay.claims.length ? (
        <>
          <h3>Your claims</h3>
          <ul className="plain-list">
            {pay.claims.map((c) => (
              <li key={c.id} className="small">
                {c.kind === "strike_pay"
                  ? `Strike pay for ${c.days.map(formatDate).join(", ")}`
                  : `Hardship grant of ${pounds(c.requestedPence ?? 0)}`}
                : {CLAIM_STATE[c.state]}
                {c.amountPence !== null ? ` (${pounds(c.amountPence)})` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function StatutoryBallot({ token, view, onView }: LinkSection) {
  const ballot = view.statutory!;
  const [reason, setReason] = useState<ReplacementReason | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = (p: Promise<LinkViewDto>) => {
    setBusy(true);
    setError(null);
    p.then((v) => {
      onView(v);
      setAsking(false);
    }, setError).finally(() => setBusy(false));
  };
  const heading = <h2 id="ballot-title">{ballot.name}</h2>;
  if (!ballot.inElectorate)
    return (
      <section className="section" aria-labelledby="ballot-title">
        {heading}
        <p>You are not on the list of members for this ballot. Ask your rep if you think you should be.</p>
      </section>
    );
  return (
    <section className="section" aria-labelledby="ballot-title">
      {heading}
      <p className="small">
        Voting is by post, from {formatDate(ballot.opensOn)}; your paper must reach the independent scrutineer
        by {formatDate(ballot.closesOn)}. Never tell us how you voted.
      </p>
      {ballot.voted ? (
        <div className="notice notice-ok" role="status">
          Thank you: you have told us you voted. Your rep will not chase you about this ballot.
        </div>
      ) : !ballot.open ? (
        <p>Papers go out when voting opens. Check the address below is right.</p>
      ) : (
        <div className="member-actions">
          {ballot.replacement ? (
            <div className="notice notice-ok" role="status">
              You have asked for a replacement paper. Your union will arrange it with the scrutineer.
            </div>
          ) : null}
          <FormError error={error} title="Not sent" />
          <button
            type="button"
            className="button button-primary button-block"
            disabled={busy}
            onClick={() => send(reportByLink(token, { kind: "voted" }))}
          >
            I have voted
          </button>
          {asking ? (
            <form
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                if (!reason) {
                  setError(new Error("Say why you need a new paper."));
                  return;
                }
                send(reportByLink(token, { kind: "needs_replacement", reason }));
              }}
            >
              <fieldset className="member-question">
                <legend>Why do you need a new paper?</legend>
                {REASONS.map((r) => (
                  <label key={r.id} className="member-choice">
                    <input
                      type="radio"
                      name="reason"
                      checked={reason === r.id}
                      onChange={() => setReason(r.id)}
                    />
                    <span>{r.label}</span>
                  </label>
                ))}
              </fieldset>
              <button type="submit" className="button button-primary button-block" disabled={busy}>
                {busy ? "Sending…" : "Ask for a replacement paper"}
              </button>
              <button
                type="button"
                className="button button-secondary button-block"
                onClick={() => setAsking(false)}
              >
                Cancel
              </button>
            </form>
          ) : (
            <button
              type="button"
              className="button button-secondary button-block"
              onClick={() => setAsking(true)}
            >
              I need a replacement paper
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function Address({
  token,
  view,
  onView,
  wrongAddress,
}: {
  token: string;
  view: LinkViewDto;
  onView: (v: LinkViewDto) => void;
  /** A statutory ballot's link: saying the address is wrong is reported before it is corrected. */
  wrongAddress?: () => Promise<LinkViewDto>;
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
            disabled={busy}
            onClick={() => {
              if (!wrongAddress) {
                setMode("edit");
                return;
              }
              setBusy(true);
              setError(null);
              wrongAddress()
                .then((v) => {
                  onView(v);
                  setMode("edit");
                }, setError)
                .finally(() => setBusy(false));
            }}
          >
            {wrongAddress ? "My address is wrong" : "Correct it"}
          </button>
        </div>
      ) : null}
    </section>
  );
}
