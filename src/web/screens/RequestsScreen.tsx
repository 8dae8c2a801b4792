import { type FormEvent, type ReactNode, useId, useState } from "react";
import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { useRegions, useSectors } from "../api/org.js";
import {
  type RequestSummaryDto,
  type Urgency,
  useAnswer,
  useDepartments,
  useRaiseRequest,
  useRequest,
  useRequests,
  useRequestsReport,
  useServiceLevels,
  useTriage,
} from "../api/requests.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { idOptions, labelOptions, SelectField } from "../components/SelectField.js";
import { formatDate, formatDateTime, formatNumber } from "../format.js";
import { ActionButton, CheckField, FormError, InputField, TextareaField } from "./BallotParts.js";
import { DepartmentsPanel } from "./DepartmentsPanel.js";

const URGENCY_LABEL: Record<Urgency, string> = {
  critical: "Critical",
  high: "High",
  normal: "Normal",
  low: "Low",
};
const STATUS_LABEL = { new: "New", triaged: "Triaged", answered: "Answered", resolved: "Resolved" } as const;

function ServiceBadge({
  r,
}: {
  r: Pick<RequestSummaryDto, "serviceLevel" | "escalatedAt" | "dueAt" | "status">;
}) {
  if (r.serviceLevel === "missed")
    return <Badge tone="error">{r.escalatedAt ? "Missed: escalated" : "Missed"}</Badge>;
  if (r.serviceLevel === "met") return <Badge tone="ok">Answered in time</Badge>;
  return <Badge tone="warning">{`Answer due ${formatDateTime(r.dueAt)}`}</Badge>;
}

