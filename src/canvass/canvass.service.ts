/**
 * Contact lists for reps while a ballot runs (decisions/0023): who to reach next, one-tap logging of
 * each contact (and of what the member says about their vote, through turnout's own-report path),
 * officers' assignments of lists to reps with their progress, call sheets, the OSDI export of contact
 * records, and members' positions on industrial action.
 */
import { type ExportTrail, recordAudit, recordAudits, startExport } from "../audit/index.js";
import { authorize, can, type Grant } from "../auth/index.js";
import { ballotReach } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { offsetOf } from "../shared/paging.js";
import { checkSelfReport, insertSelfReportChecked } from "../turnout/index.js";
import { CALL_SHEET_COLUMNS, callSheetCsv, callSheetPdf } from "./call-sheet.js";
import {
  type AssignmentDto,
  type AssignmentsDto,
  type ContactDto,
  type ContactType,
  type CreateAssignmentInput,
  type ListPageDto,
  type ListQuery,
  type ListRowDto,
  type LogContactInput,
  type Outcome,
  type PositionDto,
  type PositionInput,
  PRIORITIES,
} from "./canvass.model.js";
import {
  endAssignment as closeAssignment,
  insertAssignment,
  insertContact,
  insertPosition,
  type ListFilter,
  selectAssignments,
  selectBallot,
  selectContacts,
  selectContactTarget,
  selectDisputeBallots,
  selectElectorateMembers,
  selectList,
  selectMemberInScope,
  selectPositions,
  selectProgress,
  selectRep,
  selectReps,
  selectWorkplaceInScope,
} from "./canvass.store.js";
import { ORIGIN_SYSTEM, type OsdiCanvass, toOsdi } from "./osdi.js";

/** Members who joined within this many days are "new" on a list. */
export const NEW_MEMBER_DAYS = 90;
/** The longest call sheet: a longer list is split by workplace or assignment. */
export const CALL_SHEET_LIMIT = 2000;
/** The most contact records in one page of the OSDI export. */
export const OSDI_PAGE_LIMIT = 5000;

const ballotNotFound = (id: number) => new AppError("ballots.not_found", `No ballot ${id}.`, { id });
const memberNotFound = (id: number) => new AppError("members.not_found", `No member ${id}.`, { id });
const assignmentNotFound = (id: number) =>
  new AppError("canvass.assignment_not_found", `No assignment ${id}.`, { id });

function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

async function ballotFor(ctx: Ctx, grant: Grant, ballotId: number) {
  const ballot = await selectBallot(ctx.db, ballotReach(ctx.actor, grant), ballotId);
  if (!ballot) throw ballotNotFound(ballotId);
  return ballot;
}

/** A rep reaches their own assignments; an officer who assigns lists, those in their scope. */
async function assignmentFor(ctx: Ctx, grant: Grant, ballotId: number, id: number) {
  const mine = !can(ctx.actor, "canvass.assign");
  const [a] = await selectAssignments(ctx.db, grant, {
    ballotIds: [ballotId],
    repUserId: mine ? (ctx.actor.userId ?? 0) : null,
    assignmentId: id,
  });
  if (!a) throw assignmentNotFound(id);
  return a;
}

function toRow(r: Awaited<ReturnType<typeof selectList>>["rows"][number]): ListRowDto {
  return {
    memberId: r.member_id,
    name: `${r.forenames} ${r.surname}`.trim(),
    workplaceId: r.workplace_id,
    workplace: r.workplace_name,
    phone: r.mobile,
    email: r.email,
    textConsent: r.consent_sms,
    emailConsent: r.consent_email,
    priority: PRIORITIES[Number(r.priority)] ?? "other",
    report: (r.report as ListRowDto["report"]) ?? null,
    lastContact:
      r.last_at !== null
        ? {
            at: new Date(r.last_at).toISOString(),
            contactType: r.last_type as ContactType,
            outcome: r.last_outcome as Outcome,
          }
        : null,
  };
}

async function listFilter(ctx: Ctx, grant: Grant, ballotId: number, q: Partial<ListQuery>) {
  const filter: ListFilter = {
    ballotId,
    workplaceId: q.workplaceId,
    newSince: daysBefore(ukDate(ctx.clock.now()), NEW_MEMBER_DAYS),
  };
  if (q.assignmentId !== undefined) {
    const a = await assignmentFor(ctx, grant, ballotId, q.assignmentId);
    filter.assignment = { id: a.id, workplaceId: a.workplace_id };
  }
  return filter;
}

/**
 * The members of the reader's scope in the ballot's frozen electorate still to reach, most urgent
 * first: never contacted, pledged but not voted, new members, replacement-paper requests, then the
 * rest (longest since last contact first). Members who reported voting and members recorded as
 * opposed in principle are not on it.
 */
