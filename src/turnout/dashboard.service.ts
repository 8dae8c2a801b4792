/**
 * The turnout dashboards of a dispute: national, by region, sector or employer, each with returns over
 * time against the threshold, votes needed, contact activity and the constituencies by status.
 *
 * The status of every constituency is computed once per reader's reach and ballot and kept for up to
 * DASHBOARD_MAX_AGE_SECONDS: later readers get the kept figures (with the time they were computed) while
 * a fresh copy is computed behind them, so a hundred officers refreshing a dashboard of five thousand
 * constituencies cost one computation, not a hundred. Returns and reports recorded since show within
 * that time.
 */
import { createHash } from "node:crypto";
import { APPOINTED_TO_BALLOTS, authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { addDays, votesForPercent } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { DashboardDto, type DashboardQuery } from "./readiness.model.js";
import { selectActivity } from "./readiness.store.js";
import { SELF_REPORT_KINDS, type SelfReportKind, type TurnoutStatusDto } from "./turnout.model.js";
import { statusDetail } from "./turnout.service.js";

export const DASHBOARD_MAX_AGE_SECONDS = 60;
/** Days of contact activity shown. */
const ACTIVITY_DAYS = 21;
const LIST_CAP = 250;

type Detail = Awaited<ReturnType<typeof statusDetail>>;
interface Base {
  detail: Detail;
  activity: Map<number, { day: string; kind: string; reports: number }[]>;
  computedAt: Date;
  /** performance.now() when computed. */
  at: number;
  /** Each view asked for, as the JSON sent: later readers of the same figures get the same bytes. */
  views: Map<string, DashboardBody>;
}
interface Slot {
  base: Base | null;
  pending: Promise<Base> | null;
}

const caches = new WeakMap<Db, Map<string, Slot>>();

async function computeBase(ctx: Ctx, ballotId: number): Promise<Base> {
  const detail = await statusDetail(ctx, ballotId);
  const from = addDays(detail.status.asAt, -(ACTIVITY_DAYS - 1));
  const rows = await selectActivity(
    ctx.db,
    detail.grant.unionId,
    detail.status.constituencies.map((c) => c.ballotId),
    from,
  );
  const activity = new Map<number, { day: string; kind: string; reports: number }[]>();
  for (const r of rows) {
    const list = activity.get(r.ballot_id) ?? [];
    list.push({ day: String(r.day), kind: r.kind, reports: Number(r.reports) });
    activity.set(r.ballot_id, list);
  }
  return { detail, activity, computedAt: ctx.clock.now(), at: performance.now(), views: new Map() };
}

/**
 * The kept figures for this reader's reach, computed afresh when older than the maximum age. A reader
 * of the page gets stale figures at once while fresh ones are computed behind them; `waitWhenStale`
 * (a computation that is itself behind its readers, such as the board's) waits for the fresh ones.
 */
async function baseFor(ctx: Ctx, ballotId: number, waitWhenStale = false): Promise<Base> {
  // The key is what the figures depend on: the reader's union, role, row scope and ballot, and the day.
  const a = ctx.actor;
  const key = JSON.stringify([
    a.unionId,
    a.role,
    a.regionIds,
    a.sectorIds,
    a.workplaceIds,
    // Scrutineers reach the ballots they are appointed to: one set of figures each.
    APPOINTED_TO_BALLOTS.has(a.role) ? a.userId : null,
    ballotId,
    ukDate(ctx.clock.now()),
  ]);
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = new Map();
    caches.set(ctx.db, cache);
  }
  const slot = cache.get(key) ?? { base: null, pending: null };
  cache.set(key, slot);
  const refresh = () => {
    slot.pending ??= computeBase(ctx, ballotId)
      .then((b) => {
        slot.base = b;
        return b;
      })
      .finally(() => {
        slot.pending = null;
      });
    return slot.pending;
  };
  if (!slot.base) return refresh();
  if (performance.now() - slot.base.at > DASHBOARD_MAX_AGE_SECONDS * 1000) {
    if (waitWhenStale) return refresh();
    // Stale: answer with the kept figures and compute fresh ones behind this reader.
    refresh().catch(() => {
      cache.delete(key);
    });
  }
  return slot.base;
}

/**
 * The status of every constituency the reader reaches, as kept for the dashboards: computed once per
 * reach, ballot and period and shared by the dashboards, the disputes unit board and the plans'
 * roll-up. The key holds everything the reach depends on (union, role, regions, sectors, workplaces,
 * the scrutineer's appointment), so a reader only ever gets figures computed for exactly their reach;
 * the permission is checked before anything kept is touched. Figures older than the maximum age are
 * computed afresh and waited for (these readers are themselves kept and computed behind their readers).
 */
export async function keptTurnoutStatus(ctx: Ctx, ballotId: number): Promise<TurnoutStatusDto> {
  authorize(ctx.actor, "turnout.read");
  return (await baseFor(ctx, ballotId, true)).detail.status;
}

/** Forget the kept figures (after a returns import, so the importer sees them at once). */
export function forgetDashboards(db: Db): void {
  caches.delete(db);
}

const noGroup = (query: DashboardQuery) =>
  new AppError(
    "turnout.no_such_group",
    `No ${query.level} ${query.groupId ?? "(none given)"} in this dispute.`,
    {
      level: query.level,
      groupId: query.groupId ?? null,
    },
  );

export async function turnoutDashboard(
  ctx: Ctx,
  ballotId: number,
  query: DashboardQuery,
): Promise<DashboardDto> {
  return view(await baseFor(ctx, ballotId), query);
}

