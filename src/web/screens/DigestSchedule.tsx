import { type FormEvent, useEffect, useId, useState } from "react";
import { type DigestScheduleDto, useDigestSchedule, useSaveDigestSchedule } from "../api/bulletins.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { ActionButton, FormError } from "./BallotParts.js";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const UK_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** An instant in UK time, as the schedule is set. */
export function ukTime(iso: string): string {
  return `${UK_TIME.format(new Date(iso))} (UK time)`;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** The schedule in words: "Daily at 08:00 (UK time)", "Weekly on Monday at 09:00 (UK time)", "Off". */
export function scheduleText(s: DigestScheduleDto): string {
  if (s.frequency === "off") return "Off: digests are made only when a national officer asks.";
  const when =
    s.frequency === "daily"
      ? `Daily at ${hourLabel(s.hour)}`
      : `Weekly on ${WEEKDAYS[s.weekday - 1]} at ${hourLabel(s.hour)}`;
  return `${when} (UK time), covering the day or week just ended.`;
}

/** One line for the bulletins screen: the schedule and the next run. */
export function DigestScheduleSummary() {
  const schedule = useDigestSchedule();
  if (!schedule.data) return null;
  const s = schedule.data;
  return (
    <p className="small" data-testid="digest-schedule">
      <strong>Digest schedule:</strong> {scheduleText(s)}
      {s.nextRun ? ` Next: ${ukTime(s.nextRun)}.` : ""}
      {s.frequency !== "off"
        ? s.emailCopies
          ? " A copy goes by email."
          : " Read in the app (no email set up)."
        : ""}
    </p>
  );
}

/** The union's digest schedule, for the union settings screen (national officers). */
export function DigestScheduleSettings() {
  const id = useId();
  const schedule = useDigestSchedule();
  const save = useSaveDigestSchedule();
  const [form, setForm] = useState({
    frequency: "off" as DigestScheduleDto["frequency"],
    hour: 8,
    weekday: 1,
  });
  useEffect(() => {
    if (schedule.data) {
      const { frequency, hour, weekday } = schedule.data;
      setForm({ frequency, hour, weekday });
    }
  }, [schedule.data]);
  if (schedule.isPending) return <Loading label="Loading the digest schedule…" />;
  if (schedule.isError) return <ErrorPanel error={schedule.error} title="Cannot load the digest schedule" />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  const s = schedule.data;
  return (
    <section className="section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Officer digests</h2>
      <p className="muted">
        Digests of the ballots running, messages sent and materials approved (counts only), one per region for
        its regional officers and reps and one for the whole union. Times are UK time, summer or winter.
      </p>
      <form className="card form-grid" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-frequency`}>Digests</label>
          <select
            id={`${id}-frequency`}
            value={form.frequency}
            onChange={(e) => setForm((f) => ({ ...f, frequency: e.target.value as typeof f.frequency }))}
          >
            <option value="off">Off</option>
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-hour`}>At (UK time)</label>
          <select
            id={`${id}-hour`}
            value={form.hour}
            disabled={form.frequency === "off"}
            onChange={(e) => setForm((f) => ({ ...f, hour: Number(e.target.value) }))}
          >
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {hourLabel(h)}
              </option>
            ))}
          </select>
        </div>
        {form.frequency === "weekly" ? (
          <div className="field">
            <label htmlFor={`${id}-weekday`}>On</label>
            <select
              id={`${id}-weekday`}
              value={form.weekday}
              onChange={(e) => setForm((f) => ({ ...f, weekday: Number(e.target.value) }))}
            >
              {WEEKDAYS.map((d, i) => (
                <option key={d} value={i + 1}>
                  {d}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <ActionButton primary submit busy={save.isPending} busyLabel="Saving…">
          Save the schedule
        </ActionButton>
        <div aria-live="polite" className="live-region">
          <p className="small">
            {scheduleText(s)}
            {s.nextRun ? ` Next digests: ${ukTime(s.nextRun)}.` : ""}
            {s.lastPeriod ? ` Last made for the period ended ${ukTime(s.lastPeriod.end)}.` : ""}
          </p>
          {s.frequency !== "off" ? (
            <p className="small muted">
              {s.emailCopies
                ? "Each officer and rep it is addressed to also gets it by email, with a link that records the read."
                : "No email server is set up (MANDATE_SMTP_URL): digests are read in the app."}
            </p>
          ) : null}
          {save.isSuccess ? <p className="text-ok small">Saved.</p> : null}
        </div>
        {save.isError ? <FormError error={save.error} title="The schedule was not saved" /> : null}
      </form>
    </section>
  );
}