export async function contactList(ctx: Ctx, ballotId: number, q: ListQuery): Promise<ListPageDto> {
  const grant = authorize(ctx.actor, "canvass.contact");
  const ballot = await ballotFor(ctx, grant, ballotId);
  const filter = await listFilter(ctx, grant, ballotId, q);
  const { rows, total } = await selectList(ctx.db, grant, filter, {
    limit: q.pageSize,
    offset: offsetOf(q),
  });
  return {
    ballot: { id: ballot.id, name: ballot.name },
    items: rows.map(toRow),
    page: q.page,
    pageSize: q.pageSize,
    total,
  };
}

/**
 * Logs one contact with a member of the writer's scope in the ballot's frozen electorate; a report
 * given when the member was reached is recorded as their own report (turnout), in the same transaction.
 */
export async function logContact(ctx: Ctx, ballotId: number, input: LogContactInput): Promise<ContactDto> {
  const grant = authorize(ctx.actor, "canvass.contact");
  const report = input.report
    ? { memberId: input.memberId, kind: input.report, source: "rep_conversation" as const }
    : null;
  // Every check before the transaction, the report's in parallel with the contact's (one round trip);
  // the contact's refusals come first, as when they ran one after the other.
  const [target, reportCheck] = await Promise.allSettled([
    selectContactTarget(ctx.db, ballotReach(ctx.actor, grant), ballotId, input.memberId),
    report ? checkSelfReport(ctx, ballotId, report) : Promise.resolve(),
  ]);
  if (target.status === "rejected") throw target.reason;
  const member = target.value;
  if (!member) throw ballotNotFound(ballotId);
  if (!member.member_in_scope) throw memberNotFound(input.memberId);
  if (member.electorate_member === null)
    throw new AppError(
      "turnout.not_in_electorate",
      `Member ${input.memberId} is not in the frozen electorate of ballot ${ballotId}.`,
      { memberId: input.memberId, ballotId },
    );
  if (reportCheck.status === "rejected") throw reportCheck.reason;
  const now = ctx.clock.now();
  return withTx(ctx.db, async (tx) => {
    const txCtx = { ...ctx, db: tx };
    // The rows first and the audit rows last, as every writer does: the audit chain's head is locked
    // from its first row to the commit, and taking a daily count's row after it can deadlock. Both
    // audit rows go in one append, so the head is held for that statement and the commit only.
    const reported = report ? await insertSelfReportChecked(txCtx, ballotId, report) : null;
    const row = await insertContact(tx, {
      unionId: grant.unionId,
      ballotId,
      memberId: input.memberId,
      workplaceId: member.workplace_id,
      repUserId: ctx.actor.userId,
      contactType: input.contactType,
      outcome: input.outcome,
      reportId: reported?.report.id ?? null,
      occurredAt: now,
    });
    await recordAudits(txCtx, [
      ...(reported ? [reported.audit] : []),
      {
        event: "canvass.contact_logged",
        entry: { subjectType: "member", subjectId: input.memberId, details: { ballotId, contactId: row.id } },
      },
    ]);
    return {
      id: row.id,
      ballotId,
      memberId: input.memberId,
      contactType: input.contactType,
      outcome: input.outcome,
      report: input.report ?? null,
      occurredAt: new Date(row.occurred_at).toISOString(),
    };
  });
}

export interface CallSheetFile {
  filename: string;
  contentType: string;
  body: Buffer | string;
  rows: number;
  trail: ExportTrail;
}

