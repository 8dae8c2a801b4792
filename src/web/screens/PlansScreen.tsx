import { type FormEvent, useId, useState } from "react";
import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type ConstituencyDto,
  type PlanDto,
  type TaskDto,
  type TaskStatus,
  useAddToPlan,
  useConstituencies,
  useCreatePlan,
  usePeople,
  usePlan,
  usePlanPlaces,
  usePlans,
  useRollup,
  useUpdateTask,
} from "../api/plans.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { idOptions, labelOptions, SelectField } from "../components/SelectField.js";
import { formatDate, formatNumber, formatPercent } from "../format.js";
import { ActionButton, CheckField, FormError, InputField, TextareaField } from "./BallotParts.js";

const STATUS_LABEL: Record<TaskStatus, string> = {
  todo: "To do",
  doing: "In hand",
  blocked: "Blocked",
  done: "Done",
};
const TURNOUT_LABEL: Record<ConstituencyDto["status"], string> = {
  safe: "Safe",
  on_track: "On track",
  at_risk: "At risk",
  lost: "Lost",
};
const TURNOUT_TONE = { safe: "ok", on_track: "ok", at_risk: "warning", lost: "error" } as const;
const RESOURCE_LABEL = {
  officer_days: "Officer days",
  reps: "Reps",
  materials: "Materials",
  budget: "Budget (£)",
} as const;

