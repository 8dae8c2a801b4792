/**
 * Turnout while a ballot runs (decisions in docs/architecture.md, "Turnout"): the scrutineer's returns
 * imported for a dispute's constituencies, members' own reports recorded, and the status of every
 * constituency the reader reaches: votes still needed, the forecast, the ranking and the roll-ups.
 */

import { type AuditEntry, type AuditEvent, recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import { ballotReach } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { thresholdsFor } from "../law/index.js";
import { loadCommencements } from "../settings/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { formatProblem } from "../shared/problems.js";
import { priorFromIndicativeRoll, type TurnoutPrior } from "./forecast.js";
import { constituencyTurnout, type Group, rankConstituencies, rollUp } from "./needed.js";
import { readinessPriors } from "./readiness.service.js";
import { checkRunningTotals, parseReturns, type ReturnsTarget } from "./returns-csv.js";
import {
  type ImportReturnsDto,
  type ImportReturnsInput,
  type RecordSelfReportInput,
  SELF_REPORT_KINDS,
  type SelfReportDto,
  type SelfReportKind,
  type TurnoutStatusDto,
} from "./turnout.model.js";
import {
  insertSelfReport,
  selectBallotAndDispute,
  selectConstituencies,
  selectIndicativeTurnouts,
  selectReportCounts,
  selectReportTarget,
  selectReturns,
  selectScopeEntries,
  upsertReturns,
} from "./turnout.store.js";

/** The longest the status computation holds the event loop before letting other requests run. */
const SLICE_MS = 8;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const notFound = (id: number) => new AppError("ballots.not_found", `No ballot ${id}.`, { id });

/**
 * Records the scrutineer's returns for the constituencies of the ballot's dispute (the coordinated
 * ballot): the file names each constituency. Any problem refuses the whole file and records nothing.
 */
export async function importReturns(
  ctx: Ctx,
  ballotId: number,
  input: ImportReturnsInput,
): Promise<ImportReturnsDto> {
  const grant = authorize(ctx.actor, "turnout.returns");
  const reach = ballotReach(ctx.actor, grant);
  const ballot = await selectBallotAndDispute(ctx.db, reach, ballotId);
  if (!ballot) throw notFound(ballotId);
  const constituencies = await selectConstituencies(ctx.db, reach, ballot.dispute_id);
  const entries = await selectScopeEntries(
    ctx.db,
    grant,
    constituencies.map((c) => c.id),
  );
  const targets: ReturnsTarget[] = constituencies.map((c) => {
    const own = entries.filter((e) => e.ballot_id === c.id);
    const workplaces = [...new Set(own.map((e) => e.workplace_name))];
    return {
      ballotId: c.id,
      name: c.name,
      // A constituency of one workplace is also named by it (a disaggregated ballot).
      aliases: own.length === 1 && workplaces[0] ? [workplaces[0]] : [],
      openingDate: c.opening_date,
      closingDate: c.closing_date,
      entitled: c.electorate_entitled,
    };
  });
  const today = ukDate(ctx.clock.now());
  const { rows, problems } = parseReturns(input.csv, input.fileName, targets, today);
  if (!problems.length) {
    const recorded = await selectReturns(ctx.db, grant.unionId, [...new Set(rows.map((r) => r.ballotId))]);
    problems.push(
      ...checkRunningTotals(
        input.fileName,
        rows,
        recorded.map((r) => ({ ballotId: r.ballot_id, date: r.as_of, papersReturned: r.papers_returned })),
      ),
    );
  }
  if (problems.length) {
    const shown = problems.slice(0, 5).map(formatProblem).join("; ");
    throw new AppError(
      "turnout.invalid_returns",
      `The returns file was refused, nothing was recorded: ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${shown}${problems.length > 5 ? "; ..." : ""}`,
      { problems },
    );
  }
  const ballots = new Set(rows.map((r) => r.ballotId)).size;
  await withTx(ctx.db, async (tx) => {
    await upsertReturns(tx, grant.unionId, rows, ctx.actor.userId, ctx.clock.now());
    await recordAudit({ ...ctx, db: tx }, "turnout.returns_imported", {
      subjectType: "dispute",
      subjectId: ballot.dispute_id,
      details: { rows: rows.length, constituencies: ballots },
    });
  });
  return { disputeId: ballot.dispute_id, rows: rows.length, constituencies: ballots };
}

/**
 * A member's own report (from a rep's conversation or the member link): only for a member of the
 * ballot's frozen electorate inside the writer's scope (a rep: their workplaces' members).
 */
export async function recordSelfReport(
  ctx: Ctx,
  ballotId: number,
  input: RecordSelfReportInput,
): Promise<SelfReportDto> {
  return withTx(ctx.db, async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const { report, audit } = await insertCheckedSelfReport(txCtx, ballotId, input);
    await recordAudit(txCtx, audit.event, audit.entry);
    return report;
  });
}

