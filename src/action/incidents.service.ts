/**
 * The incident log of a day of action: police, employer, media, safety or other incidents per
 * workplace and day, with follow-ups (who does what, by when, done). Reps record incidents at their
 * workplaces (`action.report`); officers manage them (`action.incidents`): close, reopen, set the
 * severity, add and tick off follow-ups. Everyone who reads the board reads the log of their scope.
 *
 * Descriptions and follow-ups may carry names: they are stored and shown in scope, never put in the
 * audit details, logs or error messages.
 */
import { recordAudit } from "../audit/index.js";
import { authorize, type Grant, rowInScope } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import type { FollowupInput, IncidentDto, IncidentInput, IncidentUpdate } from "./dayboard.model.js";
import { bumpIncidents, workplaceForBoard } from "./dayboard.store.js";
import {
  followupsOf,
  incidentsOfDay,
  insertFollowup,
  insertIncident,
  selectIncident,
} from "./incidents.store.js";

const notFound = (id: number) => new AppError("action.not_found", `No incident ${id}.`, { id });

function reaches(grant: Grant, row: { region_id: number; sector_id: number; workplace_id: number }): boolean {
  return rowInScope(grant, {
    unionId: grant.unionId,
    regionId: row.region_id || null,
    sectorId: row.sector_id || null,
    workplaceId: row.workplace_id,
  });
}

export async function recordIncident(ctx: Ctx, input: IncidentInput): Promise<IncidentDto> {
  const grant = authorize(ctx.actor, "action.report");
  const id = await withTx(ctx.db, async (tx) => {
    const w = await workplaceForBoard(tx, grant.unionId, input.workplaceId, input.day);
    if (!w || !reaches(grant, { ...w, workplace_id: w.id })) {
      throw new AppError("action.not_found", `No workplace ${input.workplaceId}.`, { id: input.workplaceId });
    }
    const now = ctx.clock.now();
    const id = await insertIncident(tx, {
      union_id: grant.unionId,
      day: input.day,
      workplace_id: w.id,
      region_id: w.region_id,
      sector_id: w.sector_id,
      kind: input.kind,
      severity: input.severity,
      occurred_at: input.occurredAt ? new Date(input.occurredAt) : now,
      description: input.description,
      recorded_by: ctx.actor.userId,
      recorded_at: now,
    });
    await bumpIncidents(
      tx,
      { unionId: grant.unionId, day: input.day, workplaceId: w.id },
      { all: 1, open: 1 },
    );
    await recordAudit({ ...ctx, db: tx }, "action.incident_recorded", {
      subjectType: "workplace",
      subjectId: w.id,
      details: { incident: id, day: input.day, kind: input.kind, severity: input.severity },
    });
    return id;
  });
  return incidentById(ctx.db, grant, id);
}

export async function updateIncident(ctx: Ctx, id: number, input: IncidentUpdate): Promise<IncidentDto> {
  const grant = authorize(ctx.actor, "action.incidents");
  await withTx(ctx.db, async (tx) => {
    const row = await selectIncident(tx, grant.unionId, id, true);
    if (!row || !reaches(grant, row)) throw notFound(id);
    const state = input.state ?? row.state;
    const now = ctx.clock.now();
    await tx
      .updateTable("action_incidents")
      .set({
        state,
        severity: input.severity ?? row.severity,
        closed_at: state === "closed" ? (row.closed_at ?? now) : null,
        closed_by: state === "closed" ? (row.closed_by ?? ctx.actor.userId) : null,
      })
      .where("id", "=", id)
      .execute();
    if (state !== row.state) {
      await bumpIncidents(
        tx,
        { unionId: grant.unionId, day: row.day, workplaceId: row.workplace_id },
        { all: 0, open: state === "closed" ? -1 : 1 },
      );
    }
    await recordAudit({ ...ctx, db: tx }, "action.incident_updated", {
      subjectType: "action_incident",
      subjectId: id,
      details: { state, severity: input.severity ?? row.severity },
    });
  });
  return incidentById(ctx.db, grant, id);
}

