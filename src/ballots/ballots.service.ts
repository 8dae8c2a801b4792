/**
 * Disputes and ballots: set-up, the frozen electorate, pre-flight checks,
 * timetable, proof of receipt and results. Documents are in
 * documents.service.ts. Every use case authorises first, checks the ballot's
 * state, and writes its audit row in the same transaction as the change.
 */
import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { cachedByVersion } from "../counts/index.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  ACTION_NOTICE_PERIOD,
  addDays,
  BALLOT_NOTICE_DAYS,
  ballotTimetable,
  DISMISSAL_STATEMENT,
  dayNote,
  evaluateBallot,
  IMPORTANT_PUBLIC_SERVICES,
  IPS_CATEGORIES,
  type IsoDate,
  type Jurisdiction,
  MANDATE_PERIOD,
  mandateDates,
  type Nation,
  REGIMES,
  RESULT_CONTENTS,
  receiptWarnings,
  regimeAt,
  ruleAt,
  SCRUTINEER,
  TURNOUT,
  type VotingMethod,
  votingMethodAt,
  WALES_DISAPPLICATION,
} from "../law/index.js";
import { loadCommencements, type RecordedCommencements } from "../settings/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { changedFields } from "../shared/fields.js";
import type { Page } from "../shared/paging.js";
import { formatProblem } from "../shared/problems.js";
import {
  type BallotReach,
  ballotInReach,
  ballotReach,
  electorateRowInReach,
  employerInReach,
  reachesAll,
} from "./ballot-scope.js";
import type {
  BallotDto,
  BallotState,
  CreateBallotInput,
  CreateDisputeInput,
  DisputeDto,
  ElectorateSummaryDto,
  PreflightDto,
  ResultDto,
  ResultInput,
  UpdateBallotInput,
} from "./ballots.model.js";
import { REASONS, type Reason } from "./electorate.js";
import { actionsIn, allowedStates, type BallotAction, canDo } from "./lifecycle.js";
import { acceptedPartners } from "./partner-agreements.service.js";
import {
  isBlocking,
  type PreflightCheck,
  runPreflight,
  type SnapshotMember,
  type WorkplaceFacts,
} from "./preflight.js";
import { parseScrutineerResult } from "./scrutineer-result.js";

const C_START = REGIMES.find((r) => r.id === "C")!.from;

// ---------------------------------------------------------------------------
// Disputes

async function disputeDtos(db: Db, reach: BallotReach, ids: number[] | null): Promise<DisputeDto[]> {
  const unionId = reach.grant.unionId;
  let q = db.selectFrom("disputes").selectAll().where("union_id", "=", unionId).orderBy("id", "desc");
  if (ids) q = q.where("id", "in", ids.length ? ids : [0]);
  // A reader who does not reach the whole union sees the disputes with a ballot they reach.
  if (!reachesAll(reach) || reach.appointedUserId !== null) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("ballots")
          .select("ballots.id")
          .whereRef("ballots.dispute_id", "=", "disputes.id")
          .where(ballotInReach(reach, "ballots.id")),
      ),
    );
  }
  const disputes = await q.execute();
  if (!disputes.length) return [];
  const disputeIds = disputes.map((d) => d.id);
  const employers = await db
    .selectFrom("dispute_employers as de")
    .innerJoin("employers as e", "e.id", "de.employer_id")
    .select(["de.dispute_id", "e.id", "e.name"])
    .where("de.dispute_id", "in", disputeIds)
    .orderBy("e.name")
    .execute();
  const ballots = await db
    .selectFrom("ballots")
    .select(["id", "dispute_id", "name", "state", "opening_date", "closing_date", "electorate_entitled"])
    .where("dispute_id", "in", disputeIds)
    .where(ballotInReach(reach, "ballots.id"))
    .orderBy("id")
    .execute();
  return disputes.map((d) => ({
    id: d.id,
    title: d.title,
    mattersInIssue: d.matters_in_issue,
    coalition: d.coalition,
    employers: employers.filter((e) => e.dispute_id === d.id).map((e) => ({ id: e.id, name: e.name })),
    ballots: ballots
      .filter((b) => b.dispute_id === d.id)
      .map((b) => ({
        id: b.id,
        name: b.name,
        state: b.state as BallotState,
        openingDate: b.opening_date,
        closingDate: b.closing_date,
        entitled: b.electorate_entitled,
      })),
    createdAt: d.created_at.toISOString(),
  }));
}

export async function listDisputes(ctx: Ctx): Promise<DisputeDto[]> {
  const grant = authorize(ctx.actor, "ballots.read");
  return disputeDtos(ctx.db, ballotReach(ctx.actor, grant), null);
}

export async function getDispute(ctx: Ctx, id: number): Promise<DisputeDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const [dto] = await disputeDtos(ctx.db, ballotReach(ctx.actor, grant), [id]);
  if (!dto) throw new AppError("disputes.not_found", `No dispute ${id}.`, { id });
  return dto;
}

export async function createDispute(ctx: Ctx, input: CreateDisputeInput): Promise<DisputeDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const employerIds = [...new Set(input.employerIds)];
  const found = await ctx.db
    .selectFrom("employers")
    .select("id")
    .where("union_id", "=", grant.unionId)
    .where("id", "in", employerIds)
    .execute();
  if (found.length !== employerIds.length) {
    const known = new Set(found.map((e) => e.id));
    throw new AppError("employers.not_found", "Some employers of the dispute do not exist in your union.", {
      missing: employerIds.filter((id) => !known.has(id)),
    });
  }
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const row = await tx
      .insertInto("disputes")
      .values({
        union_id: grant.unionId,
        title: input.title,
        matters_in_issue: input.mattersInIssue,
        coalition: input.coalition,
        created_by: ctx.actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("dispute_employers")
      .values(employerIds.map((employer_id) => ({ dispute_id: row.id, employer_id })))
      .execute();
    await recordAudit({ ...ctx, db: tx }, "dispute.created", {
      subjectType: "dispute",
      subjectId: row.id,
      details: { employers: employerIds.length },
    });
    return row.id;
  });
  return getDispute(ctx, id);
}

