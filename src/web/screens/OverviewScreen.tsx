import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  MEMBER_STATUS_OPTIONS,
  type MemberProblem,
  type MembersSummaryDto,
  useMembersSummary,
} from "../api/members.js";
import { Badge, StatusBadge } from "../components/Badges.js";
import { BarCell, BarColumnHeader } from "../components/ChartCard.js";
import { CountChart } from "../components/CountChart.js";
import { usePageTitle } from "../components/hooks.js";
import { ErrorPanel, Loading } from "../components/QueryState.js";
import { formatNumber } from "../format.js";
import { BallotReminders } from "./BallotParts.js";

type QualityKey = keyof MembersSummaryDto["quality"];

interface QualityCheck {
  key: QualityKey;
  /** The member list narrowed to the members behind the card. */
  problem: MemberProblem;
  title: string;
  /** The unit counted: active members, or workplaces. */
  unit: "members" | "workplaces";
  severity: "error" | "warning";
  why: string;
}

/** The data-quality counters, worst first, each with why it matters for a ballot and its notice. */
const QUALITY_CHECKS: readonly QualityCheck[] = [
  {
    key: "noHomeAddress",
    problem: "no_address",
    title: "No home address",
    unit: "members",
    severity: "error",
    why: "A member without a home address cannot be sent a postal ballot paper, and every member entitled to vote must be sent one.",
  },
  {
    key: "atClosedWorkplaces",
    problem: "closed_workplace",
    title: "At closed workplaces",
    unit: "members",
    severity: "error",
    why: "Members recorded at closed workplaces make the notice's figures wrong: notices like this have cost unions injunctions.",
  },
  {
    key: "workplacesOverHeadcount",
    problem: "over_headcount",
    title: "Workplaces over headcount",
    unit: "workplaces",
    severity: "error",
    why: "More active members recorded than the employer employs there: employers have won injunctions on figures like these.",
  },
  {
    key: "noWorkplace",
    problem: "no_workplace",
    title: "No workplace",
    unit: "members",
    severity: "warning",
    why: "The notice to the employer gives numbers by workplace: members with no workplace cannot be counted in it.",
  },
  {
    key: "noEmployer",
    problem: "no_employer",
    title: "No employer",
    unit: "members",
    severity: "warning",
    why: "Members with no employer fall outside every employer's ballot and notice until their employer is known.",
  },
  {
    key: "inArrears",
    problem: "in_arrears",
    title: "In arrears",
    unit: "members",
    severity: "warning",
    why: "Check your rules on whether members in arrears may vote: balloting anyone not entitled, or leaving out anyone who is, puts the ballot at risk.",
  },
];

export function OverviewScreen() {
  usePageTitle("Overview");
  const user = useUser();
  const summary = useMembersSummary();

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <p className="lead">
          Membership in your scope: <strong>{user.scopeLabel}</strong>
        </p>
      </div>
      {hasPermission(user, "ballots.read") ? <BallotReminders /> : null}
      {hasPermission(user, "members.import") ? (
        <RegisterWorkCard canReview={hasPermission(user, "org.write")} />
      ) : null}
      {summary.isPending ? (
        <Loading label="Counting members…" />
      ) : summary.isError ? (
        <ErrorPanel
          error={summary.error}
          title="Cannot load the overview"
          onRetry={() => void summary.refetch()}
        />
      ) : (
        <OverviewBody
          summary={summary.data}
          canOpenEmployers={hasPermission(user, "org.read")}
          canOpenMembers={hasPermission(user, "members.read")}
        />
      )}
    </>
  );
}

