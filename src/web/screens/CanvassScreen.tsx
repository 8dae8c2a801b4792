/**
 * Contact lists while a ballot runs (decisions/0023). Phone first: a rep sees the members of their
 * workplaces still to reach, most urgent first, and logs each contact with one tap (what the member
 * says about their vote, or why they were not reached). Officers who assign lists see each rep's
 * assignment with its progress and the constituencies' turnout status, and assign or end lists.
 */
import { type FormEvent, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type AssignmentDto,
  type Assignments,
  type ContactType,
  callSheetUrl,
  type ListRowDto,
  type LogContact,
  type Outcome,
  type SelfReportKind,
  useAssignments,
  useContactList,
  useCreateAssignment,
  useEndAssignment,
  useLogContact,
  useTurnout,
} from "../api/canvass.js";
import { isNotFound } from "../api/client.js";
import { Badge } from "../components/Badges.js";
import { intParam, usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDate, formatNumber, plural } from "../format.js";
import { NotInUnion } from "./BallotParts.js";

const PAGE_SIZE = 25;

const CONTACT_TYPES: { id: ContactType; label: string }[] = [
  { id: "phone", label: "Phone" },
  { id: "conversation", label: "In person" },
  { id: "text", label: "Text" },
  { id: "email", label: "Email" },
];

/** Reached, and what the member said: one tap each. */
const REPORTS: { report: SelfReportKind; label: string }[] = [
  { report: "voted", label: "Has voted" },
  { report: "will_vote", label: "Will vote" },
  { report: "wont_vote", label: "Won't vote" },
  { report: "needs_replacement", label: "Needs new paper" },
];

const NOT_REACHED: { outcome: Outcome; label: string }[] = [
  { outcome: "reached", label: "Reached" },
  { outcome: "not_in", label: "Not in" },
  { outcome: "wrong_number", label: "Wrong number" },
  { outcome: "refused", label: "Refused" },
  { outcome: "moved", label: "Moved" },
];

const PRIORITY_LABEL: Record<ListRowDto["priority"], string> = {
  never_contacted: "Never contacted",
  pledged: "Pledged, not voted",
  new_member: "New member",
  replacement: "Replacement paper",
  other: "Contacted before",
};

const OUTCOME_LABEL: Record<Outcome, string> = {
  reached: "reached",
  not_in: "not in",
  wrong_number: "wrong number",
  refused: "refused",
  moved: "moved",
};

const REPORT_LABEL: Record<SelfReportKind, string> = {
  voted: "has voted",
  will_vote: "will vote",
  wont_vote: "won't vote",
  needs_replacement: "needs a new paper",
  wrong_address: "wrong address",
};

export function CanvassScreen() {
  const params = useParams();
  const id = Number(params.id);
  const user = useUser();
  const officer = hasPermission(user, "canvass.assign");
  usePageTitle("Contact list");
  if (!Number.isInteger(id) || id <= 0) {
    return <NotInUnion title="Ballot not found">No such ballot in your union.</NotInUnion>;
  }
  return (
    <div className="canvass">
      <p className="back-link">
        <Link to={`/ballots/${id}`}>← Ballot</Link>
      </p>
      {officer ? <OfficerView ballotId={id} /> : null}
      <RepList ballotId={id} heading={officer ? "h2" : "h1"} />
    </div>
  );
}

