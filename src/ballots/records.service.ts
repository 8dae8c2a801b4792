/**
 * A ballot's records after its electorate is fixed, the ones a legal officer
 * asks for: the scrutineer's report and requests for copies of it (s.231B);
 * replacement voting papers and late joiners (ss.227, 229(1A)(c), 230) with
 * their effect on the figures the notice of ballot gave; mandate extensions
 * agreed with an employer (s.234(1)); and the employers' objections and other
 * correspondence. Writes are national officers' (ballots.manage) and audited;
 * reads follow the ballot's row scope (ballot-scope.ts).
 */
import { recordAudit } from "../audit/index.js";
import { authorize, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { addDays, addMonths, type Evaluation, type IsoDate, mandateDates } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { type BallotRow, loadBallotRow, loadVisibleBallot, refuseUnless } from "./ballot-access.js";
import { type BallotReach, reachesAll } from "./ballot-scope.js";
import { ballotScopeEntries } from "./ballots.store.js";
import type {
  CopyRequestInput,
  CorrespondenceDto,
  CorrespondenceInput,
  ExtensionInput,
  ExtensionsDto,
  PaperChangeInput,
  PaperChangesDto,
  ReportReviewInput,
  ScrutineerReportDto,
  ScrutineerReportInput,
} from "./records.model.js";
import {
  ballotEmployerRow,
  changedPaperEmployer,
  employersInReach,
  entitledByEmployerAll,
  extendedLastDays,
  firstBallotNotices,
  insertCopyRequest,
  insertCorrespondence,
  insertPaperChange,
  lateJoinerEntry,
  markCopySupplied,
  maxChangedPaper,
  maxSnapshotPaper,
  memberForPaper,
  paperReplacement,
  recordReportReview,
  reportReceivedOn,
  reportStatements,
  selectCopyRequest,
  selectCopyRequests,
  selectCorrespondence,
  selectExtensions,
  selectPaperChanges,
  selectScrutineerReport,
  snapshotEntry,
  snapshotPaperEmployer,
  upsertExtension,
  upsertScrutineerReport,
} from "./records.store.js";

const fail = (message: string, details: Record<string, unknown> = {}): never => {
  throw new AppError("ballots.invalid", message, details);
};

/** The employers of the ballot the reader reaches; null for a union-wide reach. */
async function reachedEmployers(
  ctx: Ctx,
  grant: Grant,
  reach: BallotReach,
  ballotId: number,
): Promise<Set<number> | null> {
  if (grant.view === "aggregate") return new Set();
  if (reachesAll(reach)) return null;
  const rows = await employersInReach(ctx.db, ballotId, reach);
  return new Set(rows.map((r) => r.id));
}

async function requireBallotEmployer(db: Db, ballotId: number, employerId: number): Promise<void> {
  const inScope = await ballotEmployerRow(db, ballotId, employerId);
  if (!inScope) fail("The employer is not one of the ballot's employers.", { employerId });
}

function notInFuture(ctx: Ctx, date: IsoDate, what: string): void {
  if (date > ukDate(ctx.clock.now())) fail(`${what} cannot be after today.`);
}

// ---------------------------------------------------------------------------
// The scrutineer's report (s.231B)

const REPORT_CITATION = "TULRCA 1992 s.231B(1), (2); s.246 (date of the ballot)";
const REPORT_UNCONFIRMED =
  "The wording of s.231B was not retrieved: the three statements, the particulars of a qualified report and the six-month copy period follow the parallel ss.75 and 100A and need legal review.";

/** Why notice of industrial action must wait for the review of a qualified report, or null. */
export async function qualifiedReportBlock(db: Db, ballotId: number): Promise<string | null> {
  const r = await reportStatements(db, ballotId);
  if (!r || r.reviewed_on) return null;
  if (r.no_contravention && r.security_arrangements && r.no_interference) return null;
  return "The scrutineer's report is qualified (s.231B(1)(b)); a national officer must record its review before the union calls action on this ballot.";
}

export async function getScrutineerReport(ctx: Ctx, ballotId: number): Promise<ScrutineerReportDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, ballotId);
  const r = await selectScrutineerReport(ctx.db, ballotId);
  // s.231B(2): copies to anyone entitled to vote, or their employer, who asks within six months from the date of the ballot (s.246: its closing day).
  const copiesDueUntil = addDays(addMonths(row.closing_date, 6), -1);
  const requests = await selectCopyRequests(ctx.db, ballotId);
  const reached = await reachedEmployers(ctx, grant, reach, ballotId);
  const personal = grant.view === "personal";
  const qualified = r ? !(r.no_contravention && r.security_arrangements && r.no_interference) : false;
  const warnings: string[] = [];
  const today = ukDate(ctx.clock.now());
  if (!r && row.state === "result_declared") warnings.push("The scrutineer's report has not been recorded.");
  if (r && qualified && !r.reviewed_on)
    warnings.push(
      "The scrutineer's report is qualified and not reviewed: no notice of industrial action until it is.",
    );
  const shown = requests
    .filter((q) => q.employer_id === null || reached === null || reached.has(q.employer_id))
    .map((q) => {
      const withinPeriod = q.requested_on <= copiesDueUntil;
      return {
        id: q.id,
        requestedOn: q.requested_on,
        requesterType: q.requester_type,
        reference: personal ? q.reference : "",
        employerId: q.employer_id,
        suppliedOn: q.supplied_on,
        withinPeriod,
        outstanding: q.supplied_on === null && withinPeriod,
      };
    });
  const outstanding = shown.filter((q) => q.outstanding).length;
  if (outstanding)
    warnings.push(
      `${outstanding} request(s) for a copy of the scrutineer's report not yet supplied: the union must supply a copy as soon as practicable (s.231B(2)).`,
    );
  return {
    ballotId,
    report: r
      ? {
          receivedOn: r.received_on,
          noContravention: r.no_contravention,
          securityArrangements: r.security_arrangements,
          noInterference: r.no_interference,
          particulars: r.particulars,
          qualified,
          reviewedOn: r.reviewed_on,
          reviewNote: r.review_note,
          blocksAction: qualified && !r.reviewed_on,
        }
      : null,
    copiesDueUntil,
    requests: shown,
    warnings: today > copiesDueUntil ? warnings.filter((w) => !w.includes("not yet supplied")) : warnings,
    citation: REPORT_CITATION,
    unconfirmed: REPORT_UNCONFIRMED,
  };
}