// ---------------------------------------------------------------------------
// Ballots

type BallotRow = Awaited<ReturnType<typeof loadBallotRow>>;

/** Northern Ireland when the ballot's employers are there (set-up refuses a mix: decision 0013). */
async function ballotJurisdiction(db: Db, ballotId: number): Promise<Jurisdiction> {
  const ni = await db
    .selectFrom("ballot_scope as s")
    .innerJoin("employers as e", "e.id", "s.employer_id")
    .select("e.id")
    .where("s.ballot_id", "=", ballotId)
    .where("e.nation", "=", "northern_ireland")
    .executeTakeFirst();
  return ni ? "ni" : "gb";
}

async function loadBallotRow(db: Db, unionId: number, id: number) {
  const row = await db
    .selectFrom("ballots as b")
    .innerJoin("disputes as d", "d.id", "b.dispute_id")
    .selectAll("b")
    .select(["d.title as dispute_title", "d.matters_in_issue"])
    .where("b.union_id", "=", unionId)
    .where("b.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new AppError("ballots.not_found", `No ballot ${id}.`, { id });
  return row;
}

/**
 * The ballot, when the reader reaches it (ballot-scope.ts); a ballot outside
 * their reach answers exactly as one that does not exist.
 */
async function loadVisibleBallot(
  ctx: Ctx,
  grant: Grant,
  id: number,
): Promise<{ row: BallotRow; reach: BallotReach }> {
  const reach = ballotReach(ctx.actor, grant);
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  if (!reachesAll(reach) || reach.appointedUserId !== null) {
    const seen = await ctx.db
      .selectFrom("ballots")
      .select("ballots.id")
      .where("ballots.id", "=", id)
      .where(ballotInReach(reach, "ballots.id"))
      .executeTakeFirst();
    if (!seen) throw new AppError("ballots.not_found", `No ballot ${id}.`, { id });
  }
  return { row, reach };
}

/** Refuses, with the lifecycle table's code and reason, an action the ballot's state does not allow. */
export function refuseUnless(state: string, action: BallotAction): void {
  const answer = canDo(state as BallotState, action);
  if (!answer.allowed) {
    throw new AppError("ballots.wrong_state", answer.reason, {
      state,
      action,
      allowed: allowedStates(action),
    });
  }
}

/** Why voting papers cannot be issued under the regime's statement, or null. */
export function statementBlock(openingDate: IsoDate, reviewed: string | null): string | null {
  const rule = ruleAt(DISMISSAL_STATEMENT, openingDate)!;
  if (rule.value !== null || reviewed) return null;
  return rule.unconfirmed;
}

/** Everything the ballot relies on that still needs legal review, said once, in one place. */
function ballotLegalReview(
  row: BallotRow,
  ipsCategories: readonly (string | null)[],
  law: RecordedCommencements = { overrides: {}, sources: {} },
): { rule: string; reason: string }[] {
  const out: { rule: string; reason: string }[] = [];
  const add = (rule: string, reason: string | null) => {
    if (reason) out.push({ rule, reason });
  };
  const opening = row.opening_date;
  add(TURNOUT.id, ruleAt(TURNOUT, opening)!.unconfirmed);
  // The 40% rule leans on the regulations for each kind of important public service; some are unconfirmed.
  if (row.ips_belief && ruleAt(IMPORTANT_PUBLIC_SERVICES, opening)!.value !== null) {
    for (const category of new Set(ipsCategories)) {
      const regs = category ? IPS_CATEGORIES[category as keyof typeof IPS_CATEGORIES] : undefined;
      if (regs?.unconfirmed) add(IMPORTANT_PUBLIC_SERVICES.id, `${regs.citation}: ${regs.unconfirmed}`);
    }
  }
  add(BALLOT_NOTICE_DAYS.id, ruleAt(BALLOT_NOTICE_DAYS, opening)!.unconfirmed);
  add(SCRUTINEER.id, ruleAt(SCRUTINEER, opening)!.unconfirmed);
  add(RESULT_CONTENTS.id, ruleAt(RESULT_CONTENTS, opening)!.unconfirmed);
  const statement = ruleAt(DISMISSAL_STATEMENT, opening)!;
  if (statement.unconfirmed) {
    add(
      DISMISSAL_STATEMENT.id,
      row.dismissal_statement_reviewed
        ? "Wording recorded by the union after legal review; the statutory text is not confirmed in Mandate's law data."
        : statement.unconfirmed,
    );
  }
  add(
    ACTION_NOTICE_PERIOD.id,
    ruleAt(ACTION_NOTICE_PERIOD, row.planned_action_from ?? row.closing_date)!.unconfirmed,
  );
  if (row.wales_devolved && row.ips_belief)
    add(WALES_DISAPPLICATION.id, ruleAt(WALES_DISAPPLICATION, opening)?.unconfirmed ?? null);
  if (row.voting_method !== "postal") {
    const method = votingMethodAt(row.voting_method as VotingMethod, opening, law.overrides, law.sources);
    add("voting_method", method.unconfirmed);
    // Decision 0013: a commencement date the union recorded is shown, with its source, wherever it is relied on.
    if (method.recordedSource) add("voting_method", `${method.reason} Source: ${method.recordedSource}.`);
  }
  const m = mandateDates(opening, row.closing_date);
  add(MANDATE_PERIOD.id, m.unconfirmed);
  if (opening < C_START) {
    const end = m.lastDayByAgreement ?? m.lastDay;
    if (row.closing_date >= C_START || (end !== null && end >= C_START)) {
      add(
        "mandate_period",
        "The ballot opened before 18 February 2026 and runs or keeps its mandate past that date: the transitional rule is not confirmed.",
      );
    }
  }
  return out;
}

async function ballotDto(db: Db, row: BallotRow): Promise<BallotDto> {
  const scope = await db
    .selectFrom("ballot_scope as s")
    .innerJoin("employers as e", "e.id", "s.employer_id")
    .leftJoin("workplaces as w", "w.id", "s.workplace_id")
    .select([
      "s.employer_id",
      "e.name as employer_name",
      "e.important_public_service",
      "s.workplace_id",
      "w.name as workplace_name",
    ])
    .where("s.ballot_id", "=", row.id)
    .orderBy("e.name")
    .orderBy("w.name")
    .execute();
  const timetable = ballotTimetable({
    jurisdiction: await ballotJurisdiction(db, row.id),
    openingDate: row.opening_date,
    closingDate: row.closing_date,
  });
  return {
    id: row.id,
    disputeId: row.dispute_id,
    disputeTitle: row.dispute_title,
    name: row.name,
    kind: row.kind as BallotDto["kind"],
    aggregationTest: row.aggregation_test as BallotDto["aggregationTest"],
    aggregationReason: row.aggregation_reason,
    questions: row.questions as BallotDto["questions"],
    actionShortTypes: row.action_short_types,
    expectedPeriods: row.expected_periods,
    votingMethod: row.voting_method as VotingMethod,
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    plannedActionFrom: row.planned_action_from,
    jobCategories: row.job_categories,
    includeArrears: row.include_arrears,
    partnerUnionIds: row.partner_union_ids,
    scrutineerName: row.scrutineer_name,
    scrutineerAddress: row.scrutineer_address,
    returnAddress: row.return_address,
    authorisedPerson: row.authorised_person,
    ipsBelief: row.ips_belief,
    ipsEvidence: row.ips_evidence,
    walesDevolved: row.wales_devolved,
    checkOffRoute: row.check_off_route,
    reballot: row.reballot,
    dismissalStatementReviewed: row.dismissal_statement_reviewed,
    state: row.state as BallotState,
    actions: actionsIn(row.state as BallotState).map((a) =>
      a.allowed
        ? { action: a.action, allowed: true }
        : { action: a.action, allowed: false, reason: a.reason },
    ),
    regime: regimeAt(row.opening_date).id,
    scope: scope.map((s) => ({
      employerId: s.employer_id,
      employerName: s.employer_name,
      workplaceId: s.workplace_id,
      workplaceName: s.workplace_name,
    })),
    electorate:
      row.electorate_hash && row.electorate_as_at && row.frozen_at
        ? {
            hash: row.electorate_hash,
            entitled: row.electorate_entitled ?? 0,
            asAt: row.electorate_as_at,
            frozenAt: row.frozen_at.toISOString(),
          }
        : null,
    legalReview: ballotLegalReview(
      row,
      scope.map((s) => s.important_public_service),
      await loadCommencements(db, row.union_id),
    ),
    timetable: { deadlines: timetable.deadlines, warnings: timetable.warnings },
  };
}

export async function getBallot(ctx: Ctx, id: number): Promise<BallotDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  return ballotDto(ctx.db, (await loadVisibleBallot(ctx, grant, id)).row);
}

