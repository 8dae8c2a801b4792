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
import { deleteScrutineer, insertScrutineer, selectScrutineers, unionUserRole } from "./scrutineers.store.js";

export interface ScrutineerDto {
  userId: number;
  displayName: string;
  email: string;
  appointedAt: string;
}

export async function listScrutineers(ctx: Ctx, ballotId: number): Promise<ScrutineerDto[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, ballotId);
  const rows = await selectScrutineers(ctx.db, ballotId);
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
  if ((await unionUserRole(ctx.db, grant.unionId, userId)) !== "scrutineer") {
    throw new AppError("ballots.invalid", `User ${userId} is not an independent scrutineer of your union.`, {
      field: "userId",
    });
  }
  await withTx(ctx.db, async (tx) => {
    const added = await insertScrutineer(tx, ballotId, userId, ctx.actor.userId, ctx.clock.now());
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
    const removed = await deleteScrutineer(tx, ballotId, userId);
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