export async function recordScrutineerReport(
  ctx: Ctx,
  ballotId: number,
  input: ScrutineerReportInput,
): Promise<ScrutineerReportDto> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  refuseUnless(row.state, "record_scrutineer_report");
  notInFuture(ctx, input.receivedOn, "The date the report was received");
  if (input.receivedOn < row.closing_date)
    fail("The report comes after the date of the ballot (its closing day).");
  const qualified = !(input.noContravention && input.securityArrangements && input.noInterference);
  // s.231B(1)(b): a scrutineer not satisfied gives particulars of the matters.
  if (qualified && !input.particulars.trim())
    fail("A qualified report needs the particulars the scrutineer gave.");
  await withTx(ctx.db, async (tx) => {
    const values = {
      received_on: input.receivedOn,
      no_contravention: input.noContravention,
      security_arrangements: input.securityArrangements,
      no_interference: input.noInterference,
      particulars: input.particulars,
      // A report recorded again (a corrected report) needs its own review.
      reviewed_on: null,
      review_note: "",
      reviewed_by: null,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    };
    await upsertScrutineerReport(tx, ballotId, values);
    await recordAudit({ ...ctx, db: tx }, "ballot.scrutineer_report_recorded", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { receivedOn: input.receivedOn, qualified },
    });
  });
  return getScrutineerReport(ctx, ballotId);
}

export async function reviewScrutineerReport(
  ctx: Ctx,
  ballotId: number,
  input: ReportReviewInput,
): Promise<ScrutineerReportDto> {
  authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  const r = await reportReceivedOn(ctx.db, ballotId);
  if (!r)
    throw new AppError("ballots.record_not_found", "No scrutineer's report is recorded for this ballot.");
  notInFuture(ctx, input.reviewedOn, "The review date");
  if (input.reviewedOn < r.received_on) fail("The review cannot be before the report was received.");
  await withTx(ctx.db, async (tx) => {
    await recordReportReview(tx, ballotId, {
      reviewedOn: input.reviewedOn,
      note: input.note,
      reviewedBy: ctx.actor.userId,
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.scrutineer_report_reviewed", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { reviewedOn: input.reviewedOn },
    });
  });
  return getScrutineerReport(ctx, ballotId);
}

