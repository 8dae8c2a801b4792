import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  MEMBER_PROBLEM_LABELS,
  MEMBER_PROBLEM_OPTIONS,
  MEMBER_STATUS_OPTIONS,
  type MemberProblem,
  type MemberStatus,
  useMembers,
} from "../api/members.js";
import { useRegions, useSectors } from "../api/org.js";
import { useEmployer, useWorkplace } from "../api/registers.js";
import { StatusBadge } from "../components/Badges.js";
import { SearchBox } from "../components/Filters.js";
import { intParam, textParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { PagedList } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { idOptions, SelectField } from "../components/SelectField.js";
import { titleCase } from "../format.js";

const PAGE_SIZE = 50;

function statusParam(params: URLSearchParams): MemberStatus | undefined {
  const raw = params.get("status");
  return MEMBER_STATUS_OPTIONS.find((s) => s === raw);
}

function problemParam(params: URLSearchParams): MemberProblem | undefined {
  const raw = params.get("problem");
  return MEMBER_PROBLEM_OPTIONS.find((p) => p === raw);
}

export function MembersScreen() {
  usePageTitle("Members");
  const user = useUser();
  const canReadOrg = hasPermission(user, "org.read");
  const [params, update] = useQueryParams();
  const search = textParam(params, "search");
  const status = statusParam(params);
  const problem = problemParam(params);
  const regionId = intParam(params, "regionId");
  const sectorId = intParam(params, "sectorId");
  const employerId = intParam(params, "employerId");
  const workplaceId = intParam(params, "workplaceId");
  const page = intParam(params, "page") ?? 1;

  const regions = useRegions(canReadOrg);
  const members = useMembers({
    search,
    status,
    problem,
    regionId,
    sectorId,
    employerId,
    workplaceId,
    page,
    pageSize: PAGE_SIZE,
  });

  return (
    <>
      <div className="page-head">
        <h1>Members</h1>
        <p className="lead">
          Members in your scope: <strong>{user.scopeLabel}</strong>
        </p>
        {hasPermission(user, "members.export") ? (
          <p className="page-actions">
            {/* The export is of everyone in scope (the endpoint takes no filters), and is audited. */}
            <a className="button button-secondary" href="/api/members/export.csv" download>
              Export members (CSV)
            </a>
            <span className="muted small">
              {" "}
              Everyone in your scope, with employer codes and match status. Audited.
            </span>
          </p>
        ) : null}
      </div>

      <div className="filters card">
        <SearchBox
          label="Search members"
          placeholder="Name, membership number or postcode"
          value={search ?? ""}
          onSearch={(text) => update({ search: text })}
        />
        <div className="filter-row">
          <SelectField
            label="Status"
            emptyLabel="Any status"
            value={status ?? ""}
            options={MEMBER_STATUS_OPTIONS.map((s) => ({ value: s, label: titleCase(s) }))}
            onChange={(v) => update({ status: v })}
          />
          <SelectField
            label="Data-quality problem"
            emptyLabel="Any"
            value={problem ?? ""}
            options={MEMBER_PROBLEM_OPTIONS.map((p) => ({ value: p, label: MEMBER_PROBLEM_LABELS[p] }))}
            onChange={(v) => update({ problem: v })}
          />
          {canReadOrg ? (
            <SelectField
              label="Region"
              emptyLabel="All regions"
              value={regionId ? String(regionId) : ""}
              options={idOptions(regions.data, (r) => r.name)}
              onChange={(v) => update({ regionId: v })}
              disabled={regions.isPending}
            />
          ) : null}
        </div>
        {sectorId || employerId || workplaceId ? (
          <ul className="chips" aria-label="Other filters">
            {sectorId ? (
              <li className="chip">
                Sector: <SectorName id={sectorId} enabled={canReadOrg} />
                <button type="button" className="chip-remove" onClick={() => update({ sectorId: undefined })}>
                  Remove<span className="visually-hidden"> sector filter</span>
                </button>
              </li>
            ) : null}
            {employerId ? (
              <li className="chip">
                Employer: <EmployerName id={employerId} enabled={canReadOrg} />
                <button
                  type="button"
                  className="chip-remove"
                  onClick={() => update({ employerId: undefined, workplaceId: undefined })}
                >
                  Remove<span className="visually-hidden"> employer filter</span>
                </button>
              </li>
            ) : null}
            {workplaceId ? (
              <li className="chip">
                Workplace: <WorkplaceName id={workplaceId} enabled={canReadOrg} />
                <button
                  type="button"
                  className="chip-remove"
                  onClick={() => update({ workplaceId: undefined })}
                >
                  Remove<span className="visually-hidden"> workplace filter</span>
                </button>
              </li>
            ) : null}
          </ul>
        ) : null}
      </div>

      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.isError ? (
        <ErrorPanel
          error={members.error}
          title="Cannot load members"
          onRetry={() => void members.refetch()}
        />
      ) : (
        <section aria-label="Members found" className={members.isPlaceholderData ? "is-stale" : undefined}>
          <PagedList
            result={members.data}
            noun="members"
            onPage={(p) => update({ page: p })}
            busy={members.isFetching}
          >
            {members.data.items.length === 0 ? (
              <Empty>
                No members match. Try a surname, a membership number or a postcode, or clear the filters.
              </Empty>
            ) : (
              <div className="table-scroll">
                <table className="table table-cards">
                  <caption className="visually-hidden">Members, page {members.data.page}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Membership number</th>
                      <th scope="col">Name</th>
                      <th scope="col">Employer</th>
                      <th scope="col">Workplace</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {members.data.items.map((m) => (
                      <tr key={m.id}>
                        <td data-label="Membership number">
                          <Link to={`/members/${m.id}`} className="mono-link">
                            {m.membershipNumber}
                          </Link>
                        </td>
                        <th scope="row" data-label="Name">
                          {m.surname}, {m.forenames}
                          {m.homePostcode ? <span className="cell-sub">{m.homePostcode}</span> : null}
                        </th>
                        <td data-label="Employer">
                          {m.employerName ?? <span className="text-warning">Not recorded</span>}
                        </td>
                        <td data-label="Workplace">
                          {m.workplaceName ?? <span className="text-warning">Not recorded</span>}
                        </td>
                        <td data-label="Status">
                          <StatusBadge status={m.status} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </PagedList>
        </section>
      )}
    </>
  );
}

function SectorName({ id, enabled }: { id: number; enabled: boolean }) {
  const sectors = useSectors(enabled);
  return <span>{sectors.data?.find((s) => s.id === id)?.name ?? `#${id}`}</span>;
}

function EmployerName({ id, enabled }: { id: number; enabled: boolean }) {
  const employer = useEmployer(enabled ? id : undefined);
  if (!enabled || !employer.data) return <span>#{id}</span>;
  return <Link to={`/employers/${id}`}>{employer.data.name}</Link>;
}

function WorkplaceName({ id, enabled }: { id: number; enabled: boolean }) {
  const workplace = useWorkplace(id, enabled);
  return <span>{workplace.data ? workplace.data.name : `#${id}`}</span>;
}
