/**
 * Appointing scrutineers to ballots: a scrutineer user sees, and enters the
 * result of, only the ballots they are appointed to (ballot-scope.ts).
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { loadBallotRow } from "./ballot-access.js";

export interface ScrutineerDto {
  userId: number;
  displayName: string;
  email: string;
  appointedAt: string;
}

export async function listScrutineers(ctx: Ctx, ballotId: number): Promise<ScrutineerDto[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, ballotId);
  const rows = await ctx.db
    .selectFrom("ballot_scrutineers as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.display_name", "u.email", "s.appointed_at"])
    .where("s.ballot_id", "=", ballotId)
    .orderBy("u.display_name")
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    displayName: r.display_name,
    email: r.email,
    appointedAt: r.appointed_at.toISOString(),
  }));
}

export async function appointScrutineer(
  ctx: Ctx,
  ballotId: number,
  userId: number,
): Promise<ScrutineerDto[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, ballotId);
  const user = await ctx.db
    .selectFrom("users")
    .select(["id", "role"])
    .where("union_id", "=", grant.unionId)
    .where("id", "=", userId)
    .executeTakeFirst();
  if (user?.role !== "scrutineer") {
    throw new AppError("ballots.invalid", `User ${userId} is not an independent scrutineer of your union.`, {
      field: "userId",
    });
  }
  await withTx(ctx.db, async (tx) => {
    const added = await tx
      .insertInto("ballot_scrutineers")
      .values({
        ballot_id: ballotId,
        user_id: userId,
        appointed_by: ctx.actor.userId,
        appointed_at: ctx.clock.now(),
      })
      .onConflict((oc) => oc.columns(["ballot_id", "user_id"]).doNothing())
      .returning("user_id")
      .executeTakeFirst();
    if (added) {
      await recordAudit({ ...ctx, db: tx }, "ballot.scrutineer_appointed", {
        subjectType: "ballot",
        subjectId: ballotId,
        details: { user: userId },
      });
    }
  });
  return listScrutineers(ctx, ballotId);
}

export async function removeScrutineer(ctx: Ctx, ballotId: number, userId: number): Promise<ScrutineerDto[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, ballotId);
  await withTx(ctx.db, async (tx) => {
    const removed = await tx
      .deleteFrom("ballot_scrutineers")
      .where("ballot_id", "=", ballotId)
      .where("user_id", "=", userId)
      .returning("user_id")
      .executeTakeFirst();
    if (removed) {
      await recordAudit({ ...ctx, db: tx }, "ballot.scrutineer_removed", {
        subjectType: "ballot",
        subjectId: ballotId,
        details: { user: userId },
      });
    }
  });
  return listScrutineers(ctx, ballotId);
}
