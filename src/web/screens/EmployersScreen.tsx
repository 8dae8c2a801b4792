import { Link } from "react-router";
import { hasPermission, seesWholeUnion, useUser } from "../api/auth.js";
import { useRegions, useSectors } from "../api/org.js";
import { type EmployerListItemDto, useEmployers } from "../api/registers.js";
import { SearchBox } from "../components/Filters.js";
import { intParam, textParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { PagedList } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { idOptions, SelectField } from "../components/SelectField.js";
import { formatNumber } from "../format.js";
import { employerCodes } from "../labels.js";
import { RegisterUpload } from "./RegisterUpload.js";

const PAGE_SIZE = 50;

export function EmployersScreen() {
  usePageTitle("Employers");
  const user = useUser();
  // Scoped roles are sent only employers where they have members; the filter is theirs already.
  const wholeUnion = seesWholeUnion(user);
  const [params, update] = useQueryParams();
  const search = textParam(params, "search");
  const regionId = intParam(params, "regionId");
  const sectorId = intParam(params, "sectorId");
  const withMembers = params.get("withMembers") === "true";
  const page = intParam(params, "page") ?? 1;

  const regions = useRegions();
  const sectors = useSectors();
  const employers = useEmployers({ search, regionId, sectorId, withMembers, page, pageSize: PAGE_SIZE });

  return (
    <>
      <div className="page-head">
        <h1>Employers</h1>
        <p className="lead">
          {wholeUnion
            ? "Employers on the register, with the members you can see at each."
            : `Employers with members in your scope (${user.scopeLabel}), with the members you can see at each.`}
        </p>
      </div>

      <div className="filters card">
        <SearchBox
          label="Search employers"
          placeholder="Name or register code"
          value={search ?? ""}
          onSearch={(text) => update({ search: text })}
        />
        <div className="filter-row">
          <SelectField
            label="Region"
            emptyLabel="All regions"
            value={regionId ? String(regionId) : ""}
            options={idOptions(regions.data, (r) => r.name)}
            onChange={(v) => update({ regionId: v })}
            disabled={regions.isPending}
          />
          <SelectField
            label="Sector"
            emptyLabel="All sectors"
            value={sectorId ? String(sectorId) : ""}
            options={idOptions(sectors.data, (s) => s.name)}
            onChange={(v) => update({ sectorId: v })}
            disabled={sectors.isPending}
          />
          {wholeUnion ? (
            <div className="field field-check">
              <input
                id="with-members"
                type="checkbox"
                checked={withMembers}
                onChange={(e) => update({ withMembers: e.target.checked ? "true" : undefined })}
              />
              <label htmlFor="with-members">Only employers with members</label>
            </div>
          ) : null}
        </div>
      </div>

      {hasPermission(user, "org.write") ? <RegisterUpload /> : null}

      {employers.isPending ? (
        <Loading label="Loading employers…" />
      ) : employers.isError ? (
        <ErrorPanel
          error={employers.error}
          title="Cannot load employers"
          onRetry={() => void employers.refetch()}
        />
      ) : (
        <section
          aria-label="Employers found"
          className={employers.isPlaceholderData ? "is-stale" : undefined}
        >
          <PagedList
            result={employers.data}
            noun="employers"
            onPage={(p) => update({ page: p })}
            busy={employers.isFetching}
          >
            {employers.data.items.length === 0 ? (
              <Empty>No employers match. Try a shorter search, or clear the filters.</Empty>
            ) : (
              <div className="table-scroll">
                <table className="table table-cards">
                  <caption className="visually-hidden">Employers, page {employers.data.page}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Employer</th>
                      <th scope="col">Codes</th>
                      <th scope="col">Sector</th>
                      <th scope="col">Region</th>
                      <th scope="col" className="num">
                        Workplaces
                      </th>
                      <th scope="col" className="num">
                        Members
                      </th>
                      <th scope="col" className="num">
                        Active
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {employers.data.items.map((e) => (
                      <tr key={e.id}>
                        <th scope="row" data-label="Employer">
                          <Link to={`/employers/${e.id}`}>{e.name}</Link>
                          {e.closedOn ? <span className="badge badge-error">Closed</span> : null}
                        </th>
                        <td data-label="Codes">
                          <Codes employer={e} />
                        </td>
                        <td data-label="Sector">{e.sectorName ?? "—"}</td>
                        <td data-label="Region">{e.regionName ?? "—"}</td>
                        <td data-label="Workplaces" className="num">
                          {formatNumber(e.workplaceCount)}
                        </td>
                        <td data-label="Members" className="num">
                          {formatNumber(e.memberCount)}
                        </td>
                        <td data-label="Active" className="num">
                          {formatNumber(e.activeMemberCount)}
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

function Codes({ employer }: { employer: EmployerListItemDto }) {
  const codes = employerCodes(employer);
  if (codes.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="code-list">
      {codes.map((c) => (
        <li key={c.label}>
          <abbr title={c.title}>{c.label}</abbr> <code>{c.value}</code>
        </li>
      ))}
    </ul>
  );
}
