/**
 * Small pieces shared by the dispute and ballot screens: state badge, the
 * "Needs legal review" banner, citations, the deadline calendar, labelled
 * form fields, API error messages, bar tables and the way back to the list.
 */
import { type ChangeEvent, type ReactNode, useId } from "react";
import { Link } from "react-router";
import { ruleTitle } from "../../law/rules.js";
import {
  type BallotState,
  type Deadline,
  type DisputeDto,
  type Reminder,
  useReminders,
} from "../api/ballots.js";
import { isApiError } from "../api/client.js";
import { Badge } from "../components/Badges.js";
import { BarCell, BarColumnHeader, ChartCard } from "../components/ChartCard.js";
import { formatDate, formatNumber, MONTHS } from "../format.js";
import { BALLOT_STATE_LABELS, BALLOT_STATE_TONES } from "../labels.js";

export function BallotStateBadge({ state }: { state: BallotState }) {
  return <Badge tone={BALLOT_STATE_TONES[state]}>{BALLOT_STATE_LABELS[state]}</Badge>;
}

/** The first characters of a SHA-256, enough to compare by eye; the whole hash on hover and for copying. */
export function ShortHash({ hash, label = "SHA-256" }: { hash: string; label?: string }) {
  return (
    <code className="hash" title={`${label} ${hash}`}>
      {hash.slice(0, 12)}…
      <span className="visually-hidden">
        {" "}
        (full {label}: {hash})
      </span>
    </code>
  );
}

export function Citation({ children }: { children: ReactNode }) {
  return <cite className="citation">{children}</cite>;
}

/** A rule the law data marks unconfirmed: said where it is used. */
export function Unconfirmed({ reason }: { reason: string | null }) {
  if (!reason) return null;
  return (
    <p className="unconfirmed">
      <span className="legal-tag">Needs legal review</span> {reason}
    </p>
  );
}

/**
 * Every rule the ballot relies on that the law data marks unconfirmed. Shown
 * plainly, at the top of the ballot and under a verdict: nothing built on them
 * should go out looking final.
 */