type BallotValues = Required<CreateBallotInput>;

/** The set-up rules the statute and the s.228A tests impose, checked before anything is stored. */
async function checkBallotSetup(db: Db, unionId: number, disputeId: number, b: BallotValues): Promise<void> {
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new AppError("ballots.invalid", message, details);
  };
  if (b.closingDate < b.openingDate) fail("The ballot closes before it opens.");
  if (b.kind === "workplace") {
    const workplaces = new Set(b.scope.map((s) => s.workplaceId));
    if (workplaces.size !== 1 || workplaces.has(null)) {
      fail(
        "A workplace ballot (s.228) covers exactly one workplace: give one scope entry with its workplace.",
      );
    }
  } else if (!b.aggregationTest) {
    fail(
      "An aggregated ballot must record the s.228A test it relies on (common dispute, occupation or employer).",
    );
  }
  if (b.aggregationTest === "occupation" && !b.jobCategories?.length) {
    fail(
      "The occupation test (s.228A(3)) limits the ballot to members of given occupations: list the job categories.",
    );
  }
  if (
    b.questions.includes("action_short_of_strike") &&
    regimeAt(b.openingDate).id === "B" &&
    !b.actionShortTypes.length
  ) {
    fail(
      "Under the 2016 rules the voting paper must list the types of action short of a strike (s.229(2C)).",
    );
  }
  // Decision 0013: one ballot, one jurisdiction. Employers in Northern Ireland are balloted under the
  // Trade Union and Labour Relations (NI) Order 1995, the rest under TULRCA 1992: never both in one ballot.
  const nations = await db
    .selectFrom("employers")
    .select(["id", "nation"])
    .where("union_id", "=", unionId)
    .where("id", "in", b.scope.length ? b.scope.map((s) => s.employerId) : [0])
    .execute();
  const ni = nations.filter((e) => e.nation === "northern_ireland");
  if (ni.length && ni.length < nations.length) {
    fail(
      "One ballot, one jurisdiction: employers in Northern Ireland are balloted under the Trade Union and Labour Relations (NI) Order 1995 and the others under TULRCA 1992. Hold separate ballots.",
      { northernIrelandEmployerIds: ni.map((e) => e.id) },
    );
  }
  const jurisdiction: Jurisdiction = ni.length ? "ni" : "gb";
  const law = await loadCommencements(db, unionId);
  const method = votingMethodAt(b.votingMethod, b.openingDate, law.overrides, law.sources, jurisdiction);
  if (!method.inForce) {
    throw new AppError("law.method_not_in_force", method.reason, {
      method: b.votingMethod,
      citation: method.citation,
    });
  }
  const inDispute = await db
    .selectFrom("dispute_employers")
    .select("employer_id")
    .where("dispute_id", "=", disputeId)
    .execute();
  const disputeEmployers = new Set(inDispute.map((e) => e.employer_id));
  const outside = b.scope.filter((s) => !disputeEmployers.has(s.employerId)).map((s) => s.employerId);
  if (outside.length)
    fail("The ballot covers employers that are not in the dispute.", { employerIds: outside });
  const workplaceIds = b.scope.flatMap((s) => (s.workplaceId ? [s.workplaceId] : []));
  if (workplaceIds.length) {
    const rows = await db
      .selectFrom("workplaces")
      .select(["id", "employer_id"])
      .where("union_id", "=", unionId)
      .where("id", "in", workplaceIds)
      .execute();
    const owner = new Map(rows.map((w) => [w.id, w.employer_id]));
    const wrong = b.scope.filter((s) => s.workplaceId && owner.get(s.workplaceId) !== s.employerId);
    if (wrong.length)
      fail("A workplace in the ballot does not belong to the employer given with it.", { wrong });
  }
  if (b.partnerUnionIds.length) {
    const unions = await db.selectFrom("unions").select("id").where("id", "in", b.partnerUnionIds).execute();
    if (unions.length !== new Set(b.partnerUnionIds).size) fail("A partner union does not exist.");
  }
}

