/**
 * The calendar of a dispute's days of action, each checked at every place of
 * every constituency (a ballot's employer or workplace) against its mandate and
 * the notices given (lawful-day.ts). National officers plan it; everyone with
 * `action.read` reads the places in their row scope (a regional officer their
 * regions' workplaces), and a dispute with none in reach answers 404.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import type { ActionDayDto, CalendarDto, PlaceDto, PlanDayInput } from "./action.model.js";
import {
  deleteActionDay,
  insertActionDay,
  selectActionDays,
  selectDispute,
  selectExtensions,
  selectNotices,
  selectPlaces,
  selectResults,
  selectSuspensions,
} from "./calendar.store.js";
import { type ActionKind, checkDay, type NoticeFacts } from "./lawful-day.js";

const notFound = (id: number) => new AppError("action.not_found", `No dispute ${id}.`, { id });

export async function planActionDay(ctx: Ctx, disputeId: number, input: PlanDayInput) {
  const grant = authorize(ctx.actor, "action.plan");
  return withTx(ctx.db, async (tx) => {
    if (!(await selectDispute(tx, grant.unionId, disputeId))) throw notFound(disputeId);
    const types = input.kind === "strike" ? [] : [...new Set(input.types)];
    const row = await insertActionDay(tx, {
      union_id: grant.unionId,
      dispute_id: disputeId,
      day: input.day,
      kind: input.kind,
      types,
      note: input.note,
      created_by: ctx.actor.userId,
      created_at: ctx.clock.now(),
    });
    if (!row) {
      throw new AppError(
        "action.day_exists",
        `${input.day} is already a day of ${input.kind.replaceAll("_", " ")}.`,
      );
    }
    await recordAudit({ ...ctx, db: tx }, "action.day_planned", {
      subjectType: "dispute",
      subjectId: disputeId,
      details: { actionDay: row.id, day: row.day, kind: row.kind },
    });
    return { id: row.id };
  });
}

export async function removeActionDay(ctx: Ctx, disputeId: number, id: number) {
  const grant = authorize(ctx.actor, "action.plan");
  return withTx(ctx.db, async (tx) => {
    const row = await deleteActionDay(tx, grant.unionId, disputeId, id);
    if (!row)
      throw new AppError("action.not_found", `No day of action ${id} in dispute ${disputeId}.`, { id });
    await recordAudit({ ...ctx, db: tx }, "action.day_removed", {
      subjectType: "dispute",
      subjectId: disputeId,
      details: { actionDay: id, day: row.day, kind: row.kind },
    });
  });
}

interface Evaluated {
  mandateFor?: string[];
}

export async function actionCalendar(
  ctx: Ctx,
  disputeId: number,
  range: { from?: string; to?: string } = {},
): Promise<CalendarDto> {
  const grant = authorize(ctx.actor, "action.read");
  const dispute = await selectDispute(ctx.db, grant.unionId, disputeId);
  if (!dispute) throw notFound(disputeId);
  const places = await selectPlaces(ctx.db, grant, disputeId);
  // Outside national reach, a dispute with no place the reader reaches answers as one that does not exist.
  if (!places.length && grant.rows.kind !== "all") throw notFound(disputeId);
  const ballotIds = [...new Set(places.map((p) => p.ballotId))];
  const [days, allDays, results, notices, suspensions, extensions] = await Promise.all([
    selectActionDays(ctx.db, grant.unionId, disputeId, range.from, range.to),
    selectActionDays(ctx.db, grant.unionId, disputeId),
    selectResults(ctx.db, ballotIds),
    selectNotices(ctx.db, ballotIds),
    selectSuspensions(ctx.db, ballotIds),
    selectExtensions(ctx.db, ballotIds),
  ]);
  const resultOf = new Map(
    results.map((r) => [
      r.ballot_id,
      { declaredOn: r.declared_on, mandateFor: (r.evaluation as Evaluated).mandateFor ?? [] },
    ]),
  );
  const noticesOf = new Map<number, NoticeFacts[]>();
  for (const n of notices) {
    const list = noticesOf.get(n.ballot_id) ?? [];
    list.push({
      id: n.id,
      givenOn: n.given_on,
      continuous: n.continuous,
      startDate: n.start_date,
      dates: n.dates,
      kinds: n.kinds,
      employerIds: n.employer_ids,
      shorterNoticeAgreed: n.shorter_notice_agreed,
      suspensions: suspensions
        .filter((s) => s.action_notice_id === n.id)
        .map((s) => ({ from: s.suspended_from, resumeFrom: s.resume_from, resumedOn: s.resumed_on })),
    });
    noticesOf.set(n.ballot_id, list);
  }
  const extensionOf = new Map(extensions.map((e) => [`${e.ballot_id}:${e.employer_id}`, e.last_day]));

  const out: ActionDayDto[] = days.map((d) => {
    const checked: PlaceDto[] = places.map((p) => {
      const result = resultOf.get(p.ballotId) ?? null;
      // The first day of action under this mandate: the calendar's earliest day after the result.
      const firstActionDay = allDays.find((a) => result && a.day >= result.declaredOn)?.day ?? null;
      const jurisdiction = p.nation === "northern_ireland" ? ("ni" as const) : ("gb" as const);
      const r = checkDay({
        day: d.day,
        kind: d.kind as ActionKind,
        types: d.types,
        jurisdiction,
        employerId: p.employerId,
        ballot: {
          openingDate: p.openingDate,
          closingDate: p.closingDate,
          actionShortTypes: p.actionShortTypes,
        },
        result,
        extendedLastDay: extensionOf.get(`${p.ballotId}:${p.employerId}`) ?? null,
        firstActionDay,
        notices: noticesOf.get(p.ballotId) ?? [],
      });
      return {
        ballotId: p.ballotId,
        ballotName: p.ballotName,
        employerId: p.employerId,
        employerName: p.employerName,
        workplaceId: p.workplaceId,
        workplaceName: p.workplaceName,
        regionId: p.regionId,
        jurisdiction,
        lawful: r.lawful,
        reasons: r.reasons,
        noticeId: r.noticeId,
        mandateLastDay: r.mandateLastDay,
      };
    });
    return {
      id: d.id,
      day: d.day,
      kind: d.kind as ActionKind,
      types: d.types,
      note: d.note,
      lawfulPlaces: checked.filter((c) => c.lawful).length,
      places: checked,
    };
  });
  return { dispute, days: out };
}