/** Shortcuts for whoever keeps the membership register: load, match, check, de-duplicate. */
function RegisterWorkCard({ canReview }: { canReview: boolean }) {
  const links = [
    { to: "/imports", label: "Import members", text: "Load the export from the membership system." },
    ...(canReview
      ? [
          {
            to: "/review",
            label: "Employer review",
            text: "Match what members wrote to the employer register.",
          },
        ]
      : []),
    { to: "/quality", label: "Register quality", text: "Find what could undermine a notice of ballot." },
    { to: "/duplicates", label: "Possible duplicates", text: "One person, one ballot paper." },
  ];
  return (
    <section aria-labelledby="register-work-heading" className="card section register-work">
      <h2 id="register-work-heading" className="card-title">
        Register work
      </h2>
      <ul className="work-links">
        {links.map((l) => (
          <li key={l.to}>
            <Link to={l.to}>{l.label}</Link>
            <span className="muted small"> {l.text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function OverviewBody({
  summary,
  canOpenEmployers,
  canOpenMembers,
}: {
  summary: MembersSummaryDto;
  canOpenEmployers: boolean;
  canOpenMembers: boolean;
}) {
  const counts = summary.view === "counts";
  const activeShare = summary.total > 0 ? Math.round((summary.active / summary.total) * 100) : 0;
  return (
    <>
      <section aria-labelledby="headline-heading" className="section">
        <h2 id="headline-heading" className="visually-hidden">
          Headline numbers
        </h2>
        <dl className="stat-grid">
          <div className="stat">
            <dt>Members</dt>
            <dd>{formatNumber(summary.total)}</dd>
          </div>
          <div className="stat">
            <dt>Active members</dt>
            <dd>{formatNumber(summary.active)}</dd>
          </div>
          <div className="stat">
            <dt>Active share</dt>
            <dd>{activeShare}%</dd>
          </div>
          {summary.employersWithMembers !== null ? (
            <div className="stat">
              <dt>Employers with members</dt>
              <dd>{formatNumber(summary.employersWithMembers)}</dd>
            </div>
          ) : null}
        </dl>
        {!counts ? <p className="muted">Your role sees totals by region, sector and status only.</p> : null}
      </section>

      {counts ? (
        <section aria-labelledby="quality-heading" className="section">
          <h2 id="quality-heading">Data quality for a ballot</h2>
          <p className="muted">
            Counted over active members. Each one is a way a ballot or its notice to the employer could be
            challenged: fix them before the ballot opens.
          </p>
          <ul className="quality-grid">
            {QUALITY_CHECKS.map((check) => {
              const n = summary.quality[check.key];
              const tone = n === 0 ? "ok" : check.severity;
              return (
                <li key={check.key} className={`card quality-card tone-${tone}`}>
                  <div className="quality-head">
                    <p className="quality-count">
                      {formatNumber(n)}
                      <span className="quality-unit"> {check.unit}</span>
                    </p>
                    <Badge tone={tone}>
                      {n === 0 ? "None" : check.severity === "error" ? "Fix first" : "Check"}
                    </Badge>
                  </div>
                  <h3 className="quality-title">{check.title}</h3>
                  <p className="quality-why">{check.why}</p>
                  {canOpenMembers && n > 0 ? (
                    <p className="quality-link">
                      <Link to={`/members?problem=${check.problem}`}>
                        {check.unit === "workplaces" ? "Members at these workplaces" : "Show these members"}
                        <span className="visually-hidden"> ({check.title.toLowerCase()})</span>
                      </Link>
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="breakdown-heading" className="section">
        <h2 id="breakdown-heading">Where members are</h2>
        <div className="chart-grid">
          <CountChart title="Members by region" rows={summary.byRegion} />
          <CountChart title="Members by sector" rows={summary.bySector} />
        </div>
      </section>

      <div className="two-col">
        <section aria-labelledby="status-heading" className="section card">
          <h2 id="status-heading" className="card-title">
            Members by status
          </h2>
          <StatusTable summary={summary} />
        </section>

        {summary.topEmployers ? (
          <section aria-labelledby="employers-heading" className="section card">
            <h2 id="employers-heading" className="card-title">
              Largest employers
            </h2>
            {summary.topEmployers.length === 0 ? (
              <p className="empty">No employers with members in your scope.</p>
            ) : (
              <div className="table-scroll">
                <table className="table table-compact">
                  <thead>
                    <tr>
                      <th scope="col">Employer</th>
                      <th scope="col" className="num">
                        Members
                      </th>
                      <th scope="col" className="num">
                        Active
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.topEmployers.map((e) => (
                      <tr key={e.id ?? e.name}>
                        <th scope="row">
                          {e.id !== null && canOpenEmployers ? (
                            <Link to={`/employers/${e.id}`}>{e.name}</Link>
                          ) : (
                            e.name
                          )}
                        </th>
                        <td className="num">{formatNumber(e.count)}</td>
                        <td className="num">{formatNumber(e.active)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}

function StatusTable({ summary }: { summary: MembersSummaryDto }) {
  if (summary.byStatus.length === 0) return <p className="empty">No members in your scope.</p>;
  const max = Math.max(1, ...summary.byStatus.map((s) => s.count));
  const rows = [...summary.byStatus].sort(
    (a, b) => MEMBER_STATUS_OPTIONS.indexOf(a.status) - MEMBER_STATUS_OPTIONS.indexOf(b.status),
  );
  return (
    <table className="table table-compact">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Members
          </th>
          <th scope="col" className="num">
            Share
          </th>
          <BarColumnHeader />
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.status}>
            <th scope="row">
              <StatusBadge status={s.status} />
            </th>
            <td className="num">{formatNumber(s.count)}</td>
            <td className="num">{share(s.count, summary.total)}</td>
            <BarCell count={s.count} max={max} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function share(count: number, total: number): string {
  if (total === 0) return "—";
  const pct = (count / total) * 100;
  if (count > 0 && pct < 1) return "<1%";
  return `${Math.round(pct)}%`;
}