/**
 * A member's own report checked and inserted in `ctx.db` (the caller's transaction), with its audit
 * entry handed back unwritten: a caller that writes more rows in the same transaction (a rep's contact)
 * writes them first and the audit rows last. The audit chain's head is locked to the end of the
 * transaction, and so are the daily activity counts a row moves: a transaction that took the head and
 * then a count deadlocks with one that took the count and waits for the head.
 */
export async function insertCheckedSelfReport(
  ctx: Ctx,
  ballotId: number,
  input: RecordSelfReportInput,
): Promise<{ report: SelfReportDto; audit: { event: AuditEvent; entry: AuditEntry } }> {
  await checkSelfReport(ctx, ballotId, input);
  return insertSelfReportChecked(ctx, ballotId, input);
}

/**
 * The checks of a member's own report, without writing: the permission, the ballot's reach, the member
 * in the writer's scope and in the frozen electorate. A caller may run them before its transaction (in
 * parallel with its own checks) and then insert with `insertSelfReportChecked` inside it.
 */
export async function checkSelfReport(
  ctx: Ctx,
  ballotId: number,
  input: RecordSelfReportInput,
): Promise<void> {
  const grant = authorize(ctx.actor, "turnout.reports");
  const member = await selectReportTarget(ctx.db, ballotReach(ctx.actor, grant), ballotId, input.memberId);
  if (!member) throw notFound(ballotId);
  if (!member.inScope)
    throw new AppError("members.not_found", `No member ${input.memberId}.`, { id: input.memberId });
  if (!member.inElectorate)
    throw new AppError(
      "turnout.not_in_electorate",
      `Member ${input.memberId} is not in the frozen electorate of ballot ${ballotId}.`,
      { memberId: input.memberId, ballotId },
    );
}

/** Inserts a report that `checkSelfReport` passed (in the caller's transaction); its audit entry unwritten. */
export async function insertSelfReportChecked(
  ctx: Ctx,
  ballotId: number,
  input: RecordSelfReportInput,
): Promise<{ report: SelfReportDto; audit: { event: AuditEvent; entry: AuditEntry } }> {
  const grant = authorize(ctx.actor, "turnout.reports");
  const row = await insertSelfReport(
    ctx.db,
    grant.unionId,
    { ballotId, memberId: input.memberId, kind: input.kind, source: input.source },
    ctx.actor.userId,
    ctx.clock.now(),
  );
  return {
    report: {
      id: row.id,
      ballotId,
      memberId: input.memberId,
      kind: input.kind,
      source: input.source,
      recordedAt: new Date(row.recorded_at).toISOString(),
    },
    audit: {
      event: "turnout.self_report_recorded",
      entry: {
        subjectType: "member",
        subjectId: input.memberId,
        details: { ballotId, source: input.source, reportId: row.id },
      },
    },
  };
}

/**
 * The status of every constituency of the ballot's dispute that the reader reaches (a regional officer:
 * the constituencies of their regions), as at today. Observers get the region and sector roll-ups only.
 */
export async function turnoutStatus(ctx: Ctx, ballotId: number): Promise<TurnoutStatusDto> {
  return (await statusDetail(ctx, ballotId)).status;
}

