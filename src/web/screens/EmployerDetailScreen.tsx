import { Link, useParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import { isNotFound } from "../api/client.js";
import { type EmployerDetailDto, useEmployer, type WorkplaceListItemDto } from "../api/registers.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { formatDate, formatNumber, isClosed, plural } from "../format.js";
import { employerCodes, NATION_LABELS, PUBLIC_SERVICE_LABELS } from "../labels.js";

export function EmployerDetailScreen() {
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const employer = useEmployer(valid ? id : undefined);
  usePageTitle(employer.data ? employer.data.name : "Employer");

  if (!valid || isNotFound(employer.error)) {
    return (
      <>
        <BackLink />
        <h1>Employer not found</h1>
        <p>No such employer in your scope.</p>
      </>
    );
  }
  if (employer.isPending) return <Loading label="Loading employer…" />;
  if (employer.isError) {
    return (
      <ErrorPanel
        error={employer.error}
        title="Cannot load this employer"
        onRetry={() => void employer.refetch()}
      />
    );
  }
  return <EmployerDetail employer={employer.data} />;
}

function BackLink() {
  return (
    <p className="back-link">
      <Link to="/employers">← All employers</Link>
    </p>
  );
}

function EmployerDetail({ employer }: { employer: EmployerDetailDto }) {
  const user = useUser();
  const canSeeMembers = hasPermission(user, "members.read");
  const codes = employerCodes(employer);
  const overHeadcount = employer.workplaces.filter(isOverHeadcount);
  const closedWithMembers = employer.workplaces.filter(
    (w) => isClosed(w.closedOn) && w.activeMemberCount > 0,
  );

  return (
    <>
      <BackLink />
      <div className="page-head">
        <h1>{employer.name}</h1>
        <p className="lead">
          {plural(employer.memberCount, "member")} in your scope, {formatNumber(employer.activeMemberCount)}{" "}
          active, at {plural(employer.workplaceCount, "workplace")}.
          {canSeeMembers && employer.memberCount > 0 ? (
            <>
              {" "}
              <Link to={`/members?employerId=${employer.id}`}>See the members at this employer</Link>
            </>
          ) : null}
        </p>
      </div>

      {isClosed(employer.closedOn) ? (
        <Notice tone="error" title="This employer has closed">
          <p>
            It closed on {formatDate(employer.closedOn)}. Its members cannot be balloted as its employees.
          </p>
        </Notice>
      ) : null}
      {overHeadcount.length > 0 ? (
        <Notice tone="error" title={`${plural(overHeadcount.length, "workplace")} over headcount`}>
          <p>
            More active members are recorded than the employer's headcount at{" "}
            {overHeadcount.map((w) => w.name).join(", ")}. Check these records before giving notice:
            impossible figures have cost unions injunctions.
          </p>
        </Notice>
      ) : null}
      {closedWithMembers.length > 0 ? (
        <Notice tone="error" title="Members at closed workplaces">
          <p>
            {closedWithMembers.map((w) => `${w.name} (${formatNumber(w.activeMemberCount)})`).join(", ")}:
            move these members to their current workplace before the ballot.
          </p>
        </Notice>
      ) : null}
      {employer.membersWithoutWorkplace > 0 ? (
        <Notice
          tone="warning"
          title={`${plural(employer.membersWithoutWorkplace, "member")} with no workplace`}
        >
          <p>The notice to the employer gives numbers by workplace: record where these members work.</p>
        </Notice>
      ) : null}

      <section aria-labelledby="facts-heading" className="card section">
        <h2 id="facts-heading" className="card-title">
          Employer facts
        </h2>
        <dl className="facts">
          <div>
            <dt>Register codes</dt>
            <dd>
              {codes.length === 0 ? (
                "None recorded"
              ) : (
                <ul className="code-list">
                  {codes.map((c) => (
                    <li key={c.label}>
                      {c.title}: <code>{c.value}</code>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>Sector</dt>
            <dd>{employer.sectorName ?? "Not recorded"}</dd>
          </div>
          <div>
            <dt>Region</dt>
            <dd>{employer.regionName ?? "Not recorded"}</dd>
          </div>
          <div>
            <dt>Nation</dt>
            <dd>{NATION_LABELS[employer.nation]}</dd>
          </div>
          <div>
            <dt>Important public service</dt>
            <dd>
              {employer.importantPublicService
                ? PUBLIC_SERVICE_LABELS[employer.importantPublicService]
                : "No"}
            </dd>
          </div>
          <div>
            <dt>Devolved Welsh authority</dt>
            <dd>{employer.devolvedWelshAuthority ? "Yes" : "No"}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>{formatDate(employer.openedOn)}</dd>
          </div>
          <div>
            <dt>Closed</dt>
            <dd>
              {employer.closedOn ? (
                <strong className="text-error">{formatDate(employer.closedOn)}</strong>
              ) : (
                "Open"
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="workplaces-heading" className="section">
        <h2 id="workplaces-heading">Workplaces</h2>
        {employer.workplaces.length === 0 ? (
          <Empty>No workplaces recorded for this employer in your scope.</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards">
              <thead>
                <tr>
                  <th scope="col">Site code</th>
                  <th scope="col">Workplace</th>
                  <th scope="col">Postcode</th>
                  <th scope="col">Closed</th>
                  <th scope="col" className="num">
                    Headcount
                  </th>
                  <th scope="col" className="num">
                    Active members
                  </th>
                  <th scope="col" className="num">
                    All members
                  </th>
                  {canSeeMembers ? (
                    <th scope="col">
                      <span className="visually-hidden">Members list</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {employer.workplaces.map((w) => (
                  <WorkplaceRow
                    key={w.id}
                    workplace={w}
                    employerId={employer.id}
                    canSeeMembers={canSeeMembers}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function isOverHeadcount(w: WorkplaceListItemDto): boolean {
  return w.headcount !== null && w.activeMemberCount > w.headcount;
}

function WorkplaceRow({
  workplace: w,
  employerId,
  canSeeMembers,
}: {
  workplace: WorkplaceListItemDto;
  employerId: number;
  canSeeMembers: boolean;
}) {
  const closed = isClosed(w.closedOn);
  const over = isOverHeadcount(w);
  const rowClass = closed ? "row-error" : over ? "row-warning" : undefined;
  return (
    <tr className={rowClass}>
      <td data-label="Site code">{w.siteCode ? <code>{w.siteCode}</code> : "—"}</td>
      <th scope="row" data-label="Workplace">
        {w.name}
        {w.address ? <span className="cell-sub">{w.address}</span> : null}
      </th>
      <td data-label="Postcode" className="nowrap">
        {w.postcode ?? "—"}
      </td>
      <td data-label="Closed">
        {w.closedOn ? (
          <Badge tone={closed ? "error" : "warning"}>
            {closed ? `Closed ${formatDate(w.closedOn)}` : `Closes ${formatDate(w.closedOn)}`}
          </Badge>
        ) : (
          "Open"
        )}
      </td>
      <td data-label="Headcount" className="num">
        {w.headcount === null ? (
          <span className="muted">Unknown</span>
        ) : (
          <>
            {formatNumber(w.headcount)}
            {w.headcountOn ? (
              <span className="cell-sub">
                at {formatDate(w.headcountOn)}
                {w.headcountSource ? `, ${w.headcountSource}` : ""}
              </span>
            ) : null}
          </>
        )}
      </td>
      <td data-label="Active members" className="num">
        {formatNumber(w.activeMemberCount)}
        {over ? <Badge tone="error">Over headcount</Badge> : null}
      </td>
      <td data-label="All members" className="num">
        {formatNumber(w.memberCount)}
      </td>
      {canSeeMembers ? (
        <td data-label="Members list">
          {w.memberCount > 0 ? (
            <Link
              to={`/members?employerId=${employerId}&workplaceId=${w.id}`}
              aria-label={`Members at ${w.name}`}
            >
              Members
            </Link>
          ) : (
            <span className="muted">None</span>
          )}
        </td>
      ) : null}
    </tr>
  );
}
