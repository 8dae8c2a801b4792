/**
 * Numbers out on the day: a rep reports, in a few taps, how many are out at one
 * of their workplaces (and at work, exempt for cover, whether the picket is up),
 * several times a day. Each report is a new row; the latest counts.
 */
import { recordAudit } from "../audit/index.js";
import { authorize, rowInScope } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import type { MembersOnTheDayDto, ReportInput, WorkplaceDayDto } from "./action.model.js";
import { recordReportAggregate, workplaceForBoard } from "./dayboard.store.js";
import { disputeWorkplaceMembers, latestReports } from "./reports.store.js";

export async function recordActionReport(ctx: Ctx, input: ReportInput): Promise<{ id: number }> {
  const grant = authorize(ctx.actor, "action.report");
  return withTx(ctx.db, async (tx) => {
    // One round trip finds the workplace and makes sure its board row exists; one more appends the
    // report and folds it into the board (decisions/0036); the audit row last, holding the chain's
    // head for as short a time as can be.
    const w = await workplaceForBoard(tx, grant.unionId, input.workplaceId, input.day);
    const reached =
      w &&
      rowInScope(grant, {
        unionId: grant.unionId,
        regionId: w.region_id || null,
        sectorId: w.sector_id || null,
        workplaceId: w.id,
      });
    if (!w || !reached) {
      throw new AppError("action.not_found", `No workplace ${input.workplaceId}.`, { id: input.workplaceId });
    }
    const id = await recordReportAggregate(tx, {
      union_id: grant.unionId,
      day: input.day,
      workplace_id: w.id,
      region_id: w.region_id,
      sector_id: w.sector_id,
      reported_at: ctx.clock.now(),
      out_count: input.outCount,
      at_work_count: input.atWorkCount,
      exempt_count: input.exemptCount,
      picket_up: input.picketUp,
      reported_by: ctx.actor.userId,
    });
    await recordAudit({ ...ctx, db: tx }, "action.report_recorded", {
      subjectType: "workplace",
      subjectId: w.id,
      details: { report: id, day: input.day, out: input.outCount, picketUp: input.picketUp },
    });
    return { id };
  });
}

export async function workplacesOnTheDay(ctx: Ctx, day: string): Promise<WorkplaceDayDto[]> {
  const grant = authorize(ctx.actor, "action.read");
  return (await latestReports(ctx.db, grant, day)).map((r) => ({
    workplaceId: r.workplace_id,
    workplaceName: r.workplace_name,
    regionId: r.region_id,
    outCount: r.out_count,
    atWorkCount: r.at_work_count,
    exemptCount: r.exempt_count,
    picketUp: r.picket_up,
    reportedAt: new Date(r.reported_at).toISOString(),
    reports: r.reports,
  }));
}

/**
 * Members on the day, per workplace of the dispute in the reader's scope: members, those opposed in
 * principle (from the positions recorded in canvass), and the latest report's out, at work and exempt
 * for cover. The members not accounted for are the rest; counts only.
 */
export async function membersOnTheDay(ctx: Ctx, disputeId: number, day: string): Promise<MembersOnTheDayDto> {
  const grant = authorize(ctx.actor, "action.read");
  const [members, reports] = await Promise.all([
    disputeWorkplaceMembers(ctx.db, grant, disputeId),
    latestReports(ctx.db, grant, day),
  ]);
  const latest = new Map(reports.map((r) => [r.workplace_id, r]));
  return {
    day,
    workplaces: members.map((m) => {
      const r = latest.get(m.workplace_id);
      return {
        workplaceId: m.workplace_id,
        workplaceName: m.workplace_name,
        regionId: m.region_id,
        members: m.members,
        opposedInPrinciple: m.opposed,
        out: r?.out_count ?? null,
        atWork: r?.at_work_count ?? null,
        exemptForCover: r?.exempt_count ?? null,
        picketUp: r?.picket_up ?? false,
        reportedAt: r ? new Date(r.reported_at).toISOString() : null,
      };
    }),
  };
}