/** The list as a call sheet (CSV or PDF), whole, audited as an export; too long a list is refused. */
export async function callSheet(
  ctx: Ctx,
  ballotId: number,
  q: { workplaceId?: number | undefined; assignmentId?: number | undefined },
  format: "csv" | "pdf",
): Promise<CallSheetFile> {
  const grant = authorize(ctx.actor, "canvass.contact");
  const ballot = await ballotFor(ctx, grant, ballotId);
  const filter = await listFilter(ctx, grant, ballotId, q);
  const { rows, total } = await selectList(ctx.db, grant, filter, { limit: CALL_SHEET_LIMIT, offset: 0 });
  if (total > CALL_SHEET_LIMIT)
    throw new AppError(
      "canvass.too_many_rows",
      `The call sheet would have ${total} members, more than ${CALL_SHEET_LIMIT}; choose a workplace or an assignment.`,
      { total, limit: CALL_SHEET_LIMIT },
    );
  let covering = "All the members you reach";
  if (q.workplaceId !== undefined) {
    const w = await selectWorkplaceInScope(ctx.db, grant, q.workplaceId);
    covering = w?.name ?? `Workplace ${q.workplaceId}`;
  }
  if (q.assignmentId !== undefined) covering = `Assignment ${q.assignmentId}`;
  const asAt = ukDate(ctx.clock.now());
  const input = { ballotName: ballot.name, covering, asAt, rows: rows.map(toRow) };
  const body = format === "csv" ? callSheetCsv(input) : await callSheetPdf(input);
  const trail = await startExport(ctx, "canvass_call_sheet", {
    subjectType: "ballot",
    subjectId: ballotId,
    details: {
      format,
      rows: rows.length,
      ...(q.workplaceId !== undefined ? { workplaceId: q.workplaceId } : {}),
      ...(q.assignmentId !== undefined ? { assignmentId: q.assignmentId } : {}),
      ...(format === "csv" ? { columns: CALL_SHEET_COLUMNS.length } : {}),
    },
  });
  return {
    filename: `call-sheet-${ballotId}-${asAt}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/pdf",
    body,
    rows: rows.length,
    trail,
  };
}

export interface OsdiExport {
  body: {
    origin_system: string;
    total_records: number;
    page: number;
    per_page: number;
    _embedded: { "osdi:canvasses": OsdiCanvass[] };
  };
  trail: ExportTrail;
}

/** A ballot's contact records with members of the reader's scope as OSDI canvasses (paged; audited). */
export async function exportOsdi(
  ctx: Ctx,
  ballotId: number,
  q: { page: number; pageSize: number },
): Promise<OsdiExport> {
  const grant = authorize(ctx.actor, "canvass.export");
  await ballotFor(ctx, grant, ballotId);
  const perPage = Math.min(q.pageSize, OSDI_PAGE_LIMIT);
  const { rows, total } = await selectContacts(ctx.db, grant, ballotId, {
    limit: perPage,
    offset: (q.page - 1) * perPage,
  });
  const canvasses = rows.map((r) =>
    toOsdi({
      id: r.id,
      membershipNumber: r.membership_number,
      repUserId: r.rep_user_id,
      contactType: r.contact_type as ContactType,
      outcome: r.outcome as Outcome,
      report: (r.report as never) ?? null,
      occurredAt: new Date(r.occurred_at),
    }),
  );
  const trail = await startExport(ctx, "canvass_osdi", {
    subjectType: "ballot",
    subjectId: ballotId,
    details: { rows: canvasses.length, page: q.page },
  });
  return {
    body: {
      origin_system: ORIGIN_SYSTEM,
      total_records: total,
      page: q.page,
      per_page: perPage,
      _embedded: { "osdi:canvasses": canvasses },
    },
    trail,
  };
}

/**
 * Assigns a list to a rep: a workplace's members in the ballot, or named members. The list must lie in
 * the officer's scope and in the rep's workplaces (moving a rep elsewhere is a change of their scope).
 */
export async function createAssignment(
  ctx: Ctx,
  ballotId: number,
  input: CreateAssignmentInput,
): Promise<AssignmentDto> {
  const grant = authorize(ctx.actor, "canvass.assign");
  await ballotFor(ctx, grant, ballotId);
  const rep = await selectRep(ctx.db, grant.unionId, input.repUserId);
  if (!rep)
    throw new AppError("canvass.not_a_rep", `User ${input.repUserId} is not a workplace rep of the union.`, {
      userId: input.repUserId,
    });
  const outside = () =>
    new AppError(
      "canvass.outside_rep_scope",
      `The list is not within the workplaces of rep ${input.repUserId}.`,
      { userId: input.repUserId },
    );
  let memberIds: number[] = [];
  if (input.workplaceId !== undefined) {
    const w = await selectWorkplaceInScope(ctx.db, grant, input.workplaceId);
    if (!w)
      throw new AppError("request.invalid_reference", `No workplace ${input.workplaceId} in your scope.`, {
        workplaceId: input.workplaceId,
      });
    if (!rep.workplaceIds.includes(w.id)) throw outside();
  } else {
    const wanted = [...new Set(input.memberIds ?? [])];
    const found = await selectElectorateMembers(ctx.db, grant, ballotId, wanted);
    if (found.length !== wanted.length) {
      const missing = wanted.filter((m) => !found.some((f) => f.member_id === m));
      throw new AppError(
        "turnout.not_in_electorate",
        `${missing.length} of the members are not in the ballot's frozen electorate within your scope (first: ${missing[0]}).`,
        { missing: missing.slice(0, 20) },
      );
    }
    if (found.some((f) => f.workplace_id === null || !rep.workplaceIds.includes(f.workplace_id)))
      throw outside();
    memberIds = wanted;
  }
  const id = await withTx(ctx.db, async (tx) => {
    const created = await insertAssignment(tx, {
      unionId: grant.unionId,
      ballotId,
      repUserId: rep.id,
      workplaceId: input.workplaceId ?? null,
      memberIds,
      createdBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "canvass.assignment_created", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: {
        assignmentId: created,
        repUserId: rep.id,
        ...(input.workplaceId !== undefined
          ? { workplaceId: input.workplaceId }
          : { members: memberIds.length }),
      },
    });
    return created;
  });
  const [dto] = await withProgress(ctx, grant, [ballotId], null, id);
  return dto!;
}

