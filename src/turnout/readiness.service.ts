/**
 * Readiness of each constituency of a dispute before its ballot opens (and while it runs), and the
 * aggregation advisor over the same figures or an indicative ballot's results.
 */
import { authorize, type Grant } from "../auth/index.js";
import { ballotReach } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { thresholdsFor } from "../law/index.js";
import { loadCommencements } from "../settings/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { type AdvisorUnit, adviseAggregation } from "./advisor.js";
import { priorFromReadiness, type TurnoutPrior } from "./forecast.js";
import { MARGINAL_POINTS, READINESS_WEIGHTS, type ReadinessProfile, readiness } from "./readiness.js";
import type { AdviceDto, AdviseInput, ConstituencyReadinessDto, ReadinessDto } from "./readiness.model.js";
import {
  type ProfileRow,
  selectOrgNames,
  selectReadinessProfiles,
  selectRepCounts,
} from "./readiness.store.js";
import { selectBallotAndDispute, selectConstituencies } from "./turnout.store.js";

/** "Contacted in the last 30 days." */
export const CONTACT_WINDOW_DAYS = 30;
const FLAG_ORDER = { cannot_reach: 0, marginal: 1, on_course: 2, no_threshold: 3, no_members: 4 } as const;

const notFound = (id: number) => new AppError("ballots.not_found", `No ballot ${id}.`, { id });

async function gather(ctx: Ctx, ballotId: number) {
  const grant = authorize(ctx.actor, "turnout.read");
  const reach = ballotReach(ctx.actor, grant);
  const ballot = await selectBallotAndDispute(ctx.db, reach, ballotId);
  if (!ballot) throw notFound(ballotId);
  const constituencies = await selectConstituencies(ctx.db, reach, ballot.dispute_id);
  const frozen = constituencies.filter((c) => c.electorate_entitled !== null).map((c) => c.id);
  const open = constituencies.filter((c) => c.electorate_entitled === null).map((c) => c.id);
  const since = new Date(ctx.clock.now().getTime() - CONTACT_WINDOW_DAYS * 86_400_000);
  const [profiles, reps, law] = await Promise.all([
    selectReadinessProfiles(ctx.db, reach, frozen, open, since),
    selectRepCounts(
      ctx.db,
      grant,
      constituencies.map((c) => c.id),
    ),
    loadCommencements(ctx.db, grant.unionId),
  ]);
  const thresholds = new Map(
    constituencies.map((c) => [
      c.id,
      thresholdsFor({
        openingDate: c.opening_date,
        jurisdiction: c.northern_ireland ? "ni" : "gb",
        importantPublicServices: c.ips_belief,
        walesDevolved: c.wales_devolved,
        commencements: law.overrides,
        commencementSources: law.sources,
      }),
    ]),
  );
  return { grant, ballot, constituencies, frozen: new Set(frozen), profiles, reps, thresholds, law };
}

const asProfile = (r: ProfileRow): ReadinessProfile => ({
  postal: r.postal,
  digital: r.digital,
  rep: r.rep,
  contacted: r.contacted,
  pledged: r.pledged,
  members: r.n,
});

/**
 * Per constituency of the ballot's dispute the reader reaches: the share of members with a postal
 * address, an email or mobile, an active rep, a contact in the last 30 days and a pledge to vote; the
 * turnout this implies and whether it falls short of the threshold (flagged early).
 */
export async function turnoutReadiness(ctx: Ctx, ballotId: number): Promise<ReadinessDto> {
  const g = await gather(ctx, ballotId);
  const rows: ConstituencyReadinessDto[] = g.constituencies.map((c) => ({
    ballotId: c.id,
    name: c.name,
    openingDate: c.opening_date,
    frozen: g.frozen.has(c.id),
    ...readiness(
      g.profiles.filter((p) => p.ballot_id === c.id).map(asProfile),
      g.reps.get(c.id) ?? 0,
      g.thresholds.get(c.id)?.turnout?.percent ?? null,
    ),
  }));
  rows.sort(
    (a, b) =>
      FLAG_ORDER[a.flag] - FLAG_ORDER[b.flag] || a.name.localeCompare(b.name) || a.ballotId - b.ballotId,
  );
  return {
    ballot: { id: g.ballot.id, name: g.ballot.name },
    dispute: { id: g.ballot.dispute_id, title: g.ballot.dispute_title },
    asAt: ukDate(ctx.clock.now()),
    model: { ...READINESS_WEIGHTS, marginalPoints: MARGINAL_POINTS },
    constituencies: rows,
  };
}

/**
 * The aggregation advisor for the ballot's dispute: units are the members of each workplace and job
 * category the reader reaches, with readiness's implied turnout (or the indicative ballot's figures for
 * the workplaces given) and the expected Yes share.
 */
