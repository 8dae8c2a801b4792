/**
 * Picket plans (decisions/0035): per workplace and day of action of a dispute, the lead, the picket
 * supervisor (required or not by the law on the picketing day, read from src/law through picketLaw),
 * the supervisor's letter of approval (an audited export), contacts with the police, the lines with
 * expected and actual numbers (flagged past the Code of Practice's guidance, never refused), and the
 * rota of members on each line. A member whose latest recorded position is opposed in principle, or who
 * is exempted for cover on the day, is never put on a rota (409, the reason in the code only).
 *
 * Officers plan (`action.picket_plan`); reps, and officers, manage the rota and record numbers
 * (`action.picket_rota`); everyone with `action.read` sees the plans of the workplaces in their scope,
 * names only with one of those two.
 */
import { recordAudit, startExport } from "../audit/index.js";
import { authorize, can, type Grant, rowInScope } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { unionLetterhead } from "../org/index.js";
import { ukDate } from "../shared/clock.js";
import { csvText } from "../shared/csv.js";
import { AppError } from "../shared/errors.js";
import { overGuidance, picketLaw } from "./picket.law.js";
import { renderSupervisorLetter } from "./picket.letter.js";
import type {
  LineInput,
  NumbersInput,
  PicketDayDto,
  PicketWorkplaceDto,
  PlanInput,
  PoliceContactInput,
  RotaInput,
} from "./picket.model.js";
import {
  actionDayExists,
  deleteLine,
  deleteRota,
  ensurePlan,
  exemptOnDay,
  insertLine,
  insertPoliceContact,
  insertRota,
  lockMember,
  selectDisputeWorkplaces,
  selectLine,
  selectLines,
  selectPlan,
  selectPlans,
  selectPoliceContacts,
  selectRota,
  selectRotaEntry,
  updateLineNumbers,
  upsertPlan,
} from "./picket.store.js";

const notFound = (what: string, id: number | string) =>
  new AppError("action.not_found", `No ${what} ${id}.`, { id });

export const jurisdictionOf = (nation: string) =>
  (nation === "northern_ireland" ? "ni" : "gb") as "gb" | "ni";

const fullName = (m: { forenames: string; surname: string }) => `${m.forenames} ${m.surname}`.trim();

/** The dispute's workplace in the grant's scope, on one of the dispute's days of action; else 404. */
async function placeOnDay(db: Db, grant: Grant, disputeId: number, day: string, workplaceId: number) {
  const [place] = await selectDisputeWorkplaces(db, grant, disputeId, { workplaceId });
  if (!place) throw notFound("workplace", workplaceId);
  if (!(await actionDayExists(db, grant.unionId, disputeId, day))) throw notFound("day of action", day);
  return place;
}

/** A member named on a plan: a member of the union in the grant's scope, by their name on the register. */
async function namedMember(db: Db, grant: Grant, memberId: number) {
  const m = await lockMember(db, grant.unionId, memberId);
  const reached =
    m &&
    rowInScope(grant, {
      unionId: grant.unionId,
      regionId: m.region_id,
      sectorId: m.sector_id,
      workplaceId: m.workplace_id,
    });
  if (!m || !reached) throw notFound("member", memberId);
  return m;
}

