/**
 * Disputes: the employers in dispute and the matters in issue, with the
 * ballots held under each. A reader who does not reach the whole union sees
 * the disputes with a ballot they reach.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { type BallotReach, ballotInReach, ballotReach, reachesAll } from "./ballot-scope.js";
import type { BallotState, CreateDisputeInput, DisputeDto } from "./ballots.model.js";

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
