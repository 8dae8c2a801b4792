/**
 * Notices of industrial action (TULRCA 1992 s.234A). Each notice counts the
 * affected employees from the register as it stands on the day the notice is
 * given, not from the ballot's electorate (affected.ts, decision record 0015):
 * balloted members still in the constituency, less those who left, lapsed or
 * moved out since, never a member who was not balloted. A mandate may carry
 * several notices, each with its own dates and figures, and action under a
 * notice may be suspended and resumed by agreement with the employer without
 * a new notice (s.234A(7A)-(7B)).
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import {
  ACTION_NOTICE_FORM,
  ACTION_NOTICE_PERIOD,
  addDays,
  type Evaluation,
  type IsoDate,
  MINIMUM_SERVICE_STATEMENT,
  regimeAt,
  ruleAt,
} from "../law/index.js";
import { type ActionNoticeInput as ActionNoticeDoc, actionNoticeAnnexes } from "../notices/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import {
  employerNameRows,
  entitledLateJoiners,
  entitledSnapshot,
  insertActionNotice,
  insertNoticeMembers,
  insertSuspension,
  notEntitledReasons,
  openSuspension,
  recordResumption,
  registerRowsAsAt,
  scopeEmployerRows,
  selectActionNotice,
  selectActionNotices,
  selectSuspension,
  selectSuspensions,
  snapshotPlaces,
} from "./action-notices.store.js";
import {
  type AffectedEntry,
  type BallotedMember,
  decideAffected,
  differenceByEmployer,
  type EmployerDifference,
  OUTCOMES,
  type RegisterFacts,
} from "./affected.js";
import { type BallotRow, loadBallotRow, loadVisibleBallot, refuseUnless } from "./ballot-access.js";
import { reachesAll } from "./ballot-scope.js";
import type { ActionNoticeInput, DocumentDto } from "./ballots.model.js";
import { ballotScopeEntries } from "./ballots.store.js";
import {
  declaredResult,
  employeeLists,
  finalSignOff,
  type Kind,
  listDocuments,
  loadFacts,
  renderAll,
  slug,
  store,
  text,
} from "./documents.service.js";
import { explainAffected } from "./figures.js";
import type { SnapshotMember } from "./preflight.js";
import type {
  ActionNoticeRecordDto,
  AffectedFiguresDto,
  ResumptionInput,
  SuspensionInput,
} from "./records.model.js";
import { mandateEndsByEmployer, qualifiedReportBlock } from "./records.service.js";
import { employersInReach } from "./records.store.js";

const AFFECTED_RULE =
  "The affected employees are those the union reasonably believes it will induce to take part, as at the day the notice is given: members balloted and still employed in the constituency; members who were not balloted are not called on under this mandate.";
const AFFECTED_CITATION =
  "TULRCA 1992 s.234A(3)(a), (5C); s.226(2)(bb), s.232A; British Airways v Unite [2009] EWHC 3541 (QB)";
const SUSPENSION_REVIEW =
  "Suspension and resumption by agreement follow ERA 1999 Explanatory Notes paras 149-150 on s.234A(7)-(7B); the statutory text of subsections (7A) and (7B) is not confirmed in Mandate's law data.";

// ---------------------------------------------------------------------------
// Who is affected on the day

const CHUNK = 10_000;

/** The ballot's entitled members and the entitled late joiners, as balloted. */
async function loadBalloted(ctx: Ctx, ballotId: number): Promise<BallotedMember[]> {
  const snapshot = await entitledSnapshot(ctx.db, ballotId);
  const joiners = await entitledLateJoiners(ctx.db, ballotId);
  return [
    ...snapshot.map((r) => ({
      memberId: r.member_id,
      employerId: r.employer_id,
      workplaceId: r.workplace_id,
      jobCategory: r.job_category,
      checkOff: r.check_off,
    })),
    ...joiners.map((r) => ({
      memberId: r.member_id!,
      employerId: r.employer_id!,
      workplaceId: r.workplace_id,
      jobCategory: r.job_category,
      checkOff: r.check_off,
    })),
  ];
}