/** A view as sent: its JSON bytes and their entity tag (a client holding them gets 304 Not Modified). */
export interface DashboardBody {
  json: Buffer;
  etag: string;
}

/**
 * The dashboard as the JSON the route sends, made once per view of the kept figures. The entity tag is
 * the hash of those bytes: the same for every reader of the same view of the same figures, so it tells a
 * reader nothing their own answer would not.
 */
export async function turnoutDashboardBody(
  ctx: Ctx,
  ballotId: number,
  query: DashboardQuery,
): Promise<DashboardBody> {
  const base = await baseFor(ctx, ballotId);
  const key = `${query.level}:${query.groupId ?? ""}`;
  let body = base.views.get(key);
  if (body === undefined) {
    const json = Buffer.from(JSON.stringify(DashboardDto.parse(view(base, query))));
    body = { json, etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 32)}"` };
    base.views.set(key, body);
  }
  return body;
}

function view(base: Base, query: DashboardQuery): DashboardDto {
  const { status, groups, returns, grant } = base.detail;
  const dimension = { region: "regions", sector: "sectors", employer: "employers" } as const;
  let group: { id: number; name: string } | null = null;
  let selected = status.constituencies;
  if (query.level !== "national") {
    // Observers see totals only: region and sector views, never an employer's.
    if (query.level === "employer" && grant.view === "aggregate")
      throw new AppError("auth.forbidden", "An observer may not see turnout by employer.", {});
    const dim = dimension[query.level];
    const found = status.rollups[dim].find((g) => g.id === query.groupId);
    if (!found) throw noGroup(query);
    group = { id: found.id, name: found.name };
    selected = selected.filter((c) => groups.get(c.ballotId)?.[dim].some((g) => g.id === found.id));
  }
  const ids = new Set(selected.map((c) => c.ballotId));

  const byStatus = { safe: 0, on_track: 0, at_risk: 0, lost: 0 };
  let entitled = 0;
  let returned = 0;
  let votesNeeded50 = 0;
  let thresholdVotes = 0;
  for (const c of selected) {
    byStatus[c.status]++;
    entitled += c.entitled;
    returned += c.returned;
    votesNeeded50 += c.votesNeeded50 ?? 0;
    if (c.turnoutThreshold !== null) thresholdVotes += votesForPercent(c.entitled, c.turnoutThreshold);
  }

  // Returns over time: each constituency's latest return on or before each day, summed.
  const days = new Set<string>();
  const latest = new Map<number, number>();
  const byDay = new Map<string, { ballot_id: number; papers_returned: number }[]>();
  for (const r of returns) {
    if (!ids.has(r.ballot_id)) continue;
    const day = String(r.as_of);
    days.add(day);
    const list = byDay.get(day) ?? [];
    list.push(r);
    byDay.set(day, list);
  }
  let running = 0;
  const returnsOverTime = [...days].sort().map((date) => {
    for (const r of byDay.get(date)!) {
      running += r.papers_returned - (latest.get(r.ballot_id) ?? 0);
      latest.set(r.ballot_id, r.papers_returned);
    }
    return {
      date,
      returned: running,
      turnout: entitled ? Math.round((running / entitled) * 10000) / 100 : 0,
    };
  });

  // `contact`: a contact a rep logged (counted by the canvass trigger); the others are members' own reports.
  type DayCounts = Record<SelfReportKind | "contacts", number>;
  const perDay = new Map<string, DayCounts>();
  for (let i = ACTIVITY_DAYS - 1; i >= 0; i--)
    perDay.set(addDays(status.asAt, -i), {
      contacts: 0,
      ...(Object.fromEntries(SELF_REPORT_KINDS.map((k) => [k, 0])) as Record<SelfReportKind, number>),
    });
  for (const id of ids)
    for (const a of base.activity.get(id) ?? []) {
      const day = perDay.get(a.day);
      if (!day) continue;
      if (a.kind === "contact") day.contacts += a.reports;
      else if (a.kind in day) day[a.kind as SelfReportKind] += a.reports;
    }

  return {
    ballot: status.ballot,
    dispute: status.dispute,
    level: query.level,
    group,
    asAt: status.asAt,
    computedAt: base.computedAt.toISOString(),
    summary: {
      constituencies: selected.length,
      entitled,
      returned,
      turnout: entitled ? Math.round((returned / entitled) * 10000) / 100 : 0,
      votesNeeded50,
      byStatus,
    },
    returnsOverTime,
    thresholdVotes,
    activity: [...perDay.entries()].map(([date, k]) => ({ date, ...k })),
    constituencies: selected.slice(0, LIST_CAP).map((c) => ({
      ballotId: c.ballotId,
      name: c.name,
      entitled: c.entitled,
      returned: c.returned,
      turnout: c.turnout,
      turnoutThreshold: c.turnoutThreshold,
      votesNeeded50: c.votesNeeded50,
      daysLeft: c.daysLeft,
      forecast: c.forecast?.turnout ?? null,
      priorSource: c.priorSource,
      status: c.status,
      rank: c.rank,
    })),
    // The national view lists the groups to open (thousands of employers in a national dispute): the
    // other views leave them out rather than send them again with every refresh.
    groups:
      query.level === "national"
        ? {
            regions: status.rollups.regions.map((g) => ({ id: g.id, name: g.name })),
            sectors: status.rollups.sectors.map((g) => ({ id: g.id, name: g.name })),
            employers: status.rollups.employers.map((g) => ({ id: g.id, name: g.name })),
          }
        : { regions: [], sectors: [], employers: [] },
  };
}
