import { type FormEvent, useEffect, useId, useState } from "react";
import { usePeople } from "../api/plans.js";
import {
  type DepartmentDto,
  type ServiceLevelDto,
  type Urgency,
  useCreateDepartment,
  useDepartments,
  useServiceLevels,
  useSetDepartmentMembers,
  useSetServiceLevels,
} from "../api/requests.js";
import { ActionButton, FormError, InputField } from "./BallotParts.js";

const URGENCY_LABEL: Record<Urgency, string> = {
  critical: "Critical",
  high: "High",
  normal: "Normal",
  low: "Low",
};

/** National officers: the union's departments, who answers for each, and the service level per urgency. */
export function DepartmentsPanel() {
  const departments = useDepartments();
  const create = useCreateDepartment();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { code, name },
      {
        onSuccess: () => {
          setCode("");
          setName("");
        },
      },
    );
  };
  return (
    <section className="section" aria-labelledby="departments-title">
      <h2 id="departments-title">Departments and service levels</h2>
      <details className="disclosure">
        <summary>Departments and who answers for them</summary>
        <ul className="plain-list stack">
          {(departments.data ?? []).map((d) => (
            <Department key={d.id} department={d} />
          ))}
        </ul>
        <form className="card form-stack" onSubmit={submit}>
          <InputField label="New department" value={name} onChange={setName} required />
          <InputField
            label="Its code (lower-case letters, digits, -)"
            value={code}
            onChange={setCode}
            required
          />
          <ActionButton submit busy={create.isPending} busyLabel="Adding…">
            Add the department
          </ActionButton>
          {create.isError ? <FormError error={create.error} title="The department was not added" /> : null}
        </form>
      </details>
      <ServiceLevels />
    </section>
  );
}

function Department({ department }: { department: DepartmentDto }) {
  const id = useId();
  const people = usePeople(true);
  const save = useSetDepartmentMembers();
  const [chosen, setChosen] = useState<string[]>(department.members.map((m) => String(m.id)));
  return (
    <li className="card">
      <form
        className="form-stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ id: department.id, userIds: chosen.map(Number) });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-members`}>{department.name}: members</label>
          <select
            id={`${id}-members`}
            multiple
            size={Math.min(6, Math.max(3, people.data?.length ?? 3))}
            value={chosen}
            onChange={(e) => setChosen([...e.target.selectedOptions].map((o) => o.value))}
          >
            {(people.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.role})
              </option>
            ))}
          </select>
        </div>
        <ActionButton submit busy={save.isPending} busyLabel="Saving…">
          Save {department.name}'s members
        </ActionButton>
        {save.isError ? <FormError error={save.error} title="The members were not saved" /> : null}
      </form>
    </li>
  );
}

function ServiceLevels() {
  const id = useId();
  const levels = useServiceLevels();
  const save = useSetServiceLevels();
  const [form, setForm] = useState<ServiceLevelDto[]>([]);
  useEffect(() => {
    if (levels.data) setForm(levels.data);
  }, [levels.data]);
  if (!form.length) return null;
  const set = (i: number, patch: Partial<ServiceLevelDto>) =>
    setForm((f) => f.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <details className="disclosure">
      <summary>Service levels: time to a first answer</summary>
      <form
        className="card form-stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(form.map(({ urgency, amount, unit }) => ({ urgency, amount, unit })));
        }}
      >
        {form.map((l, i) => (
          <fieldset key={l.urgency} className="fieldset">
            <legend>{URGENCY_LABEL[l.urgency]}</legend>
            <div className="inline-form service-level-row">
              <label htmlFor={`${id}-${l.urgency}-amount`}>Within</label>
              <input
                id={`${id}-${l.urgency}-amount`}
                type="number"
                min={1}
                max={1000}
                value={l.amount}
                onChange={(e) => set(i, { amount: Number(e.target.value) })}
              />
              <label htmlFor={`${id}-${l.urgency}-unit`} className="visually-hidden">
                Unit
              </label>
              <select
                id={`${id}-${l.urgency}-unit`}
                value={l.unit}
                onChange={(e) => set(i, { unit: e.target.value as ServiceLevelDto["unit"] })}
              >
                <option value="hours">hours</option>
                <option value="working_days">working days</option>
              </select>
            </div>
          </fieldset>
        ))}
        <ActionButton submit busy={save.isPending} busyLabel="Saving…">
          Save the service levels
        </ActionButton>
        {save.isSuccess ? <p className="text-ok small">Saved.</p> : null}
        {save.isError ? <FormError error={save.error} title="The service levels were not saved" /> : null}
      </form>
    </details>
  );
}