export async function adviseDispute(ctx: Ctx, ballotId: number, input: AdviseInput): Promise<AdviceDto> {
  const g = await gather(ctx, ballotId);
  const indicative = new Map(input.indicative.map((i) => [i.workplaceId, i]));
  const unaffected = new Set(input.unaffectedWorkplaceIds);
  const byId = new Map(g.constituencies.map((c) => [c.id, c]));
  const units = new Map<string, { row: ProfileRow; profiles: ReadinessProfile[] }>();
  for (const r of g.profiles) {
    const key = `${r.employer_id}:${r.workplace_id ?? 0}:${r.job_category ?? ""}`;
    const u = units.get(key) ?? { row: r, profiles: [] };
    u.profiles.push(asProfile(r));
    units.set(key, u);
  }
  const names = await selectOrgNames(
    ctx.db,
    g.grant.unionId,
    [...new Set(g.profiles.map((p) => p.employer_id))],
    [...new Set(g.profiles.flatMap((p) => (p.workplace_id ? [p.workplace_id] : [])))],
  );
  const employer = new Map(names.employers.map((e) => [e.id, e]));
  const workplace = new Map(names.workplaces.map((w) => [w.id, w.name]));
  let fromIndicative = 0;
  const advisorUnits: AdvisorUnit[] = [...units.values()].map(({ row, profiles }) => {
    const ballot = byId.get(row.ballot_id)!;
    const implied = readiness(profiles, 0, null);
    const ind = row.workplace_id ? indicative.get(row.workplace_id) : undefined;
    if (ind) fromIndicative++;
    const e = employer.get(row.employer_id);
    const employerName = e?.name ?? `Employer ${row.employer_id}`;
    return {
      // Members with no workplace recorded form one unit per employer (workplace 0).
      workplaceId: row.workplace_id ?? 0,
      workplaceName: row.workplace_id
        ? (workplace.get(row.workplace_id) ?? `Workplace ${row.workplace_id}`)
        : `${employerName}: no workplace recorded`,
      employerId: row.employer_id,
      employerName,
      occupation: row.job_category,
      entitled: implied.members,
      turnout: ind ? ind.turnout : implied.impliedTurnout,
      yesShare: ind ? ind.yesShare : input.yesShare,
      affected: !unaffected.has(row.workplace_id ?? 0),
      importantPublicServices: ballot.ips_belief,
      walesDevolved: ballot.wales_devolved,
      jurisdiction: e?.nation === "northern_ireland" ? "ni" : "gb",
    };
  });
  const openingDate = g.constituencies.map((c) => c.opening_date).sort()[0] ?? ukDate(ctx.clock.now());
  const advice = adviseAggregation({
    openingDate,
    units: advisorUnits,
    commencements: g.law.overrides,
    commencementSources: g.law.sources,
  });
  return {
    dispute: { id: g.ballot.dispute_id, title: g.ballot.dispute_title },
    openingDate,
    sources: { indicative: fromIndicative, readiness: advisorUnits.length - fromIndicative },
    ...advice,
  };
}

/**
 * The aggregation advisor for a dispute named by its id (the command line): the same advice as for any
 * of its ballots the reader reaches. A dispute with no ballot the reader reaches answers as not found.
 */
export async function adviseDisputeById(ctx: Ctx, disputeId: number, input: AdviseInput): Promise<AdviceDto> {
  const grant = authorize(ctx.actor, "turnout.read");
  const [first] = await selectConstituencies(ctx.db, ballotReach(ctx.actor, grant), disputeId);
  if (!first)
    throw new AppError("disputes.not_found", `No dispute ${disputeId} with a ballot you can see.`, {
      id: disputeId,
    });
  return adviseDispute(ctx, first.id, input);
}

/**
 * How long a constituency's readiness prior is kept. Readiness moves over days (contacts, pledges),
 * while a ballot's status is read every few seconds and a national electorate's facts take seconds to
 * count: the forecast's prior may be up to five minutes old.
 */
export const READINESS_PRIOR_MAX_AGE_MS = 5 * 60_000;
const priorCache = new WeakMap<Db, Map<number, { prior: TurnoutPrior | null; at: number }>>();

/**
 * The forecast's prior from readiness for these frozen constituencies: the turnout the whole
 * constituency's frozen electorate implies (not only the reader's part of it: the forecast, like the
 * returns, is the constituency's), none under MIN_READINESS_MEMBERS members. The caller has authorised
 * the reader for the constituencies' status; kept per constituency up to READINESS_PRIOR_MAX_AGE_MS.
 */
export async function readinessPriors(
  ctx: Ctx,
  grant: Grant,
  ballotIds: number[],
): Promise<Map<number, TurnoutPrior>> {
  const cache = priorCache.get(ctx.db) ?? new Map<number, { prior: TurnoutPrior | null; at: number }>();
  priorCache.set(ctx.db, cache);
  const now = performance.now();
  const stale = ballotIds.filter((id) => {
    const hit = cache.get(id);
    return !hit || now - hit.at > READINESS_PRIOR_MAX_AGE_MS;
  });
  if (stale.length) {
    const whole = { grant: { ...grant, rows: { kind: "all" as const } }, appointedUserId: null };
    const since = new Date(ctx.clock.now().getTime() - CONTACT_WINDOW_DAYS * 86_400_000);
    const profiles = await selectReadinessProfiles(ctx.db, whole, stale, [], since);
    const byBallot = new Map<number, ReadinessProfile[]>();
    for (const p of profiles) byBallot.set(p.ballot_id, [...(byBallot.get(p.ballot_id) ?? []), asProfile(p)]);
    for (const id of stale) {
      const r = readiness(byBallot.get(id) ?? [], 0, null);
      cache.set(id, { prior: priorFromReadiness(r.impliedTurnout, r.members), at: now });
    }
  }
  const out = new Map<number, TurnoutPrior>();
  for (const id of ballotIds) {
    const prior = cache.get(id)?.prior;
    if (prior) out.set(id, prior);
  }
  return out;
}
