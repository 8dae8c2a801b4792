/**
 * What every ballot use case starts from: the ballot's row inside the grant's
 * union, whether the reader reaches it, its jurisdiction, and the lifecycle
 * table's refusal of an action its state does not allow.
 */
import type { Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import type { Jurisdiction } from "../law/index.js";
import { AppError } from "../shared/errors.js";
import { type BallotReach, ballotReach, reachesAll } from "./ballot-scope.js";
import type { BallotState } from "./ballots.model.js";
import { allowedStates, type BallotAction, canDo } from "./lifecycle.js";
import { ballotReached, hasNorthernIrelandEmployer, selectBallotRow } from "./setup.store.js";

export type BallotRow = NonNullable<Awaited<ReturnType<typeof selectBallotRow>>>;

/** Northern Ireland when the ballot's employers are there (set-up refuses a mix: decision 0013). */
export async function ballotJurisdiction(db: Db, ballotId: number): Promise<Jurisdiction> {
  return (await hasNorthernIrelandEmployer(db, ballotId)) ? "ni" : "gb";
}

export async function loadBallotRow(db: Db, unionId: number, id: number): Promise<BallotRow> {
  const row = await selectBallotRow(db, unionId, id);
  if (!row) throw new AppError("ballots.not_found", `No ballot ${id}.`, { id });
  return row;
}

/**
 * The ballot, when the reader reaches it (ballot-scope.ts); a ballot outside
 * their reach answers exactly as one that does not exist.
 */
export async function loadVisibleBallot(
  ctx: Ctx,
  grant: Grant,
  id: number,
): Promise<{ row: BallotRow; reach: BallotReach }> {
  const reach = ballotReach(ctx.actor, grant);
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  if (!reachesAll(reach) || reach.appointedUserId !== null) {
    if (!(await ballotReached(ctx.db, reach, id)))
      throw new AppError("ballots.not_found", `No ballot ${id}.`, { id });
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