/** Requests for assistance: raise one, see yours and your department's, and (national) the reports. */
export function RequestsScreen() {
  usePageTitle("Requests");
  const user = useUser();
  const [open, setOpen] = useState(true);
  const [escalated, setEscalated] = useState(false);
  const list = useRequests({ open, escalated });
  const reports = useRequestsReport(hasPermission(user, "requests.reports"));
  return (
    <>
      <h1>Requests for assistance</h1>
      <p className="muted">
        Ask a central department (legal, communications, membership data, finance, IT…) for help. Each urgency
        has a time by which the department answers first; a request not answered by then is escalated to the
        disputes unit.
      </p>
      {hasPermission(user, "requests.raise") ? <RaiseRequest /> : null}
      <section className="section" aria-labelledby="requests-list">
        <h2 id="requests-list">
          {hasPermission(user, "plans.rollup") ? "Every request" : "Requests you see"}
        </h2>
        <CheckField label="Open requests only" checked={open} onChange={setOpen} />
        {hasPermission(user, "requests.reports") ? (
          <CheckField
            label="Escalated to the disputes unit only"
            checked={escalated}
            onChange={setEscalated}
          />
        ) : null}
        {list.isPending ? <Loading label="Loading the requests…" /> : null}
        {list.isError ? <ErrorPanel error={list.error} title="Cannot load the requests" /> : null}
        {list.data && list.data.requests.length === 0 ? <Empty>No request.</Empty> : null}
        {list.data && list.data.requests.length > 0 ? (
          <ul className="plain-list stack">
            {list.data.requests.map((r) => (
              <li
                key={r.id}
                className={r.serviceLevel === "missed" && r.status !== "resolved" ? "card row-error" : "card"}
              >
                <p>
                  <Link to={`/requests/${r.id}`}>
                    <strong>{r.title}</strong>
                  </Link>{" "}
                  <Badge tone={r.urgency === "critical" ? "error" : "neutral"}>
                    {URGENCY_LABEL[r.urgency]}
                  </Badge>{" "}
                  <Badge tone={r.status === "resolved" ? "ok" : "neutral"}>{STATUS_LABEL[r.status]}</Badge>{" "}
                  <ServiceBadge r={r} />
                </p>
                <p className="small muted">
                  {r.department.name} · from {r.region?.name ?? r.sector?.name ?? "the disputes unit"}
                  {r.raisedBy ? `, ${r.raisedBy.name}` : ""} · raised {formatDateTime(r.raisedAt)}
                  {r.owner ? ` · owner ${r.owner.name}` : ""}
                  {r.canAnswer && r.status !== "resolved" ? " · yours to answer" : ""}
                </p>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {hasPermission(user, "requests.configure") ? <DepartmentsPanel /> : null}
      {reports.data ? (
        <section className="section" aria-labelledby="requests-report">
          <h2 id="requests-report">
            Time to answer by department ({formatDate(reports.data.from)} to {formatDate(reports.data.to)})
          </h2>
          <ScrollRegion label="Time to answer by department">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Department</th>
                  <th scope="col">Raised</th>
                  <th scope="col">Open</th>
                  <th scope="col">First answer, median (h)</th>
                  <th scope="col">First answer, 90% (h)</th>
                  <th scope="col">Resolved, median (h)</th>
                  <th scope="col">Resolved, 90% (h)</th>
                  <th scope="col">Missed</th>
                </tr>
              </thead>
              <tbody>
                {reports.data.departments.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">{d.name}</th>
                    <td>{formatNumber(d.raised)}</td>
                    <td>{formatNumber(d.open)}</td>
                    <td>{d.firstAnswerHours.median ?? "–"}</td>
                    <td>{d.firstAnswerHours.p90 ?? "–"}</td>
                    <td>{d.resolutionHours.median ?? "–"}</td>
                    <td>{d.resolutionHours.p90 ?? "–"}</td>
                    <td>{formatNumber(d.serviceLevelMissed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
      ) : null}
    </>
  );
}

/** Which of the raiser's regions or sectors a request is for: asked only when there is a choice. */
function useOrigins() {
  const user = useUser();
  const wantsRegions = user.role === "national" || (user.role === "regional" && user.regionIds.length > 1);
  const wantsSectors = user.role === "national" || (user.role === "sector" && user.sectorIds.length > 1);
  const regions = useRegions(wantsRegions);
  const sectors = useSectors(wantsSectors);
  const mine = (ids: number[]) => (x: { id: number }) => user.role === "national" || ids.includes(x.id);
  return [
    ...(user.role === "national" ? [{ value: "", label: "The disputes unit" }] : []),
    ...(wantsRegions ? (regions.data ?? []) : [])
      .filter(mine(user.regionIds))
      .map((r) => ({ value: `region:${r.id}`, label: `${r.name} (region)` })),
    ...(wantsSectors ? (sectors.data ?? []) : [])
      .filter(mine(user.sectorIds))
      .map((x) => ({ value: `sector:${x.id}`, label: `${x.name} (sector)` })),
  ];
}

function RaiseRequest() {
  const origins = useOrigins();
  const [origin, setOrigin] = useState("");
  const departments = useDepartments();
  const levels = useServiceLevels();
  const raise = useRaiseRequest();
  const [department, setDepartment] = useState("");
  const [urgency, setUrgency] = useState<Urgency>("normal");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  if (!departments.data?.length) return null;
  const chosen = department || String(departments.data[0]!.id);
  const level = levels.data?.find((l) => l.urgency === urgency);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [kind, raw] = origin.split(":");
    raise.mutate(
      {
        departmentId: Number(chosen),
        urgency,
        title,
        body,
        regionId: kind === "region" ? Number(raw) : null,
        sectorId: kind === "sector" ? Number(raw) : null,
      },
      {
        onSuccess: () => {
          setTitle("");
          setBody("");
        },
      },
    );
  };
  return (
    <details className="disclosure section" open>
      <summary>Raise a request</summary>
      <form className="card form-stack" onSubmit={submit}>
        <SelectField
          label="Department"
          value={chosen}
          options={idOptions(departments.data, (d) => d.name)}
          onChange={setDepartment}
        />
        <SelectField
          label="Urgency"
          value={urgency}
          options={labelOptions(URGENCY_LABEL)}
          onChange={(v) => setUrgency(v as Urgency)}
        >
          {level ? (
            <p className="field-hint">
              First answer within {level.amount} {level.unit === "hours" ? "hour" : "working day"}
              {level.amount === 1 ? "" : "s"}
            </p>
          ) : null}
        </SelectField>
        {origins.length > 1 ? (
          <SelectField
            label="For"
            value={origin}
            emptyLabel={origin === "" && !origins.some((o) => o.value === "") ? "Choose…" : undefined}
            options={origins}
            onChange={setOrigin}
          />
        ) : null}
        <InputField label="What do you need?" value={title} onChange={setTitle} required />
        <TextareaField label="Details" value={body} onChange={setBody} required rows={4} />
        <ActionButton primary submit busy={raise.isPending} busyLabel="Raising…">
          Raise the request
        </ActionButton>
        {raise.isError ? <FormError error={raise.error} title="The request was not raised" /> : null}
        {raise.isSuccess ? (
          <p className="text-ok" role="status">
            Raised: <Link to={`/requests/${raise.data.id}`}>{raise.data.title}</Link>, answer due{" "}
            {formatDateTime(raise.data.dueAt)}.
          </p>
        ) : null}
      </form>
    </details>
  );
}

/** One request: its details and answers; triage and answer forms for its department. */
export function RequestScreen() {
  const { id } = useParams();
  const requestId = Number(id);
  const request = useRequest(requestId);
  usePageTitle(request.data?.title ?? "Request");
  if (request.isPending) return <Loading label="Loading the request…" />;
  if (request.isError) return <ErrorPanel error={request.error} title="Cannot load the request" />;
  const r = request.data;
  return (
    <>
      <p>
        <Link to="/requests" className="back-link">
          All requests
        </Link>
      </p>
      <h1>{r.title}</h1>
      <p>
        <Badge tone={r.urgency === "critical" ? "error" : "neutral"}>{URGENCY_LABEL[r.urgency]}</Badge>{" "}
        <Badge tone={r.status === "resolved" ? "ok" : "neutral"}>{STATUS_LABEL[r.status]}</Badge>{" "}
        <ServiceBadge r={r} />
      </p>
      <dl className="facts section">
        <Fact label="Department">{r.department.name}</Fact>
        <Fact label="From">
          {r.region?.name ?? r.sector?.name ?? "the disputes unit"}
          {r.raisedBy ? `, ${r.raisedBy.name}` : ""}
        </Fact>
        <Fact label="Raised">{formatDateTime(r.raisedAt)}</Fact>
        <Fact label="First answer due">{formatDateTime(r.dueAt)}</Fact>
        <Fact label="Owner">{r.owner?.name ?? "Not yet assigned"}</Fact>
        {r.escalatedAt ? (
          <Fact label="Escalated to the disputes unit">{formatDateTime(r.escalatedAt)}</Fact>
        ) : null}
      </dl>
      <p className="prose card">{r.body}</p>
      <section className="section" aria-labelledby="answers">
        <h2 id="answers">Answers</h2>
        {r.answers.length === 0 ? <Empty>No answer yet.</Empty> : null}
        {r.answers.map((a) => (
          <article key={a.id} className="card stack">
            <p className="small muted">
              {a.author ?? "A former user"}, {formatDateTime(a.createdAt)}
            </p>
            <p className="prose">{a.body}</p>
          </article>
        ))}
      </section>
      {r.canAnswer && r.status !== "resolved" ? (
        <Respond requestId={r.id} departmentId={r.department.id} urgency={r.urgency} />
      ) : null}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Respond({
  requestId,
  departmentId,
  urgency,
}: {
  requestId: number;
  departmentId: number;
  urgency: Urgency;
}) {
  const id = useId();
  const departments = useDepartments();
  const triage = useTriage(requestId);
  const answer = useAnswer(requestId);
  const [newUrgency, setNewUrgency] = useState<Urgency>(urgency);
  const [owner, setOwner] = useState("");
  const [body, setBody] = useState("");
  const [resolve, setResolve] = useState(false);
  const members = departments.data?.find((d) => d.id === departmentId)?.members ?? [];
  return (
    <>
      <section className="section" aria-labelledby={`${id}-triage`}>
        <h2 id={`${id}-triage`}>Triage</h2>
        <form
          className="card form-stack"
          onSubmit={(e) => {
            e.preventDefault();
            triage.mutate({
              ...(newUrgency !== urgency ? { urgency: newUrgency } : {}),
              ...(owner ? { ownerUserId: Number(owner) } : {}),
              ...(newUrgency === urgency && !owner ? { urgency } : {}),
            });
          }}
        >
          <SelectField
            label="Urgency"
            value={newUrgency}
            options={labelOptions(URGENCY_LABEL)}
            onChange={(v) => setNewUrgency(v as Urgency)}
          />
          <SelectField
            label="Owner"
            value={owner}
            emptyLabel="Keep as it is"
            options={idOptions(members, (m) => m.name)}
            onChange={setOwner}
          />
          <ActionButton submit busy={triage.isPending} busyLabel="Saving…">
            Save the triage
          </ActionButton>
          {triage.isError ? <FormError error={triage.error} title="The triage was not saved" /> : null}
        </form>
      </section>
      <section className="section" aria-labelledby={`${id}-answer`}>
        <h2 id={`${id}-answer`}>Answer</h2>
        <form
          className="card form-stack"
          onSubmit={(e) => {
            e.preventDefault();
            answer.mutate({ body, resolve }, { onSuccess: () => setBody("") });
          }}
        >
          <TextareaField label="Your answer" value={body} onChange={setBody} required rows={4} />
          <CheckField label="This settles the request (resolve it)" checked={resolve} onChange={setResolve} />
          <ActionButton primary submit busy={answer.isPending} busyLabel="Sending…">
            Send the answer
          </ActionButton>
          {answer.isError ? <FormError error={answer.error} title="The answer was not sent" /> : null}
        </form>
      </section>
    </>
  );
}
