import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { isNotFound } from "../api/client.js";
import { type MemberDetailDto, useMember } from "../api/members.js";
import { Badge, StatusBadge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDate, formatDateTime, isClosed } from "../format.js";

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

function BackLink() {
  return (
    <p className="back-link">
      <Link to="/members">← All members</Link>
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
      </div>

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
