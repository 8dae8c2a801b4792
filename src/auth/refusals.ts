/**
 * Refused requests in the audit log: each refusal by the permission gate, and
 * (rate-limited) a user who keeps asking for records that are not there,
 * which is how someone would probe which ids exist. Rows name the user, role,
 * action and route pattern, never the ids asked for.
 */
import { recordAudit } from "../audit/record.js";
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
  private readonly windows = new Map<number, RefusalWindow>();

  /**
   * Notes one refusal: whether to record it one by one, and the summary of
   * this user's previous minute if it is still to be written.
   */
  note(actor: Actor, request: RequestFacts, now: Date): { record: boolean; ended: RefusalSummary | null } {
    const userId = actor.userId ?? 0;
    const t = now.getTime();
    const start = t - (t % REFUSAL_WINDOW_MS);
    let w = this.windows.get(userId);
    let ended: RefusalSummary | null = null;
    if (!w || w.start !== start) {
      if (w?.unrecorded) ended = summaryOf(w);
      if (!w && this.windows.size >= MAX_TRACKED_USERS) this.takeEnded(now);
      w = { start, recorded: 0, unrecorded: 0, actor, request };
      this.windows.set(userId, w);
    }
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
    const t = now.getTime();
    const current = t - (t % REFUSAL_WINDOW_MS);
    const out: RefusalSummary[] = [];
    for (const [id, w] of this.windows) {
      if (!all && w.start === current) continue;
      this.windows.delete(id);
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
  private readonly windows = new Map<number, { start: number; count: number; reported: boolean }>();

  /** Notes one not-found answer; true exactly once per user per window, when the threshold is passed. */
  note(userId: number, now: Date): { report: boolean; count: number } {
    const t = now.getTime();
    const start = t - (t % ENUMERATION_WINDOW_MS);
    let w = this.windows.get(userId);
    if (!w || w.start !== start) {
      if (!w && this.windows.size >= MAX_TRACKED_USERS) this.prune(start);
      w = { start, count: 0, reported: false };
      this.windows.set(userId, w);
    }
    w.count += 1;
    if (w.count > ENUMERATION_THRESHOLD && !w.reported) {
      w.reported = true;
      return { report: true, count: w.count };
    }
    return { report: false, count: w.count };
  }

  private prune(current: number): void {
    for (const [id, w] of this.windows) if (w.start !== current) this.windows.delete(id);
    // Still full of users active this minute: forget the oldest entries rather than grow.
    for (const id of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED_USERS) break;
      this.windows.delete(id);
    }
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
