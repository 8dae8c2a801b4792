/**
 * The legal sign-off of a ballot. Rules the law data marks unconfirmed are
 * listed against the ballot for the union's own staff ("needs legal review").
 * Until a national officer records that a lawyer reviewed every one of them
 * (who reviewed, what was reviewed, when), documents are drafts: watermarked
 * and marked as such by the API. After it, documents are issued final, with
 * no review mark on what goes to an employer, a member or the scrutineer.
 * A sign-off covers the items as they stood; an item that appears later (a
 * change of dates, of law data) needs a new sign-off.
 */
import { z } from "zod";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { loadBallotRow, loadVisibleBallot } from "./ballot-access.js";
import { insertSignOff, latestSignOff } from "./legal-signoff.store.js";
import { getBallot } from "./setup.service.js";

const Text = (max: number) => z.string().trim().max(max);

export const LegalSignOffInput = z.object({
  /** The lawyer who reviewed the items (name, firm or role). */
  reviewer: Text(200).min(1),
  /** What was reviewed and the advice in short (e.g. "draft notices of 20 Nov; wording of s.229(4) statement"). */
  reviewed: Text(4000).min(1),
});
export type LegalSignOffInput = z.infer<typeof LegalSignOffInput>;

export const LegalSignOffDto = z.object({
  /** The ballot's items needing legal review now. */
  items: z.array(z.string()),
  /** Items not covered by the latest sign-off: while any remain, documents are drafts. */
  outstanding: z.array(z.string()),
  signOff: z
    .object({
      reviewer: z.string(),
      reviewed: z.string(),
      items: z.array(z.string()),
      signedAt: z.string(),
      signedBy: z.number().nullable(),
    })
    .nullable(),
  /** True when documents produced now are final (nothing outstanding). */
  final: z.boolean(),
});
export type LegalSignOffDto = z.infer<typeof LegalSignOffDto>;

export interface SignOffState {
  items: string[];
  outstanding: string[];
  latest: {
    reviewer: string;
    reviewed: string;
    items: string[];
    signedAt: Date;
    signedBy: number | null;
  } | null;
}

/** The sign-off state for reasons the caller computed: what documents use (no permission check here). */
export async function signOffState(db: Db, ballotId: number, items: string[]): Promise<SignOffState> {
  const latest = await latestSignOff(db, ballotId);
  const covered = new Set((latest?.items as string[] | undefined) ?? []);
  return {
    items,
    outstanding: items.filter((i) => !covered.has(i)),
    latest: latest
      ? {
          reviewer: latest.reviewer,
          reviewed: latest.reviewed,
          items: latest.items as string[],
          signedAt: latest.signed_at,
          signedBy: latest.signed_by,
        }
      : null,
  };
}

/**
 * What a document records of the sign-off: the reviewer and the date, when
 * it covers every reason the document carries; null makes it a draft.
 */
export function signOffFor(state: SignOffState, reasons: string[]): { reviewer: string; on: string } | null {
  if (!state.latest) return null;
  const covered = new Set(state.latest.items);
  if (!reasons.every((r) => covered.has(r))) return null;
  return { reviewer: state.latest.reviewer, on: ukDate(state.latest.signedAt) };
}

function toDto(state: SignOffState): LegalSignOffDto {
  return {
    items: state.items,
    outstanding: state.outstanding,
    signOff: state.latest ? { ...state.latest, signedAt: state.latest.signedAt.toISOString() } : null,
    final: state.outstanding.length === 0,
  };
}

export async function getLegalSignOff(ctx: Ctx, ballotId: number): Promise<LegalSignOffDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  await loadVisibleBallot(ctx, grant, ballotId);
  const ballot = await getBallot(ctx, ballotId);
  return toDto(
    await signOffState(
      ctx.db,
      ballotId,
      ballot.legalReview.map((r) => r.reason),
    ),
  );
}

/** National officers only (ballots.manage); audited with the reviewer and the number of items. */
export async function signOffLegalReview(
  ctx: Ctx,
  ballotId: number,
  input: LegalSignOffInput,
): Promise<LegalSignOffDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, ballotId);
  const ballot = await getBallot(ctx, ballotId);
  const items = ballot.legalReview.map((r) => r.reason);
  if (!items.length) {
    throw new AppError(
      "ballots.invalid",
      "Nothing in this ballot needs legal review: there is nothing to sign off.",
    );
  }
  await withTx(ctx.db, async (tx) => {
    await insertSignOff(tx, ballotId, {
      items,
      reviewer: input.reviewer,
      reviewed: input.reviewed,
      signedAt: ctx.clock.now(),
      signedBy: ctx.actor.userId,
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.legal_signed_off", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { items: items.length },
    });
  });
  return toDto(await signOffState(ctx.db, ballotId, items));
}
