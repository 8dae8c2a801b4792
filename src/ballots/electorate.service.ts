/**
 * The frozen electorate as it is read: the summary (by reason and employer),
 * the listing of names, and the entitled and excluded members the checks and
 * documents use. The freeze itself is in freeze.service.ts.
 */
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { AppError } from "../shared/errors.js";
import type { Page } from "../shared/paging.js";
import { loadBallotRow, loadVisibleBallot, refuseUnless } from "./ballot-access.js";
import type { ElectorateSummaryDto } from "./ballots.model.js";
import { REASONS, type Reason } from "./electorate.js";
import {
  activeMembersNotInSnapshot,
  electorateByReason,
  electoratePage,
  entitledByEmployerNamed,
} from "./electorate.store.js";
import { acceptedPartners } from "./partner-agreements.service.js";
import { ballotEmployerIds } from "./setup.store.js";

export { excludedByReason, loadEntitled } from "./electorate.store.js";

export async function electorateSummary(ctx: Ctx, id: number): Promise<ElectorateSummaryDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  if (!row.electorate_hash || !row.electorate_as_at) {
    throw new AppError("ballots.wrong_state", "The electorate has not been frozen yet.", {
      state: row.state,
    });
  }
  const reasons = await electorateByReason(ctx.db, id);
  const byEmployer =
    grant.view === "aggregate"
      ? []
      : // Per-employer counts only for the workplaces and employers the reader reaches.
        await entitledByEmployerNamed(ctx.db, id, reach);
  const added = await activeMembersNotInSnapshot(
    ctx.db,
    id,
    [grant.unionId, ...(await acceptedPartners(ctx.db, row))],
    await ballotEmployerIds(ctx.db, id),
  );
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
    addedSince: added,
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
  const { rows, total } = await electoratePage(ctx.db, id, query);
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
    total,
  };
}
