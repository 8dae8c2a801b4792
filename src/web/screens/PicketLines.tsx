/**
 * Picket lines for one day of action, per workplace in the reader's scope: whether the law on the day
 * requires a picket supervisor (with its citation), the supervisor and lead, their letter of approval,
 * contacts with the police, each line with its expected and actual numbers (flagged past the Code of
 * Practice's guidance) and its rota. Officers plan; reps keep the rota and the numbers. Built for a
 * phone first: one column of cards, forms folded away until opened.
 */
import { type FormEvent, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type PicketLine,
  type PicketWorkplace,
  rotaCsvUrl,
  supervisorLetterUrl,
  useAddLine,
  useAddRota,
  useLineNumbers,
  usePickets,
  usePoliceContact,
  useRemoveLine,
  useRemoveRota,
  useSetPlan,
} from "../api/picket.js";
import { MemberPicker, type PickedPerson, personToSend } from "../components/MemberPicker.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { InputField } from "./BallotParts.js";

const METHOD_LABEL: Record<string, string> = {
  phone: "Phone",
  email: "Email",
  in_person: "In person",
  letter: "Letter",
  other: "Other",
};

export function PicketLines({ disputeId, day }: { disputeId: number; day: string }) {
  const user = useUser();
  const pickets = usePickets(disputeId, day);
  const canDownload = hasPermission(user, "action.picket_rota") || hasPermission(user, "action.picket_plan");
  if (pickets.isPending) return <Loading label="Loading picket lines…" />;
  if (pickets.isError) return <ErrorPanel error={pickets.error} title="Cannot load the picket lines" />;
  const g = pickets.data.numbersGuidance;
  return (
    <section className="section" aria-labelledby="pickets-heading">
      <h2 id="pickets-heading">Picket lines</h2>
      <p className="muted small">
        Numbers: in general not more than {g.perEntrance} pickets at any entrance; frequently fewer will be
        appropriate. Guidance, not a legal limit ({g.citation}
        {g.unconfirmed ? ", needs legal review" : ""}).
      </p>
      {canDownload && pickets.data.workplaces.some((w) => w.lines.length) ? (
        <p className="no-print">
          <a href={rotaCsvUrl(disputeId, day)} download>
            Download the day's rota (CSV)
          </a>
        </p>
      ) : null}
      {pickets.data.workplaces.length === 0 ? (
        <Empty>No workplace of this dispute in your scope.</Empty>
      ) : null}
      {pickets.data.workplaces.map((w) => (
        <WorkplacePicket
          key={w.workplaceId}
          disputeId={disputeId}
          day={day}
          w={w}
          perEntrance={g.perEntrance}
        />
      ))}
    </section>
  );
}