/**
 * The register as at `day`: employer, workplace and category from the
 * employment history period covering the day where there is one, else the
 * member's record; for the balloted members and for every member of the
 * ballot's employers.
 */
async function registerAsAt(
  ctx: Ctx,
  row: BallotRow,
  day: IsoDate,
  ballotedIds: number[],
): Promise<Map<number, RegisterFacts>> {
  const scope = await scopeEmployerRows(ctx.db, row.id);
  const employers = [...new Set(scope.map((s) => s.employer_id))];
  const out = new Map<number, RegisterFacts>();
  const add = (rows: Awaited<ReturnType<typeof registerRowsAsAt>>, partnerIds: Set<number>) => {
    for (const r of rows) {
      if (out.has(r.id)) continue;
      out.set(r.id, {
        memberId: r.id,
        status: r.status as RegisterFacts["status"],
        joinedOn: r.joined_on,
        leftOn: r.left_on,
        employerId: r.employer_id,
        workplaceId: r.workplace_id,
        jobCategory: r.job_category,
        checkOff: r.check_off,
      });
      if (r.union_id !== row.union_id) partnerIds.add(r.id);
    }
  };
  const partners = new Set<number>();
  for (let i = 0; i < ballotedIds.length; i += CHUNK) {
    add(await registerRowsAsAt(ctx.db, day, { memberIds: ballotedIds.slice(i, i + CHUNK) }), partners);
  }
  if (employers.length) {
    add(await registerRowsAsAt(ctx.db, day, { unionId: row.union_id, employerIds: employers }), partners);
  }
  // A partner union's member is counted where the ballot counted them (its own register's employer and
  // workplace ids are the partner's); only their membership status is read from their record.
  const snapshot = partners.size ? await snapshotPlaces(ctx.db, row.id, [...partners]) : [];
  for (const s of snapshot) {
    const f = out.get(s.member_id)!;
    out.set(s.member_id, {
      ...f,
      employerId: s.employer_id,
      workplaceId: s.workplace_id,
      jobCategory: s.job_category,
    });
  }
  return out;
}

interface Affected {
  balloted: BallotedMember[];
  entries: AffectedEntry[];
  differences: EmployerDifference[];
}

async function computeAffected(
  ctx: Ctx,
  row: BallotRow,
  givenOn: IsoDate,
  firstDay: IsoDate,
): Promise<Affected> {
  if (!row.electorate_as_at) {
    throw new AppError("ballots.wrong_state", "The ballot's electorate is not frozen.", { state: row.state });
  }
  const balloted = await loadBalloted(ctx, row.id);
  const register = await registerAsAt(
    ctx,
    row,
    givenOn,
    balloted.map((b) => b.memberId),
  );
  const notIncluded = await notEntitledReasons(ctx.db, row.id);
  const scope = await ballotScopeEntries(ctx.db, row.id);
  const entries = decideAffected(
    balloted,
    register,
    {
      givenOn,
      firstDay,
      electorateAsAt: row.electorate_as_at,
      scope: scope.map((s) => ({ employerId: s.employer_id, workplaceId: s.workplace_id })),
      jobCategories: row.job_categories,
    },
    new Map(notIncluded.map((r) => [r.member_id, r.reason])),
  );
  return { balloted, entries, differences: differenceByEmployer(balloted, entries) };
}