function ballotColumns(b: BallotValues) {
  return {
    name: b.name,
    kind: b.kind,
    aggregation_test: b.kind === "workplace" ? null : b.aggregationTest,
    aggregation_reason: b.aggregationReason,
    questions: b.questions,
    action_short_types: b.actionShortTypes,
    expected_periods: b.expectedPeriods,
    voting_method: b.votingMethod,
    opening_date: b.openingDate,
    closing_date: b.closingDate,
    planned_action_from: b.plannedActionFrom,
    job_categories: b.jobCategories,
    include_arrears: b.includeArrears,
    partner_union_ids: b.partnerUnionIds,
    scrutineer_name: b.scrutineerName,
    scrutineer_address: b.scrutineerAddress,
    return_address: b.returnAddress,
    authorised_person: b.authorisedPerson,
    ips_belief: b.ipsBelief,
    ips_evidence: b.ipsEvidence,
    wales_devolved: b.walesDevolved,
    check_off_route: b.checkOffRoute,
    reballot: b.reballot,
  };
}

async function writeScope(tx: Db, ballotId: number, scope: BallotValues["scope"]): Promise<void> {
  await tx.deleteFrom("ballot_scope").where("ballot_id", "=", ballotId).execute();
  const unique = new Map(scope.map((s) => [`${s.employerId}:${s.workplaceId ?? ""}`, s]));
  await tx
    .insertInto("ballot_scope")
    .values(
      [...unique.values()].map((s) => ({
        ballot_id: ballotId,
        employer_id: s.employerId,
        workplace_id: s.workplaceId,
      })),
    )
    .execute();
}

export async function createBallot(
  ctx: Ctx,
  disputeId: number,
  input: CreateBallotInput,
): Promise<BallotDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await getDispute(ctx, disputeId);
  const b = input as BallotValues;
  await checkBallotSetup(ctx.db, grant.unionId, disputeId, b);
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const row = await tx
      .insertInto("ballots")
      .values({
        union_id: grant.unionId,
        dispute_id: disputeId,
        ...ballotColumns(b),
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeScope(tx, row.id, b.scope);
    await recordAudit({ ...ctx, db: tx }, "ballot.created", {
      subjectType: "ballot",
      subjectId: row.id,
      details: { dispute: disputeId, kind: b.kind, scope: b.scope.length },
    });
    return row.id;
  });
  return getBallot(ctx, id);
}

/** Changing a frozen ballot's set-up thaws it: the snapshot no longer matches what it describes. */
export async function updateBallot(ctx: Ctx, id: number, input: UpdateBallotInput): Promise<BallotDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  refuseUnless(row.state, "edit_setup");
  const current = await ballotDto(ctx.db, row);
  const before: BallotValues = {
    ...current,
    scope: current.scope.map((s) => ({ employerId: s.employerId, workplaceId: s.workplaceId })),
  };
  const merged: BallotValues = { ...before, ...(input as Partial<BallotValues>) };
  await checkBallotSetup(ctx.db, grant.unionId, row.dispute_id, merged);
  const fields = changedFields(
    before as unknown as Record<string, unknown>,
    input as Record<string, unknown>,
  );
  if (!fields.length) return current;
  await withTx(ctx.db, async (tx) => {
    await tx
      .updateTable("ballots")
      .set({ ...ballotColumns(merged), state: "draft", updated_at: ctx.clock.now() })
      .where("id", "=", id)
      .execute();
    if (input.scope) await writeScope(tx, id, merged.scope);
    await recordAudit({ ...ctx, db: tx }, "ballot.updated", {
      subjectType: "ballot",
      subjectId: id,
      details: { fields, thawed: row.state === "frozen" },
    });
  });
  return getBallot(ctx, id);
}

export async function reviewStatement(ctx: Ctx, id: number, text: string): Promise<BallotDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  refuseUnless(row.state, "record_statement");
  await withTx(ctx.db, async (tx) => {
    await tx
      .updateTable("ballots")
      .set({
        dismissal_statement_reviewed: text,
        dismissal_statement_reviewed_by: ctx.actor.userId,
        updated_at: ctx.clock.now(),
      })
      .where("id", "=", id)
      .execute();
    await recordAudit({ ...ctx, db: tx }, "ballot.statement_reviewed", {
      subjectType: "ballot",
      subjectId: id,
    });
  });
  return getBallot(ctx, id);
}

// ---------------------------------------------------------------------------
// Electorate (the freeze itself is in freeze.service.ts)