function WorkplacePicket({
  disputeId,
  day,
  w,
  perEntrance,
}: {
  disputeId: number;
  day: string;
  w: PicketWorkplace;
  perEntrance: number;
}) {
  const user = useUser();
  const canPlan = hasPermission(user, "action.picket_plan");
  const canRota = hasPermission(user, "action.picket_rota");
  const headingId = `picket-${w.workplaceId}`;
  return (
    <article className="card picket-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-title">
        {w.workplaceName}
        <span className="muted small"> · {w.employerName}</span>
      </h3>
      <div className={`picket-law ${w.supervisorRequired ? "picket-law-required" : ""}`}>
        {w.supervisorRequired ? (
          <p className="small">
            <span className="badge badge-warning">Supervisor required</span> {w.supervisorRule.summary}{" "}
            <span className="muted">({w.supervisorRule.citation})</span>
          </p>
        ) : (
          <p className="small">
            <span className="badge">No supervisor required by law</span> {w.supervisorRule.summary}{" "}
            <span className="muted">
              ({w.supervisorRule.citation}
              {w.supervisorRule.unconfirmed ? ", needs legal review" : ""})
            </span>{" "}
            A supervisor may still be named as good practice (Code of Practice on Picketing).
          </p>
        )}
        {w.supervisorRequired && !w.supervisorNamed ? (
          <p className="form-error small">No picket supervisor is named yet.</p>
        ) : null}
      </div>
      <dl className="picket-facts small">
        <dt>Supervisor</dt>
        <dd>
          {w.supervisor
            ? `${w.supervisor.name}${w.supervisor.contact ? ` · ${w.supervisor.contact}` : ""}`
            : w.supervisorNamed
              ? "Named"
              : "None"}
        </dd>
        <dt>Lead</dt>
        <dd>{w.lead ? w.lead.name : "None"}</dd>
      </dl>
      {canPlan && w.planId !== null && w.supervisorNamed ? (
        <p className="small">
          <a href={supervisorLetterUrl(w.planId)} download>
            Download the supervisor's letter of approval (PDF)
          </a>
        </p>
      ) : null}
      {canPlan ? <PlanForm disputeId={disputeId} day={day} w={w} /> : null}
      {w.policeContacts?.length ? (
        <>
          <h4 className="small">Contact with the police</h4>
          <ul className="plain-list small">
            {w.policeContacts.map((c) => (
              <li key={c.id}>
                {c.contactedAt.slice(0, 16).replace("T", " ")} · {METHOD_LABEL[c.method] ?? c.method} ·{" "}
                {c.force}
                {c.officer ? ` (${c.officer})` : ""}
                {c.notes ? <span className="muted"> · {c.notes}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canPlan && w.planId !== null ? <PoliceForm disputeId={disputeId} planId={w.planId} /> : null}
      <h4 className="small">Lines</h4>
      {w.lines.length === 0 ? <p className="muted small">No picket lines yet.</p> : null}
      <ul className="plain-list picket-lines">
        {w.lines.map((l) => (
          <LineItem
            key={l.id}
            disputeId={disputeId}
            workplaceId={w.workplaceId}
            line={l}
            perEntrance={perEntrance}
            canPlan={canPlan}
            canRota={canRota}
          />
        ))}
      </ul>
      {canPlan ? <LineForm disputeId={disputeId} day={day} workplaceId={w.workplaceId} /> : null}
    </article>
  );
}

function PlanForm({ disputeId, day, w }: { disputeId: number; day: string; w: PicketWorkplace }) {
  const set = useSetPlan(disputeId, day, w.workplaceId);
  const [lead, setLead] = useState<PickedPerson>(w.lead ?? { memberId: null, name: "" });
  const [supervisor, setSupervisor] = useState<PickedPerson>(
    w.supervisor
      ? { memberId: w.supervisor.memberId, name: w.supervisor.name }
      : { memberId: null, name: "" },
  );
  const [contact, setContact] = useState(w.supervisor?.contact ?? "");
  const id = `plan-${w.workplaceId}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({
      lead: personToSend(lead),
      supervisor: personToSend(supervisor),
      supervisorContact: contact.trim(),
    });
  };
  return (
    <details className="disclosure picket-form">
      <summary>Name the lead and supervisor</summary>
      <form className="form-stack" onSubmit={submit} aria-label={`Lead and supervisor at ${w.workplaceName}`}>
        <MemberPicker
          id={`${id}-lead`}
          label="Lead (member or officer)"
          value={lead}
          onChange={setLead}
          nameAllowed
        />
        <MemberPicker
          id={`${id}-supervisor`}
          label="Picket supervisor"
          value={supervisor}
          onChange={setSupervisor}
          nameAllowed
        />
        <div className="field">
          <label htmlFor={`${id}-contact`}>Supervisor's contact (phone)</label>
          <input
            id={`${id}-contact`}
            type="text"
            inputMode="tel"
            value={contact}
            onChange={(e) => setContact(e.target.value)}
          />
        </div>
        {set.isError ? <p className="form-error">{set.error.message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={set.isPending}>
            Save
          </button>
        </div>
      </form>
    </details>
  );
}

function PoliceForm({ disputeId, planId }: { disputeId: number; planId: number }) {
  const record = usePoliceContact(disputeId, planId);
  const [when, setWhen] = useState("");
  const [force, setForce] = useState("");
  const [officer, setOfficer] = useState("");
  const [method, setMethod] = useState("phone");
  const [notes, setNotes] = useState("");
  const id = `police-${planId}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate(
      { contactedAt: new Date(when).toISOString(), force, officer, method: method as "phone", notes },
      { onSuccess: () => setNotes("") },
    );
  };
  return (
    <details className="disclosure picket-form">
      <summary>Record contact with the police</summary>
      <form className="form-stack" onSubmit={submit} aria-label="Contact with the police">
        <InputField label="When" type="datetime-local" required value={when} onChange={setWhen} />
        <InputField label="Police force" required value={force} onChange={setForce} />
        <InputField label="Officer" value={officer} onChange={setOfficer} />
        <div className="field">
          <label htmlFor={`${id}-method`}>How</label>
          <select id={`${id}-method`} value={method} onChange={(e) => setMethod(e.target.value)}>
            {Object.entries(METHOD_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-notes`}>Notes</label>
          <textarea id={`${id}-notes`} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        {record.isError ? <p className="form-error">{record.error.message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            Record
          </button>
        </div>
      </form>
    </details>
  );
}

function LineForm({ disputeId, day, workplaceId }: { disputeId: number; day: string; workplaceId: number }) {
  const add = useAddLine(disputeId, day, workplaceId);
  const [location, setLocation] = useState("");
  const [entrance, setEntrance] = useState("");
  const [startsAt, setStartsAt] = useState("07:00");
  const [endsAt, setEndsAt] = useState("12:00");
  const [expected, setExpected] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { location, entrance, startsAt, endsAt, expected: expected === "" ? null : Number(expected) },
      {
        onSuccess: () => {
          setLocation("");
          setEntrance("");
          setExpected("");
        },
      },
    );
  };
  return (
    <details className="disclosure picket-form">
      <summary>Add a picket line</summary>
      <form className="form-stack" onSubmit={submit} aria-label="Add a picket line">
        <InputField label="Location" required value={location} onChange={setLocation} />
        <InputField label="Entrance" value={entrance} onChange={setEntrance} />
        <div className="picket-times">
          <InputField label="From" type="time" required value={startsAt} onChange={setStartsAt} />
          <InputField label="To" type="time" required value={endsAt} onChange={setEndsAt} />
          <InputField label="Expected" type="number" min={0} value={expected} onChange={setExpected} />
        </div>
        {add.isError ? <p className="form-error">{add.error.message}</p> : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={add.isPending}>
            Add the line
          </button>
        </div>
      </form>
    </details>
  );
}

function LineItem({
  disputeId,
  workplaceId,
  line,
  perEntrance,
  canPlan,
  canRota,
}: {
  disputeId: number;
  workplaceId: number;
  line: PicketLine;
  perEntrance: number;
  canPlan: boolean;
  canRota: boolean;
}) {
  const remove = useRemoveLine(disputeId);
  const removeRota = useRemoveRota(disputeId);
  return (
    <li className="picket-line">
      <p>
        <strong>{line.location}</strong>
        {line.entrance ? ` · ${line.entrance}` : ""}
        <span className="muted">
          {" "}
          · {line.startsAt} to {line.endsAt}
        </span>
      </p>
      <p className="small">
        Expected {line.expected ?? "-"} · Actual {line.actual ?? "-"} · On the rota {line.rotaCount}
        {line.overGuidance ? (
          <span className="badge badge-warning picket-flag">More than {perEntrance} at this entrance</span>
        ) : null}
      </p>
      {line.rota?.length ? (
        <ul className="plain-list small" aria-label={`Rota at ${line.location}`}>
          {line.rota.map((r) => (
            <li key={r.id} className="picket-rota-entry">
              {r.name} · {r.startsAt} to {r.endsAt}
              {canRota ? (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => removeRota.mutate(r.id)}
                  aria-label={`Take ${r.name} off the rota`}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canRota ? <RotaForm disputeId={disputeId} workplaceId={workplaceId} line={line} /> : null}
      {canRota ? <NumbersForm disputeId={disputeId} line={line} /> : null}
      {canPlan ? (
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => remove.mutate(line.id)}
          disabled={remove.isPending}
        >
          Remove the line
        </button>
      ) : null}
    </li>
  );
}

function RotaForm({
  disputeId,
  workplaceId,
  line,
}: {
  disputeId: number;
  workplaceId: number;
  line: PicketLine;
}) {
  const add = useAddRota(disputeId, line.id);
  const empty: PickedPerson = { memberId: null, name: "" };
  const [member, setMember] = useState<PickedPerson>(empty);
  const [startsAt, setStartsAt] = useState(line.startsAt);
  const [endsAt, setEndsAt] = useState(line.endsAt);
  const memberId = member.memberId;
  const id = `rota-${line.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (memberId === null) return;
    add.mutate({ memberId, startsAt, endsAt }, { onSuccess: () => setMember(empty) });
  };
  return (
    <details className="disclosure picket-form">
      <summary>Add to the rota</summary>
      <form className="form-stack" onSubmit={submit} aria-label={`Add to the rota at ${line.location}`}>
        <MemberPicker
          id={`${id}-member`}
          label="Member (name or membership number)"
          value={member}
          onChange={setMember}
          workplaceId={workplaceId}
        />
        <div className="picket-times">
          <InputField label="From" type="time" required value={startsAt} onChange={setStartsAt} />
          <InputField label="To" type="time" required value={endsAt} onChange={setEndsAt} />
        </div>
        {add.isError ? <p className="form-error">{add.error.message}</p> : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={memberId === null || add.isPending}
          >
            Put on the rota
          </button>
        </div>
      </form>
    </details>
  );
}

function NumbersForm({ disputeId, line }: { disputeId: number; line: PicketLine }) {
  const record = useLineNumbers(disputeId, line.id);
  const [actual, setActual] = useState(line.actual === null ? "" : String(line.actual));
  const id = `numbers-${line.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (actual === "") return;
    record.mutate({ actual: Number(actual) });
  };
  return (
    <form className="picket-numbers" onSubmit={submit} aria-label={`Actual numbers at ${line.location}`}>
      <label htmlFor={`${id}-actual`}>On the line now</label>
      <input
        id={`${id}-actual`}
        type="number"
        min={0}
        inputMode="numeric"
        value={actual}
        onChange={(e) => setActual(e.target.value)}
      />
      <button type="submit" className="button button-secondary" disabled={record.isPending}>
        Record
      </button>
      {record.isError ? <p className="form-error">{record.error.message}</p> : null}
    </form>
  );
}