async function employerNames(ctx: Ctx, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await employerNameRows(ctx.db, ids);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function figuresDto(
  givenOn: IsoDate,
  firstDay: IsoDate,
  electorateAsAt: IsoDate | null,
  differences: EmployerDifference[],
  names: Map<number, string>,
  given: Set<number> | null,
): AffectedFiguresDto {
  const sum = (k: "balloted" | "affected" | "joinedSince") => differences.reduce((n, d) => n + d[k], 0);
  return {
    givenOn,
    firstDay,
    electorateAsAt,
    totals: { balloted: sum("balloted"), affected: sum("affected"), joinedSince: sum("joinedSince") },
    employers: differences.map((d) => ({
      ...d,
      employerName: names.get(d.employerId) ?? `Employer ${d.employerId}`,
      noticeGiven: d.affected > 0 && (given === null || given.has(d.employerId)),
    })),
    rule: AFFECTED_RULE,
    citation: AFFECTED_CITATION,
  };
}

/** What a notice given on `givenOn` for action from `firstDay` would say, before it is given. */
export async function previewActionNotice(
  ctx: Ctx,
  id: number,
  givenOn: IsoDate,
  firstDay: IsoDate,
): Promise<AffectedFiguresDto> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  refuseUnless(row.state, "preview_action_notice");
  const a = await computeAffected(ctx, row, givenOn, firstDay);
  const names = await employerNames(
    ctx,
    a.differences.map((d) => d.employerId),
  );
  return figuresDto(givenOn, firstDay, row.electorate_as_at, a.differences, names, null);
}

// ---------------------------------------------------------------------------
// Giving notice