export async function picketDay(ctx: Ctx, disputeId: number, day: string): Promise<PicketDayDto> {
  const grant = authorize(ctx.actor, "action.read");
  const personal = can(ctx.actor, "action.picket_rota") || can(ctx.actor, "action.picket_plan");
  const places = await selectDisputeWorkplaces(ctx.db, grant, disputeId);
  if (!(await actionDayExists(ctx.db, grant.unionId, disputeId, day))) throw notFound("day of action", day);
  const plans = await selectPlans(
    ctx.db,
    grant.unionId,
    disputeId,
    day,
    places.map((p) => p.workplace_id),
  );
  const planIds = plans.map((p) => p.id);
  const [lines, rota, contacts] = await Promise.all([
    selectLines(ctx.db, planIds),
    selectRota(ctx.db, planIds),
    selectPoliceContacts(ctx.db, planIds),
  ]);
  // Outside national reach, a dispute with no workplace the reader reaches answers as one that does not exist.
  if (!places.length && grant.rows.kind !== "all") throw notFound("dispute", disputeId);
  const workplaces = places.map((p): PicketWorkplaceDto => {
    const law = picketLaw(day, jurisdictionOf(p.nation));
    const plan = plans.find((x) => x.workplace_id === p.workplace_id);
    const planLines = plan ? lines.filter((l) => l.plan_id === plan.id) : [];
    return {
      workplaceId: p.workplace_id,
      workplaceName: p.workplace_name,
      employerId: p.employer_id,
      employerName: p.employer_name,
      jurisdiction: jurisdictionOf(p.nation),
      planId: plan?.id ?? null,
      lead:
        personal && plan && (plan.lead_member_id !== null || plan.lead_name)
          ? { memberId: plan.lead_member_id, name: plan.lead_name }
          : null,
      supervisor:
        personal && plan && (plan.supervisor_member_id !== null || plan.supervisor_name)
          ? {
              memberId: plan.supervisor_member_id,
              name: plan.supervisor_name,
              contact: plan.supervisor_contact,
            }
          : null,
      supervisorNamed: Boolean(plan && (plan.supervisor_member_id !== null || plan.supervisor_name)),
      supervisorRequired: law.supervisorRequired,
      supervisorRule: law.supervisor,
      lines: planLines.map((l) => {
        const onLine = rota.filter((r) => r.line_id === l.id);
        return {
          id: l.id,
          location: l.location,
          entrance: l.entrance,
          startsAt: l.starts_at,
          endsAt: l.ends_at,
          expected: l.expected_count,
          actual: l.actual_count,
          actualRecordedAt: l.actual_recorded_at ? new Date(l.actual_recorded_at).toISOString() : null,
          overGuidance: overGuidance(
            { expected: l.expected_count, actual: l.actual_count },
            law.numbers.perEntrance,
          ),
          rota: personal
            ? onLine.map((r) => ({
                id: r.id,
                memberId: r.member_id,
                name: fullName(r),
                startsAt: r.starts_at,
                endsAt: r.ends_at,
              }))
            : null,
          rotaCount: onLine.length,
        };
      }),
      policeContacts: personal
        ? contacts
            .filter((c) => plan && c.plan_id === plan.id)
            .map((c) => ({
              id: c.id,
              contactedAt: new Date(c.contacted_at).toISOString(),
              force: c.force,
              officer: c.officer,
              method: c.method,
              notes: c.notes,
            }))
        : null,
    };
  });
  return { day, numbersGuidance: picketLaw(day, "gb").numbers, workplaces };
}

/** Sets the plan's lead and supervisor (made if the workplace has none for the day yet). */
export async function setPicketPlan(
  ctx: Ctx,
  disputeId: number,
  day: string,
  workplaceId: number,
  input: PlanInput,
): Promise<{ id: number }> {
  const grant = authorize(ctx.actor, "action.picket_plan");
  return withTx(ctx.db, async (tx) => {
    await placeOnDay(tx, grant, disputeId, day, workplaceId);
    const person = async (p: PlanInput["lead"]) => {
      if (!p) return { id: null, name: "" };
      if (p.memberId === null) return { id: null, name: p.name };
      return { id: p.memberId, name: fullName(await namedMember(tx, grant, p.memberId)) };
    };
    const lead = await person(input.lead);
    const supervisor = await person(input.supervisor);
    const { id } = await upsertPlan(tx, {
      union_id: grant.unionId,
      dispute_id: disputeId,
      workplace_id: workplaceId,
      day,
      lead_member_id: lead.id,
      lead_name: lead.name,
      supervisor_member_id: supervisor.id,
      supervisor_name: supervisor.name,
      supervisor_contact: supervisor.name ? input.supervisorContact : "",
      updated_by: ctx.actor.userId,
      updated_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.picket_plan_set", {
      subjectType: "workplace",
      subjectId: workplaceId,
      details: {
        plan: id,
        day,
        leadMember: lead.id,
        leadNamed: Boolean(lead.name),
        supervisorMember: supervisor.id,
        supervisorNamed: Boolean(supervisor.name),
        supervisorContact: Boolean(input.supervisorContact),
      },
    });
    return { id };
  });
}