async function withProgress(
  ctx: Ctx,
  grant: Grant,
  ballotIds: number[],
  repUserId: number | null,
  assignmentId?: number,
): Promise<AssignmentDto[]> {
  const rows = await selectAssignments(ctx.db, grant, {
    ballotIds,
    repUserId,
    ...(assignmentId !== undefined ? { assignmentId } : {}),
  });
  const progress = await selectProgress(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const p = progress.find((x) => x.id === r.id);
    return {
      id: r.id,
      ballotId: r.ballot_id,
      ballotName: r.ballot_name,
      rep: { id: r.rep_user_id, name: r.rep_name },
      workplace:
        r.workplace_id !== null
          ? { id: r.workplace_id, name: r.workplace_name ?? String(r.workplace_id) }
          : null,
      createdAt: new Date(r.created_at).toISOString(),
      endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
      progress: {
        members: p?.members ?? 0,
        contacted: p?.contacted ?? 0,
        reached: p?.reached ?? 0,
        reportedVoted: p?.reportedVoted ?? 0,
      },
    };
  });
}

/**
 * The assignments of every constituency of the ballot's dispute in the reader's reach, with progress:
 * an officer who assigns lists sees those in their scope and the reps they may assign to; a rep sees
 * their own.
 */
export async function listAssignments(ctx: Ctx, ballotId: number): Promise<AssignmentsDto> {
  const officer = can(ctx.actor, "canvass.assign");
  const grant = authorize(ctx.actor, officer ? "canvass.assign" : "canvass.contact");
  const ballot = await ballotFor(ctx, grant, ballotId);
  const ballots = await selectDisputeBallots(ctx.db, ballotReach(ctx.actor, grant), ballot.dispute_id);
  const assignments = await withProgress(
    ctx,
    grant,
    ballots.map((b) => b.id),
    officer ? null : (ctx.actor.userId ?? 0),
  );
  return { assignments, reps: officer ? await selectReps(ctx.db, grant) : [] };
}

/** Ends an assignment (the rep moves on); audited. */
export async function endAssignment(ctx: Ctx, ballotId: number, id: number): Promise<AssignmentDto> {
  const grant = authorize(ctx.actor, "canvass.assign");
  await ballotFor(ctx, grant, ballotId);
  await assignmentFor(ctx, grant, ballotId, id);
  await withTx(ctx.db, async (tx) => {
    const ended = await closeAssignment(tx, id, ctx.actor.userId, ctx.clock.now());
    if (ended)
      await recordAudit({ ...ctx, db: tx }, "canvass.assignment_ended", {
        subjectType: "ballot",
        subjectId: ballotId,
        details: { assignmentId: id },
      });
  });
  const [dto] = await withProgress(ctx, grant, [ballotId], null, id);
  return dto!;
}

/** A member's position on industrial action now, with its history (latest first). */
export async function memberPosition(ctx: Ctx, memberId: number): Promise<PositionDto> {
  const grant = authorize(ctx.actor, "canvass.positions");
  if (!(await selectMemberInScope(ctx.db, grant, memberId))) throw memberNotFound(memberId);
  const history = await selectPositions(ctx.db, grant.unionId, memberId);
  return {
    memberId,
    opposedInPrinciple: history[0]?.opposed_in_principle ?? false,
    history: history.map((h) => ({
      opposedInPrinciple: h.opposed_in_principle,
      recordedAt: new Date(h.recorded_at).toISOString(),
    })),
  };
}

/**
 * Records (or changes) whether a member is opposed in principle to industrial action. Such a member is
 * on no contact list, but stays in every electorate, keeps their vote and is told the result.
 */
export async function recordPosition(ctx: Ctx, memberId: number, input: PositionInput): Promise<PositionDto> {
  const grant = authorize(ctx.actor, "canvass.positions");
  if (!(await selectMemberInScope(ctx.db, grant, memberId))) throw memberNotFound(memberId);
  await withTx(ctx.db, async (tx) => {
    const row = await insertPosition(tx, {
      unionId: grant.unionId,
      memberId,
      opposed: input.opposedInPrinciple,
      recordedBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "member.position_recorded", {
      subjectType: "member",
      subjectId: memberId,
      details: { fields: ["opposed_in_principle"], positionId: row.id },
    });
  });
  return memberPosition(ctx, memberId);
}