/** Plans: the disputes unit's roll-up (national officers), the tasks given to the reader, and the plans they see. */
export function PlansScreen() {
  usePageTitle("Plans");
  const user = useUser();
  const plans = usePlans();
  const national = hasPermission(user, "plans.rollup");
  const rollup = useRollup(national);
  if (plans.isPending) return <Loading label="Loading the plans…" />;
  if (plans.isError) return <ErrorPanel error={plans.error} title="Cannot load the plans" />;
  return (
    <>
      <h1>Plans</h1>
      <p className="muted">
        Each region has a plan and each sector a national strategy: objectives tied to the constituencies that
        matter, tasks with owners and due dates, resources committed and meetings.
      </p>
      {national ? <Rollup query={rollup} /> : null}
      <MyTasks tasks={plans.data.myTasks} />
      <section className="section" aria-labelledby="plans-list">
        <h2 id="plans-list">{national ? "Every plan" : "Your plans"}</h2>
        {plans.data.plans.length === 0 ? (
          <Empty>No plan yet for your region or sector.</Empty>
        ) : (
          <ScrollRegion label="Plans">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">For</th>
                  <th scope="col">Objectives</th>
                  <th scope="col">Open tasks</th>
                  <th scope="col">Overdue</th>
                </tr>
              </thead>
              <tbody>
                {plans.data.plans.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/plans/${p.id}`}>{p.title}</Link>
                    </td>
                    <td>
                      {p.scopeName}
                      <span className="cell-sub">
                        {p.kind === "region" ? "regional plan" : "sector strategy"}
                      </span>
                    </td>
                    <td>{formatNumber(p.objectives)}</td>
                    <td>{formatNumber(p.tasks.open)}</td>
                    <td>
                      {p.tasks.overdue ? <Badge tone="error">{formatNumber(p.tasks.overdue)}</Badge> : "0"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
      {hasPermission(user, "plans.write") ? <StartPlan /> : null}
    </>
  );
}

function Rollup({ query }: { query: ReturnType<typeof useRollup> }) {
  if (query.isPending) return <Loading label="Rolling up every plan…" />;
  if (query.isError) return <ErrorPanel error={query.error} title="Cannot roll up the plans" />;
  const r = query.data;
  return (
    <section className="section card" aria-labelledby="rollup-title">
      <h2 id="rollup-title">Disputes unit: every plan as at {formatDate(r.asAt)}</h2>
      <div className="stat-grid stat-grid-compact">
        <Stat label="Overdue tasks" value={r.overdueTasks.length} alert />
        <Stat label="At risk, no task" value={r.uncovered.length} alert />
        <Stat label="Regions with no plan" value={r.regionsWithoutPlan.length} alert />
        <Stat label="Sectors with no strategy" value={r.sectorsWithoutStrategy.length} />
      </div>
      <h3 className="section">Overdue tasks</h3>
      {r.overdueTasks.length === 0 ? (
        <p className="text-ok">No task is overdue.</p>
      ) : (
        <ScrollRegion label="Overdue tasks">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Plan</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Late by</th>
              </tr>
            </thead>
            <tbody>
              {r.overdueTasks.map((t) => (
                <tr key={t.id} className="row-error">
                  <td>{t.title}</td>
                  <td>
                    <Link to={`/plans/${t.planId}`}>{t.scopeName}</Link>
                  </td>
                  <td>{t.owner?.name ?? "No owner"}</td>
                  <td className="nowrap">{formatDate(t.dueOn)}</td>
                  <td className="nowrap">
                    {t.daysOverdue} day{t.daysOverdue === 1 ? "" : "s"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <h3 className="section">Constituencies at risk or near the line with no task</h3>
      {r.uncovered.length === 0 ? (
        <p className="text-ok">Every constituency that matters has an open task.</p>
      ) : (
        <ul className="plain-list" aria-label="Constituencies with no task">
          {r.uncovered.map((c) => (
            <li key={c.ballotId}>
              <Link to={`/ballots/${c.ballotId}`}>{c.name}</Link> <TurnoutBadge c={c} />{" "}
              <span className="muted small">{c.disputeTitle}</span>
            </li>
          ))}
        </ul>
      )}
      {r.regionsWithoutPlan.length || r.sectorsWithoutStrategy.length ? (
        <>
          <h3>No plan yet</h3>
          <p>
            {[
              ...r.regionsWithoutPlan.map((x) => `${x.name} (region)`),
              ...r.sectorsWithoutStrategy.map((x) => `${x.name} (sector)`),
            ].join(", ")}
          </p>
        </>
      ) : null}
    </section>
  );
}

function Stat({ label, value, alert = false }: { label: string; value: number; alert?: boolean }) {
  return (
    <div className={alert && value > 0 ? "stat stat-error" : "stat"}>
      <p className="figure-value">{formatNumber(value)}</p>
      <p className="figure-name">{label}</p>
    </div>
  );
}

function TurnoutBadge({ c }: { c: ConstituencyDto }) {
  return (
    <Badge tone={TURNOUT_TONE[c.status]}>
      {`${TURNOUT_LABEL[c.status]}${c.forecast !== null ? `, forecast ${formatPercent(c.forecast)}` : ""}`}
    </Badge>
  );
}

function MyTasks({ tasks }: { tasks: TaskDto[] }) {
  if (!tasks.length) return null;
  return (
    <section className="section" aria-labelledby="my-tasks">
      <h2 id="my-tasks">Your tasks</h2>
      <TaskList tasks={tasks} editable={() => "status"} showPlan />
    </section>
  );
}

/** Tasks, each with its status changeable where the reader may (writer: anything; owner: status). */
function TaskList({
  tasks,
  editable,
  showPlan = false,
}: {
  tasks: TaskDto[];
  editable: (t: TaskDto) => "status" | null;
  showPlan?: boolean;
}) {
  const update = useUpdateTask();
  return (
    <>
      {update.isError ? <FormError error={update.error} title="The task was not changed" /> : null}
      <ul className="plain-list stack">
        {tasks.map((t) => (
          <li key={t.id} className={t.overdue ? "card row-error" : "card"}>
            <p>
              <strong>{t.title}</strong> {t.overdue ? <Badge tone="error">Overdue</Badge> : null}{" "}
              {t.status === "done" ? <Badge tone="ok">Done</Badge> : null}
            </p>
            <p className="small muted">
              {t.owner ? `Owner: ${t.owner.name}` : "No owner"}
              {t.dueOn ? ` · due ${formatDate(t.dueOn)}` : ""}
              {t.ballotName ? ` · ${t.ballotName}` : ""}
              {showPlan ? (
                <>
                  {" · "}
                  <Link to={`/plans/${t.planId}`}>open the plan</Link>
                </>
              ) : null}
            </p>
            {editable(t) ? (
              <label className="inline-form small">
                Status{" "}
                <select
                  value={t.status}
                  disabled={update.isPending}
                  onChange={(e) => update.mutate({ id: t.id, status: e.target.value as TaskStatus })}
                >
                  {Object.entries(STATUS_LABEL).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <p className="small">{STATUS_LABEL[t.status]}</p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function StartPlan() {
  const places = usePlanPlaces(true);
  const create = useCreatePlan();
  const id = useId();
  const [place, setPlace] = useState("");
  const [title, setTitle] = useState("");
  if (!places.data) return null;
  const open = [
    ...places.data.regions
      .filter((r) => r.planId === null)
      .map((r) => ({ value: `region:${r.id}`, label: `${r.name} (regional plan)` })),
    ...places.data.sectors
      .filter((s) => s.planId === null)
      .map((s) => ({ value: `sector:${s.id}`, label: `${s.name} (sector strategy)` })),
  ];
  if (!open.length) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [kind, raw] = (place || open[0]!.value).split(":") as ["region" | "sector", string];
    create.mutate({
      kind,
      regionId: kind === "region" ? Number(raw) : null,
      sectorId: kind === "sector" ? Number(raw) : null,
      title,
    });
  };
  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Start a plan</h2>
      <form className="card form-stack" onSubmit={submit}>
        <SelectField label="For" value={place || open[0]!.value} options={open} onChange={setPlace} />
        <InputField label="Title" value={title} onChange={setTitle} required />
        <ActionButton primary submit busy={create.isPending} busyLabel="Starting…">
          Start the plan
        </ActionButton>
        {create.isError ? <FormError error={create.error} title="The plan was not started" /> : null}
        {create.isSuccess ? (
          <p className="text-ok">
            Started: <Link to={`/plans/${create.data.id}`}>{create.data.title}</Link>
          </p>
        ) : null}
      </form>
    </section>
  );
}

/** One plan: objectives and their constituencies, tasks, resources and meetings; forms for its writers. */
export function PlanScreen() {
  const { id } = useParams();
  const planId = Number(id);
  const user = useUser();
  const plan = usePlan(planId);
  usePageTitle(plan.data?.title ?? "Plan");
  if (plan.isPending) return <Loading label="Loading the plan…" />;
  if (plan.isError) return <ErrorPanel error={plan.error} title="Cannot load the plan" />;
  const p = plan.data;
  const editable = (t: TaskDto) => (p.canWrite || t.owner?.id === user.id ? ("status" as const) : null);
  return (
    <>
      <p>
        <Link to="/plans" className="back-link">
          All plans
        </Link>
      </p>
      <h1>{p.title}</h1>
      <p className="lead">
        {p.kind === "region" ? "Regional plan" : "National sector strategy"}: {p.scopeName}
      </p>
      {p.summary ? <p className="prose">{p.summary}</p> : null}
      <section className="section" aria-labelledby="objectives">
        <h2 id="objectives">Objectives</h2>
        {p.objectiveList.length === 0 ? <Empty>No objective yet.</Empty> : null}
        <ol>
          {p.objectiveList.map((o) => (
            <li key={o.id}>
              {o.text}
              {o.constituencies.length ? (
                <span className="muted small"> — {o.constituencies.map((c) => c.name).join(", ")}</span>
              ) : null}
            </li>
          ))}
        </ol>
        {p.canWrite ? <AddObjective plan={p} /> : null}
      </section>
      <section className="section" aria-labelledby="tasks">
        <h2 id="tasks">
          Tasks {p.tasks.overdue ? <Badge tone="error">{`${p.tasks.overdue} overdue`}</Badge> : null}
        </h2>
        {p.taskList.length === 0 ? (
          <Empty>No task yet.</Empty>
        ) : (
          <TaskList tasks={p.taskList} editable={editable} />
        )}
        {p.canWrite ? <AddTask plan={p} /> : null}
      </section>
      <section className="section" aria-labelledby="resources">
        <h2 id="resources">Resources committed</h2>
        <div className="stat-grid stat-grid-compact">
          {Object.entries(RESOURCE_LABEL).map(([k, label]) => (
            <div key={k} className="stat">
              <p className="figure-value">
                {formatNumber(p.resourceTotals[k as keyof typeof RESOURCE_LABEL])}
              </p>
              <p className="figure-name">{label}</p>
            </div>
          ))}
        </div>
        {p.canWrite ? <AddResource planId={p.id} /> : null}
      </section>
      <section className="section" aria-labelledby="meetings">
        <h2 id="meetings">Meetings</h2>
        {p.meetings.length === 0 ? <Empty>No meeting recorded.</Empty> : null}
        {p.meetings.map((m) => (
          <article key={m.id} className="card stack">
            <h3>
              {m.title} <span className="muted small">{formatDate(m.heldOn)}</span>
            </h3>
            {m.attendees.length ? <p className="small">Present: {m.attendees.join(", ")}</p> : null}
            {m.decisions ? <p className="prose">{m.decisions}</p> : null}
            {m.taskIds.length ? (
              <p className="small muted">
                {m.taskIds.length} action{m.taskIds.length === 1 ? "" : "s"} became tasks
              </p>
            ) : null}
          </article>
        ))}
        {p.canWrite ? <AddMeeting planId={p.id} /> : null}
      </section>
    </>
  );
}

function AddObjective({ plan }: { plan: PlanDto }) {
  const add = useAddToPlan(plan.id, "objectives");
  const constituencies = useConstituencies(true);
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<number[]>([]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { text, ballotIds: chosen },
      {
        onSuccess: () => {
          setText("");
          setChosen([]);
        },
      },
    );
  };
  const list = constituencies.data ?? [];
  return (
    <details className="disclosure">
      <summary>Add an objective</summary>
      <form className="card form-stack" onSubmit={submit}>
        <InputField label="Objective" value={text} onChange={setText} required />
        <fieldset className="fieldset">
          <legend>Constituencies it is about</legend>
          {constituencies.isPending ? <Loading label="Loading the constituencies…" /> : null}
          {constituencies.isSuccess && list.length === 0 ? (
            <p className="muted small">No live ballot in your reach.</p>
          ) : null}
          {list.map((c) => (
            <div key={c.ballotId}>
              <CheckField
                label={`${c.name}: ${TURNOUT_LABEL[c.status]}${c.matters ? " (matters)" : ""}${c.covered ? "" : c.matters ? ", no task yet" : ""}`}
                checked={chosen.includes(c.ballotId)}
                onChange={(on) =>
                  setChosen((xs) => (on ? [...xs, c.ballotId] : xs.filter((x) => x !== c.ballotId)))
                }
              />
            </div>
          ))}
        </fieldset>
        <ActionButton primary submit busy={add.isPending} busyLabel="Adding…">
          Add the objective
        </ActionButton>
        {add.isError ? <FormError error={add.error} title="The objective was not added" /> : null}
      </form>
    </details>
  );
}

function PersonSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const people = usePeople(true);
  return (
    <SelectField
      label="Owner"
      value={value}
      emptyLabel="No owner yet"
      options={idOptions(people.data, (u) => `${u.name} (${u.role})`)}
      onChange={onChange}
    />
  );
}

function AddTask({ plan }: { plan: PlanDto }) {
  const add = useAddToPlan(plan.id, "tasks");
  const [title, setTitle] = useState("");
  const [owner, setOwner] = useState("");
  const [due, setDue] = useState("");
  const [objective, setObjective] = useState("");
  const [ballot, setBallot] = useState("");
  const constituencies = useConstituencies(true);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      {
        title,
        ownerUserId: owner ? Number(owner) : null,
        dueOn: due || null,
        objectiveId: objective ? Number(objective) : null,
        ballotId: ballot ? Number(ballot) : null,
      },
      {
        onSuccess: () => {
          setTitle("");
          setDue("");
        },
      },
    );
  };
  return (
    <details className="disclosure">
      <summary>Add a task</summary>
      <form className="card form-stack" onSubmit={submit}>
        <InputField label="Task" value={title} onChange={setTitle} required />
        <PersonSelect value={owner} onChange={setOwner} />
        <InputField label="Due" type="date" value={due} onChange={setDue} />
        {plan.objectiveList.length ? (
          <SelectField
            label="Objective"
            value={objective}
            emptyLabel="None"
            options={idOptions(plan.objectiveList, (o) => o.text)}
            onChange={setObjective}
          />
        ) : null}
        {constituencies.data?.length ? (
          <SelectField
            label="Constituency"
            value={ballot}
            emptyLabel="None, or through its objective"
            options={constituencies.data.map((c) => ({
              value: String(c.ballotId),
              label: `${c.name}: ${TURNOUT_LABEL[c.status]}`,
            }))}
            onChange={setBallot}
          />
        ) : null}
        <ActionButton primary submit busy={add.isPending} busyLabel="Adding…">
          Add the task
        </ActionButton>
        {add.isError ? <FormError error={add.error} title="The task was not added" /> : null}
      </form>
    </details>
  );
}

function AddResource({ planId }: { planId: number }) {
  const add = useAddToPlan(planId, "resources");
  const [kind, setKind] = useState<keyof typeof RESOURCE_LABEL>("officer_days");
  const [quantity, setQuantity] = useState("");
  const [note, setNote] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { kind, quantity: Number(quantity), note },
      {
        onSuccess: () => {
          setQuantity("");
          setNote("");
        },
      },
    );
  };
  return (
    <details className="disclosure">
      <summary>Commit resources</summary>
      <form className="card form-stack" onSubmit={submit}>
        <SelectField
          label="What"
          value={kind}
          options={labelOptions(RESOURCE_LABEL)}
          onChange={(v) => setKind(v as typeof kind)}
        />
        <InputField
          label="How many (budget in pounds)"
          type="number"
          min={0}
          value={quantity}
          onChange={setQuantity}
          required
        />
        <InputField label="Note" value={note} onChange={setNote} />
        <ActionButton primary submit busy={add.isPending} busyLabel="Committing…">
          Commit
        </ActionButton>
        {add.isError ? <FormError error={add.error} title="The resources were not committed" /> : null}
      </form>
    </details>
  );
}

function AddMeeting({ planId }: { planId: number }) {
  const add = useAddToPlan(planId, "meetings");
  const [heldOn, setHeldOn] = useState("");
  const [title, setTitle] = useState("");
  const [attendees, setAttendees] = useState("");
  const [decisions, setDecisions] = useState("");
  const [actions, setActions] = useState("");
  const lines = (s: string) =>
    s
      .split(/[\n,]/)
      .map((x) => x.trim())
      .filter(Boolean);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({
      heldOn,
      title,
      attendees: lines(attendees),
      decisions,
      actions: actions
        .split("\n")
        .map((x) => x.trim())
        .filter(Boolean)
        .map((t) => ({ title: t, ownerUserId: null, dueOn: null })),
    });
  };
  return (
    <details className="disclosure">
      <summary>Record a meeting</summary>
      <form className="card form-stack" onSubmit={submit}>
        <InputField label="Held on" type="date" value={heldOn} onChange={setHeldOn} required />
        <InputField label="Meeting" value={title} onChange={setTitle} required />
        <InputField label="Attendees (separated by commas)" value={attendees} onChange={setAttendees} />
        <TextareaField label="Decisions" value={decisions} onChange={setDecisions} />
        <TextareaField
          label="Actions agreed (one a line: each becomes a task of the plan)"
          value={actions}
          onChange={setActions}
        />
        <ActionButton primary submit busy={add.isPending} busyLabel="Recording…">
          Record the meeting
        </ActionButton>
        {add.isError ? <FormError error={add.error} title="The meeting was not recorded" /> : null}
      </form>
    </details>
  );
}