export async function electorateSummary(ctx: Ctx, id: number): Promise<ElectorateSummaryDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  if (!row.electorate_hash || !row.electorate_as_at) {
    throw new AppError("ballots.wrong_state", "The electorate has not been frozen yet.", {
      state: row.state,
    });
  }
  const reasons = await ctx.db
    .selectFrom("ballot_electorate")
    .select(["reason", "included", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", id)
    .groupBy(["reason", "included"])
    .execute();
  const byEmployer =
    grant.view === "aggregate"
      ? []
      : await ctx.db
          .selectFrom("ballot_electorate as be")
          .innerJoin("employers as e", "e.id", "be.employer_id")
          .select(["be.employer_id", "e.name", (eb) => eb.fn.countAll<number>().as("n")])
          .where("be.ballot_id", "=", id)
          .where("be.included", "=", true)
          // Per-employer counts only for the workplaces and employers the reader reaches.
          .where(electorateRowInReach(reach, "be"))
          .groupBy(["be.employer_id", "e.name"])
          .orderBy("e.name")
          .execute();
  const scope = await ctx.db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", id)
    .execute();
  const added = await ctx.db
    .selectFrom("members as m")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("m.union_id", "in", [grant.unionId, ...(await acceptedPartners(ctx.db, row))])
    .where("m.employer_id", "in", scope.length ? scope.map((s) => s.employer_id) : [0])
    .where("m.status", "=", "active")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("ballot_electorate as be")
            .select("be.member_id")
            .where("be.ballot_id", "=", id)
            .whereRef("be.member_id", "=", "m.id"),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  const total = (included: boolean) =>
    reasons.filter((r) => r.included === included).reduce((s, r) => s + Number(r.n), 0);
  return {
    hash: row.electorate_hash,
    asAt: row.electorate_as_at,
    entitled: total(true),
    excluded: total(false),
    byReason: reasons
      .map((r) => ({
        reason: REASONS[r.reason as Reason]?.label ?? r.reason,
        included: r.included,
        count: Number(r.n),
      }))
      .sort((a, b) => b.count - a.count),
    byEmployer: byEmployer.map((e) => ({
      employerId: e.employer_id,
      employerName: e.name,
      entitled: Number(e.n),
    })),
    addedSince: Number(added.n),
  };
}

export async function listElectorate(
  ctx: Ctx,
  id: number,
  query: { included?: "true" | "false"; employerId?: number; page: number; pageSize: number },
): Promise<
  Page<{
    memberId: number;
    membershipNumber: string;
    name: string;
    included: boolean;
    reason: string;
    employerId: number;
    workplaceId: number | null;
    jobCategory: string | null;
    paperNumber: number | null;
  }>
> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  // A thawed (draft) ballot's rows are no electorate: names are listed only from a frozen snapshot.
  refuseUnless(row.state, "list_electorate");
  let q = ctx.db.selectFrom("ballot_electorate").where("ballot_id", "=", id);
  if (query.included) q = q.where("included", "=", query.included === "true");
  if (query.employerId) q = q.where("employer_id", "=", query.employerId);
  const [rows, count] = await Promise.all([
    q
      .select([
        "member_id",
        "membership_number",
        "name",
        "included",
        "reason",
        "employer_id",
        "workplace_id",
        "job_category",
        "paper_number",
      ])
      .orderBy("included", "desc")
      .orderBy("paper_number")
      .orderBy("membership_number")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      memberId: r.member_id,
      membershipNumber: r.membership_number,
      name: r.name,
      included: r.included,
      reason: REASONS[r.reason as Reason]?.label ?? r.reason,
      employerId: r.employer_id,
      workplaceId: r.workplace_id,
      jobCategory: r.job_category,
      paperNumber: r.paper_number,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: Number(count.n),
  };
}

/**
 * The entitled members of the frozen snapshot, with what the checks and the
 * figures need: never names or addresses, which only the voter file reads.
 */
export async function loadEntitled(db: Db, ballotId: number): Promise<SnapshotMember[]> {
  const rows = await db
    .selectFrom("ballot_electorate")
    .select([
      "member_id",
      "membership_number",
      "employer_id",
      "workplace_id",
      "job_category",
      "left_on",
      "check_off",
      sql<boolean>`cardinality(address_lines) > 0 and postcode is not null`.as("has_address"),
    ])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", true)
    .orderBy("member_id")
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id,
    membershipNumber: r.membership_number,
    employerId: r.employer_id,
    workplaceId: r.workplace_id,
    jobCategory: r.job_category,
    leftOn: r.left_on,
    checkOff: r.check_off,
    hasAddress: r.has_address,
  }));
}