export async function recordCopyRequest(
  ctx: Ctx,
  ballotId: number,
  input: CopyRequestInput,
): Promise<ScrutineerReportDto> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  notInFuture(ctx, input.requestedOn, "The date of the request");
  if (input.requestedOn < row.closing_date)
    fail("A request for the report comes after the date of the ballot.");
  if (input.requesterType === "employer") {
    if (input.employerId === null) fail("Name the employer that asked.");
    await requireBallotEmployer(ctx.db, ballotId, input.employerId!);
  } else if (input.employerId !== null) {
    await requireBallotEmployer(ctx.db, ballotId, input.employerId);
  }
  await withTx(ctx.db, async (tx) => {
    const q = await insertCopyRequest(tx, ballotId, {
      requested_on: input.requestedOn,
      requester_type: input.requesterType,
      reference: input.reference,
      employer_id: input.employerId,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.report_copy_requested", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { request: q.id, requesterType: input.requesterType, requestedOn: input.requestedOn },
    });
  });
  return getScrutineerReport(ctx, ballotId);
}

export async function recordCopySupplied(
  ctx: Ctx,
  ballotId: number,
  requestId: number,
  suppliedOn: IsoDate,
): Promise<ScrutineerReportDto> {
  authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  const q = await selectCopyRequest(ctx.db, ballotId, requestId);
  if (!q) throw new AppError("ballots.record_not_found", `No copy request ${requestId} on this ballot.`);
  if (q.supplied_on) fail("This request is already recorded as supplied.");
  notInFuture(ctx, suppliedOn, "The date supplied");
  if (suppliedOn < q.requested_on) fail("A copy cannot be supplied before it was asked for.");
  await withTx(ctx.db, async (tx) => {
    await markCopySupplied(tx, requestId, suppliedOn);
    await recordAudit({ ...ctx, db: tx }, "ballot.report_copy_requested", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { request: requestId, suppliedOn },
    });
  });
  return getScrutineerReport(ctx, ballotId);
}

// ---------------------------------------------------------------------------
// Replacement papers and late joiners

async function nextPaperNumber(db: Db, ballotId: number): Promise<number> {
  const a = await maxSnapshotPaper(db, ballotId);
  const b = await maxChangedPaper(db, ballotId);
  return Math.max(Number(a?.n ?? 0), Number(b?.n ?? 0)) + 1;
}

export async function listPaperChanges(ctx: Ctx, ballotId: number): Promise<PaperChangesDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, ballotId);
  const reached = await reachedEmployers(ctx, grant, reach, ballotId);
  const changes = await selectPaperChanges(ctx.db, ballotId);
  const sees = (employerId: number | null) =>
    grant.view !== "aggregate" && (reached === null || (employerId !== null && reached.has(employerId)));
  const said = await entitledByEmployerAll(ctx.db, ballotId);
  const given = await firstBallotNotices(ctx.db, ballotId);
  const givenOn = new Map(given.map((g) => [g.employer_id, ukDate(new Date(g.first as unknown as string))]));
  const added = new Map<number, number>();
  for (const c of changes)
    if (c.kind === "late_joiner" && c.employer_id)
      added.set(c.employer_id, (added.get(c.employer_id) ?? 0) + 1);
  const noticeFigures = said
    .filter((s) => sees(s.employer_id))
    .map((s) => {
      const noticeSaid = Number(s.n);
      const electorateNow = noticeSaid + (added.get(s.employer_id) ?? 0);
      const noticeGivenOn = givenOn.get(s.employer_id) ?? null;
      return {
        employerId: s.employer_id,
        employerName: s.name,
        noticeGivenOn,
        noticeSaid,
        electorateNow,
        correctedNoticeMayBeNeeded: noticeGivenOn !== null && electorateNow !== noticeSaid,
      };
    })
    .sort((a, b) => a.employerName.localeCompare(b.employerName, "en-GB"));
  const warnings = noticeFigures
    .filter((f) => f.correctedNoticeMayBeNeeded)
    .map(
      (f) =>
        `The notice of ballot given to ${f.employerName} on ${f.noticeGivenOn} said ${f.noticeSaid}; the electorate is now ${f.electorateNow}: a corrected notice may be needed (s.226A(2)(c)).`,
    );
  if (
    row.state === "open" &&
    changes.some((c) => c.kind === "late_joiner" && c.recorded_on >= row.opening_date)
  )
    warnings.push(
      "Late joiners were added after the opening day: check with the scrutineer that their papers went out in time.",
    );
  return {
    ballotId,
    changes: changes
      .filter((c) => sees(c.employer_id))
      .map((c) => ({
        id: c.id,
        kind: c.kind as PaperChangesDto["changes"][number]["kind"],
        recordedOn: c.recorded_on,
        paperNumber: c.paper_number,
        replacesPaper: c.replaces_paper,
        employerId: c.employer_id,
        employerName: c.employer_name,
        reason: c.reason,
      })),
    noticeFigures,
    warnings,
  };
}