function RepList({ ballotId, heading: Heading }: { ballotId: number; heading: "h1" | "h2" }) {
  const [search, setSearch] = useSearchParams();
  const page = intParam(search, "page") ?? 1;
  const assignmentId = intParam(search, "assignment");
  const list = useContactList(ballotId, { page, pageSize: PAGE_SIZE, assignmentId });
  const log = useLogContact(ballotId);
  const [how, setHow] = useState<ContactType>("phone");
  const [said, setSaid] = useState<string>("");

  if (isNotFound(list.error)) {
    return <NotInUnion title="Ballot not found">No such ballot in your reach.</NotInUnion>;
  }
  if (list.isPending) return <Loading label="Loading your list…" />;
  if (list.isError) {
    return <ErrorPanel error={list.error} title="Cannot load the list" onRetry={() => void list.refetch()} />;
  }
  const data = list.data;
  const submit = (row: ListRowDto, input: Omit<LogContact, "memberId" | "contactType">) => {
    log.mutate(
      { memberId: row.memberId, contactType: how, ...input },
      {
        onSuccess: () =>
          setSaid(
            `${row.name}: ${input.report ? REPORT_LABEL[input.report] : OUTCOME_LABEL[input.outcome]}.`,
          ),
      },
    );
  };
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const goTo = (p: number) => {
    const next = new URLSearchParams(search);
    next.set("page", String(p));
    setSearch(next);
  };

  return (
    <section aria-labelledby="list-title" className="section">
      <Heading id="list-title">Still to reach: {data.ballot.name}</Heading>
      <p className="muted" data-testid="list-total">
        {plural(data.total, "member")} still to reach, most urgent first.
      </p>
      <p className="canvass-downloads small">
        Call sheet:{" "}
        <a href={callSheetUrl(ballotId, "pdf", { assignmentId })} download>
          PDF
        </a>{" "}
        ·{" "}
        <a href={callSheetUrl(ballotId, "csv", { assignmentId })} download>
          CSV
        </a>
      </p>
      <fieldset className="canvass-how">
        <legend>How you are contacting them</legend>
        {CONTACT_TYPES.map((t) => (
          <label key={t.id} className="canvass-how-option">
            <input
              type="radio"
              name="how"
              value={t.id}
              checked={how === t.id}
              onChange={() => setHow(t.id)}
            />
            {t.label}
          </label>
        ))}
      </fieldset>
      <div aria-live="polite" className="live-region" data-testid="logged">
        {said ? <p className="text-ok small">Logged: {said}</p> : null}
      </div>
      {log.isError ? <ErrorPanel error={log.error} title="The contact was not logged" /> : null}
      {data.items.length === 0 ? (
        <Empty>Nobody left to reach on this list.</Empty>
      ) : (
        <ul className="canvass-list">
          {data.items.map((row) => (
            <li key={row.memberId} className="card canvass-card" data-testid="canvass-member">
              <div className="canvass-card-head">
                <h3 className="canvass-name">{row.name}</h3>
                <Badge tone={row.priority === "never_contacted" ? "warning" : "neutral"}>
                  {PRIORITY_LABEL[row.priority]}
                </Badge>
              </div>
              <p className="small muted">
                {row.workplace ?? "No workplace"}
                {row.report ? ` · says they ${REPORT_LABEL[row.report]}` : ""}
                {row.lastContact
                  ? ` · last: ${formatDate(row.lastContact.at.slice(0, 10))}, ${OUTCOME_LABEL[row.lastContact.outcome]}`
                  : ""}
              </p>
              <p className="canvass-contact small">
                {row.phone ? <a href={`tel:${row.phone.replace(/\s+/g, "")}`}>{row.phone}</a> : "No phone"}
                {row.email ? (
                  <>
                    {" · "}
                    <a href={`mailto:${row.email}`}>{row.email}</a>
                  </>
                ) : null}
              </p>
              <fieldset className="canvass-buttons">
                <legend className="visually-hidden">{`Reached ${row.name}: what they said`}</legend>
                {REPORTS.map((r) => (
                  <button
                    key={r.report}
                    type="button"
                    className="button button-primary"
                    disabled={log.isPending}
                    onClick={() => submit(row, { outcome: "reached", report: r.report })}
                  >
                    {r.label}
                  </button>
                ))}
              </fieldset>
              <fieldset className="canvass-buttons">
                <legend className="visually-hidden">{`Outcome for ${row.name}`}</legend>
                {NOT_REACHED.map((o) => (
                  <button
                    key={o.outcome}
                    type="button"
                    className="button button-secondary"
                    disabled={log.isPending}
                    onClick={() => submit(row, { outcome: o.outcome })}
                  >
                    {o.label}
                  </button>
                ))}
              </fieldset>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages of the list" className="canvass-pages">
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={page <= 1}
            onClick={() => goTo(page - 1)}
          >
            Previous
          </button>
          <span className="small">
            Page {page} of {pages}
          </span>
          <button
            type="button"
            className="button button-small button-secondary"
            disabled={page >= pages}
            onClick={() => goTo(page + 1)}
          >
            Next
          </button>
        </nav>
      ) : null}
    </section>
  );
}

const STATUS_TONE = { safe: "ok", on_track: "ok", at_risk: "warning", lost: "error" } as const;
const STATUS_LABEL = { safe: "Safe", on_track: "On track", at_risk: "At risk", lost: "Lost" } as const;

function OfficerView({ ballotId }: { ballotId: number }) {
  const user = useUser();
  const assignments = useAssignments(ballotId);
  const turnout = useTurnout(ballotId, hasPermission(user, "turnout.read"));
  return (
    <section aria-labelledby="progress-title" className="section">
      <h1 id="progress-title">Contact progress</h1>
      {turnout.data ? (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="constituencies">
            <caption className="small muted">Constituencies, where effort counts most first</caption>
            <thead>
              <tr>
                <th scope="col">Constituency</th>
                <th scope="col">Status</th>
                <th scope="col">Votes needed</th>
                <th scope="col">Said they voted</th>
              </tr>
            </thead>
            <tbody>
              {turnout.data.constituencies.map((c) => (
                <tr key={c.ballotId}>
                  <th scope="row">
                    <Link to={`/ballots/${c.ballotId}/canvass`}>{c.name}</Link>
                  </th>
                  <td>
                    <Badge tone={STATUS_TONE[c.status]}>{STATUS_LABEL[c.status]}</Badge>
                  </td>
                  <td>{c.votesNeeded50 === null ? "—" : formatNumber(c.votesNeeded50)}</td>
                  <td data-testid={`said-voted-${c.ballotId}`}>{formatNumber(c.reports.voted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {assignments.isPending ? <Loading label="Loading assignments…" /> : null}
      {assignments.isError ? <ErrorPanel error={assignments.error} title="Cannot load assignments" /> : null}
      {assignments.data ? <AssignmentTable ballotId={ballotId} data={assignments.data} /> : null}
      {assignments.data ? <AssignForm ballotId={ballotId} data={assignments.data} /> : null}
    </section>
  );
}

function AssignmentTable({ ballotId, data }: { ballotId: number; data: Assignments }) {
  const end = useEndAssignment(ballotId);
  if (!data.assignments.length) return <Empty>No lists assigned yet.</Empty>;
  const list = (a: AssignmentDto) =>
    a.workplace ? a.workplace.name : plural(a.progress.members, "named member");
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="assignments">
        <caption className="small muted">Reps' lists and their progress</caption>
        <thead>
          <tr>
            <th scope="col">Rep</th>
            <th scope="col">Constituency</th>
            <th scope="col">List</th>
            <th scope="col">Members</th>
            <th scope="col">Contacted</th>
            <th scope="col">Reached</th>
            <th scope="col">Said they voted</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.assignments.map((a) => (
            <tr key={a.id} data-testid={`assignment-${a.id}`}>
              <th scope="row">{a.rep.name}</th>
              <td>{a.ballotName}</td>
              <td>{list(a)}</td>
              <td>{formatNumber(a.progress.members)}</td>
              <td>{formatNumber(a.progress.contacted)}</td>
              <td>{formatNumber(a.progress.reached)}</td>
              <td data-testid="reported-voted">{formatNumber(a.progress.reportedVoted)}</td>
              <td>
                {a.endedAt ? (
                  <span className="small muted">Ended {formatDate(a.endedAt.slice(0, 10))}</span>
                ) : (
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    disabled={end.isPending}
                    onClick={() => end.mutate(a.id)}
                  >
                    End
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AssignForm({ ballotId, data }: { ballotId: number; data: Assignments }) {
  const create = useCreateAssignment(ballotId);
  const [repId, setRepId] = useState<number | "">("");
  const [workplaceId, setWorkplaceId] = useState<number | "">("");
  if (!data.reps.length) return <p className="small muted">No reps in your scope to assign lists to.</p>;
  const rep = data.reps.find((r) => r.id === repId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (repId === "" || workplaceId === "") return;
    create.mutate({ repUserId: repId, workplaceId });
  };
  return (
    <form className="inline-form canvass-assign" onSubmit={submit} aria-label="Assign a list">
      <div className="field">
        <label htmlFor="assign-rep">Rep</label>
        <select
          id="assign-rep"
          value={repId}
          onChange={(e) => {
            setRepId(e.target.value ? Number(e.target.value) : "");
            setWorkplaceId("");
          }}
        >
          <option value="">Choose a rep</option>
          {data.reps.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="assign-workplace">Workplace</label>
        <select
          id="assign-workplace"
          value={workplaceId}
          disabled={!rep}
          onChange={(e) => setWorkplaceId(e.target.value ? Number(e.target.value) : "")}
        >
          <option value="">Choose a workplace</option>
          {(rep?.workplaces ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        className="button button-primary"
        disabled={create.isPending || workplaceId === ""}
      >
        Assign this ballot's list
      </button>
      {create.isError ? <ErrorPanel error={create.error} title="The list was not assigned" /> : null}
    </form>
  );
}