export async function addPicketLine(
  ctx: Ctx,
  disputeId: number,
  day: string,
  workplaceId: number,
  input: LineInput,
): Promise<{ id: number; planId: number }> {
  const grant = authorize(ctx.actor, "action.picket_plan");
  return withTx(ctx.db, async (tx) => {
    await placeOnDay(tx, grant, disputeId, day, workplaceId);
    const plan = await ensurePlan(tx, {
      union_id: grant.unionId,
      dispute_id: disputeId,
      workplace_id: workplaceId,
      day,
      updated_by: ctx.actor.userId,
      updated_at: ctx.clock.now(),
    });
    const id = await insertLine(tx, {
      plan_id: plan.id,
      union_id: grant.unionId,
      location: input.location,
      entrance: input.entrance,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      expected_count: input.expected,
      created_by: ctx.actor.userId,
      created_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.picket_line_added", {
      subjectType: "workplace",
      subjectId: workplaceId,
      details: { plan: plan.id, line: id, day, expected: input.expected },
    });
    return { id, planId: plan.id };
  });
}

async function lineInScope(db: Db, grant: Grant, lineId: number) {
  const line = await selectLine(db, grant.unionId, lineId);
  const reached =
    line &&
    rowInScope(grant, {
      unionId: grant.unionId,
      regionId: line.region_id,
      sectorId: line.sector_id,
      workplaceId: line.workplace_id,
    });
  if (!line || !reached) throw notFound("picket line", lineId);
  return line;
}

export async function removePicketLine(ctx: Ctx, lineId: number): Promise<void> {
  const grant = authorize(ctx.actor, "action.picket_plan");
  await withTx(ctx.db, async (tx) => {
    const line = await lineInScope(tx, grant, lineId);
    await deleteLine(tx, lineId);
    await recordAudit({ ...ctx, db: tx }, "action.picket_line_removed", {
      subjectType: "workplace",
      subjectId: line.workplace_id,
      details: { plan: line.plan_id, line: lineId, day: line.day },
    });
  });
}

/** Expected or actual numbers on a line; past the Code's guidance the line is flagged, never refused. */
export async function recordLineNumbers(
  ctx: Ctx,
  lineId: number,
  input: NumbersInput,
): Promise<{ overGuidance: boolean }> {
  const grant = authorize(ctx.actor, "action.picket_rota");
  return withTx(ctx.db, async (tx) => {
    const line = await lineInScope(tx, grant, lineId);
    const set: Parameters<typeof updateLineNumbers>[2] = {};
    if (input.expected !== undefined) set.expected_count = input.expected;
    if (input.actual !== undefined) {
      set.actual_count = input.actual;
      set.actual_recorded_by = ctx.actor.userId;
      set.actual_recorded_at = ctx.clock.now();
    }
    await updateLineNumbers(tx, lineId, set);
    await recordAudit({ ...ctx, db: tx }, "action.picket_numbers_recorded", {
      subjectType: "workplace",
      subjectId: line.workplace_id,
      details: { line: lineId, day: line.day, expected: input.expected, actual: input.actual },
    });
    const plan = await selectPlan(tx, grant.unionId, line.plan_id);
    const law = picketLaw(line.day, jurisdictionOf(plan!.nation));
    return {
      overGuidance: overGuidance(
        {
          expected: input.expected !== undefined ? input.expected : line.expected_count,
          actual: input.actual !== undefined ? input.actual : line.actual_count,
        },
        law.numbers.perEntrance,
      ),
    };
  });
}