export function LegalReviewBanner({
  items,
  intro,
  level = 2,
  compact = false,
}: {
  items: readonly { rule: string; reason: string }[];
  intro?: string;
  /** The heading level where the banner sits in the page's outline. */
  level?: 2 | 3 | 4;
  /** The reasons folded behind a disclosure (the banner itself stays). */
  compact?: boolean;
}) {
  const id = useId();
  if (items.length === 0) return null;
  const Heading = `h${level}` as const;
  return (
    <section className="legal-review" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`} className="legal-review-title">
        <span aria-hidden="true">⚖ </span>Needs legal review
        <span className="legal-review-count">
          {items.length === 1 ? "1 rule" : `${formatNumber(items.length)} rules`}
        </span>
      </Heading>
      <p>
        {intro ??
          "This ballot relies on rules that are not confirmed in Mandate's law data. Have the union's lawyers check each one before anything is sent."}
      </p>
      {compact ? (
        <details className="disclosure">
          <summary>Show what needs review</summary>
          <LegalReviewList items={items} />
        </details>
      ) : (
        <LegalReviewList items={items} />
      )}
    </section>
  );
}

function LegalReviewList({ items }: { items: readonly { rule: string; reason: string }[] }) {
  return (
    <ul className="legal-review-list">
      {items.map((item) => (
        <li key={`${item.rule}|${item.reason}`}>
          <strong>{ruleTitle(item.rule)}:</strong> {item.reason}
        </li>
      ))}
    </ul>
  );
}

/** The statutory deadlines as a calendar list: date tile, what must happen, the rule and its citation. */
/** A deadline's weekday and where it is not a working day (weekend or bank holiday, by nation). */
export interface DayNote {
  deadlineId: string;
  weekday: string;
  nonWorking: readonly { nation: string; reason: string }[];
}

export function DeadlineList({
  deadlines,
  warnings,
  today,
  days,
}: {
  deadlines: readonly Deadline[];
  warnings: readonly string[];
  today?: string;
  days?: readonly DayNote[];
}) {
  return (
    <>
      {warnings.length > 0 ? (
        <div className="notice notice-warning">
          <p className="notice-title">Check the dates</p>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <ol className="deadlines">
        {deadlines.map((d) => {
          const past = today !== undefined && d.date < today;
          return (
            <li key={d.id} className={past ? "deadline deadline-past" : "deadline"}>
              <DateTile iso={d.date} />
              <div className="deadline-body">
                <p className="deadline-label">
                  {d.label}
                  {past ? <Badge tone="neutral">Past</Badge> : null}
                  {d.unconfirmed ? <Badge tone="warning">Needs legal review</Badge> : null}
                </p>
                <p className="small">{d.rule}</p>
                <p className="small">
                  <Citation>{d.citation}</Citation>
                </p>
                {d.unconfirmed ? <p className="small text-warning">{d.unconfirmed}</p> : null}
                <DayLine note={days?.find((n) => n.deadlineId === d.id)} />
              </div>
            </li>
          );
        })}
      </ol>
    </>
  );
}

function DayLine({ note }: { note: DayNote | undefined }) {
  if (!note) return null;
  if (!note.nonWorking.length) return <p className="small muted">{note.weekday}: a working day</p>;
  return (
    <p className="small text-warning">
      <Badge tone="warning">Not a working day</Badge> {note.weekday}:{" "}
      {note.nonWorking.map((n) => n.reason).join("; ")}. The statutory date is unchanged.
    </p>
  );
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function DateTile({ iso }: { iso: string }) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return <span className="date-tile">{iso}</span>;
  const weekday = DAYS[new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()];
  return (
    <time className="date-tile" dateTime={iso}>
      <span className="date-tile-weekday">{weekday}</span>
      <span className="date-tile-day">{Number(m[3])}</span>
      <span className="date-tile-month">
        {MONTHS[Number(m[2]) - 1]} {m[1]}
      </span>
    </time>
  );
}

export function isIsoDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s);
}

// ---------------------------------------------------------------------------
// Forms

interface Issue {
  field: string;
  message: string;
}

/** The field-level problems of a 400 answer: `{ field: "body.scrutineerName", message }`. */
export function errorIssues(error: unknown): Issue[] {
  if (!isApiError(error)) return [];
  const raw = error.details?.issues;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((i): Issue[] => {
    const rec = i as Record<string, unknown>;
    return typeof rec.field === "string" && typeof rec.message === "string"
      ? [{ field: rec.field, message: rec.message }]
      : [];
  });
}

/** A failed request, said plainly next to the form that made it. */
export function FormError({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : "Unexpected error.";
  const issues = errorIssues(error);
  return (
    <div className="form-error" role="alert">
      {title ? <p className="form-error-title">{title}</p> : null}
      <p>{issues.length > 1 ? "The server could not accept this:" : message}</p>
      {issues.length > 1 ? (
        <ul>
          {issues.map((i) => (
            <li key={`${i.field}|${i.message}`}>
              {i.field.replace(/^body\./, "")}: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
}

function FieldShell({
  id,
  label,
  hint,
  error,
  className,
  children,
}: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      <FieldHint id={id} hint={hint} />
      {children}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** What to give in a field, said before it; the control names it in aria-describedby as `${id}-hint`. */
export function FieldHint({ id, hint }: { id: string; hint: ReactNode }) {
  if (!hint) return null;
  return (
    <p id={`${id}-hint`} className="field-hint">
      {hint}
    </p>
  );
}

/** A field's problem, said under it; the control names it in aria-describedby as `${id}-error`. */
export function FieldError({ id, error }: { id: string; error: ReactNode }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      {error}
    </p>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

interface TextControlProps {
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
}

/** What an input and a textarea share: the value, and how screen readers hear the hint and the problem. */
function textControl(
  id: string,
  { hint, error, value, onChange, required = false, disabled = false }: FieldProps & TextControlProps,
) {
  return {
    id,
    value,
    required,
    disabled,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, hint, error),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value),
  };
}

export function InputField({
  type = "text",
  min,
  autoComplete = "off",
  ...props
}: FieldProps &
  TextControlProps & {
    type?: "text" | "date" | "number" | "time" | "datetime-local";
    min?: number;
    autoComplete?: string;
  }) {
  const id = useId();
  return (
    <FieldShell id={id} {...props}>
      <input
        {...textControl(id, props)}
        type={type}
        min={min}
        inputMode={type === "number" ? "numeric" : undefined}
        autoComplete={autoComplete}
      />
    </FieldShell>
  );
}

export function TextareaField({ rows = 3, ...props }: FieldProps & TextControlProps & { rows?: number }) {
  const id = useId();
  return (
    <FieldShell id={id} {...props}>
      <textarea {...textControl(id, props)} className="textarea-prose" rows={rows} />
    </FieldShell>
  );
}

interface ChoiceProps {
  label: string;
  checked: boolean;
  hint?: ReactNode;
  disabled?: boolean;
}

export function CheckField({ onChange, ...props }: ChoiceProps & { onChange: (checked: boolean) => void }) {
  return <Choice type="checkbox" {...props} onChange={onChange} />;
}

/** One answer of a question asked with radio buttons: the answers share a `name`. */
export function RadioField({ onChange, ...props }: ChoiceProps & { name: string; onChange: () => void }) {
  return <Choice type="radio" {...props} onChange={() => onChange()} />;
}

function Choice({
  type,
  name,
  label,
  checked,
  onChange,
  hint,
  disabled = false,
}: ChoiceProps & {
  type: "checkbox" | "radio";
  name?: string;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="check-field">
      <input
        id={id}
        type={type}
        name={name}
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <FieldHint id={id} hint={hint} />
      </div>
    </div>
  );
}

/**
 * A button that sends a request: while the request runs it says so and cannot
 * be pressed again, so nothing is sent twice.
 */
export function ActionButton({
  busy,
  busyLabel,
  primary = false,
  submit = false,
  disabled = false,
  describedBy,
  onClick,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  primary?: boolean;
  /** Sends its form rather than acting on a click. */
  submit?: boolean;
  disabled?: boolean;
  /** The id of the text saying why the button is disabled. */
  describedBy?: string;
  onClick?: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type={submit ? "submit" : "button"}
      className={primary ? "button button-primary" : "button button-secondary"}
      disabled={disabled || busy}
      aria-describedby={describedBy}
      onClick={onClick}
    >
      {busy ? busyLabel : children}
    </button>
  );
}

/** Lines of a textarea as a list: trimmed, blanks dropped. */
export function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------------------
// Bar tables

export interface BarRow {
  key: string;
  label: ReactNode;
  count: number;
  tone?: "ok" | "muted";
}

/** Counts as a table with a bar per row: readable by screen readers, and a chart at a glance. */
export function BarTable({
  title,
  rows,
  countLabel,
}: {
  title: string;
  rows: readonly BarRow[];
  countLabel: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <ChartCard title={title} empty={rows.length === 0 ? "Nothing to show." : null}>
      <table className="table table-compact bar-table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              {countLabel}
            </th>
            <BarColumnHeader />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td className="num">{formatNumber(r.count)}</td>
              <BarCell count={r.count} max={max} muted={r.tone === "muted"} />
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCard>
  );
}

/** "7 Dec 2026 to 4 Jan 2027". */
export function dateRange(from: string, to: string): string {
  return `${formatDate(from)} to ${formatDate(to)}`;
}

/** The ballots of a dispute: state, dates and how many are entitled. */
export function BallotTable({ ballots, caption }: { ballots: DisputeDto["ballots"]; caption: string }) {
  if (ballots.length === 0) return <p className="muted">No ballots yet.</p>;
  return (
    <div className="table-scroll">
      <table className="table table-cards">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Ballot</th>
            <th scope="col">State</th>
            <th scope="col">Opens</th>
            <th scope="col">Closes</th>
            <th scope="col" className="num">
              Entitled
            </th>
          </tr>
        </thead>
        <tbody>
          {ballots.map((b) => (
            <tr key={b.id}>
              <th scope="row" data-label="Ballot">
                <Link to={`/ballots/${b.id}`}>{b.name}</Link>
              </th>
              <td data-label="State">
                <BallotStateBadge state={b.state} />
              </td>
              <td data-label="Opens">{formatDate(b.openingDate)}</td>
              <td data-label="Closes">{formatDate(b.closingDate)}</td>
              <td data-label="Entitled" className="num">
                {b.entitled === null ? <span className="muted">Not frozen</span> : formatNumber(b.entitled)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function BackToBallots() {
  return (
    <p className="back-link">
      <Link to="/ballots">← All disputes and ballots</Link>
    </p>
  );
}

/** A dispute or ballot the address names that the user's union does not have. */
export function NotInUnion({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <BackToBallots />
      <h1>{title}</h1>
      <p>{children}</p>
    </>
  );
}

export type BallotTab =
  | "overview"
  | "electorate"
  | "preflight"
  | "documents"
  | "timetable"
  | "result"
  | "turnout"
  | "records";

export function ballotTabPath(id: number, tab: BallotTab): string {
  return tab === "overview" ? `/ballots/${id}` : `/ballots/${id}?tab=${tab}`;
}

// ---------------------------------------------------------------------------
// Reminders

const REMINDER_TONE: Record<Reminder["status"], "error" | "warning" | "neutral"> = {
  overdue: "error",
  today: "warning",
  upcoming: "neutral",
};

const REMINDER_LABEL: Record<Reminder["status"], string> = {
  overdue: "Overdue",
  today: "Today",
  upcoming: "Coming up",
};

/** What falls due in the next fortnight across the ballots still running, overdue first (the dashboard and the ballots list). */
export function BallotReminders() {
  const reminders = useReminders();
  if (reminders.isPending || reminders.isError || reminders.data.length === 0) return null;
  const order: Reminder["status"][] = ["overdue", "today", "upcoming"];
  const sorted = [...reminders.data].sort(
    (a, b) => order.indexOf(a.status) - order.indexOf(b.status) || a.date.localeCompare(b.date),
  );
  return (
    <section className="card section" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading" className="card-title">
        Deadlines in the next fortnight
      </h2>
      <ul className="plain-list reminders">
        {sorted.map((r) => (
          <li key={`${r.ballotId}|${r.date}|${r.label}|${r.employerName ?? ""}`}>
            <Badge tone={REMINDER_TONE[r.status]}>{REMINDER_LABEL[r.status]}</Badge>{" "}
            <strong>{formatDate(r.date)}</strong> {r.label}
            {r.employerName ? `: ${r.employerName}` : ""} ·{" "}
            <Link to={`/ballots/${r.ballotId}?tab=timetable`}>{r.ballotName}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
