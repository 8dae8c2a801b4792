/**
 * Choosing a member by name or membership number, among active members in the reader's scope (at one
 * workplace when given): the picket rota, and the lead and supervisor of a picket plan. Where a name
 * alone will do (an officer who is not a member), what is typed stands without choosing.
 */
import { useState } from "react";
import { useMembers } from "../api/members.js";

/** A person as the picket forms send them: a member chosen from the register, or a name typed. */
export interface PickedPerson {
  memberId: number | null;
  name: string;
}

/** Only a few: the search narrows as the user types. */
const RESULTS = 5;

export function MemberPicker({
  id,
  label,
  value,
  onChange,
  workplaceId,
  nameAllowed = false,
}: {
  id: string;
  label: string;
  value: PickedPerson;
  onChange: (next: PickedPerson) => void;
  workplaceId?: number;
  /** Whether a typed name without a member stands (the form then says it is not from the register). */
  nameAllowed?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const query = value.memberId === null ? value.name.trim() : "";
  const searching = open && query.length >= 2;
  const members = useMembers({ search: query, workplaceId, status: "active", pageSize: RESULTS }, searching);
  const found = searching ? (members.data?.items ?? []) : [];
  const hint =
    value.memberId !== null
      ? "A member from the register."
      : nameAllowed && value.name.trim()
        ? "Not chosen from the register: the name is recorded as typed."
        : "Type two letters or more of a name, or a membership number, and choose.";
  return (
    <div className="field member-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        value={value.name}
        onChange={(e) => {
          setOpen(true);
          onChange({ memberId: null, name: e.target.value });
        }}
      />
      <p id={`${id}-hint`} className="muted small">
        {hint}
      </p>
      {searching && !nameAllowed && members.isSuccess && !found.length ? (
        <p className="muted small">No active member matches “{query}”.</p>
      ) : null}
      {found.length ? (
        <ul className="plain-list" aria-label={`Members matching ${query}`}>
          {found.map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setOpen(false);
                  onChange({ memberId: m.id, name: `${m.forenames} ${m.surname} (${m.membershipNumber})` });
                }}
              >
                {m.forenames} {m.surname} · {m.membershipNumber}
                {workplaceId === undefined && m.workplaceName ? ` · ${m.workplaceName}` : ""}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** What the form sends: the member chosen, or the typed name, or nobody. */
export function personToSend(p: PickedPerson): PickedPerson | null {
  if (p.memberId !== null) return { memberId: p.memberId, name: "" };
  const name = p.name.trim();
  return name ? { memberId: null, name } : null;
}