async function planInScope(db: Db, grant: Grant, planId: number) {
  const plan = await selectPlan(db, grant.unionId, planId);
  const reached =
    plan &&
    rowInScope(grant, {
      unionId: grant.unionId,
      regionId: plan.region_id,
      sectorId: plan.sector_id,
      workplaceId: plan.workplace_id,
    });
  if (!plan || !reached) throw notFound("picket plan", planId);
  return plan;
}

export async function recordPoliceContact(
  ctx: Ctx,
  planId: number,
  input: PoliceContactInput,
): Promise<{ id: number }> {
  const grant = authorize(ctx.actor, "action.picket_plan");
  return withTx(ctx.db, async (tx) => {
    const plan = await planInScope(tx, grant, planId);
    const id = await insertPoliceContact(tx, {
      plan_id: planId,
      union_id: grant.unionId,
      contacted_at: new Date(input.contactedAt),
      force: input.force,
      officer: input.officer,
      method: input.method,
      notes: input.notes,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.police_contact_recorded", {
      subjectType: "workplace",
      subjectId: plan.workplace_id,
      details: { plan: planId, contact: id, day: plan.day, method: input.method },
    });
    return { id };
  });
}

/**
 * Puts a member on a line's rota. The member must be an active member at the plan's workplace; one
 * opposed in principle (latest recorded position) or exempted for cover on the day is refused, the
 * reason in the code only. The member's row is locked, so an exemption recorded at the same time waits.
 */
export async function addToRota(ctx: Ctx, lineId: number, input: RotaInput): Promise<{ id: number }> {
  const grant = authorize(ctx.actor, "action.picket_rota");
  return withTx(ctx.db, async (tx) => {
    const line = await lineInScope(tx, grant, lineId);
    const m = await lockMember(tx, grant.unionId, input.memberId);
    if (!m || m.workplace_id !== line.workplace_id || m.status !== "active")
      throw notFound("member at this workplace", input.memberId);
    if (m.opposed)
      throw new AppError("action.rota_opposed_in_principle", "This member cannot be put on the rota.", {
        reason: "opposed_in_principle",
      });
    if (await exemptOnDay(tx, m.id, line.day))
      throw new AppError(
        "action.rota_exempt_for_cover",
        "This member cannot be put on the rota on this day.",
        {
          reason: "exempt_for_cover",
        },
      );
    if (input.startsAt < line.starts_at || input.endsAt > line.ends_at)
      throw new AppError(
        "action.invalid",
        `The time slot must fall within the line's times (${line.starts_at} to ${line.ends_at}).`,
        { field: "startsAt" },
      );
    const row = await insertRota(tx, {
      line_id: lineId,
      plan_id: line.plan_id,
      union_id: grant.unionId,
      member_id: m.id,
      day: line.day,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      added_by: ctx.actor.userId,
      added_at: ctx.clock.now(),
    });
    if (!row) throw new AppError("action.rota_exists", "The member is already on this line at that time.");
    await recordAudit({ ...ctx, db: tx }, "action.rota_added", {
      subjectType: "member",
      subjectId: m.id,
      details: { line: lineId, rota: row.id, day: line.day, startsAt: input.startsAt, endsAt: input.endsAt },
    });
    return { id: row.id };
  });
}

export async function removeFromRota(ctx: Ctx, rotaId: number): Promise<void> {
  const grant = authorize(ctx.actor, "action.picket_rota");
  await withTx(ctx.db, async (tx) => {
    const r = await selectRotaEntry(tx, grant.unionId, rotaId);
    const reached =
      r &&
      rowInScope(grant, {
        unionId: grant.unionId,
        regionId: r.region_id,
        sectorId: r.sector_id,
        workplaceId: r.workplace_id,
      });
    if (!r || !reached) throw notFound("rota entry", rotaId);
    await deleteRota(tx, rotaId);
    await recordAudit({ ...ctx, db: tx }, "action.rota_removed", {
      subjectType: "member",
      subjectId: r.member_id,
      details: { line: r.line_id, rota: rotaId, day: r.day },
    });
  });
}

