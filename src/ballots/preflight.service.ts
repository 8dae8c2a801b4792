/**
 * The pre-flight checks of a ballot: gathers the facts (the frozen snapshot,
 * workplaces, pending duplicates, changes since the freeze, the law in force)
 * and hands them to the pure checks of preflight.ts.
 */
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import {
  ACTION_NOTICE_PERIOD,
  addDays,
  DISMISSAL_STATEMENT,
  type IsoDate,
  ruleAt,
  SCRUTINEER,
  type VotingMethod,
  votingMethodAt,
} from "../law/index.js";
import { loadCommencements } from "../settings/index.js";
import { type BallotRow, loadBallotRow } from "./ballot-access.js";
import type { PreflightDto } from "./ballots.model.js";
import { loadEntitled } from "./electorate.store.js";
import { isBlocking, type PreflightCheck, runPreflight, type SnapshotMember } from "./preflight.js";
import {
  ballotEmployersNamed,
  entitledChangedSinceSnapshot,
  entitledPendingDuplicates,
  workplaceFacts,
} from "./preflight.store.js";

/** Why voting papers cannot be issued under the regime's statement, or null. */
export function statementBlock(openingDate: IsoDate, reviewed: string | null): string | null {
  const rule = ruleAt(DISMISSAL_STATEMENT, openingDate)!;
  if (rule.value !== null || reviewed) return null;
  return rule.unconfirmed;
}

/** The planned first day of action, or the earliest the law allows after a result on the closing day. */
export function firstActionDate(row: {
  planned_action_from: IsoDate | null;
  closing_date: IsoDate;
}): IsoDate {
  if (row.planned_action_from) return row.planned_action_from;
  return addDays(row.closing_date, ruleAt(ACTION_NOTICE_PERIOD, row.closing_date)!.value.days);
}

export async function runBallotPreflight(
  ctx: Ctx,
  id: number,
): Promise<{ row: BallotRow; checks: PreflightCheck[]; entitled: SnapshotMember[] | null }> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  const frozen = row.electorate_hash !== null;
  const entitled = frozen ? await loadEntitled(ctx.db, id) : null;
  const included = entitled ?? [];
  const workplaceIds = [...new Set(included.flatMap((e) => (e.workplaceId ? [e.workplaceId] : [])))];
  const workplaces = await workplaceFacts(ctx.db, workplaceIds);
  const duplicates = frozen ? await entitledPendingDuplicates(ctx.db, id) : [];
  // The register as it stands now against the snapshot: a move into or out of the balloted
  // grades or workplaces after freezing makes the notice figures stale.
  const changes = frozen ? await entitledChangedSinceSnapshot(ctx.db, id) : [];
  const changedSince = new Map<number, string>();
  for (const c of changes) {
    const what: string[] = [];
    if (c.employer_id !== c.was_employer) what.push("employer");
    if (c.workplace_id !== c.was_workplace) what.push("workplace");
    if ((c.job_category ?? "") !== (c.was_category ?? ""))
      what.push(`category (now "${c.job_category ?? ""}")`);
    changedSince.set(
      c.member_id,
      `Changed after the snapshot: ${what.join(", ") || "record"}; freeze again.`,
    );
  }
  const law = await loadCommencements(ctx.db, row.union_id);
  const method = votingMethodAt(
    row.voting_method as VotingMethod,
    row.opening_date,
    law.overrides,
    law.sources,
  );
  const scrutineer = ruleAt(SCRUTINEER, row.opening_date)!;
  const checks = runPreflight({
    ballot: {
      openingDate: row.opening_date,
      closingDate: row.closing_date,
      firstActionDate: firstActionDate(row),
      checkOffRoute: row.check_off_route,
      scrutineerRequired: (row.electorate_entitled ?? 0) > scrutineer.value.requiredAbove,
      scrutineerName: row.scrutineer_name,
      returnAddress: row.return_address,
      authorisedPerson: row.authorised_person,
      votingMethodInForce: method,
      statementBlocked: statementBlock(row.opening_date, row.dismissal_statement_reviewed),
    },
    entitled,
    workplaces,
    duplicatesPending: new Set(duplicates),
    changedSince,
    scopeEmployers: await ballotEmployersNamed(ctx.db, id),
  });
  return { row, checks, entitled };
}

export async function preflight(ctx: Ctx, id: number): Promise<PreflightDto> {
  const { row, checks } = await runBallotPreflight(ctx, id);
  return { ballotId: id, electorateHash: row.electorate_hash, blocking: isBlocking(checks), checks };
}