export async function createActionNotices(
  ctx: Ctx,
  id: number,
  input: ActionNoticeInput,
): Promise<DocumentDto[]> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  refuseUnless(row.state, "give_action_notice");
  const { result, evaluation } = await declaredResult(ctx.db, id);
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new AppError("ballots.invalid", message, details);
  };
  const unsupported = input.kinds.filter((k) => !evaluation.mandateFor.includes(k));
  if (unsupported.length)
    fail(`The ballot gives no mandate for ${unsupported.join(" or ").replaceAll("_", " ")}.`);
  if (input.givenOn < result.declared_on) {
    fail(`Notice of action can be given only once the employer has the result (${result.declared_on}).`);
  }
  const blocked = await qualifiedReportBlock(ctx.db, id);
  if (blocked) throw new AppError("ballots.scrutineer_report_qualified", blocked);
  const period = ruleAt(ACTION_NOTICE_PERIOD, input.givenOn)!;
  const days =
    input.shorterNoticeAgreed && period.value.byAgreementDays !== null
      ? period.value.byAgreementDays
      : period.value.days;
  if (input.shorterNoticeAgreed && period.value.byAgreementDays !== null && !input.agreementEvidence.trim()) {
    fail("Record the evidence of the employer's agreement to the shorter notice period.");
  }
  const dates = input.continuous ? [input.startDate!] : [...new Set(input.dates)].sort();
  const earliest = addDays(input.givenOn, days);
  if (dates[0]! < earliest) {
    fail(
      `With notice given on ${input.givenOn}, the first day of action can be ${earliest} at the earliest (${period.summary})`,
      { earliest },
    );
  }
  const affected = await computeAffected(ctx, row, input.givenOn, dates[0]!);
  const chosen = input.employerIds ? new Set(input.employerIds) : null;
  const receiving = affected.differences
    .filter((d) => d.affected > 0 && (chosen === null || chosen.has(d.employerId)))
    .map((d) => d.employerId);
  if (
    chosen &&
    [...chosen].some((e) => !affected.differences.some((d) => d.employerId === e && d.affected))
  ) {
    fail("Notice can be given only to employers of the ballot with affected employees on the day.");
  }
  if (!receiving.length)
    fail("No member balloted is still employed in the constituency: there is no one to call on.");
  checkMandate(evaluation, await mandateEndsByEmployer(ctx.db, row, evaluation), receiving, dates);

  const affectedMembers: SnapshotMember[] = affected.entries
    .filter((e) => e.outcome === "affected" && receiving.includes(e.employerId))
    .map((e) => ({
      memberId: e.memberId,
      membershipNumber: "",
      employerId: e.employerId,
      workplaceId: e.workplaceId,
      jobCategory: e.jobCategory,
      leftOn: null,
      checkOff: e.checkOff,
      hasAddress: true,
    }));
  const facts = await loadFacts(ctx, row, affectedMembers);
  const form = ruleAt(ACTION_NOTICE_FORM, input.givenOn)!;
  const mss = ruleAt(MINIMUM_SERVICE_STATEMENT, input.givenOn)!;
  const actions = input.kinds.map((kind) => ({
    kind,
    types: kind === "action_short_of_strike" ? row.action_short_types : [],
  }));
  const differenceOf = new Map(affected.differences.map((d) => [d.employerId, d]));
  const specs: { kind: Kind; employerId: number | null; filename: string; input: unknown }[] = [];
  for (const [employerId, figures] of [...facts.figures].sort((a, b) => a[0] - b[0])) {
    const employer = facts.employers.get(employerId)!;
    const lists = employeeLists(facts, employerId, figures, form.value);
    const d = differenceOf.get(employerId)!;
    const timing = input.continuous
      ? { continuous: true as const, startDate: input.startDate!, actions }
      : { continuous: false as const, dates: dates.map((date) => ({ date, actions })) };
    const doc: ActionNoticeDoc = {
      union: facts.union,
      // The strike-day statement (2023-2025) is not among the ballot's signed-off items: a draft until reviewed.
      legalSignOff: mss.value ? null : finalSignOff(facts),
      issuedOn: input.givenOn,
      regime: regimeAt(input.givenOn).id,
      reviewReasons: [
        ...facts.reviewReasons,
        ...(mss.value
          ? ["Where a relevant service is affected, state whether each day is a strike for s.234C purposes."]
          : []),
      ],
      ...lists,
      explanation:
        lists.explanation === null
          ? null
          : explainAffected({
              unionName: facts.union.name,
              givenOn: input.givenOn,
              electorateAsAt: row.electorate_as_at!,
              employerName: employer.name,
              total: figures.total,
              balloted: d.balloted,
              notCounted: [
                { label: OUTCOMES.left, count: d.left },
                { label: OUTCOMES.lapsed, count: d.lapsed },
                { label: OUTCOMES.deceased, count: d.deceased },
                { label: OUTCOMES.moved_out, count: d.movedOut + d.movedAway },
                { label: OUTCOMES.leaving_before_action, count: d.leavingBeforeAction },
              ],
              movedIn: d.movedIn,
              electorateHash: row.electorate_hash!,
            }),
      ...timing,
      employer: { name: employer.name, address: employer.address, registerCode: employer.registerCode },
      noticePeriodDays: days,
      noticePeriodStatement: text(period.summary, period.citation, period.unconfirmed),
      legal: [text(form.summary, form.citation, form.unconfirmed)],
      reference: `MANDATE-ACTION-${row.id}-${employerId}-${input.givenOn}`,
    };
    const base = `ballot-${id}-action-notice-${input.givenOn}-${slug(employer.name)}-${employerId}`;
    specs.push({ kind: "action_notice", employerId, filename: `${base}.pdf`, input: doc });
    for (const annex of actionNoticeAnnexes(doc)) {
      specs.push({
        kind: "action_notice_annex",
        employerId,
        filename: `${base}-${annex.filename}`,
        input: annex,
      });
    }
  }
  const rendered = await renderAll(ctx, specs);
  const ids = await withTx(ctx.db, async (tx) => {
    const stored = await store(ctx, tx, row, rendered);
    const notice = await insertActionNotice(tx, id, {
      continuous: input.continuous,
      start_date: input.continuous ? input.startDate : null,
      dates: JSON.stringify(dates),
      kinds: input.kinds,
      given_on: input.givenOn,
      shorter_notice_agreed: input.shorterNoticeAgreed,
      agreement_evidence: input.agreementEvidence,
      created_at: ctx.clock.now(),
      created_by: ctx.actor.userId,
      figures: JSON.stringify(affected.differences),
      document_ids: stored,
      employer_ids: receiving,
    });
    for (let i = 0; i < affected.entries.length; i += CHUNK) {
      await insertNoticeMembers(tx, notice.id, affected.entries.slice(i, i + CHUNK));
    }
    const count = (o: string) => affected.entries.filter((e) => e.outcome === o).length;
    await recordAudit({ ...ctx, db: tx }, "ballot.action_notice_created", {
      subjectType: "ballot",
      subjectId: id,
      details: {
        notice: notice.id,
        givenOn: input.givenOn,
        firstDay: dates[0],
        days,
        documents: rendered.length,
        employers: receiving.length,
        affected: count("affected"),
        notCalled: affected.entries.length - count("affected"),
      },
    });
    return stored;
  });
  return listDocuments(ctx, id, ids);
}