/** How many of the snapshot were left out, by reason. */
export async function excludedByReason(
  db: Db,
  ballotId: number,
): Promise<{ reason: Reason; count: number }[]> {
  const rows = await db
    .selectFrom("ballot_electorate")
    .select(["reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", false)
    .groupBy("reason")
    .orderBy("reason")
    .execute();
  return rows.map((r) => ({ reason: r.reason as Reason, count: Number(r.n) }));
}

// ---------------------------------------------------------------------------
// Pre-flight

/** The planned first day of action, or the earliest the law allows after a result on the closing day. */
export function firstActionDate(row: {
  planned_action_from: IsoDate | null;
  closing_date: IsoDate;
}): IsoDate {
  if (row.planned_action_from) return row.planned_action_from;
  return addDays(row.closing_date, ruleAt(ACTION_NOTICE_PERIOD, row.closing_date)!.value.days);
}

export async function runBallotPreflight(
  ctx: Ctx,
  id: number,
): Promise<{ row: BallotRow; checks: PreflightCheck[]; entitled: SnapshotMember[] | null }> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  const frozen = row.electorate_hash !== null;
  const entitled = frozen ? await loadEntitled(ctx.db, id) : null;
  const included = entitled ?? [];
  const workplaceIds = [...new Set(included.flatMap((e) => (e.workplaceId ? [e.workplaceId] : [])))];
  const workplaces = new Map<number, WorkplaceFacts>();
  for (let i = 0; i < workplaceIds.length; i += 10_000) {
    const rows = await ctx.db
      .selectFrom("workplaces")
      .select(["id", "employer_id", "name", "closed_on", "headcount"])
      .where("id", "in", workplaceIds.slice(i, i + 10_000))
      .execute();
    for (const w of rows) {
      workplaces.set(w.id, {
        id: w.id,
        employerId: w.employer_id,
        name: w.name,
        closedOn: w.closed_on,
        headcount: w.headcount,
      });
    }
  }
  const duplicates = frozen
    ? await ctx.db
        .selectFrom("ballot_electorate as be")
        .innerJoin("members as m", "m.id", "be.member_id")
        .innerJoin("duplicate_groups as g", "g.id", "m.duplicate_group_id")
        .select("be.member_id")
        .where("be.ballot_id", "=", id)
        .where("be.included", "=", true)
        .where("g.status", "=", "review")
        .execute()
    : [];
  // The register as it stands now against the snapshot: a move into or out of the balloted
  // grades or workplaces after freezing makes the notice figures stale.
  const changes = frozen
    ? await ctx.db
        .selectFrom("ballot_electorate as be")
        .innerJoin("members as m", "m.id", "be.member_id")
        .select([
          "be.member_id",
          "m.employer_id",
          "m.workplace_id",
          "m.job_category",
          "be.employer_id as was_employer",
          "be.workplace_id as was_workplace",
          "be.job_category as was_category",
        ])
        .where("be.ballot_id", "=", id)
        .where("be.included", "=", true)
        .where((eb) =>
          eb.or([
            eb("m.employer_id", "is distinct from", eb.ref("be.employer_id")),
            eb("m.workplace_id", "is distinct from", eb.ref("be.workplace_id")),
            eb("m.job_category", "is distinct from", eb.ref("be.job_category")),
          ]),
        )
        .execute()
    : [];
  const changedSince = new Map<number, string>();
  for (const c of changes) {
    const what: string[] = [];
    if (c.employer_id !== c.was_employer) what.push("employer");
    if (c.workplace_id !== c.was_workplace) what.push("workplace");
    if ((c.job_category ?? "") !== (c.was_category ?? ""))
      what.push(`category (now "${c.job_category ?? ""}")`);
    changedSince.set(
      c.member_id,
      `Changed after the snapshot: ${what.join(", ") || "record"}; freeze again.`,
    );
  }
  const law = await loadCommencements(ctx.db, row.union_id);
  const method = votingMethodAt(
    row.voting_method as VotingMethod,
    row.opening_date,
    law.overrides,
    law.sources,
  );
  const scrutineer = ruleAt(SCRUTINEER, row.opening_date)!;
  const checks = runPreflight({
    ballot: {
      openingDate: row.opening_date,
      closingDate: row.closing_date,
      firstActionDate: firstActionDate(row),
      checkOffRoute: row.check_off_route,
      scrutineerRequired: (row.electorate_entitled ?? 0) > scrutineer.value.requiredAbove,
      scrutineerName: row.scrutineer_name,
      returnAddress: row.return_address,
      authorisedPerson: row.authorised_person,
      votingMethodInForce: method,
      statementBlocked: statementBlock(row.opening_date, row.dismissal_statement_reviewed),
    },
    entitled,
    workplaces,
    duplicatesPending: new Set(duplicates.map((d) => d.member_id)),
    changedSince,
    scopeEmployers: await ctx.db
      .selectFrom("ballot_scope as s")
      .innerJoin("employers as e", "e.id", "s.employer_id")
      .select(["e.id", "e.name"])
      .distinct()
      .where("s.ballot_id", "=", id)
      .orderBy("e.name")
      .execute(),
  });
  return { row, checks, entitled };
}

export async function preflight(ctx: Ctx, id: number): Promise<PreflightDto> {
  const { row, checks } = await runBallotPreflight(ctx, id);
  return { ballotId: id, electorateHash: row.electorate_hash, blocking: isBlocking(checks), checks };
}

// ---------------------------------------------------------------------------
// Timetable and receipts

