import { type FormEvent, useId, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { type DisputeDto, useCreateDispute, useDisputes } from "../api/ballots.js";
import {
  EmployerFound,
  EmployerSearchField,
  EmployerSearchResults,
  useEmployerSearch,
} from "../components/EmployerSearch.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatNumber, plural } from "../format.js";
import {
  ActionButton,
  BallotReminders,
  BallotTable,
  FieldError,
  FormError,
  InputField,
  TextareaField,
} from "./BallotParts.js";

export function DisputesScreen() {
  usePageTitle("Ballots");
  const user = useUser();
  const canManage = hasPermission(user, "ballots.manage");
  const disputes = useDisputes();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <div className="page-head section-actions">
        <div>
          <h1>Ballots</h1>
          <p className="lead">Disputes and the industrial-action ballots held in them.</p>
        </div>
        {canManage && !creating ? (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New dispute
          </button>
        ) : null}
      </div>

      {creating ? <NewDisputeForm onCancel={() => setCreating(false)} /> : null}

      <BallotReminders />

      {disputes.isPending ? (
        <Loading label="Loading disputes…" />
      ) : disputes.isError ? (
        <ErrorPanel
          error={disputes.error}
          title="Cannot load disputes"
          onRetry={() => void disputes.refetch()}
        />
      ) : disputes.data.length === 0 ? (
        <Empty>
          No disputes yet.
          {canManage ? " Start with “New dispute”: its employers, then a ballot for each constituency." : ""}
        </Empty>
      ) : (
        <ul className="dispute-list">
          {disputes.data.map((d) => (
            <li key={d.id}>
              <DisputeCard dispute={d} canManage={canManage} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function DisputeCard({ dispute: d, canManage }: { dispute: DisputeDto; canManage: boolean }) {
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="dispute-head">
        <h2 id={headingId} className="card-title">
          <Link to={`/ballots/disputes/${d.id}`}>{d.title}</Link>
        </h2>
        {canManage ? (
          <Link to={`/ballots/disputes/${d.id}/new`} className="button button-secondary button-small">
            Add a ballot<span className="visually-hidden"> to {d.title}</span>
          </Link>
        ) : null}
      </div>
      <p className="muted small">
        {plural(d.employers.length, "employer")}: {d.employers.map((e) => e.name).join(", ")}
      </p>
      <BallotTable ballots={d.ballots} caption={`Ballots in ${d.title}`} />
    </section>
  );
}

interface Chosen {
  id: number;
  name: string;
}

function NewDisputeForm({ onCancel }: { onCancel: () => void }) {
  const headingId = useId();
  const navigate = useNavigate();
  const create = useCreateDispute();
  const [title, setTitle] = useState("");
  const [matters, setMatters] = useState("");
  const [coalition, setCoalition] = useState("");
  const [employers, setEmployers] = useState<Chosen[]>([]);
  const [tried, setTried] = useState(false);

  const titleError = tried && !title.trim() ? "Give the dispute a title." : undefined;
  const employersError = tried && employers.length === 0 ? "Choose at least one employer." : undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (!title.trim() || employers.length === 0) return;
    create.mutate(
      {
        title: title.trim(),
        mattersInIssue: matters.trim(),
        coalition: coalition.trim(),
        employerIds: employers.map((e) => e.id),
      },
      { onSuccess: (d) => navigate(`/ballots/disputes/${d.id}`) },
    );
  };

  return (
    <section className="card section" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        New dispute
      </h2>
      <form className="form-stack" onSubmit={submit} noValidate>
        <InputField label="Title" value={title} onChange={setTitle} error={titleError} required />
        <TextareaField
          label="Matters in issue"
          hint="What the dispute is about, as the notices and voting paper will summarise it."
          value={matters}
          onChange={setMatters}
          rows={4}
        />
        <TextareaField
          label="Coalition (optional)"
          hint="Other unions balloting in the same dispute, if any."
          value={coalition}
          onChange={setCoalition}
          rows={2}
        />
        <EmployerChooser chosen={employers} onChange={setEmployers} error={employersError} />
        <FormError error={create.error} title="The dispute was not created" />
        <div className="form-actions">
          <ActionButton primary submit busy={create.isPending} busyLabel="Creating…">
            Create dispute
          </ActionButton>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/** Search the employer register and build a list of employers: inside another form, so no nested form. */
function EmployerChooser({
  chosen,
  onChange,
  error,
}: {
  chosen: readonly Chosen[];
  onChange: (next: Chosen[]) => void;
  error: string | undefined;
}) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const search = useEmployerSearch();
  const chosenIds = new Set(chosen.map((c) => c.id));

  return (
    <fieldset className="fieldset" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Employers in dispute</legend>
      {chosen.length > 0 ? (
        <ul className="chips" aria-label="Chosen employers">
          {chosen.map((c) => (
            <li key={c.id} className="chip">
              {c.name}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${c.name}`}
                onClick={() => {
                  onChange(chosen.filter((x) => x.id !== c.id));
                  inputRef.current?.focus();
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No employers chosen yet.</p>
      )}
      <EmployerSearchField
        id={`${id}-search`}
        label="Search employers"
        search={search}
        inputRef={inputRef}
        nested
      />
      <FieldError id={id} error={error} />
      <EmployerSearchResults search={search}>
        {(found) => (
          <ul className="choice-list" aria-label={`Employers matching “${search.search}”`}>
            {found.items.map((e) => {
              const added = chosenIds.has(e.id);
              return (
                <li key={e.id}>
                  <span className="choice-name">
                    <EmployerFound employer={e} count={plural(e.activeMemberCount, "active member")} />
                  </span>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    disabled={added}
                    aria-label={added ? `${e.name} added` : `Add ${e.name}`}
                    onClick={() => onChange([...chosen, { id: e.id, name: e.name }])}
                  >
                    {added ? "Added" : "Add"}
                  </button>
                </li>
              );
            })}
            {found.total > found.items.length ? (
              <li className="muted small">
                First {found.items.length} of {formatNumber(found.total)}: search more precisely to see
                others.
              </li>
            ) : null}
          </ul>
        )}
      </EmployerSearchResults>
    </fieldset>
  );
}