/** The action's dates against the mandate of each employer given notice (an agreed extension counts). */
function checkMandate(
  evaluation: Evaluation,
  ends: { lastDay: IsoDate | null; byEmployer: Map<number, IsoDate> },
  employers: number[],
  dates: IsoDate[],
): void {
  const m = evaluation.mandatePeriod;
  if (!ends.lastDay) return;
  const tooLate = (lastDay: IsoDate) =>
    m.period.kind === "begin_within" ? dates[0]! > lastDay : dates.some((d) => d > lastDay);
  const outside = employers.filter((e) => tooLate(ends.byEmployer.get(e) ?? ends.lastDay!));
  if (outside.length) {
    const extended = outside.some((e) => ends.byEmployer.has(e));
    throw new AppError(
      "ballots.invalid",
      `The mandate does not reach that far: ${m.rule} Last day ${ends.lastDay}${extended ? " (or the extension agreed with the employer)" : ""}; ${outside.length} employer(s) would be given notice of action outside it.`,
      { lastDay: ends.lastDay, employers: outside },
    );
  }
}

// ---------------------------------------------------------------------------
// The notices of a mandate, and suspension and resumption by agreement

export async function listActionNotices(ctx: Ctx, id: number): Promise<ActionNoticeRecordDto[]> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  const notices = await selectActionNotices(ctx.db, id);
  if (!notices.length) return [];
  const suspensions = await selectSuspensions(ctx.db, id);
  // Employer figures only for employers the reader reaches; observers see totals only.
  const reached =
    grant.view === "aggregate"
      ? new Set<number>()
      : reachesAll(reach)
        ? null
        : new Set((await employersInReach(ctx.db, id, reach)).map((e) => e.id));
  const allIds = [
    ...new Set(notices.flatMap((n) => (n.figures as EmployerDifference[]).map((d) => d.employerId))),
  ];
  const names = await employerNames(ctx, allIds);
  const today = ukDate(ctx.clock.now());
  return notices.map((n) => {
    const all = n.figures as EmployerDifference[];
    const shown = reached === null ? all : all.filter((d) => reached.has(d.employerId));
    const dates = n.dates as string[];
    const firstDay = n.continuous ? n.start_date! : (dates[0] ?? n.given_on);
    const figures = figuresDto(
      n.given_on,
      firstDay,
      row.electorate_as_at,
      grant.view === "aggregate" ? all : shown,
      names,
      n.employer_ids ? new Set(n.employer_ids) : null,
    );
    if (grant.view === "aggregate") figures.employers = [];
    const own = suspensions.filter((s) => s.action_notice_id === n.id);
    const last = own[own.length - 1];
    const status =
      !last || last.suspended_from > today
        ? "active"
        : last.resumed_on !== null && last.resumed_on <= today
          ? "resumed"
          : "suspended";
    return {
      id: n.id,
      givenOn: n.given_on,
      continuous: n.continuous,
      startDate: n.start_date,
      dates,
      kinds: n.kinds,
      shorterNoticeAgreed: n.shorter_notice_agreed,
      status,
      figures,
      documentIds: grant.view === "aggregate" ? [] : n.document_ids,
      suspensions: own.map((s) => ({
        id: s.id,
        agreedOn: s.agreed_on,
        suspendedFrom: s.suspended_from,
        resumeFrom: s.resume_from,
        evidence: grant.view === "aggregate" ? "" : s.evidence,
        resumedOn: s.resumed_on,
        resumptionEvidence: grant.view === "aggregate" ? "" : s.resumption_evidence,
      })),
      legalReview: own.length ? [SUSPENSION_REVIEW] : [],
    };
  });
}

