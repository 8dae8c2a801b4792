/**
 * Disputes: the employers in dispute and the matters in issue, with the
 * ballots held under each. A reader who does not reach the whole union sees
 * the disputes with a ballot they reach.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { ballotReach } from "./ballot-scope.js";
import type { CreateDisputeInput, DisputeDto } from "./ballots.model.js";
import { insertDispute, selectDisputes, unionEmployerIds } from "./disputes.store.js";

export async function listDisputes(ctx: Ctx): Promise<DisputeDto[]> {
  const grant = authorize(ctx.actor, "ballots.read");
  return selectDisputes(ctx.db, ballotReach(ctx.actor, grant), null);
}

export async function getDispute(ctx: Ctx, id: number): Promise<DisputeDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const [dto] = await selectDisputes(ctx.db, ballotReach(ctx.actor, grant), [id]);
  if (!dto) throw new AppError("disputes.not_found", `No dispute ${id}.`, { id });
  return dto;
}

export async function createDispute(ctx: Ctx, input: CreateDisputeInput): Promise<DisputeDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const employerIds = [...new Set(input.employerIds)];
  const found = await unionEmployerIds(ctx.db, grant.unionId, employerIds);
  if (found.length !== employerIds.length) {
    const known = new Set(found);
    throw new AppError("employers.not_found", "Some employers of the dispute do not exist in your union.", {
      missing: employerIds.filter((id) => !known.has(id)),
    });
  }
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const disputeId = await insertDispute(
      tx,
      grant.unionId,
      {
        title: input.title,
        mattersInIssue: input.mattersInIssue,
        coalition: input.coalition,
        createdBy: ctx.actor.userId,
        now,
      },
      employerIds,
    );
    await recordAudit({ ...ctx, db: tx }, "dispute.created", {
      subjectType: "dispute",
      subjectId: disputeId,
      details: { employers: employerIds.length },
    });
    return disputeId;
  });
  return getDispute(ctx, id);
}
