/**
 * The day of action for one dispute, in two parts: the calendar (each day and, under it, the places in
 * the reader's scope, lawful or not with the reason and its citation) and strike pay (a rep or officer
 * enters a member's claim in a few taps on a phone; an officer approves; a national officer exports the
 * payments for finance). Forms show only to those the server lets act; it refuses everyone else anyway.
 */
import { type FormEvent, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import {
  type ClaimDto,
  useCalendar,
  useClaims,
  useDecideClaim,
  useExportPay,
  usePayRules,
  usePlanDay,
  useSubmitClaim,
} from "../api/action.js";
import { hasPermission, useUser } from "../api/auth.js";
import { useIssueStrikePayLinks } from "../api/ballot-links.js";
import { isNotFound } from "../api/client.js";
import { usePageTitle } from "../components/hooks.js";
import { MemberPicker, type PickedPerson } from "../components/MemberPicker.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { downloadCsv } from "../csv.js";
import { formatDate } from "../format.js";
import { PicketAndCover } from "./PicketAndCover.js";

const KIND_LABEL = { strike: "Strike", action_short_of_strike: "Action short of a strike" } as const;
const STATE_LABEL: Record<ClaimDto["state"], string> = {
  submitted: "To decide",
  approved: "Approved",
  rejected: "Rejected",
  paid: "Paid",
};
/** "Wednesday 20 Jan 2027": the weekday read in UTC, so no time zone moves the day. */
const dayLabel = (iso: string) =>
  `${new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" })} ${formatDate(iso)}`;
const pounds = (pence: number | null) => (pence === null ? "" : `£${(pence / 100).toFixed(2)}`);

export function ActionScreen() {
  const params = useParams();
  const id = Number(params.id);
  const [search, setSearch] = useSearchParams();
  const tab = search.get("tab") === "pay" ? "pay" : search.get("tab") === "picket" ? "picket" : "calendar";
  const user = useUser();
  const calendar = useCalendar(id);
  usePageTitle(calendar.data ? `Day of action: ${calendar.data.dispute.title}` : "Day of action");

  if (isNotFound(calendar.error)) {
    return (
      <Notice tone="info" title="Dispute not found">
        No such dispute in your scope.
      </Notice>
    );
  }
  if (calendar.isPending) return <Loading label="Loading the calendar…" />;
  if (calendar.isError) {
    return (
      <ErrorPanel
        error={calendar.error}
        title="Cannot load the calendar"
        onRetry={() => void calendar.refetch()}
      />
    );
  }
  const canClaims = hasPermission(user, "action.claims");
  return (
    <>
      <p className="muted small">
        <Link to={`/ballots/disputes/${id}`}>← {calendar.data.dispute.title}</Link>
      </p>
      <div className="page-head">
        <h1>Day of action</h1>
      </div>
      <nav aria-label="Day of action sections" className="tabs">
        <ul className="tab-list">
          <li>
            <button
              type="button"
              className="tab"
              aria-current={tab === "calendar" ? "page" : undefined}
              onClick={() => setSearch({})}
            >
              Calendar
            </button>
          </li>
          <li>
            <button
              type="button"
              className="tab"
              aria-current={tab === "picket" ? "page" : undefined}
              onClick={() => setSearch({ tab: "picket" })}
            >
              Picket lines and cover
            </button>
          </li>
          {canClaims ? (
            <li>
              <button
                type="button"
                className="tab"
                aria-current={tab === "pay" ? "page" : undefined}
                onClick={() => setSearch({ tab: "pay" })}
              >
                Strike pay
              </button>
            </li>
          ) : null}
        </ul>
      </nav>
      {tab === "picket" ? (
        <PicketAndCover disputeId={id} days={[...new Set(calendar.data.days.map((d) => d.day))]} />
      ) : tab === "pay" && canClaims ? (
        <StrikePay
          disputeId={id}
          days={calendar.data.days.filter((d) => d.kind === "strike").map((d) => d.day)}
        />
      ) : (
        <Calendar disputeId={id} />
      )}
    </>
  );
}

function Calendar({ disputeId }: { disputeId: number }) {
  const user = useUser();
  const calendar = useCalendar(disputeId);
  const plan = usePlanDay(disputeId);
  const [day, setDay] = useState("");
  const [kind, setKind] = useState<"strike" | "action_short_of_strike">("strike");
  const [types, setTypes] = useState("");
  const days = calendar.data?.days ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    plan.mutate(
      {
        day,
        kind,
        types:
          kind === "strike"
            ? []
            : types
                .split(",")
                .map((t) => t.trim())
                .filter(Boolean),
        note: "",
      },
      { onSuccess: () => setDay("") },
    );
  };
  return (
    <section className="section" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">Days of action</h2>
      <p className="muted small">
        Each day is checked at every place of every constituency you can see: the mandate in force on the day
        (the question answered yes, not expired) and a notice of industrial action given to that employer, in
        time, naming the day.
      </p>
      {hasPermission(user, "action.plan") ? (
        <form className="form-stack card" onSubmit={submit} aria-label="Add a day of action">
          <div className="field">
            <label htmlFor="action-day">Day</label>
            <input
              id="action-day"
              type="date"
              required
              value={day}
              onChange={(e) => setDay(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="action-kind">Kind</label>
            <select id="action-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="strike">Strike</option>
              <option value="action_short_of_strike">Action short of a strike</option>
            </select>
          </div>
          {kind === "action_short_of_strike" ? (
            <div className="field">
              <label htmlFor="action-types">Types (as on the voting paper, separated by commas)</label>
              <input id="action-types" type="text" value={types} onChange={(e) => setTypes(e.target.value)} />
            </div>
          ) : null}
          {plan.isError ? <p className="form-error">{plan.error.message}</p> : null}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={plan.isPending}>
              Add the day
            </button>
          </div>
        </form>
      ) : null}
      {days.length === 0 ? <Empty>No days of action planned yet.</Empty> : null}
      {days.map((d) => (
        <article key={d.id} className="card" aria-labelledby={`day-${d.id}`}>
          <h3 id={`day-${d.id}`} className="card-title">
            {dayLabel(d.day)}
            {" · "}
            {KIND_LABEL[d.kind]}
            {d.types.length ? ` (${d.types.join(", ")})` : ""}
          </h3>
          <p className="muted small">
            Lawful at {d.lawfulPlaces} of {d.places.length} place{d.places.length === 1 ? "" : "s"}.
          </p>
          <ul className="plain-list">
            {d.places.map((p) => (
              <li key={`${p.ballotId}-${p.employerId}-${p.workplaceId ?? "all"}`} className="action-place">
                <span className={`badge ${p.lawful ? "badge-ok" : "badge-error"}`}>
                  {p.lawful ? "Lawful" : "Not lawful"}
                </span>{" "}
                <strong>{p.workplaceName ?? `${p.employerName} (all workplaces)`}</strong>
                <span className="muted small"> · {p.ballotName}</span>
                {p.reasons.map((r) => (
                  <p key={r.code} className="small">
                    {r.message} <span className="muted">({r.citation})</span>
                  </p>
                ))}
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}

function StrikePay({ disputeId, days }: { disputeId: number; days: string[] }) {
  const user = useUser();
  const [state, setState] = useState<ClaimDto["state"]>("submitted");
  const claims = useClaims(disputeId, state, true);
  const rules = usePayRules(disputeId, true);
  const decide = useDecideClaim(disputeId);
  const canDecide = hasPermission(user, "action.approve");
  return (
    <>
      {rules.isError ? (
        <Notice tone="warning" title="No strike pay rules yet">
          {rules.error.message}
        </Notice>
      ) : rules.data ? (
        <p className="muted small">
          {pounds(rules.data.ratePence)} a day
          {rules.data.unpaidDays ? `, the first ${rules.data.unpaidDays} day(s) unpaid` : ""}
          {rules.data.maxPaidDays !== null ? `, at most ${rules.data.maxPaidDays} paid days` : ""}
          {rules.data.maxPencePerMember !== null
            ? `, at most ${pounds(rules.data.maxPencePerMember)} a member`
            : ""}
          ; hardship grants up to {pounds(rules.data.hardshipMaxPence)}.
        </p>
      ) : null}
      {canDecide ? <ClaimLinks disputeId={disputeId} /> : null}
      <ClaimForm disputeId={disputeId} days={days} />
      <section className="section" aria-labelledby="claims-heading">
        <h2 id="claims-heading">Claims</h2>
        <div className="field">
          <label htmlFor="claims-state">Show</label>
          <select
            id="claims-state"
            value={state}
            onChange={(e) => setState(e.target.value as ClaimDto["state"])}
          >
            {(Object.keys(STATE_LABEL) as ClaimDto["state"][]).map((s) => (
              <option key={s} value={s}>
                {STATE_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        {decide.isError ? <p className="form-error">{decide.error.message}</p> : null}
        {claims.isPending ? (
          <Loading label="Loading claims…" />
        ) : claims.isError ? (
          <ErrorPanel error={claims.error} title="Cannot load claims" />
        ) : claims.data.length === 0 ? (
          <Empty>No claims here.</Empty>
        ) : (
          <ul className="plain-list stack">
            {claims.data.map((c) => (
              <li key={c.id} className="card action-claim">
                <p>
                  <strong>{c.memberName}</strong> <span className="muted small">{c.membershipNumber}</span>
                  {c.workplaceName ? <span className="muted small"> · {c.workplaceName}</span> : null}
                </p>
                <p className="small">
                  {c.kind === "strike_pay"
                    ? `Strike pay for ${c.days.map(formatDate).join(", ")}`
                    : `Hardship grant: ${pounds(c.requestedPence)} asked`}
                  {c.amountPence !== null ? ` · ${pounds(c.amountPence)} granted` : ""}
                  {c.hasEvidence ? " · evidence attached" : ""}
                </p>
                {c.evidenceNote ? <p className="small muted">{c.evidenceNote}</p> : null}
                {canDecide && c.state === "submitted" ? (
                  <div className="form-actions">
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={decide.isPending}
                      onClick={() =>
                        decide.mutate({
                          claimId: c.id,
                          decision: "approve",
                          criteriaMet: c.kind === "hardship" ? (rules.data?.hardshipCriteria ?? []) : [],
                        })
                      }
                    >
                      Approve{c.kind === "hardship" ? " (criteria checked)" : ""}
                    </button>
                    <button
                      type="button"
                      className="button button-secondary"
                      disabled={decide.isPending}
                      onClick={() => decide.mutate({ claimId: c.id, decision: "reject" })}
                    >
                      Reject
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {hasPermission(user, "action.pay_export") ? <ExportForm disputeId={disputeId} /> : null}
    </>
  );
}

/**
 * Officers who decide claims issue each member of the dispute in their scope a personal strike pay link:
 * through it the member claims for the days they were out, or a hardship grant, themselves.
 */
function ClaimLinks({ disputeId }: { disputeId: number }) {
  const issue = useIssueStrikePayLinks(disputeId);
  const [issued, setIssued] = useState<number | null>(null);
  return (
    <section className="card form-stack" aria-labelledby="claim-links-heading">
      <h2 id="claim-links-heading" className="card-title">
        Members claim for themselves
      </h2>
      <p className="small">
        Each member of this dispute's ballots in your scope gets a personal link (for email, text or a printed
        letter) to claim strike pay for the days they were out, or a hardship grant. A link lasts 60 days
        after the last strike day; issuing again replaces earlier links.
      </p>
      {issue.isError ? <p className="form-error">{issue.error.message}</p> : null}
      {issued !== null ? (
        <p className="notice notice-ok" role="status">
          {issued} link(s) issued: the file downloaded is their only copy.
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={issue.isPending}
          onClick={() =>
            issue.mutate(undefined, {
              onSuccess: (csv) => {
                downloadCsv(`strike-pay-links-dispute-${disputeId}.csv`, csv);
                setIssued(Math.max(0, csv.trim().split(/\r?\n/).length - 1));
              },
            })
          }
        >
          {issue.isPending ? "Issuing…" : "Issue strike pay links (CSV)"}
        </button>
      </div>
    </section>
  );
}

function ClaimForm({ disputeId, days }: { disputeId: number; days: string[] }) {
  const nobody: PickedPerson = { memberId: null, name: "" };
  const [member, setMember] = useState<PickedPerson>(nobody);
  const memberId = member.memberId;
  const [kind, setKind] = useState<"strike_pay" | "hardship">("strike_pay");
  const [chosen, setChosen] = useState<string[]>([]);
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const submit = useSubmitClaim(disputeId);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (memberId === null) return;
    submit.mutate(
      {
        memberId,
        kind,
        days: kind === "strike_pay" ? chosen : [],
        requestedPence: kind === "hardship" ? Math.round(Number(amount) * 100) : null,
        evidenceNote: note,
      },
      {
        onSuccess: (c) => {
          setDone(`Claim entered for ${c.memberName}.`);
          setChosen([]);
          setNote("");
          setMember(nobody);
        },
      },
    );
  };
  return (
    <form className="form-stack card" onSubmit={onSubmit} aria-labelledby="claim-heading">
      <h2 id="claim-heading" className="card-title">
        Enter a claim
      </h2>
      <MemberPicker
        id="claim-member"
        label="Member (name or membership number)"
        value={member}
        onChange={(next) => {
          setMember(next);
          setDone(null);
        }}
      />
      <fieldset className="fieldset">
        <legend>Claim for</legend>
        <label className="action-check">
          <input
            type="radio"
            name="claim-kind"
            checked={kind === "strike_pay"}
            onChange={() => setKind("strike_pay")}
          />
          Strike pay
        </label>
        <label className="action-check">
          <input
            type="radio"
            name="claim-kind"
            checked={kind === "hardship"}
            onChange={() => setKind("hardship")}
          />
          Hardship grant
        </label>
      </fieldset>
      {kind === "strike_pay" ? (
        <fieldset className="fieldset">
          <legend>Days out</legend>
          {days.length === 0 ? <p className="muted small">No strike days planned.</p> : null}
          {days.map((d) => (
            <label key={d} className="action-check">
              <input
                type="checkbox"
                checked={chosen.includes(d)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, d] : chosen.filter((x) => x !== d))}
              />
              {dayLabel(d)}
            </label>
          ))}
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor="claim-amount">Amount asked (£)</label>
          <input
            id="claim-amount"
            type="text"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            pattern="\d+(\.\d{1,2})?"
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="claim-note">Evidence (a note)</label>
        <textarea
          id="claim-note"
          maxLength={2000}
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {submit.isError ? <p className="form-error">{submit.error.message}</p> : null}
      {done ? <p className="verdict verdict-ok">{done}</p> : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={memberId === null || submit.isPending}
        >
          Enter the claim
        </button>
      </div>
    </form>
  );
}

function ExportForm({ disputeId }: { disputeId: number }) {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const run = useExportPay(disputeId);
  return (
    <form
      className="form-stack card"
      aria-labelledby="export-heading"
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate({ from, to });
      }}
    >
      <h2 id="export-heading" className="card-title">
        Payments for finance
      </h2>
      <p className="muted small">
        Every approved day and grant in the period not yet exported, once: after this export they are paid and
        never exported again.
      </p>
      <div className="field">
        <label htmlFor="export-from">From</label>
        <input id="export-from" type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="export-to">To</label>
        <input id="export-to" type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {run.isError ? <p className="form-error">{run.error.message}</p> : null}
      {run.isSuccess ? <p className="verdict verdict-ok">Export saved.</p> : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={run.isPending}>
          Export payments (CSV)
        </button>
      </div>
    </form>
  );
}