export async function addFollowup(ctx: Ctx, incidentId: number, input: FollowupInput): Promise<IncidentDto> {
  const grant = authorize(ctx.actor, "action.incidents");
  await withTx(ctx.db, async (tx) => {
    const row = await selectIncident(tx, grant.unionId, incidentId, true);
    if (!row || !reaches(grant, row)) throw notFound(incidentId);
    const count = await tx
      .selectFrom("action_incident_followups")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("incident_id", "=", incidentId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= 50) {
      throw new AppError("action.invalid", "An incident holds at most 50 follow-ups.", {
        field: "followups",
      });
    }
    const followup = await insertFollowup(tx, {
      incident_id: incidentId,
      who: input.who,
      what: input.what,
      due_on: input.dueOn,
      created_by: ctx.actor.userId,
      created_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.incident_followup", {
      subjectType: "action_incident",
      subjectId: incidentId,
      details: { followup, added: true, due: input.dueOn },
    });
  });
  return incidentById(ctx.db, grant, incidentId);
}

export async function setFollowupDone(
  ctx: Ctx,
  incidentId: number,
  followupId: number,
  done: boolean,
): Promise<IncidentDto> {
  const grant = authorize(ctx.actor, "action.incidents");
  await withTx(ctx.db, async (tx) => {
    const row = await selectIncident(tx, grant.unionId, incidentId, true);
    if (!row || !reaches(grant, row)) throw notFound(incidentId);
    const updated = await tx
      .updateTable("action_incident_followups")
      .set({ done_at: done ? ctx.clock.now() : null, done_by: done ? ctx.actor.userId : null })
      .where("id", "=", followupId)
      .where("incident_id", "=", incidentId)
      .executeTakeFirst();
    if (!updated.numUpdatedRows) {
      throw new AppError("action.not_found", `No follow-up ${followupId}.`, { id: followupId });
    }
    await recordAudit({ ...ctx, db: tx }, "action.incident_followup", {
      subjectType: "action_incident",
      subjectId: incidentId,
      details: { followup: followupId, done },
    });
  });
  return incidentById(ctx.db, grant, incidentId);
}

/** The day's incidents in the reader's scope, newest first (at most 500), with their follow-ups. */
export async function listIncidents(ctx: Ctx, day: string): Promise<IncidentDto[]> {
  const grant = authorize(ctx.actor, "action.read");
  const rows = await incidentsOfDay(ctx.db, grant, day);
  const followups = await followupsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toDto(r, followups.get(r.id) ?? []));
}

async function incidentById(db: Db, grant: Grant, id: number): Promise<IncidentDto> {
  const row = await selectIncident(db, grant.unionId, id, false);
  if (!row || !reaches(grant, row)) throw notFound(id);
  return toDto(row, (await followupsOf(db, [id])).get(id) ?? []);
}

type IncidentRow = NonNullable<Awaited<ReturnType<typeof selectIncident>>>;
type FollowupRow = Awaited<ReturnType<typeof followupsOf>> extends Map<number, infer R> ? R : never;

function toDto(r: IncidentRow, followups: FollowupRow): IncidentDto {
  return {
    id: r.id,
    day: r.day,
    workplaceId: r.workplace_id,
    workplaceName: r.workplace_name,
    kind: r.kind as IncidentDto["kind"],
    severity: r.severity as IncidentDto["severity"],
    occurredAt: new Date(r.occurred_at).toISOString(),
    description: r.description,
    state: r.state as IncidentDto["state"],
    recordedAt: new Date(r.recorded_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    followups: followups.map((f) => ({
      id: f.id,
      who: f.who,
      what: f.what,
      dueOn: f.due_on,
      doneAt: f.done_at ? new Date(f.done_at).toISOString() : null,
    })),
  };
}
