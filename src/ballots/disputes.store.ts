/**
 * The SQL of disputes: the disputes a reader reaches (with their employers and
 * the ballots they reach), the union's employers named in a new dispute, and
 * the dispute written with its employers. Every read is bound to the grant's
 * union and the reader's reach.
 */
import type { Db } from "../db/database.js";
import { type BallotReach, ballotInReach, reachesAll } from "./ballot-scope.js";
import type { BallotState, DisputeDto } from "./ballots.model.js";

/** The disputes the reader reaches (all of them, or those with the given ids), newest first. */
export async function selectDisputes(
  db: Db,
  reach: BallotReach,
  ids: number[] | null,
): Promise<DisputeDto[]> {
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

/** Which of the given employers exist in the union. */
export async function unionEmployerIds(db: Db, unionId: number, employerIds: number[]): Promise<number[]> {
  const rows = await db
    .selectFrom("employers")
    .select("id")
    .where("union_id", "=", unionId)
    .where("id", "in", employerIds)
    .execute();
  return rows.map((r) => r.id);
}

/** A new dispute and the employers in it; returns its id. */
export async function insertDispute(
  tx: Db,
  unionId: number,
  d: { title: string; mattersInIssue: string; coalition: string; createdBy: number | null; now: Date },
  employerIds: number[],
): Promise<number> {
  const row = await tx
    .insertInto("disputes")
    .values({
      union_id: unionId,
      title: d.title,
      matters_in_issue: d.mattersInIssue,
      coalition: d.coalition,
      created_by: d.createdBy,
      created_at: d.now,
      updated_at: d.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("dispute_employers")
    .values(employerIds.map((employer_id) => ({ dispute_id: row.id, employer_id })))
    .execute();
  return row.id;
}