export async function ballotTimetableFor(ctx: Ctx, id: number) {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  const result = await ctx.db
    .selectFrom("ballot_results")
    .select("declared_on")
    .where("ballot_id", "=", id)
    .executeTakeFirst();
  const action = await ctx.db
    .selectFrom("action_notices")
    .select(["given_on", "shorter_notice_agreed", "continuous", "start_date", "dates"])
    .where("ballot_id", "=", id)
    .orderBy("id", "desc")
    .executeTakeFirst();
  const t = ballotTimetable({
    jurisdiction: await ballotJurisdiction(ctx.db, row.id),
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    resultDate: result?.declared_on ?? null,
    actionNoticeGivenOn: action?.given_on ?? null,
    shorterNoticeAgreed: action?.shorter_notice_agreed ?? false,
  });
  const due = (id: string) => t.deadlines.find((d) => d.id === id)?.date ?? null;
  const firstAction = action
    ? action.continuous
      ? action.start_date
      : ([...action.dates].sort()[0] ?? null)
    : null;
  const dueBy = {
    ballot_notice: due("ballot_notice"),
    sample_paper: due("sample_paper"),
    result_employer: result?.declared_on ?? null,
    action_notice: firstAction ? addDays(firstAction, -t.actionNoticeDays) : null,
  } as const;
  // Observers get totals only (no employer breakdown); others the employers they reach.
  const employers =
    grant.view === "aggregate"
      ? []
      : await ctx.db
          .selectFrom("ballot_scope as s")
          .innerJoin("employers as e", "e.id", "s.employer_id")
          .select(["e.id", "e.name", "e.nation"])
          .distinct()
          .where("s.ballot_id", "=", id)
          .where(employerInReach(reach, id, "e.id"))
          .orderBy("e.name")
          .execute();
  const entitled = await entitledByEmployer(ctx.db, row, reach);
  const receipts = await ctx.db
    .selectFrom("notice_receipts")
    .selectAll()
    .where("ballot_id", "=", id)
    .execute();
  const receiptOf = new Map(receipts.map((r) => [`${r.employer_id}|${r.kind}`, r]));
  // Extensions agreed with employers (records.service.ts) end the mandate later for those employers.
  const extended =
    grant.view === "aggregate"
      ? []
      : await ctx.db
          .selectFrom("mandate_extensions as x")
          .innerJoin("employers as e", "e.id", "x.employer_id")
          .select(["x.employer_id", "e.name", "x.agreed_on", "x.last_day"])
          .where("x.ballot_id", "=", id)
          .where(employerInReach(reach, id, "x.employer_id"))
          .orderBy("e.name")
          .execute();
  const mandateEnd = t.deadlines.find((d) => d.id === "mandate_ends");
  const deadlines = [
    ...t.deadlines,
    ...(mandateEnd
      ? extended.map((x) => ({
          ...mandateEnd,
          id: `mandate_ends_extended_${x.employer_id}`,
          label: `${mandateEnd.label} for ${x.name} (extended by agreement on ${x.agreed_on})`,
          date: x.last_day,
        }))
      : []),
  ];
  // Weekends and bank holidays of the employers' nations (england when the reader sees no employer).
  const nations = [...new Set(employers.map((e) => e.nation as Nation))];
  return {
    ballotId: id,
    deadlines,
    days: deadlines.map((d) => {
      const note = dayNote(d.date, nations.length ? nations : ["england"]);
      return { deadlineId: d.id, weekday: note.weekday, nonWorking: note.nonWorking };
    }),
    warnings: t.warnings,
    employers: employers.map((e) => ({
      employerId: e.id,
      employerName: e.name,
      entitled: entitled.get(e.id) ?? 0,
      nation: e.nation as Nation,
      warnings: receiptWarnings(
        (["ballot_notice", "sample_paper", "action_notice"] as const).map((kind) => ({
          kind,
          dueBy: dueBy[kind],
        })),
        e.nation as Nation,
      ),
      receipts: (["ballot_notice", "sample_paper", "result_employer", "action_notice"] as const).map(
        (kind) => {
          const r = receiptOf.get(`${e.id}|${kind}`);
          const by = dueBy[kind];
          return {
            kind,
            dueBy: by,
            receivedOn: r?.received_on ?? null,
            onTime: r && by ? r.received_on <= by : null,
            method: r?.method ?? "",
            evidence: r?.evidence ?? "",
          };
        },
      ),
    })),
  };
}

/**
 * How many are entitled at each employer. The snapshot changes only when it
 * is frozen again, so the count is cached per snapshot: the dashboard's
 * reminders read it on every visit, and a national ballot has a million rows.
 */