async function loadNotice(ctx: Ctx, ballotId: number, noticeId: number) {
  const notice = await selectActionNotice(ctx.db, ballotId, noticeId);
  if (!notice) {
    throw new AppError("ballots.record_not_found", `No notice of action ${noticeId} on this ballot.`, {
      id: noticeId,
    });
  }
  return notice;
}

/**
 * Records that action under a notice is suspended by agreement with the
 * employer, made before the action stops, with the date from which it may
 * resume (s.234A(7B)); resumed on or after that date, no new notice is needed.
 */
export async function suspendAction(
  ctx: Ctx,
  ballotId: number,
  noticeId: number,
  input: SuspensionInput,
): Promise<ActionNoticeRecordDto[]> {
  authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  const notice = await loadNotice(ctx, ballotId, noticeId);
  const fail = (m: string): never => {
    throw new AppError("ballots.invalid", m);
  };
  if (input.agreedOn > ukDate(ctx.clock.now())) fail("An agreement cannot be recorded before it is made.");
  if (input.agreedOn > input.suspendedFrom)
    fail("The agreement to suspend must be made before the action stops (s.234A(7B)).");
  if (input.suspendedFrom < notice.given_on) fail("Action cannot be suspended before its notice was given.");
  if (input.resumeFrom < input.suspendedFrom)
    fail("The resumption date cannot be before the suspension date.");
  const open = await openSuspension(ctx.db, noticeId);
  if (open) fail("The action under this notice is already suspended; record its resumption first.");
  await withTx(ctx.db, async (tx) => {
    const s = await insertSuspension(tx, {
      action_notice_id: noticeId,
      ballot_id: ballotId,
      agreed_on: input.agreedOn,
      suspended_from: input.suspendedFrom,
      resume_from: input.resumeFrom,
      evidence: input.evidence,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.action_suspended", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: {
        notice: noticeId,
        suspension: s.id,
        suspendedFrom: input.suspendedFrom,
        resumeFrom: input.resumeFrom,
      },
    });
  });
  return listActionNotices(ctx, ballotId);
}

export async function resumeAction(
  ctx: Ctx,
  ballotId: number,
  suspensionId: number,
  input: ResumptionInput,
): Promise<ActionNoticeRecordDto[]> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, ballotId);
  const s = await selectSuspension(ctx.db, ballotId, suspensionId);
  if (!s) {
    throw new AppError("ballots.record_not_found", `No suspension ${suspensionId} on this ballot.`, {
      id: suspensionId,
    });
  }
  const fail = (m: string, details: Record<string, unknown> = {}): never => {
    throw new AppError("ballots.invalid", m, details);
  };
  if (s.resumed_on) fail("This suspension's resumption is already recorded.");
  if (input.resumedOn < s.resume_from) {
    fail(
      `The agreement allows resumption from ${s.resume_from}; resuming earlier needs a new notice (s.234A(7B)).`,
      { resumeFrom: s.resume_from },
    );
  }
  if (input.resumedOn > s.resume_from && !input.evidence.trim()) {
    fail(
      "Resuming later than the agreed date needs the evidence of the employer's agreement to the later date.",
    );
  }
  const { evaluation } = await declaredResult(ctx.db, ballotId);
  const notice = await loadNotice(ctx, ballotId, s.action_notice_id);
  // Regime A limits when action may begin, not when suspended action resumes: only an expiring mandate is checked.
  if (evaluation.mandatePeriod.period.kind === "expires")
    checkMandate(
      evaluation,
      await mandateEndsByEmployer(ctx.db, row, evaluation),
      notice.employer_ids ?? [],
      [input.resumedOn],
    );
  await withTx(ctx.db, async (tx) => {
    await recordResumption(tx, suspensionId, {
      resumedOn: input.resumedOn,
      evidence: input.evidence,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.action_resumed", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { notice: s.action_notice_id, suspension: suspensionId, resumedOn: input.resumedOn },
    });
  });
  return listActionNotices(ctx, ballotId);
}
