import { type FormEvent, useId, useState } from "react";
import { type RegisterFormat, useLoadRegister } from "../api/registers.js";
import { SelectField } from "../components/SelectField.js";
import { formatNumber } from "../format.js";
import { ActionButton, FormError } from "./BallotParts.js";

const FORMATS: { value: RegisterFormat; label: string }[] = [
  { value: "ods", label: "NHS ODS (trusts, sites, GP practices)" },
  { value: "gias", label: "DfE GIAS (schools and trusts)" },
  { value: "la", label: "Local authorities" },
  { value: "csv", label: "A CSV of your own (code, name, postcode, parent code, aliases)" },
];

/**
 * Loads an official register into employers and workplaces: the upload is
 * checked at once, then loaded in the background (a job), its progress shown
 * here while it runs and on the Jobs screen.
 */
export function RegisterUpload() {
  const id = useId();
  const load = useLoadRegister();
  const [format, setFormat] = useState<RegisterFormat>("ods");
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setFileError("Choose the register file to load.");
      return;
    }
    setFileError(null);
    load.mutate({ file, format });
  };
  const job = load.progress;
  const result = load.result;
  return (
    <form className="card section upload-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Load a register
      </h2>
      <p className="muted small">
        A newer file renames (keeping former names), closes and adds employers and workplaces; it never
        deletes.
      </p>
      <SelectField
        label="Register"
        value={format}
        options={FORMATS}
        disabled={load.isPending}
        onChange={(v) => setFormat(v as RegisterFormat)}
      />
      <div className="field">
        <label htmlFor={`${id}-file`}>Register file</label>
        <input
          id={`${id}-file`}
          type="file"
          className="file-input"
          disabled={load.isPending}
          aria-describedby={fileError ? `${id}-file-error` : undefined}
          aria-invalid={fileError ? true : undefined}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        {fileError ? (
          <p id={`${id}-file-error`} className="field-error">
            {fileError}
          </p>
        ) : null}
      </div>
      <ActionButton primary submit busy={load.isPending} busyLabel="Loading…">
        Load the register
      </ActionButton>
      <div aria-live="polite" className="live-region">
        {job ? (
          job.state === "queued" ? (
            <p className="muted small">Waiting for the background worker…</p>
          ) : (
            <p className="small">
              <progress max={job.total || 1} value={job.done} aria-label="Register records loaded so far" />{" "}
              {formatNumber(job.done)} of {formatNumber(job.total ?? 0)} records
            </p>
          )
        ) : null}
        {result && !load.isPending ? (
          <p className="text-ok small">
            Loaded {result.file}: employers {formatNumber(result.employers.created)} new,{" "}
            {formatNumber(result.employers.updated)} updated; workplaces{" "}
            {formatNumber(result.workplaces.created)} new, {formatNumber(result.workplaces.updated)} updated
            {result.problemsTotal ? `; ${formatNumber(result.problemsTotal)} line(s) not used` : ""}.
          </p>
        ) : null}
      </div>
      <FormError error={load.error} title="The register was not loaded" />
    </form>
  );
}