export async function recordPaperChange(
  ctx: Ctx,
  ballotId: number,
  input: PaperChangeInput,
): Promise<PaperChangesDto> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  // After notices are issued the snapshot cannot change: additions are recorded here, not by re-freezing.
  refuseUnless(row.state, "record_replacements");
  notInFuture(ctx, input.recordedOn, "The date recorded");
  await withTx(ctx.db, async (tx) => {
    const paperNumber = await nextPaperNumber(tx, ballotId);
    let values: {
      kind: string;
      paper_number: number | null;
      replaces_paper: number | null;
      member_id: number | null;
      employer_id: number | null;
      workplace_id: number | null;
      job_category: string | null;
    };
    if (input.kind === "replacement") {
      // s.230: a paper lost or spoilt in the post is replaced with the next number in the series; the old one is void.
      const original = await snapshotPaperEmployer(tx, ballotId, input.replacesPaper);
      const issued = original ?? (await changedPaperEmployer(tx, ballotId, input.replacesPaper));
      if (!issued) fail(`Paper ${input.replacesPaper} was not issued in this ballot.`);
      const already = await paperReplacement(tx, ballotId, input.replacesPaper);
      if (already) fail(`Paper ${input.replacesPaper} has already been replaced.`);
      values = {
        kind: "replacement",
        paper_number: paperNumber,
        replaces_paper: input.replacesPaper,
        member_id: null,
        employer_id: issued!.employer_id,
        workplace_id: null,
        job_category: null,
      };
    } else {
      const m = await memberForPaper(tx, row.union_id, input.memberId);
      if (!m) throw new AppError("members.not_found", `No member ${input.memberId}.`, { id: input.memberId });
      const inSnapshot = await snapshotEntry(tx, ballotId, m.id);
      if (inSnapshot?.included) fail("The member is already entitled in the ballot's electorate.");
      const recorded = await lateJoinerEntry(tx, ballotId, m.id);
      if (recorded) fail("The member is already recorded as a late joiner of this ballot.");
      if (input.entitled) {
        if (m.status !== "active") fail("Only a current member can be given entitlement to vote.");
        const scope = await ballotScopeEntries(tx, ballotId);
        const inScope = scope.some(
          (s) =>
            s.employer_id === m.employer_id && (s.workplace_id === null || s.workplace_id === m.workplace_id),
        );
        const categories = row.job_categories?.map((c) => c.trim().toLowerCase());
        if (!inScope || (categories && !categories.includes((m.job_category ?? "").trim().toLowerCase())))
          fail("The member's employer, workplace or category is outside this ballot (s.227(1)).");
      }
      values = {
        kind: input.entitled ? "late_joiner" : "late_joiner_not_entitled",
        paper_number: input.entitled ? paperNumber : null,
        replaces_paper: null,
        member_id: m.id,
        employer_id: m.employer_id,
        workplace_id: m.workplace_id,
        job_category: m.job_category,
      };
    }
    const c = await insertPaperChange(tx, ballotId, {
      recorded_on: input.recordedOn,
      reason: input.reason,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
      ...values,
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.paper_changed", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: {
        change: c.id,
        kind: values.kind,
        paperNumber: values.paper_number,
        replaces: values.replaces_paper,
      },
    });
  });
  return listPaperChanges(ctx, ballotId);
}

// ---------------------------------------------------------------------------
// Mandate extensions by agreement (s.234(1))

/** The mandate's last day, and per employer the last day agreed with it where the regime allows an extension. */
export async function mandateEndsByEmployer(
  db: Db,
  row: BallotRow,
  evaluation: Pick<Evaluation, "mandatePeriod">,
): Promise<{ lastDay: IsoDate | null; byEmployer: Map<number, IsoDate> }> {
  const m = evaluation.mandatePeriod;
  if (!m.lastDayByAgreement) return { lastDay: m.lastDay, byEmployer: new Map() };
  const rows = await extendedLastDays(db, row.id);
  return {
    lastDay: m.lastDay,
    byEmployer: new Map(rows.map((r) => [r.employer_id, r.last_day])),
  };
}

