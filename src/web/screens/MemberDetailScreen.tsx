import { type FormEvent, type ReactNode, useId, useRef, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import type { UpdateMemberInput } from "../../members/members.model.js";
import { hasPermission, useUser } from "../api/auth.js";
import { isNotFound } from "../api/client.js";
import { type MemberDetailDto, useMember, useUpdateMember } from "../api/members.js";
import { useEmployer } from "../api/registers.js";
import { Badge, StatusBadge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDate, formatDateTime, isClosed } from "../format.js";
import { FormError, InputField } from "./BallotParts.js";
import { MemberPositionCard } from "./MemberPosition.js";

export function MemberDetailScreen() {
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const member = useMember(valid ? id : 0);
  usePageTitle(member.data ? `${member.data.forenames} ${member.data.surname}` : "Member");

  if (!valid || isNotFound(member.error)) return <MemberNotFound />;
  if (member.isPending) return <Loading label="Loading member…" />;
  if (member.isError) {
    return (
      <ErrorPanel
        error={member.error}
        title="Cannot load this member"
        onRetry={() => void member.refetch()}
      />
    );
  }
  return <MemberDetail member={member.data} />;
}

/** Where the member was opened from, when that screen asked to be returned to (a ballot's pre-flight checks). */
function returnState(state: unknown): { returnTo: string; returnLabel: string } | null {
  if (typeof state !== "object" || state === null) return null;
  const { returnTo, returnLabel } = state as Record<string, unknown>;
  return typeof returnTo === "string" && returnTo.startsWith("/") && typeof returnLabel === "string"
    ? { returnTo, returnLabel }
    : null;
}

function BackLink() {
  const back = returnState(useLocation().state);
  return (
    <p className="back-link">
      {back ? (
        <>
          <Link to={back.returnTo}>← {back.returnLabel}</Link>
          <span className="muted"> · </span>
        </>
      ) : null}
      <Link to="/members">{back ? "All members" : "← All members"}</Link>
    </p>
  );
}

function MemberNotFound() {
  usePageTitle("Member not found");
  return (
    <>
      <BackLink />
      <h1>Member not found</h1>
      <p>No such member in your scope.</p>
      <p className="muted">
        The record may have been removed, or it belongs to a region, sector or workplace outside your scope.
      </p>
    </>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function orNone(value: string | null, none = "Not recorded"): ReactNode {
  return value ? value : <span className="muted">{none}</span>;
}

function yesNo(value: boolean): string {
  return value ? "Yes" : "No";
}

function MemberDetail({ member: m }: { member: MemberDetailDto }) {
  const user = useUser();
  const canOpenEmployers = hasPermission(user, "org.read");
  const canEdit = hasPermission(user, "members.write");
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const hasHomeAddress = Boolean(m.addressLine1 && m.homePostcode);
  const workplaceClosed = isClosed(m.workplaceClosedOn);
  const workplaceClosing = Boolean(m.workplaceClosedOn) && !workplaceClosed;

  return (
    <>
      <BackLink />
      <div className="page-head member-head">
        <h1>
          {m.forenames} {m.surname}
        </h1>
        <p className="member-number">
          Membership number <strong data-testid="membership-number">{m.membershipNumber}</strong>
          <StatusBadge status={m.status} />
        </p>
        {canEdit && !editing ? (
          <div className="section-actions">
            <button
              ref={editButton}
              type="button"
              className="button button-secondary"
              onClick={() => {
                setEditing(true);
                setSaved(false);
              }}
            >
              Edit
            </button>
            <p aria-live="polite" className="live-region">
              {saved ? <span className="text-ok">Saved.</span> : null}
            </p>
          </div>
        ) : null}
      </div>

      {editing ? (
        <MemberEditForm
          member={m}
          onDone={(didSave) => {
            setEditing(false);
            setSaved(didSave);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      ) : null}

      <div className="stack warnings">
        {!hasHomeAddress ? (
          <Notice tone="error" title="No home address">
            <p>
              This member cannot be sent a postal ballot paper. Record their home address and postcode before
              the ballot.
            </p>
          </Notice>
        ) : null}
        {workplaceClosed ? (
          <Notice tone="error" title="Workplace closed">
            <p>
              {m.workplaceName ?? "The recorded workplace"} closed on {formatDate(m.workplaceClosedOn)}.
              Record where this member works now: members at closed workplaces make a notice to the employer
              inaccurate.
            </p>
          </Notice>
        ) : null}
        {workplaceClosing ? (
          <Notice tone="warning" title="Workplace closing">
            <p>
              {m.workplaceName ?? "The recorded workplace"} closes on {formatDate(m.workplaceClosedOn)}.
            </p>
          </Notice>
        ) : null}
        {m.status === "active" && !m.employerId ? (
          <Notice tone="warning" title="No employer">
            <p>Without an employer this member falls outside every employer's ballot and notice.</p>
          </Notice>
        ) : null}
        {m.status === "active" && m.employerId && !m.workplaceId ? (
          <Notice tone="warning" title="No workplace">
            <p>The notice to the employer gives numbers by workplace: record where this member works.</p>
          </Notice>
        ) : null}
        {m.inArrears ? (
          <Notice tone="warning" title="In arrears">
            <p>Check the union's rules on whether members in arrears are entitled to vote.</p>
          </Notice>
        ) : null}
      </div>

      <div className="detail-grid">
        <section aria-labelledby="contact-heading" className="card">
          <h2 id="contact-heading" className="card-title">
            Contact
          </h2>
          <dl className="facts">
            <Field label="Email">
              {m.email ? <a href={`mailto:${m.email}`}>{m.email}</a> : orNone(null)}
            </Field>
            <Field label="Mobile">
              {m.mobile ? <a href={`tel:${m.mobile}`}>{m.mobile}</a> : orNone(null)}
            </Field>
            <Field label="Consent to email">{yesNo(m.consentEmail)}</Field>
            <Field label="Consent to text messages">{yesNo(m.consentSms)}</Field>
          </dl>
        </section>

        <section aria-labelledby="home-heading" className="card">
          <h2 id="home-heading" className="card-title">
            Home address
          </h2>
          {m.addressLine1 || m.homePostcode || m.town ? (
            <address className="address">
              {[m.addressLine1, m.addressLine2, m.town, m.homePostcode]
                .filter((line): line is string => Boolean(line))
                .map((line) => (
                  <span key={line}>{line}</span>
                ))}
            </address>
          ) : (
            <p className="text-error">No home address recorded.</p>
          )}
          {m.addressLine1 && !m.homePostcode ? <p className="text-error">The postcode is missing.</p> : null}
          {!m.addressLine1 && m.homePostcode ? (
            <p className="text-error">The first line of the address is missing.</p>
          ) : null}
        </section>

        <section aria-labelledby="postal-heading" className="card">
          <h2 id="postal-heading" className="card-title">
            Requested postal address
          </h2>
          {m.postalAddress || m.postalPostcode ? (
            <>
              <address className="address">
                {[m.postalAddress, m.postalPostcode]
                  .filter((line): line is string => Boolean(line))
                  .map((line) => (
                    <span key={line}>{line}</span>
                  ))}
              </address>
              <dl className="facts">
                <Field label="Requested on">{formatDate(m.postalRequestedOn)}</Field>
                <Field label="Evidence of the request">{orNone(m.postalRequestEvidence)}</Field>
              </dl>
              {!m.postalRequestedOn || !m.postalRequestEvidence ? (
                <p className="text-warning">
                  Ballot papers go to another address only at the member's written request: record when and
                  how they asked.
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted">None: ballot papers go to the home address.</p>
          )}
        </section>

        <section aria-labelledby="employment-heading" className="card">
          <h2 id="employment-heading" className="card-title">
            Employment
          </h2>
          <dl className="facts">
            <Field label="Employer">
              {m.employerId && m.employerName ? (
                canOpenEmployers ? (
                  <Link to={`/employers/${m.employerId}`}>{m.employerName}</Link>
                ) : (
                  m.employerName
                )
              ) : (
                orNone(null)
              )}
            </Field>
            <Field label="Workplace">
              {m.workplaceName ? (
                <>
                  {m.workplaceName}{" "}
                  {m.workplaceClosedOn ? (
                    <Badge tone={workplaceClosed ? "error" : "warning"}>
                      {workplaceClosed
                        ? `Closed ${formatDate(m.workplaceClosedOn)}`
                        : `Closes ${formatDate(m.workplaceClosedOn)}`}
                    </Badge>
                  ) : null}
                </>
              ) : (
                orNone(null)
              )}
            </Field>
            <Field label="Job title">{orNone(m.jobTitle)}</Field>
            <Field label="Job category">{orNone(m.jobCategory)}</Field>
            <Field label="Branch">{orNone(m.branchName)}</Field>
            <Field label="Region">{orNone(m.regionName)}</Field>
          </dl>
        </section>

        <section aria-labelledby="membership-heading" className="card">
          <h2 id="membership-heading" className="card-title">
            Membership
          </h2>
          <dl className="facts">
            <Field label="Status">
              <StatusBadge status={m.status} />
            </Field>
            <Field label="Joined">{formatDate(m.joinedOn)}</Field>
            {m.leftOn ? <Field label="Left">{formatDate(m.leftOn)}</Field> : null}
            <Field label="In arrears">
              {m.inArrears ? <strong className="text-warning">Yes</strong> : "No"}
            </Field>
            <Field label="Pays by check-off">{yesNo(m.checkOff)}</Field>
            <Field label="Date of birth">{formatDate(m.dateOfBirth)}</Field>
          </dl>
        </section>

        {hasPermission(user, "canvass.positions") ? <MemberPositionCard memberId={m.id} /> : null}
      </div>

      <section aria-labelledby="history-heading" className="section">
        <h2 id="history-heading">Employment history</h2>
        {m.history.length === 0 ? (
          <Empty>No employment history recorded.</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards">
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Employer</th>
                  <th scope="col">Workplace</th>
                  <th scope="col">Job category</th>
                </tr>
              </thead>
              <tbody>
                {m.history.map((h) => (
                  <tr
                    key={`${h.validFrom}-${h.employerId ?? ""}-${h.workplaceId ?? ""}-${h.jobCategory ?? ""}`}
                  >
                    <th scope="row" data-label="From">
                      {formatDate(h.validFrom)}
                    </th>
                    <td data-label="To">
                      {h.validTo ? formatDate(h.validTo) : <Badge tone="ok">Current</Badge>}
                    </td>
                    <td data-label="Employer">{h.employerName ?? "—"}</td>
                    <td data-label="Workplace">{h.workplaceName ?? "—"}</td>
                    <td data-label="Job category">{h.jobCategory ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <p className="muted small record-times">
        Record created {formatDateTime(m.createdAt)}; last changed {formatDateTime(m.updatedAt)}.
      </p>
    </>
  );
}

/** Empty text is "not recorded": sent as null. */
function orNull(s: string): string | null {
  const t = s.trim();
  return t ? t : null;
}

/**
 * The fields a ballot's pre-flight checks most often ask to fix: where the
 * member works, their job category and their home address. A change of
 * workplace or category closes the current employment period from the date given.
 */
function MemberEditForm({
  member: m,
  onDone,
}: {
  member: MemberDetailDto;
  onDone: (saved: boolean) => void;
}) {
  const id = useId();
  const update = useUpdateMember(m.id);
  const employer = useEmployer(m.employerId ?? undefined);
  const [workplaceId, setWorkplaceId] = useState(m.workplaceId ? String(m.workplaceId) : "");
  const [jobCategory, setJobCategory] = useState(m.jobCategory ?? "");
  const [line1, setLine1] = useState(m.addressLine1 ?? "");
  const [line2, setLine2] = useState(m.addressLine2 ?? "");
  const [town, setTown] = useState(m.town ?? "");
  const [postcode, setPostcode] = useState(m.homePostcode ?? "");
  const [effectiveFrom, setEffectiveFrom] = useState("");
  const [unchanged, setUnchanged] = useState(false);

  const patch: UpdateMemberInput = {};
  const nextWorkplace = workplaceId ? Number(workplaceId) : null;
  if (nextWorkplace !== m.workplaceId) patch.workplaceId = nextWorkplace;
  if (orNull(jobCategory) !== m.jobCategory) patch.jobCategory = orNull(jobCategory);
  if (orNull(line1) !== m.addressLine1) patch.addressLine1 = orNull(line1);
  if (orNull(line2) !== m.addressLine2) patch.addressLine2 = orNull(line2);
  if (orNull(town) !== m.town) patch.town = orNull(town);
  if (orNull(postcode)?.toUpperCase() !== m.homePostcode?.toUpperCase())
    patch.homePostcode = orNull(postcode);
  const employmentChanged = "workplaceId" in patch || "jobCategory" in patch;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (Object.keys(patch).length === 0) {
      setUnchanged(true);
      return;
    }
    const body: UpdateMemberInput =
      employmentChanged && /^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom) ? { ...patch, effectiveFrom } : patch;
    update.mutate(body, { onSuccess: () => onDone(true) });
  };

  const workplaces = employer.data?.workplaces ?? [];
  const current = workplaces.find((w) => w.id === m.workplaceId);

  return (
    <section className="card section member-edit" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Edit {m.forenames} {m.surname}
      </h2>
      <form className="form-stack" onSubmit={submit} noValidate>
        <fieldset className="fieldset">
          <legend>Employment</legend>
          {m.employerId ? (
            <div className="field">
              <label htmlFor={`${id}-workplace`}>Workplace</label>
              <p id={`${id}-workplace-hint`} className="field-hint">
                Workplaces of {m.employerName ?? "the member's employer"}.
              </p>
              <select
                id={`${id}-workplace`}
                aria-describedby={`${id}-workplace-hint`}
                value={workplaceId}
                disabled={employer.isPending}
                onChange={(e) => setWorkplaceId(e.target.value)}
              >
                <option value="">
                  {employer.isPending ? "Loading workplaces…" : "No workplace recorded"}
                </option>
                {m.workplaceId && !current && !employer.isPending ? (
                  <option value={String(m.workplaceId)}>{m.workplaceName ?? "Current workplace"}</option>
                ) : null}
                {workplaces.map((w) => (
                  <option key={w.id} value={String(w.id)}>
                    {w.name}
                    {w.postcode ? ` (${w.postcode})` : ""}
                    {isClosed(w.closedOn) ? ` — closed ${formatDate(w.closedOn)}` : ""}
                  </option>
                ))}
              </select>
              {employer.isError ? (
                <p className="text-error small">Cannot load the workplaces: {employer.error.message}</p>
              ) : null}
            </div>
          ) : (
            <p className="muted">
              No employer is recorded, so no workplace can be chosen: match the member to an employer first.
            </p>
          )}
          <InputField label="Job category" value={jobCategory} onChange={setJobCategory} />
          {employmentChanged ? (
            <InputField
              type="date"
              label="Change took effect on (optional)"
              hint="Leave blank for today. The employment history keeps the previous period up to this date."
              value={effectiveFrom}
              onChange={setEffectiveFrom}
            />
          ) : null}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Home address</legend>
          <InputField label="Address line 1" value={line1} onChange={setLine1} autoComplete="off" />
          <InputField label="Address line 2" value={line2} onChange={setLine2} autoComplete="off" />
          <InputField label="Town" value={town} onChange={setTown} autoComplete="off" />
          <InputField label="Postcode" value={postcode} onChange={setPostcode} autoComplete="off" />
        </fieldset>
        <FormError error={update.error} title="The changes were not saved" />
        {unchanged && Object.keys(patch).length === 0 ? (
          <p className="muted" role="status">
            Nothing has changed.
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
          <button type="button" className="button button-secondary" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
