/**
 * The National Disputes Unit board: the coalitions' joint timetable and conflicts, every union's turnout
 * (the union's own from its turnout figures; the others from what they published to the coalition, after
 * disclosure control), plans and overdue tasks, requests past their service level and what exists of the
 * day of action, on one page.
 *
 * The board is computed once per union and view and kept for up to BOARD_MAX_AGE_SECONDS, as the JSON
 * bytes sent and their entity tag: five hundred officers refreshing it cost one computation each period
 * (single-flight: readers arriving while it is computed wait for that one computation), and a reader who
 * holds the current figures gets 304 Not Modified. Stale figures are served while fresh ones are computed
 * behind the reader (as the turnout dashboards do).
 */
import { createHash } from "node:crypto";
import { authorize, can } from "../auth/index.js";
import { aggregatesOf, coalitionTimetable, listCoalitions } from "../coalition/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { addDays } from "../law/index.js";
import { unionLetterhead } from "../org/index.js";
import { plansRollup } from "../plans/index.js";
import { listRequests } from "../requests/index.js";
import { ukDate } from "../shared/clock.js";
import { keptTurnoutStatus } from "../turnout/index.js";
import { BoardDto } from "./board.model.js";
import { selectRunningDisputes } from "./board.store.js";
import { renderBriefing } from "./briefing.js";

export const BOARD_MAX_AGE_SECONDS = 60;
/** Lists on the board are capped; the counts beside them count everything. */
const LIST_CAP = 100;
/** Ballots closed this many days ago still show (the result is being declared). */
const RECENT_DAYS = 14;
/** Ballots opening within this many days show too (the unit prepares them). */
const UPCOMING_DAYS = 28;

export interface BoardBody {
  board: BoardDto;
  json: Buffer;
  etag: string;
  /** performance.now() when computed. */
  at: number;
}
interface Slot {
  body: BoardBody | null;
  pending: Promise<BoardBody> | null;
}
const caches = new WeakMap<Db, Map<string, Slot>>();

type Figures = BoardDto["disputes"][number]["national"];
const figuresOf = (
  rows: {
    entitled: number;
    returned: number;
    votesNeeded50: number | null;
    status: keyof Figures["byStatus"];
  }[],
): Figures => {
  const byStatus = { safe: 0, on_track: 0, at_risk: 0, lost: 0 };
  let entitled = 0;
  let returned = 0;
  let votesNeeded50 = 0;
  for (const c of rows) {
    byStatus[c.status]++;
    entitled += c.entitled;
    returned += c.returned;
    votesNeeded50 += c.votesNeeded50 ?? 0;
  }
  return {
    constituencies: rows.length,
    entitled,
    returned,
    turnout: entitled ? Math.round((returned / entitled) * 10000) / 100 : 0,
    votesNeeded50,
    byStatus,
  };
};