/**
 * The supervisor's letter of approval as a PDF, audited as an export (started here; the route ends the
 * trail when the response is delivered). Printed only from confirmed rules of the law on the day.
 */
/**
 * The day's picket rota for the dispute's workplaces in the reader's scope as CSV, for the lead's
 * clipboard: each line with its times, lead and supervisor, and each member on it with their hours (a
 * line with nobody on its rota yet has one row). Names are personal data: only readers who keep or plan
 * the rota, audited as an export; cells that would start a formula are neutralised.
 */
export async function picketRotaCsv(ctx: Ctx, disputeId: number, day: string) {
  const grant = authorize(ctx.actor, "action.read");
  if (!can(ctx.actor, "action.picket_rota") && !can(ctx.actor, "action.picket_plan"))
    throw new AppError("auth.forbidden", "Only those who keep or plan the picket rota may download it.");
  const plan = await picketDay(ctx, disputeId, day);
  const rows: string[][] = [];
  for (const w of plan.workplaces) {
    for (const l of w.lines) {
      const line = [
        w.workplaceName,
        w.employerName,
        l.location,
        l.entrance,
        `${l.startsAt}-${l.endsAt}`,
        w.lead?.name ?? "",
        w.supervisor?.name ?? "",
        w.supervisor?.contact ?? "",
      ];
      const on = l.rota ?? [];
      if (!on.length) rows.push([...line, "", "", ""]);
      for (const r of on) rows.push([...line, r.name, r.startsAt, r.endsAt]);
    }
  }
  const csv = csvText([
    [
      "Workplace",
      "Employer",
      "Line",
      "Entrance",
      "Line times",
      "Lead",
      "Supervisor",
      "Supervisor's contact",
      "Member",
      "From",
      "To",
    ],
    ...rows,
  ]);
  const trail = await startExport(ctx, "picket_rota_csv", {
    subjectType: "dispute",
    subjectId: disputeId,
    details: { day, rows: rows.length, scope: grant.rows.kind },
  });
  return { trail, csv, rows: rows.length, filename: `picket-rota-${day}-dispute-${disputeId}.csv` };
}

export async function supervisorLetter(ctx: Ctx, planId: number) {
  const grant = authorize(ctx.actor, "action.picket_plan");
  const plan = await planInScope(ctx.db, grant, planId);
  if (!plan.supervisor_name)
    throw new AppError("action.no_supervisor", "The plan names no picket supervisor yet.", { plan: planId });
  const [lines, contacts, union] = await Promise.all([
    selectLines(ctx.db, [planId]),
    selectPoliceContacts(ctx.db, [planId]),
    unionLetterhead(ctx.db, grant.unionId),
  ]);
  const law = picketLaw(plan.day, jurisdictionOf(plan.nation));
  const pdf = await renderSupervisorLetter({
    union: { name: union.name, address: union.address, contact: union.contact, signatory: union.signatory },
    issuedOn: ukDate(ctx.clock.now()),
    planId,
    day: plan.day,
    supervisor: { name: plan.supervisor_name, contact: plan.supervisor_contact },
    workplace: {
      name: plan.workplace_name,
      employer: plan.employer_name,
      address: plan.workplace_address,
      postcode: plan.workplace_postcode,
    },
    lines: lines.map((l) => ({
      location: l.location,
      entrance: l.entrance,
      startsAt: l.starts_at,
      endsAt: l.ends_at,
    })),
    law,
    policeTold: contacts.length > 0,
  });
  const trail = await startExport(ctx, "picket_letter", {
    subjectType: "workplace",
    subjectId: plan.workplace_id,
    details: { plan: planId, day: plan.day, supervisorMember: plan.supervisor_member_id },
  });
  return { trail, pdf, filename: `picket-supervisor-letter-${plan.day}-${planId}.pdf` };
}
