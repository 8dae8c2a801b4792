import { Link } from "react-router";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { hasPermission, useUser } from "../api/auth.js";
import type { MemberFilters, MemberProblem } from "../api/members.js";
import {
  QUALITY_DIMENSIONS,
  type QualityDimension,
  type QualityReportDto,
  type QualityRowDto,
  useQualityReport,
} from "../api/quality.js";
import { intParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { PagedList } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { ScrollRegion } from "../components/ScrollRegion.js";
import { formatDate, formatNumber } from "../format.js";

type CountKey = Exclude<keyof QualityRowDto, "id" | "name">;

interface Column {
  key: CountKey;
  /** The member list narrowed to the members behind the figure. */
  members?: Pick<MemberFilters, "problem" | "status">;
  label: string;
  /** Non-zero counts are a problem for a notice of ballot: red must be fixed, amber checked. */
  tone?: "error" | "warning";
  /** Why it matters, in one line, for the legend. */
  why?: string;
}

const COLUMNS: readonly Column[] = [
  { key: "members", label: "Members" },
  { key: "active", label: "Active" },
  { key: "matched", label: "Matched" },
  {
    key: "inReview",
    members: { problem: "in_review" },
    label: "In review",
    tone: "warning",
    why: "their employer is not yet confirmed, so they cannot be counted in any employer's notice.",
  },
  {
    key: "unmatched",
    members: { problem: "unmatched" },
    label: "Unmatched",
    tone: "error",
    why: "no employer known: they fall outside every notice and every ballot.",
  },
  {
    key: "noHomeAddress",
    members: { problem: "no_address" },
    label: "No home address",
    tone: "error",
    why: "active members who cannot be sent a postal ballot paper.",
  },
  {
    key: "atClosedWorkplaces",
    members: { problem: "closed_workplace" },
    label: "At closed workplaces",
    tone: "error",
    why: "active members at a closed site make the notice's figures wrong.",
  },
  {
    key: "workplacesOverHeadcount",
    members: { problem: "over_headcount" },
    label: "Workplaces over headcount",
    tone: "error",
    why: "more active members than staff: an employer can challenge figures like these.",
  },
  {
    key: "changedRecently",
    members: { problem: "changed_recently" },
    label: "Changed recently",
    tone: "warning",
    why: "employer, workplace or job moved lately: check the notice uses the current figures.",
  },
  {
    key: "lapsed",
    members: { status: "lapsed" },
    label: "Lapsed",
    tone: "warning",
    why: "check whether they are still entitled to vote before they are balloted or left out.",
  },
  {
    key: "inArrears",
    members: { problem: "in_arrears" },
    label: "In arrears",
    tone: "warning",
    why: "check your rules on whether active members in arrears may vote.",
  },
  {
    key: "duplicatesPending",
    members: { problem: "duplicate_pending" },
    label: "Duplicates pending",
    tone: "warning",
    why: "one person under two numbers would be counted twice and sent two papers.",
  },
  {
    key: "emailUndeliverable",
    members: { problem: "email_undeliverable" },
    label: "Email undeliverable",
    tone: "warning",
    why: "their email bounced for good: ask for a new address, or they hear from the union by text or letter only.",
  },
  {
    key: "mobileUndeliverable",
    members: { problem: "mobile_undeliverable" },
    label: "Mobile not a number",
    tone: "warning",
    why: "texts to their mobile found no such number: ask for a new one.",
  },
];

const DIMENSION_LABEL: Record<QualityDimension, string> = {
  employer: "Employer",
  region: "Region",
  sector: "Sector",
};

const CHART_ROWS = 15;
const COLOR_MATCHED = "#1d4f91";
const COLOR_REVIEW = "#b86e00";
const COLOR_UNMATCHED = "#a4231b";

function dimensionParam(params: URLSearchParams, fallback: QualityDimension): QualityDimension {
  const raw = params.get("by");
  return QUALITY_DIMENSIONS.find((d) => d === raw) ?? fallback;
}

export function QualityScreen() {
  usePageTitle("Register quality");
  const user = useUser();
  const canReadOrg = hasPermission(user, "org.read");
  // Roles that see only aggregates are refused the employer view: start them by region.
  const fallback: QualityDimension = canReadOrg ? "employer" : "region";
  const canOpenMembers = hasPermission(user, "members.read");
  const [params, update] = useQueryParams();
  const by = dimensionParam(params, fallback);
  const page = intParam(params, "page") ?? 1;
  const report = useQualityReport(by, page);

  return (
    <>
      <div className="page-head">
        <h1>Register quality</h1>
        <p className="lead">
          How complete and current the register is, before any notice of ballot goes out. Each highlighted
          figure is a way a notice or a ballot has been challenged.
        </p>
      </div>

      <nav aria-label="Group the report by" className="tabs">
        <ul className="tab-list">
          {QUALITY_DIMENSIONS.map((d) => (
            <li key={d}>
              <Link
                to={d === fallback ? "/quality" : `/quality?by=${d}`}
                className="tab"
                aria-current={d === by ? "page" : undefined}
              >
                By {DIMENSION_LABEL[d].toLowerCase()}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {report.isPending ? (
        <Loading label="Checking the register…" />
      ) : report.isError ? (
        <ErrorPanel
          error={report.error}
          title={`Cannot show the report by ${by}`}
          onRetry={() => void report.refetch()}
        />
      ) : (
        <QualityBody
          report={report.data}
          linkEmployers={by === "employer" && canReadOrg}
          linkMembers={canOpenMembers}
          onPage={(p) => update({ page: p })}
          busy={report.isFetching}
        />
      )}
    </>
  );
}

/** Where the members behind a figure are listed: the row's employer, region or sector and the column's problem. */
function membersLink(by: QualityDimension, row: QualityRowDto | null, column: Column): string | null {
  if (!column.members) return null;
  const params = new URLSearchParams();
  if (row) {
    if (row.id === null) return null;
    params.set(`${by}Id`, String(row.id));
  }
  if (column.members.problem) params.set("problem", column.members.problem satisfies MemberProblem);
  if (column.members.status) params.set("status", column.members.status);
  return `/members?${params.toString()}`;
}

function QualityBody({
  report,
  linkEmployers,
  linkMembers,
  onPage,
  busy,
}: {
  report: QualityReportDto;
  linkEmployers: boolean;
  linkMembers: boolean;
  onPage: (page: number) => void;
  busy: boolean;
}) {
  const dimension = DIMENSION_LABEL[report.by];
  return (
    <>
      <div className="section-actions">
        <p className="muted">
          As at {formatDate(report.asAt)}. “Changed recently” means in the last {report.recentDays} days.
        </p>
        {/* Built by the server, which audits the export as it starts and ends. */}
        <a
          className="button button-secondary"
          href={`/api/quality.csv?by=${report.by}`}
          download
          aria-disabled={report.total === 0}
          onClick={(e) => {
            if (report.total === 0) e.preventDefault();
          }}
        >
          Export CSV
        </a>
      </div>

      {report.total === 0 ? (
        <Empty>No members in your scope yet. Import the membership file first.</Empty>
      ) : (
        <>
          {report.page === 1 ? <MatchChart rows={report.rows} dimension={dimension} /> : null}
          <section aria-labelledby="table-heading" className="section">
            <h2 id="table-heading">By {dimension.toLowerCase()}</h2>
            <p className="muted small legend-key">
              <span className="legend-swatch swatch-error" aria-hidden="true" />
              Red: fix before the notice. <span className="legend-swatch swatch-warning" aria-hidden="true" />
              Amber: check. <a href="#legend-heading">Why each figure matters</a>
            </p>
            <PagedList
              result={{
                items: report.rows,
                page: report.page,
                pageSize: report.pageSize,
                total: report.total,
              }}
              noun={`${dimension.toLowerCase()} rows`}
              onPage={onPage}
              busy={busy}
            >
              <ScrollRegion label={`Register quality by ${dimension.toLowerCase()}`}>
                <table className="table table-cards quality-table">
                  <caption className="visually-hidden">
                    Register quality by {dimension.toLowerCase()}, largest first, with totals
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{dimension}</th>
                      {COLUMNS.map((c) => (
                        <th key={c.key} scope="col" className="num">
                          {c.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {report.rows.map((r) => (
                      <QualityRow
                        key={r.id ?? "none"}
                        row={r}
                        dimension={dimension}
                        link={linkEmployers && r.id !== null ? `/employers/${r.id}` : null}
                        memberLink={linkMembers ? (c) => membersLink(report.by, r, c) : null}
                      />
                    ))}
                  </tbody>
                  <tfoot>
                    <QualityRow
                      row={{ ...report.totals, name: "Total" }}
                      dimension={dimension}
                      link={null}
                      memberLink={linkMembers ? (c) => membersLink(report.by, null, c) : null}
                    />
                  </tfoot>
                </table>
              </ScrollRegion>
            </PagedList>
          </section>
          <section aria-labelledby="legend-heading" className="card section">
            <h2 id="legend-heading" className="card-title">
              Why the highlighted figures matter
            </h2>
            <ul className="legend">
              {COLUMNS.filter((c) => c.why).map((c) => (
                <li key={c.key}>
                  <span className={`legend-swatch swatch-${c.tone}`} aria-hidden="true" />
                  <strong>{c.label}</strong>
                  <span className="visually-hidden">
                    {" "}
                    ({c.tone === "error" ? "red: fix before the notice" : "amber: check"})
                  </span>
                  : {c.why}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

function QualityRow({
  row,
  dimension,
  link,
  memberLink,
}: {
  row: QualityRowDto;
  dimension: string;
  link: string | null;
  /** The members behind a flagged figure, when the reader may open members. */
  memberLink: ((column: Column) => string | null) | null;
}) {
  return (
    <tr>
      <th scope="row" data-label={dimension}>
        {link ? <Link to={link}>{row.name}</Link> : row.name}
      </th>
      {COLUMNS.map((c) => {
        const n = row[c.key];
        const flagged = c.tone !== undefined && n > 0;
        const to = flagged && memberLink ? memberLink(c) : null;
        return (
          <td key={c.key} data-label={c.label} className={flagged ? `num cell-${c.tone}` : "num"}>
            {to ? (
              <Link to={to}>
                {formatNumber(n)}
                <span className="visually-hidden">
                  {" "}
                  {c.label.toLowerCase()}, {row.name}: show them
                </span>
              </Link>
            ) : (
              formatNumber(n)
            )}
          </td>
        );
      })}
    </tr>
  );
}

function shorten(label: string, max = 24): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Matched / in review / unmatched for the largest rows: where the matching work is. */
function MatchChart({ rows, dimension }: { rows: readonly QualityRowDto[]; dimension: string }) {
  const data = rows.slice(0, CHART_ROWS).map((r) => ({
    name: r.name,
    matched: r.matched,
    inReview: r.inReview,
    unmatched: r.unmatched,
  }));
  const height = Math.max(180, data.length * 34 + 80);
  return (
    <figure className="card chart-card section" aria-labelledby="match-chart-title">
      <figcaption>
        <h2 id="match-chart-title" className="card-title">
          Employer matching, largest {Math.min(CHART_ROWS, rows.length)} by {dimension.toLowerCase()}
        </h2>
        <p className="muted small">
          Members matched, in review and unmatched. Every figure is in the table below.
        </p>
      </figcaption>
      <div className="chart" aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={data}
            layout="vertical"
            margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          >
            <CartesianGrid horizontal={false} stroke="#d5dae1" />
            <XAxis
              type="number"
              tickFormatter={(v: number) => formatNumber(v)}
              stroke="#4a5568"
              fontSize={12}
              allowDecimals={false}
            />
            <YAxis
              type="category"
              dataKey="name"
              width={150}
              tickFormatter={(v: string) => shorten(v)}
              stroke="#4a5568"
              fontSize={12}
              interval={0}
            />
            <Tooltip formatter={(value) => formatNumber(Number(value))} cursor={{ fill: "#eef2f7" }} />
            <Legend
              itemSorter={null}
              wrapperStyle={{ fontSize: 13 }}
              formatter={(value) => <span className="chart-legend">{value}</span>}
            />
            <Bar
              dataKey="matched"
              name="Matched"
              stackId="m"
              fill={COLOR_MATCHED}
              isAnimationActive={false}
            />
            <Bar
              dataKey="inReview"
              name="In review"
              stackId="m"
              fill={COLOR_REVIEW}
              isAnimationActive={false}
            />
            <Bar
              dataKey="unmatched"
              name="Unmatched"
              stackId="m"
              fill={COLOR_UNMATCHED}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
