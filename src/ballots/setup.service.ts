/**
 * A ballot's set-up: creating and changing a ballot (constituency) under a
 * dispute, checked against the statute and the s.228A tests before anything is
 * stored, the recorded review of the dismissal statement, and the ballot as
 * the API gives it (with everything it relies on that still needs legal review).
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  ACTION_NOTICE_PERIOD,
  BALLOT_NOTICE_DAYS,
  ballotTimetable,
  DISMISSAL_STATEMENT,
  IMPORTANT_PUBLIC_SERVICES,
  IPS_CATEGORIES,
  type Jurisdiction,
  MANDATE_PERIOD,
  mandateDates,
  REGIMES,
  RESULT_CONTENTS,
  regimeAt,
  ruleAt,
  SCRUTINEER,
  TURNOUT,
  type VotingMethod,
  votingMethodAt,
  WALES_DISAPPLICATION,
} from "../law/index.js";
import { loadCommencements, type RecordedCommencements } from "../settings/index.js";
import { AppError } from "../shared/errors.js";
import { changedFields } from "../shared/fields.js";
import {
  type BallotRow,
  ballotJurisdiction,
  loadBallotRow,
  loadVisibleBallot,
  refuseUnless,
} from "./ballot-access.js";
import type { BallotDto, BallotState, CreateBallotInput, UpdateBallotInput } from "./ballots.model.js";
import { getDispute } from "./disputes.service.js";
import { actionsIn } from "./lifecycle.js";
import {
  type BallotValues,
  ballotScopeNamed,
  disputeEmployerIds,
  employerNations,
  existingUnionIds,
  insertBallot,
  recordStatementReview,
  replaceBallotScope,
  updateBallotSetup,
  workplaceEmployers,
} from "./setup.store.js";

const C_START = REGIMES.find((r) => r.id === "C")!.from;

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
  const scope = await ballotScopeNamed(db, row.id);
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
  const nations = await employerNations(
    db,
    unionId,
    b.scope.map((s) => s.employerId),
  );
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
  const disputeEmployers = new Set(await disputeEmployerIds(db, disputeId));
  const outside = b.scope.filter((s) => !disputeEmployers.has(s.employerId)).map((s) => s.employerId);
  if (outside.length)
    fail("The ballot covers employers that are not in the dispute.", { employerIds: outside });
  const workplaceIds = b.scope.flatMap((s) => (s.workplaceId ? [s.workplaceId] : []));
  if (workplaceIds.length) {
    const owner = await workplaceEmployers(db, unionId, workplaceIds);
    const wrong = b.scope.filter((s) => s.workplaceId && owner.get(s.workplaceId) !== s.employerId);
    if (wrong.length)
      fail("A workplace in the ballot does not belong to the employer given with it.", { wrong });
  }
  if (b.partnerUnionIds.length) {
    const unions = await existingUnionIds(db, b.partnerUnionIds);
    if (unions.length !== new Set(b.partnerUnionIds).size) fail("A partner union does not exist.");
  }
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
    const ballotId = await insertBallot(tx, grant.unionId, disputeId, b, now);
    await replaceBallotScope(tx, ballotId, b.scope);
    await recordAudit({ ...ctx, db: tx }, "ballot.created", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { dispute: disputeId, kind: b.kind, scope: b.scope.length },
    });
    return ballotId;
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
    await updateBallotSetup(tx, id, merged, ctx.clock.now());
    if (input.scope) await replaceBallotScope(tx, id, merged.scope);
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
    await recordStatementReview(tx, id, text, ctx.actor.userId, ctx.clock.now());
    await recordAudit({ ...ctx, db: tx }, "ballot.statement_reviewed", {
      subjectType: "ballot",
      subjectId: id,
    });
  });
  return getBallot(ctx, id);
}
