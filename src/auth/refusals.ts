/**
 * Refused requests in the audit log: each refusal by the permission gate, and
 * (rate-limited) a user who keeps asking for records that are not there,
 * which is how someone would probe which ids exist. Rows name the user, role,
 * action and route pattern, never the ids asked for.
 */
import { recordAudit } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { ErrorCode } from "../shared/errors.js";
import type { Actor } from "./permissions.js";

/** Not-found answers for single records that count towards id enumeration. */
export const ENUMERATION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "members.not_found",
  "employers.not_found",
  "workplaces.not_found",
  "ballots.not_found",
  "disputes.not_found",
  "documents.not_found",
]);

export const ENUMERATION_WINDOW_MS = 60_000;
/** More not-found answers than this in one window is reported. */
export const ENUMERATION_THRESHOLD = 20;
// Bounds the memory a flood of distinct users could take; stale windows are dropped first.
const MAX_TRACKED_USERS = 10_000;

/**
 * One window per user over fixed clock windows of `ms` (a minute), kept in
 * the server process: with several processes each counts the requests it
 * serves. `at` gives the user's window for `now` (made by `create` when new)
 * and the window it replaced, if any; the map never holds more than
 * MAX_TRACKED_USERS users.
 */
class UserWindows<W extends { start: number }> {
  readonly byUser = new Map<number, W>();

  constructor(private readonly ms: number) {}

  startOf(now: Date): number {
    const t = now.getTime();
    return t - (t % this.ms);
  }

  at(userId: number, now: Date, create: (start: number) => W): { window: W; replaced: W | null } {
    const start = this.startOf(now);
    const current = this.byUser.get(userId);
    if (current && current.start === start) return { window: current, replaced: null };
    if (!current && this.byUser.size >= MAX_TRACKED_USERS) this.prune(start);
    const window = create(start);
    this.byUser.set(userId, window);
    return { window, replaced: current ?? null };
  }

  /** Drops the windows that are over; then, if still full of users active now, the oldest. */
  private prune(current: number): void {
    for (const [id, w] of this.byUser) if (w.start !== current) this.byUser.delete(id);
    for (const id of this.byUser.keys()) {
      if (this.byUser.size < MAX_TRACKED_USERS) break;
      this.byUser.delete(id);
    }
  }
}

export interface RequestFacts {
  method: string;
  /** The route pattern (`/api/members/:id`), not the URL: ids asked for are not recorded. */
  route: string;
}

export async function recordAccessDenied(
  ctx: Ctx,
  request: RequestFacts,
  details: { action?: unknown },
): Promise<void> {
  await recordAudit(ctx, "auth.access_denied", {
    outcome: "failure",
    subjectType: "user",
    subjectId: ctx.actor.userId ?? undefined,
    details: {
      role: ctx.actor.role,
      action: typeof details.action === "string" ? details.action : null,
      method: request.method,
      route: request.route,
    },
  });
}

export const REFUSAL_WINDOW_MS = 60_000;
/** Refusals recorded one by one per user per window; the rest are counted in one summary row. */
export const REFUSALS_RECORDED_PER_WINDOW = 10;

interface RefusalWindow {
  start: number;
  recorded: number;
  unrecorded: number;
  actor: Actor;
  request: RequestFacts;
}

export interface RefusalSummary {
  actor: Actor;
  start: Date;
  recorded: number;
  unrecorded: number;
  /** The last refused request of the window. */
  request: RequestFacts;
}

/**
 * Keeps a user whose requests are refused again and again (a script, a
 * stuck page) from flooding the audit log: the first refusals of each user in
 * each minute are recorded one by one, the rest only counted, and each minute
 * that had more ends as one `auth.access_denied_summary` row with the count.
 * A minute's summary is written when the same user is next refused, by the
 * server's sweep once the minute is over, or when the server stops. Kept in
 * the server process, like EnumerationWatch.
 */
export class RefusalWatch {
  private readonly windows = new UserWindows<RefusalWindow>(REFUSAL_WINDOW_MS);

  /**
   * Notes one refusal: whether to record it one by one, and the summary of
   * this user's previous minute if it is still to be written.
   */
  note(actor: Actor, request: RequestFacts, now: Date): { record: boolean; ended: RefusalSummary | null } {
    const { window: w, replaced } = this.windows.at(actor.userId ?? 0, now, (start) => ({
      start,
      recorded: 0,
      unrecorded: 0,
      actor,
      request,
    }));
    const ended = replaced?.unrecorded ? summaryOf(replaced) : null;
    w.actor = actor;
    w.request = request;
    if (w.recorded < REFUSALS_RECORDED_PER_WINDOW) {
      w.recorded++;
      return { record: true, ended };
    }
    w.unrecorded++;
    return { record: false, ended };
  }

  /** Removes the windows over by `now` (every window with `all`) and returns those with refusals not yet recorded. */
  takeEnded(now: Date, all = false): RefusalSummary[] {
    const current = this.windows.startOf(now);
    const out: RefusalSummary[] = [];
    for (const [id, w] of this.windows.byUser) {
      if (!all && w.start === current) continue;
      this.windows.byUser.delete(id);
      if (w.unrecorded) out.push(summaryOf(w));
    }
    return out;
  }
}

function summaryOf(w: RefusalWindow): RefusalSummary {
  return {
    actor: w.actor,
    start: new Date(w.start),
    recorded: w.recorded,
    unrecorded: w.unrecorded,
    request: w.request,
  };
}

export async function recordRefusalSummary(ctx: Omit<Ctx, "actor">, summary: RefusalSummary): Promise<void> {
  await recordAudit({ ...ctx, actor: summary.actor }, "auth.access_denied_summary", {
    outcome: "failure",
    subjectType: "user",
    subjectId: summary.actor.userId ?? undefined,
    details: {
      role: summary.actor.role,
      windowStart: summary.start.toISOString(),
      windowSeconds: REFUSAL_WINDOW_MS / 1000,
      recorded: summary.recorded,
      notRecordedOneByOne: summary.unrecorded,
      lastMethod: summary.request.method,
      lastRoute: summary.request.route,
    },
  });
}

/**
 * Counts not-found answers per user in fixed windows of a minute. Kept in the
 * server process: with several processes each counts the requests it serves.
 */
export class EnumerationWatch {
  private readonly windows = new UserWindows<{ start: number; count: number; reported: boolean }>(
    ENUMERATION_WINDOW_MS,
  );

  /** Notes one not-found answer; true exactly once per user per window, when the threshold is passed. */
  note(userId: number, now: Date): { report: boolean; count: number } {
    const { window: w } = this.windows.at(userId, now, (start) => ({ start, count: 0, reported: false }));
    w.count += 1;
    if (w.count > ENUMERATION_THRESHOLD && !w.reported) {
      w.reported = true;
      return { report: true, count: w.count };
    }
    return { report: false, count: w.count };
  }
}

export async function recordIdEnumeration(ctx: Ctx, request: RequestFacts, count: number): Promise<void> {
  await recordAudit(ctx, "auth.id_enumeration", {
    outcome: "failure",
    subjectType: "user",
    subjectId: ctx.actor.userId ?? undefined,
    details: {
      role: ctx.actor.role,
      notFound: count,
      windowSeconds: ENUMERATION_WINDOW_MS / 1000,
      threshold: ENUMERATION_THRESHOLD,
      method: request.method,
      route: request.route,
    },
  });
}
