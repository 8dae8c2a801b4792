import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { useSaveUnionSettings, useUnionSettings } from "../api/org.js";
import { Badge } from "../components/Badges.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { ActionButton, FormError, InputField, TextareaField } from "./BallotParts.js";
import { DigestScheduleSettings } from "./DigestSchedule.js";

/** Who the union's notices come from: the letterhead and the officer who signs. National officers change it. */
export function UnionSettingsScreen() {
  const user = useUser();
  const canEdit = hasPermission(user, "org.write");
  const settings = useUnionSettings();
  const save = useSaveUnionSettings();
  const [form, setForm] = useState({
    letterName: "",
    address: "",
    contact: "",
    signatoryName: "",
    signatoryTitle: "",
  });
  useEffect(() => {
    if (settings.data) {
      const { letterName, address, contact, signatoryName, signatoryTitle } = settings.data;
      setForm({ letterName, address, contact, signatoryName, signatoryTitle });
    }
  }, [settings.data]);
  if (settings.isPending) return <Loading label="Loading the settings…" />;
  if (settings.isError) {
    return (
      <ErrorPanel
        error={settings.error}
        title="Cannot load the settings"
        onRetry={() => void settings.refetch()}
      />
    );
  }
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
    <>
      <h1>
        Union letterhead{" "}
        {settings.data.complete ? (
          <Badge tone="ok">Complete</Badge>
        ) : (
          <Badge tone="warning">Incomplete</Badge>
        )}
      </h1>
      <p className="muted">
        Notices of ballot and result notices come from the union: they carry this name, address and contact,
        and are signed by this officer. Notices cannot be produced until every field but the contact is filled
        in.
      </p>
      <p>
        <Link to="/settings/law">Law in force: commencement dates</Link> (the 50% turnout repeal; electronic,
        hybrid and workplace voting)
      </p>
      <form className="card section form-grid" onSubmit={submit}>
        <InputField
          label="Union name as printed"
          value={form.letterName}
          onChange={set("letterName")}
          required
          disabled={!canEdit}
        />
        <TextareaField
          label="Postal address"
          value={form.address}
          onChange={set("address")}
          required
          disabled={!canEdit}
        />
        <InputField
          label="Contact for queries (email, telephone)"
          value={form.contact}
          onChange={set("contact")}
          disabled={!canEdit}
        />
        <InputField
          label="Signed by"
          value={form.signatoryName}
          onChange={set("signatoryName")}
          required
          disabled={!canEdit}
        />
        <InputField
          label="Title of the signatory"
          value={form.signatoryTitle}
          onChange={set("signatoryTitle")}
          required
          disabled={!canEdit}
        />
        {canEdit ? (
          <ActionButton primary submit busy={save.isPending} busyLabel="Saving…">
            Save
          </ActionButton>
        ) : null}
        <div aria-live="polite" className="live-region">
          {save.isSuccess ? <p className="text-ok small">Saved.</p> : null}
        </div>
        {save.isError ? <FormError error={save.error} title="The settings were not saved" /> : null}
      </form>
      {hasPermission(user, "bulletins.publish") ? <DigestScheduleSettings /> : null}
    </>
  );
}