async function computeBoard(ctx: Ctx): Promise<BoardDto> {
  const grant = authorize(ctx.actor, "board.read");
  const today = ukDate(ctx.clock.now());
  const full = grant.view !== "aggregate";

  // The union's own disputes: its turnout figures (the reader's reach; national officers reach all).
  const running = await selectRunningDisputes(
    ctx.db,
    grant.unionId,
    addDays(today, -RECENT_DAYS),
    addDays(today, UPCOMING_DAYS),
  );
  const disputes: BoardDto["disputes"] = [];
  for (const d of running) {
    const s = await keptTurnoutStatus(ctx, Number(d.ballot_id));
    disputes.push({
      dispute: s.dispute,
      ballot: s.ballot,
      openingDate: String(d.opening_date),
      closingDate: String(d.closing_date),
      national: figuresOf(s.constituencies),
      regions: s.rollups.regions.map((r) => ({
        id: r.id,
        name: r.name,
        constituencies: r.constituencies,
        entitled: r.entitled,
        returned: r.returned,
        turnout: r.turnout,
        votesNeeded50: r.votesNeeded50,
        byStatus: r.byStatus,
      })),
    });
  }

  // Coalitions: the joint timetable, its conflicts and the other unions' published aggregates only.
  const coalitions: BoardDto["coalitions"] = [];
  for (const c of (await listCoalitions(ctx)).filter((c) => c.you.state === "agreed")) {
    const [t, aggregates] = await Promise.all([coalitionTimetable(ctx, c.id), aggregatesOf(ctx, c.id)]);
    coalitions.push({
      id: c.id,
      name: c.name,
      timetable: t,
      partners: aggregates
        .filter((u) => u.union !== c.you.key)
        .map((u) => ({
          union: u.union,
          name: u.name,
          brandColour: u.brandColour,
          asOf: u.asOf,
          entitled: u.release.totals.region.entitled,
          returned: u.release.totals.region.returned,
          turnout: u.release.totals.region.turnout,
          suppressedCells: u.release.totals.region.suppressedCells,
          regions: u.release.breakdowns.region.slice(0, LIST_CAP).map((r) => ({
            label: r.label,
            entitled: r.entitled,
            returned: r.returned,
            turnout: r.turnout,
            mandate: r.mandate,
          })),
        })),
    });
  }

  let plans: BoardDto["plans"] = null;
  if (full && can(ctx.actor, "plans.rollup")) {
    const r = await plansRollup(ctx);
    plans = {
      plans: r.plans.length,
      overdueCount: r.overdueTasks.length,
      overdueTasks: r.overdueTasks.slice(0, LIST_CAP).map((t) => ({
        id: t.id,
        title: t.title,
        planTitle: t.planTitle,
        scopeName: t.scopeName,
        dueOn: t.dueOn,
        daysOverdue: t.daysOverdue,
      })),
      uncoveredCount: r.uncovered.length,
      regionsWithoutPlan: r.regionsWithoutPlan.map((x) => x.name),
    };
  }

  let requests: BoardDto["requests"] = null;
  if (full && can(ctx.actor, "requests.read")) {
    const open = (await listRequests(ctx, { open: true })).requests.filter(
      (q) => q.serviceLevel === "missed",
    );
    requests = {
      pastServiceLevelCount: open.length,
      pastServiceLevel: open.slice(0, LIST_CAP).map((q) => ({
        id: q.id,
        title: q.title,
        department: q.department.name,
        region: q.region?.name ?? null,
        urgency: q.urgency,
        dueAt: q.dueAt,
        escalated: q.escalatedAt !== null,
      })),
    };
  }

  const days = coalitions
    .flatMap((c) =>
      c.timetable.daysOfAction.map((day) => ({
        day,
        coalition: c.name,
        conflicts: c.timetable.conflicts.filter((x) => x.day === day).length,
      })),
    )
    .sort((a, b) => a.day.localeCompare(b.day));

  return {
    asAt: today,
    computedAt: ctx.clock.now().toISOString(),
    refreshSeconds: BOARD_MAX_AGE_SECONDS,
    view: full ? "full" : "counts",
    coalitions,
    disputes,
    plans,
    requests,
    dayOfAction: { days },
  };
}

async function compute(ctx: Ctx): Promise<BoardBody> {
  const board = BoardDto.parse(await computeBoard(ctx));
  const json = Buffer.from(JSON.stringify(board));
  const etag = `"${createHash("sha256").update(json).digest("base64url").slice(0, 32)}"`;
  return { board, json, etag, at: performance.now() };
}

/**
 * The board as the bytes sent, for this reader. The permission check runs for every reader before the
 * kept figures are touched, so a refused reader never learns whether figures are kept.
 */
export async function boardBody(ctx: Ctx): Promise<BoardBody> {
  const grant = authorize(ctx.actor, "board.read");
  // What the figures depend on: the union, the view (national officers and observers see different
  // boards), and the day.
  const key = JSON.stringify([grant.unionId, ctx.actor.role, grant.view, ukDate(ctx.clock.now())]);
  let cache = caches.get(ctx.db);
  if (!cache) {
    cache = new Map();
    caches.set(ctx.db, cache);
  }
  const slot = cache.get(key) ?? { body: null, pending: null };
  cache.set(key, slot);
  const refresh = () => {
    slot.pending ??= compute(ctx)
      .then((b) => {
        slot.body = b;
        return b;
      })
      .finally(() => {
        slot.pending = null;
      });
    return slot.pending;
  };
  if (!slot.body) return refresh();
  if (performance.now() - slot.body.at > BOARD_MAX_AGE_SECONDS * 1000) {
    // Stale: answer with the kept figures and compute fresh ones behind this reader.
    refresh().catch(() => {
      slot.body = null;
    });
  }
  return slot.body;
}

export async function getBoard(ctx: Ctx): Promise<BoardDto> {
  return (await boardBody(ctx)).board;
}

/** Forget the kept boards (tests, and after an import an officer wants to see at once). */
export function forgetBoards(db: Db): void {
  caches.delete(db);
}

/** The daily briefing: the board on the union's letterhead, counts only. */
export async function boardBriefingPdf(ctx: Ctx): Promise<{ filename: string; pdf: Buffer }> {
  const board = await getBoard(ctx);
  const union = await unionLetterhead(ctx.db, ctx.actor.unionId);
  const pdf = await renderBriefing({
    union: { name: union.name, address: union.address, contact: union.contact },
    board,
  });
  return { filename: `disputes-unit-briefing-${board.asAt}.pdf`, pdf };
}
