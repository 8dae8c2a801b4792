/**
 * The SQL of a ballot's set-up and of finding it: the ballot's row inside the
 * union, whether a reader reaches it, its scope with the employers' and
 * workplaces' names, the facts set-up checks (employers' nations, the
 * dispute's employers, workplaces' employers, partner unions), and the
 * ballot, its scope and its statement review written.
 */
import type { Db } from "../db/database.js";
import { type BallotReach, ballotInReach } from "./ballot-scope.js";
import type { CreateBallotInput } from "./ballots.model.js";

/** A ballot's set-up as it is stored: every field given. */
export type BallotValues = Required<CreateBallotInput>;

/** The ballot with its dispute's title and matters in issue, when it is the union's. */
export async function selectBallotRow(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("ballots as b")
    .innerJoin("disputes as d", "d.id", "b.dispute_id")
    .selectAll("b")
    .select(["d.title as dispute_title", "d.matters_in_issue"])
    .where("b.union_id", "=", unionId)
    .where("b.id", "=", id)
    .executeTakeFirst();
}

/** Whether the reader reaches the ballot (ballot-scope.ts). */
export async function ballotReached(db: Db, reach: BallotReach, id: number): Promise<boolean> {
  const seen = await db
    .selectFrom("ballots")
    .select("ballots.id")
    .where("ballots.id", "=", id)
    .where(ballotInReach(reach, "ballots.id"))
    .executeTakeFirst();
  return seen !== undefined;
}

/** Whether any of the ballot's employers is in Northern Ireland. */
export async function hasNorthernIrelandEmployer(db: Db, ballotId: number): Promise<boolean> {
  const ni = await db
    .selectFrom("ballot_scope as s")
    .innerJoin("employers as e", "e.id", "s.employer_id")
    .select("e.id")
    .where("s.ballot_id", "=", ballotId)
    .where("e.nation", "=", "northern_ireland")
    .executeTakeFirst();
  return ni !== undefined;
}

/** The employers the ballot covers (once per scope entry). */
export async function ballotEmployerIds(db: Db, ballotId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", ballotId)
    .execute();
  return rows.map((r) => r.employer_id);
}

/** The ballot's scope with the employers' and workplaces' names, by employer then workplace. */
export async function ballotScopeNamed(db: Db, ballotId: number) {
  return db
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
    .where("s.ballot_id", "=", ballotId)
    .orderBy("e.name")
    .orderBy("w.name")
    .execute();
}

/** The nation of each of the given employers that is the union's. */
export async function employerNations(
  db: Db,
  unionId: number,
  employerIds: number[],
): Promise<{ id: number; nation: string }[]> {
  return db
    .selectFrom("employers")
    .select(["id", "nation"])
    .where("union_id", "=", unionId)
    .where("id", "in", employerIds.length ? employerIds : [0])
    .execute();
}

/** The employers in the dispute. */
export async function disputeEmployerIds(db: Db, disputeId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("dispute_employers")
    .select("employer_id")
    .where("dispute_id", "=", disputeId)
    .execute();
  return rows.map((r) => r.employer_id);
}

/** The employer of each of the given workplaces that is the union's. */
export async function workplaceEmployers(
  db: Db,
  unionId: number,
  workplaceIds: number[],
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("workplaces")
    .select(["id", "employer_id"])
    .where("union_id", "=", unionId)
    .where("id", "in", workplaceIds)
    .execute();
  return new Map(rows.map((w) => [w.id, w.employer_id]));
}

/** Which of the given unions exist. */
export async function existingUnionIds(db: Db, unionIds: number[]): Promise<number[]> {
  const rows = await db.selectFrom("unions").select("id").where("id", "in", unionIds).execute();
  return rows.map((r) => r.id);
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

/** A new ballot under the dispute; returns its id. */
export async function insertBallot(
  tx: Db,
  unionId: number,
  disputeId: number,
  b: BallotValues,
  now: Date,
): Promise<number> {
  const row = await tx
    .insertInto("ballots")
    .values({
      union_id: unionId,
      dispute_id: disputeId,
      ...ballotColumns(b),
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The ballot's set-up changed; a changed ballot is a draft again. */
export async function updateBallotSetup(tx: Db, id: number, b: BallotValues, now: Date): Promise<void> {
  await tx
    .updateTable("ballots")
    .set({ ...ballotColumns(b), state: "draft", updated_at: now })
    .where("id", "=", id)
    .execute();
}

/** The ballot's employers and workplaces replaced, each once. */
export async function replaceBallotScope(
  tx: Db,
  ballotId: number,
  scope: BallotValues["scope"],
): Promise<void> {
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

/** The wording of the dismissal statement the union recorded after legal review. */
export async function recordStatementReview(
  tx: Db,
  id: number,
  text: string,
  userId: number | null,
  now: Date,
): Promise<void> {
  await tx
    .updateTable("ballots")
    .set({
      dismissal_statement_reviewed: text,
      dismissal_statement_reviewed_by: userId,
      updated_at: now,
    })
    .where("id", "=", id)
    .execute();
}
