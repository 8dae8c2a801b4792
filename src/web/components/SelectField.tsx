import type { ReactNode } from "react";
import { useId } from "react";

/** One choice of a select: what is sent, and what the reader sees. */
export interface Option {
  value: string;
  label: string;
}

/** A labels record (`{ email: "Email", sms: "Text message" }`) as choices, in the record's order. */
export function labelOptions(labels: Readonly<Record<string, string>>): Option[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

/** Rows with an id as choices: the id is the value, `label` says what the reader sees. */
export function idOptions<T extends { id: number | string }>(
  rows: readonly T[] | undefined,
  label: (row: T) => string,
): Option[] {
  return (rows ?? []).map((row) => ({ value: String(row.id), label: label(row) }));
}

/**
 * A labelled select: the one markup for filters and form choices. `emptyLabel` adds a first choice
 * with the empty value ("Every region", "Choose a template", "None"); `children` stand under the control.
 */
export function SelectField({
  label,
  value,
  options,
  emptyLabel,
  onChange,
  required = false,
  disabled = false,
  children,
}: {
  label: ReactNode;
  value: string;
  options: readonly Option[];
  emptyLabel?: string;
  onChange: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={required}
        disabled={disabled}
      >
        {emptyLabel === undefined ? null : <option value="">{emptyLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {children}
    </div>
  );
}