/** The status and what it was computed from: each constituency's groups and returns (the dashboards). */
export async function statusDetail(ctx: Ctx, ballotId: number) {
  const grant = authorize(ctx.actor, "turnout.read");
  const reach = ballotReach(ctx.actor, grant);
  const ballot = await selectBallotAndDispute(ctx.db, reach, ballotId);
  if (!ballot) throw notFound(ballotId);
  const all = await selectConstituencies(ctx.db, reach, ballot.dispute_id);
  const frozen = all.filter((c) => c.electorate_entitled !== null && c.electorate_entitled > 0);
  const ids = frozen.map((c) => c.id);
  const frozenIds = new Set(ids);
  const [entries, returns, reports, law, indicative] = await Promise.all([
    selectScopeEntries(ctx.db, grant, ids),
    selectReturns(ctx.db, grant.unionId, ids),
    selectReportCounts(ctx.db, grant.unionId, ids),
    loadCommencements(ctx.db, grant.unionId),
    selectIndicativeTurnouts(ctx.db, grant.unionId, ballot.dispute_id, ids),
  ]);
  // The forecast's prior: the constituency's turnout in the latest closed indicative ballot by ballot,
  // else the turnout its readiness implies (a wider band).
  const priors = new Map<number, { prior: TurnoutPrior; source: "indicative" | "readiness" }>();
  for (const i of indicative) {
    const prior = priorFromIndicativeRoll(i.roll, i.voted);
    if (prior) priors.set(i.ballotId, { prior, source: "indicative" });
  }
  const today = ukDate(ctx.clock.now());
  // Readiness is counted only where it can still matter: a closed ballot's forecast is its last return.
  const withoutIndicative = frozen
    .filter((c) => c.closing_date >= today && !priors.has(c.id))
    .map((c) => c.id);
  if (withoutIndicative.length)
    for (const [id, prior] of await readinessPriors(ctx, grant, withoutIndicative))
      priors.set(id, { prior, source: "readiness" });
  const groups = new Map<
    number,
    { employers: Group[]; workplaces: Group[]; regions: Group[]; sectors: Group[] }
  >();
  const add = (list: Group[], id: number | null, name: string | null) => {
    if (id !== null && name !== null && !list.some((g) => g.id === id)) list.push({ id, name });
  };
  for (const e of entries) {
    // Only the parts of a constituency the reader reaches make its roll-up rows.
    if (!e.in_reach) continue;
    const g = groups.get(e.ballot_id) ?? { employers: [], workplaces: [], regions: [], sectors: [] };
    add(g.employers, e.employer_id, e.employer_name);
    add(g.workplaces, e.workplace_id, e.workplace_name);
    add(g.regions, e.region_id, e.region_name);
    add(g.sectors, e.sector_id, e.sector_name);
    groups.set(e.ballot_id, g);
  }
  // Indexed by constituency once: a national dispute has thousands of constituencies.
  const reportsOf = new Map<number, Record<SelfReportKind, number>>();
  for (const r of reports) {
    const out =
      reportsOf.get(r.ballotId) ??
      (Object.fromEntries(SELF_REPORT_KINDS.map((k) => [k, 0])) as Record<SelfReportKind, number>);
    out[r.kind as SelfReportKind] = r.count;
    reportsOf.set(r.ballotId, out);
  }
  const counts = (id: number) =>
    reportsOf.get(id) ??
    (Object.fromEntries(SELF_REPORT_KINDS.map((k) => [k, 0])) as Record<SelfReportKind, number>);
  const returnsOf = new Map<number, { date: string; papersReturned: number }[]>();
  for (const r of returns) {
    const list = returnsOf.get(r.ballot_id) ?? [];
    list.push({ date: r.as_of, papersReturned: r.papers_returned });
    returnsOf.set(r.ballot_id, list);
  }
  // Computed in slices, giving the event loop back between them: a national dispute's five thousand
  // constituencies take a second or more of CPU, and requests arriving meanwhile (kept figures served
  // in a millisecond) must not wait behind it.
  // The law for each combination of opening day and regime once: a dispute's constituencies share a few.
  const lawFor = new Map<string, ReturnType<typeof thresholdsFor>>();
  const thresholdsOf = (c: (typeof frozen)[number]) => {
    const key = `${c.opening_date}|${c.northern_ireland}|${c.ips_belief}|${c.wales_devolved}`;
    let t = lawFor.get(key);
    if (!t) {
      t = thresholdsFor({
        openingDate: c.opening_date,
        jurisdiction: c.northern_ireland ? "ni" : "gb",
        importantPublicServices: c.ips_belief,
        walesDevolved: c.wales_devolved,
        commencements: law.overrides,
        commencementSources: law.sources,
      });
      lawFor.set(key, t);
    }
    return t;
  };
  const computed: ReturnType<typeof constituencyTurnout>[] = [];
  let sliceStart = performance.now();
  for (const c of frozen) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
    computed.push(
      constituencyTurnout(
        {
          ballotId: c.id,
          name: c.name,
          entitled: c.electorate_entitled!,
          openingDate: c.opening_date,
          closingDate: c.closing_date,
          thresholds: thresholdsOf(c),
          returns: returnsOf.get(c.id) ?? [],
          wontVote: counts(c.id).wont_vote,
          prior: priors.get(c.id)?.prior ?? null,
          groups: groups.get(c.id) ?? { employers: [], workplaces: [], regions: [], sectors: [] },
        },
        today,
      ),
    );
  }
  await yieldToLoop();
  const ranked = rankConstituencies(computed);
  const of = (dimension: "employers" | "workplaces" | "regions" | "sectors") =>
    rollUp(ranked, (c) => groups.get(c.ballotId)?.[dimension] ?? []);
  const breakdown = grant.view !== "aggregate";
  const status: TurnoutStatusDto = {
    ballot: { id: ballot.id, name: ballot.name },
    dispute: { id: ballot.dispute_id, title: ballot.dispute_title },
    asAt: today,
    constituencies: ranked.map((c) => ({
      ...c,
      priorSource: priors.get(c.ballotId)?.source ?? null,
      reports: counts(c.ballotId),
    })),
    notFrozen: all.filter((c) => !frozenIds.has(c.id)).map((c) => ({ ballotId: c.id, name: c.name })),
    rollups: {
      employers: breakdown ? of("employers") : [],
      workplaces: breakdown ? of("workplaces") : [],
      regions: of("regions"),
      sectors: of("sectors"),
    },
  };
  return {
    status,
    grant,
    groups,
    returns,
    thresholds: new Map(computed.map((c) => [c.ballotId, c.turnoutThreshold])),
  };
}