async function entitledByEmployer(db: Db, row: BallotRow, reach: BallotReach): Promise<Map<number, number>> {
  const count = async () => {
    const rows = await db
      .selectFrom("ballot_electorate as be")
      .select(["be.employer_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("be.ballot_id", "=", row.id)
      .where("be.included", "=", true)
      .where(electorateRowInReach(reach, "be"))
      .groupBy("be.employer_id")
      .execute();
    return new Map(rows.map((r) => [r.employer_id, Number(r.n)]));
  };
  // A reader who does not reach the whole union counts only their rows: not cached.
  if (!reachesAll(reach)) return count();
  // The fingerprint names the snapshot's content: the same fingerprint, the same counts.
  if (!row.electorate_hash) return count();
  return cachedByVersion(db, `entitled-by-employer|${row.id}|${row.electorate_hash}`, 0, count);
}

export async function recordReceipt(
  ctx: Ctx,
  id: number,
  input: {
    employerId: number;
    kind: string;
    sentOn: IsoDate | null;
    receivedOn: IsoDate;
    method: string;
    evidence: string;
  },
) {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, id);
  const inScope = await ctx.db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", id)
    .where("employer_id", "=", input.employerId)
    .executeTakeFirst();
  if (!inScope)
    throw new AppError("employers.not_found", "That employer is not in this ballot.", {
      employerId: input.employerId,
    });
  if (input.sentOn && input.sentOn > input.receivedOn) {
    throw new AppError("ballots.invalid", "A notice cannot be received before it was sent.", {});
  }
  await withTx(ctx.db, async (tx) => {
    await tx
      .insertInto("notice_receipts")
      .values({
        ballot_id: id,
        employer_id: input.employerId,
        kind: input.kind,
        sent_on: input.sentOn,
        received_on: input.receivedOn,
        method: input.method,
        evidence: input.evidence,
        recorded_by: ctx.actor.userId,
        recorded_at: ctx.clock.now(),
      })
      .onConflict((oc) =>
        oc.columns(["ballot_id", "employer_id", "kind"]).doUpdateSet({
          sent_on: input.sentOn,
          received_on: input.receivedOn,
          method: input.method,
          evidence: input.evidence,
          recorded_by: ctx.actor.userId,
          recorded_at: ctx.clock.now(),
        }),
      )
      .execute();
    await recordAudit({ ...ctx, db: tx }, "ballot.receipt_recorded", {
      subjectType: "ballot",
      subjectId: id,
      details: { employer: input.employerId, kind: input.kind, receivedOn: input.receivedOn },
    });
  });
  return ballotTimetableFor(ctx, id);
}

// ---------------------------------------------------------------------------
// Result

export async function getResult(ctx: Ctx, id: number): Promise<ResultDto | null> {
  const grant = authorize(ctx.actor, "ballots.read");
  await loadVisibleBallot(ctx, grant, id);
  const r = await ctx.db
    .selectFrom("ballot_results")
    .selectAll()
    .where("ballot_id", "=", id)
    .executeTakeFirst();
  if (!r) return null;
  return {
    ballotId: id,
    entitled: r.entitled,
    votesCast: r.votes_cast,
    declaredOn: r.declared_on,
    source: r.source as ResultDto["source"],
    evaluation: r.evaluation as ResultDto["evaluation"],
  };
}

/** The entitled number is the frozen electorate's, never typed in: the figure the notices gave. */
export async function recordResult(
  ctx: Ctx,
  id: number,
  input: ResultInput,
  source: "entered" | "scrutineer_csv" = "entered",
): Promise<ResultDto> {
  const grant = authorize(ctx.actor, "ballots.results");
  // A scrutineer enters the result only of a ballot they are appointed to.
  const { row } = await loadVisibleBallot(ctx, grant, id);
  refuseUnless(row.state, "record_result");
  if (input.declaredOn < row.closing_date) {
    throw new AppError(
      "ballots.invalid",
      `The result cannot be declared before the ballot closes on ${row.closing_date}.`,
      {},
    );
  }
  const asked = new Set(row.questions);
  const unknown = input.questions.filter((q) => !asked.has(q.question));
  if (unknown.length || input.questions.length !== asked.size) {
    throw new AppError(
      "ballots.invalid",
      `Give the counts for exactly the ballot's questions: ${row.questions.join(", ")}.`,
      {},
    );
  }
  const law = await loadCommencements(ctx.db, row.union_id);
  const jurisdiction = await ballotJurisdiction(ctx.db, row.id);
  const evaluation = evaluateBallot({
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    entitled: row.electorate_entitled ?? 0,
    votesCast: input.votesCast,
    questions: input.questions,
    importantPublicServices: row.ips_belief,
    walesDevolved: row.wales_devolved,
    commencements: law.overrides,
    commencementSources: law.sources,
    jurisdiction,
  });
  const now = ctx.clock.now();
  const values = {
    entitled: evaluation.entitled,
    votes_cast: input.votesCast,
    questions: JSON.stringify(input.questions),
    source,
    evaluation: JSON.stringify(evaluation),
    declared_on: input.declaredOn,
    recorded_by: ctx.actor.userId,
    recorded_at: now,
  };
  await withTx(ctx.db, async (tx) => {
    await tx
      .insertInto("ballot_results")
      .values({ ballot_id: id, ...values })
      .onConflict((oc) => oc.column("ballot_id").doUpdateSet(values))
      .execute();
    await tx
      .updateTable("ballots")
      .set({ state: "result_declared", updated_at: now })
      .where("id", "=", id)
      .execute();
    await recordAudit({ ...ctx, db: tx }, "ballot.result_recorded", {
      subjectType: "ballot",
      subjectId: id,
      details: { source, votesCast: input.votesCast, mandate: evaluation.mandate, regime: evaluation.regime },
    });
  });
  return (await getResult(ctx, id))!;
}

export type { BallotRow };
/**
 * What needs doing soon across every open ballot: deadlines in the next
 * fortnight, and notices an employer should have received by now with no
 * receipt recorded (a court asks when it was received, not sent).
 */
export async function ballotReminders(ctx: Ctx, horizonDays = 14) {
  const grant = authorize(ctx.actor, "ballots.read");
  const today = ukDate(ctx.clock.now());
  const until = addDays(today, horizonDays);
  const ballots = await ctx.db
    .selectFrom("ballots")
    .select(["id", "name", "state"])
    .where("union_id", "=", grant.unionId)
    .where(ballotInReach(ballotReach(ctx.actor, grant), "ballots.id"))
    .where("state", "!=", "result_declared")
    .orderBy("id")
    .execute();
  const out: {
    ballotId: number;
    ballotName: string;
    date: IsoDate;
    label: string;
    status: "overdue" | "today" | "upcoming";
    employerName: string | null;
  }[] = [];
  for (const b of ballots) {
    const t = await ballotTimetableFor(ctx, b.id);
    for (const d of t.deadlines) {
      if (d.date >= today && d.date <= until) {
        out.push({
          ballotId: b.id,
          ballotName: b.name,
          date: d.date,
          label: d.label,
          status: d.date === today ? "today" : "upcoming",
          employerName: null,
        });
      }
    }
    if (b.state === "draft") continue;
    for (const e of t.employers) {
      if (e.entitled === 0) continue;
      for (const r of e.receipts) {
        if (
          r.dueBy &&
          r.dueBy < today &&
          !r.receivedOn &&
          (r.kind === "ballot_notice" || r.kind === "sample_paper")
        ) {
          out.push({
            ballotId: b.id,
            ballotName: b.name,
            date: r.dueBy,
            label: `No receipt recorded: ${r.kind === "ballot_notice" ? "notice of ballot" : "sample voting paper"}`,
            status: "overdue",
            employerName: e.employerName,
          });
        }
      }
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ballotId - b.ballotId));
}

/** The result from the scrutineer's CSV file; a file with problems is refused whole, each problem named. */
export async function importScrutineerResult(
  ctx: Ctx,
  id: number,
  input: { filename: string; csv: string; declaredOn: IsoDate },
): Promise<ResultDto> {
  const grant = authorize(ctx.actor, "ballots.results");
  await loadVisibleBallot(ctx, grant, id);
  const { result, problems } = parseScrutineerResult(input.csv, input.filename);
  if (!result) {
    const first = problems[0]!;
    throw new AppError("import.file_invalid", formatProblem(first), { problems });
  }
  return recordResult(ctx, id, { ...result, declaredOn: input.declaredOn }, "scrutineer_csv");
}

export { isBlocking, loadBallotRow, loadVisibleBallot };