export async function listExtensions(ctx: Ctx, ballotId: number): Promise<ExtensionsDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, ballotId);
  const reached = await reachedEmployers(ctx, grant, reach, ballotId);
  const m = mandateDates(row.opening_date, row.closing_date);
  const rows = await selectExtensions(ctx.db, ballotId);
  const extensions = rows
    .filter((r) => reached === null || reached.has(r.employer_id))
    .map((r) => ({
      id: r.id,
      employerId: r.employer_id,
      employerName: r.name,
      agreedOn: r.agreed_on,
      lastDay: r.last_day,
      evidence: r.evidence,
    }));
  return {
    ballotId,
    mandateLastDay: m.lastDay,
    latestByAgreement: m.lastDayByAgreement,
    extensions,
    deadlines: extensions.map((x) => ({
      id: `mandate_ends_extended_${x.employerId}`,
      label: `${m.period.kind === "begin_within" ? "Last day action may begin" : "Mandate ends"} for ${x.employerName} (extended by agreement on ${x.agreedOn})`,
      date: x.lastDay,
      rule: m.rule,
      citation: m.citation,
      unconfirmed: null,
    })),
  };
}

export async function recordExtension(
  ctx: Ctx,
  ballotId: number,
  input: ExtensionInput,
): Promise<ExtensionsDto> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  refuseUnless(row.state, "extend_mandate");
  const m = mandateDates(row.opening_date, row.closing_date);
  if (!m.lastDayByAgreement || !m.lastDay)
    fail(`The mandate cannot be extended by agreement: ${m.rule}`, { citation: m.citation });
  await requireBallotEmployer(ctx.db, ballotId, input.employerId);
  notInFuture(ctx, input.agreedOn, "The date of the agreement");
  if (input.agreedOn < row.closing_date) fail("An extension is agreed after the date of the ballot.");
  if (input.agreedOn > m.lastDay!)
    fail(`The mandate ended on ${m.lastDay}; it cannot be extended after that.`);
  if (input.lastDay <= m.lastDay!)
    fail(`The new last day must be after the mandate's last day, ${m.lastDay}.`);
  if (input.lastDay > m.lastDayByAgreement!)
    fail(`By agreement the mandate can run to ${m.lastDayByAgreement} at the latest (${m.rule})`, {
      latest: m.lastDayByAgreement,
    });
  await withTx(ctx.db, async (tx) => {
    const values = {
      agreed_on: input.agreedOn,
      last_day: input.lastDay,
      evidence: input.evidence,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    };
    await upsertExtension(tx, ballotId, input.employerId, values);
    await recordAudit({ ...ctx, db: tx }, "ballot.mandate_extended", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { employer: input.employerId, agreedOn: input.agreedOn, lastDay: input.lastDay },
    });
  });
  return listExtensions(ctx, ballotId);
}

// ---------------------------------------------------------------------------
// Employer objections and correspondence

export async function listCorrespondence(
  ctx: Ctx,
  ballotId: number,
  employerId?: number,
): Promise<CorrespondenceDto[]> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { reach } = await loadVisibleBallot(ctx, grant, ballotId);
  if (grant.view === "aggregate") return [];
  const rows = await selectCorrespondence(ctx.db, ballotId, reach, employerId);
  return rows.map((r) => ({
    id: r.id,
    employerId: r.employer_id,
    employerName: r.name,
    dated: r.dated,
    direction: r.direction,
    kind: r.kind,
    summary: r.summary,
    documentReference: r.document_reference,
  }));
}

export async function recordCorrespondence(
  ctx: Ctx,
  ballotId: number,
  input: CorrespondenceInput,
): Promise<CorrespondenceDto[]> {
  authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  await requireBallotEmployer(ctx.db, ballotId, input.employerId);
  notInFuture(ctx, input.dated, "The date of the correspondence");
  await withTx(ctx.db, async (tx) => {
    const c = await insertCorrespondence(tx, ballotId, {
      employer_id: input.employerId,
      dated: input.dated,
      direction: input.direction,
      kind: input.kind,
      summary: input.summary,
      document_reference: input.documentReference,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.correspondence_recorded", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { entry: c.id, employer: input.employerId, direction: input.direction, kind: input.kind },
    });
  });
  return listCorrespondence(ctx, ballotId);
}
