/**
 * Freezing the electorate. The officer's request queues a job (queueFreeze);
 * the job runs freezeElectorate, in one repeatable-read transaction: a first
 * pass over the members decides each one's entitlement and paper number from
 * the facts alone; a second pass, in the same order, writes each member with
 * their name and postal address (with COPY) and feeds the fingerprint. Memory
 * holds the facts, never the whole membership.
 *
 * A freeze is one transaction, so a worker killed half-way leaves nothing
 * behind and the worker that takes the job over freezes again from the
 * start; the day the electorate is frozen as at travels in the job, so the
 * second run gives the same rows, counts and fingerprint as the first would
 * have (decisions/0018).
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { copyText, copyTextArray } from "../db/copy.js";
import type { Db } from "../db/database.js";
import { enqueueJob, type JobDto } from "../jobs/index.js";
import type { IsoDate } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { ElectorateSummaryDto } from "./ballots.model.js";
import { type BallotRow, electorateSummary, loadBallotRow, refuseUnless } from "./ballots.service.js";
import {
  ballotScopeRows,
  clearElectorate,
  type MemberForFreeze,
  markFrozen,
  memberIdRange,
  memberPageForFreeze,
  writeElectorateLines,
} from "./ballots.store.js";
import { type CandidateMember, decideElectorate, electorateHasher, type MemberFacts } from "./electorate.js";
import type { PartnerField } from "./partner-agreements.model.js";
import { type AgreedPartner, acceptedPartnerFields, partnerEmployers } from "./partner-agreements.service.js";

export const FREEZE_JOB = "electorate_freeze";

export interface FreezePayload {
  ballotId: number;
  /** The day the officer asked for: a run taken over the next day still freezes as at this day. */
  asAt: IsoDate;
}

/**
 * Queues the freeze as a job of the queue and returns it (202 over HTTP): the
 * permission and the ballot's state are checked now, so a refusal is
 * immediate, and again when the job runs.
 */
export async function queueFreeze(ctx: Ctx, id: number): Promise<JobDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  refuseUnless(row.state, "freeze");
  try {
    return await enqueueJob(
      ctx,
      FREEZE_JOB,
      { ballotId: id, asAt: ukDate(ctx.clock.now()) } satisfies FreezePayload,
      {
        dedupeKey: `freeze:${id}`,
      },
    );
  } catch (e) {
    if (e instanceof AppError && e.code === "jobs.already_queued")
      throw new AppError("ballots.freeze_running", "This ballot's electorate is being frozen already.", {
        id,
      });
    throw e;
  }
}

function addressOf(r: MemberForFreeze): { lines: string[]; postcode: string | null } {
  // s.230(2): the home address, or another address the member asked in writing to be used.
  if (r.postalAddress?.trim()) {
    return {
      lines: r.postalAddress
        .split(/\r?\n|,/)
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 4),
      postcode: r.postalPostcode,
    };
  }
  return {
    lines: [r.addressLine1, r.addressLine2, r.town].filter((l): l is string => !!l?.trim()),
    postcode: r.homePostcode,
  };
}

interface CandidateQuery {
  unions: number[];
  employers: number[];
  unionId: number;
  partners: { employers: Map<number, number>; workplaces: Map<number, number> };
  /** Per partner union, the fields its accepted agreement lets the snapshot copy. */
  shared: Map<number, AgreedPartner>;
}

async function candidateQuery(
  db: Db,
  unionId: number,
  row: BallotRow,
  employerIds: number[],
): Promise<CandidateQuery> {
  // Naming a partner on the ballot is not enough: only an agreement the partner accepted lets its members in,
  // and only from the partner's employers it covered when accepted (read under a share lock: a
  // withdrawal waits for this freeze, or this freeze sees it).
  const shared = await acceptedPartnerFields(db, row, true);
  const partnerIds = [...shared.keys()];
  const partners = await partnerEmployers(db, employerIds, partnerIds);
  const agreedEmployers = new Set([...shared.values()].flatMap((p) => [...p.employers]));
  for (const theirs of [...partners.employers.keys()])
    if (!agreedEmployers.has(theirs)) partners.employers.delete(theirs);
  const employers = [...employerIds, ...partners.employers.keys()];
  return { unions: [unionId, ...partnerIds], employers, unionId, partners, shared };
}

/** A member as the snapshot holds them: a partner's member carries only the fields its agreement shares. */
function candidateOf(r: MemberForFreeze, q: CandidateQuery): CandidateMember {
  const partner = r.unionId === q.unionId ? null : q.shared.get(r.unionId);
  const has = (f: PartnerField) => !partner || partner.fields.has(f);
  const address = addressOf(r);
  return {
    memberId: r.memberId,
    unionId: r.unionId,
    membershipNumber: r.membershipNumber,
    name: has("name") ? `${r.forenames} ${r.surname}`.trim() : "",
    status: r.status,
    inArrears: r.inArrears,
    checkOff: has("check_off") ? r.checkOff : false,
    joinedOn: r.joinedOn,
    leftOn: r.leftOn,
    // A partner union's member is counted at the balloting union's employer and workplace.
    employerId: q.partners.employers.get(r.employerId) ?? r.employerId,
    workplaceId:
      r.workplaceId === null
        ? null
        : (q.partners.workplaces.get(r.workplaceId) ?? (r.unionId === q.unionId ? r.workplaceId : null)),
    jobCategory: has("job_category") ? r.jobCategory : null,
    addressLines: has("address") ? address.lines : [],
    postcode: has("address") ? address.postcode : null,
  };
}

async function* pages(tx: Db, q: CandidateQuery, personal: boolean): AsyncGenerator<MemberForFreeze[]> {
  const range = await memberIdRange(tx, q.unions);
  if (!range) return;
  for (let after = range.first - 1; after < range.last; after += WINDOW) {
    const rows = await memberPageForFreeze(tx, q, after, Math.min(after + WINDOW, range.last), personal);
    if (rows.length) yield rows;
  }
}

/** Member ids per page: at most this many members in memory with their names and addresses. */
const WINDOW = 50_000;

export interface FreezeOptions {
  /** The day to freeze as at (the job's); today by default. */
  asAt?: IsoDate;
  /** Members written so far, of how many: once a page, with the freeze's open transaction. */
  onProgress?: (done: number, total: number | null, tx: Db) => Promise<void> | void;
  /** Throws to stop between pages (a cancel, a lost lease): the transaction rolls back. */
  throwIfStopped?: () => void;
  /** Filled with the seconds each phase took (the benchmark and the job's result report them). */
  phases?: FreezePhases;
}

/** Seconds per phase of a freeze, in the order they ran. */
export type FreezePhases = Record<string, number>;

function phaseClock(phases: FreezePhases) {
  let t = performance.now();
  return (name: string) => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + (now - t) / 1000;
    t = now;
  };
}

/** Freezes the electorate now, in one transaction; the job runs this. */
export async function freezeElectorate(
  ctx: Ctx,
  id: number,
  options: FreezeOptions = {},
): Promise<ElectorateSummaryDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  refuseUnless(row.state, "freeze");
  const asAt = options.asAt ?? ukDate(ctx.clock.now());
  const now = ctx.clock.now();
  const stop = options.throwIfStopped ?? (() => undefined);
  const phases: FreezePhases = options.phases ?? {};
  const lap = phaseClock(phases);
  const freeze = async (tx: Db) => {
    const scope = await ballotScopeRows(tx, id);
    const rules = {
      asAt,
      scope,
      jobCategories: row.job_categories,
      includeArrears: row.include_arrears,
    };
    const query = await candidateQuery(tx, grant.unionId, row, [...new Set(scope.map((s) => s.employerId))]);
    const facts: MemberFacts[] = [];
    lap("setup");
    for await (const page of pages(tx, query, false)) {
      lap("read_facts");
      stop();
      for (const r of page) {
        const c = candidateOf(r, query);
        facts.push({
          memberId: c.memberId,
          unionId: c.unionId,
          membershipNumber: c.membershipNumber,
          status: c.status,
          inArrears: c.inArrears,
          joinedOn: c.joinedOn,
          leftOn: c.leftOn,
          employerId: c.employerId,
          workplaceId: c.workplaceId,
          jobCategory: c.jobCategory,
        });
      }
      lap("facts_to_objects");
    }
    const decisions = decideElectorate(facts, rules);
    // The second pass needs only the order the first saw: the facts themselves can go.
    const order = Int32Array.from(facts, (m) => m.memberId);
    const total = facts.length;
    facts.length = 0;
    lap("decide");
    await clearElectorate(tx, id);
    await options.onProgress?.(0, total, tx);
    lap("setup");
    const hasher = electorateHasher(asAt);
    let listed = 0;
    let entitled = 0;
    const byPartner = new Map<number, { listed: number; entitled: number }>();
    for await (const page of pages(tx, query, true)) {
      lap("read_personal");
      stop();
      let lines = "";
      for (const r of page) {
        const c = candidateOf(r, query);
        const decision = decisions[listed];
        if (!decision || order[listed] !== c.memberId) {
          throw new AppError(
            "ballots.membership_changed",
            "The membership changed while the electorate was being frozen; freeze again.",
          );
        }
        listed++;
        const e = { ...c, ...decision };
        hasher.add(e);
        if (e.included) entitled++;
        if (e.unionId !== grant.unionId) {
          const p = byPartner.get(e.unionId) ?? { listed: 0, entitled: 0 };
          p.listed++;
          if (e.included) p.entitled++;
          byPartner.set(e.unionId, p);
        }
        lines += `${id}\t${e.memberId}\t${e.unionId}\t${copyText(e.membershipNumber)}\t${e.included ? "t" : "f"}\t${e.reason}\t${e.employerId}\t${copyText(e.workplaceId)}\t${copyText(e.jobCategory)}\t${e.checkOff ? "t" : "f"}\t${copyText(e.leftOn)}\t${copyText(e.paperNumber)}\t${copyText(e.name)}\t${copyTextArray(e.addressLines)}\t${copyText(e.postcode)}\n`;
      }
      lap("build_lines_and_hash");
      await writeElectorateLines(tx, lines);
      lap("copy_in");
      await options.onProgress?.(listed, total, tx);
      lap("progress");
    }
    if (listed !== total) {
      throw new AppError(
        "ballots.membership_changed",
        "The membership changed while the electorate was being frozen; freeze again.",
      );
    }
    const hash = hasher.digest();
    lap("build_lines_and_hash");
    await markFrozen(tx, id, { hash, entitled, asAt, at: now, by: ctx.actor.userId });
    await recordAudit({ ...ctx, db: tx }, "electorate.frozen", {
      subjectType: "ballot",
      subjectId: id,
      details: { hash, entitled, listed, asAt, partners: Object.fromEntries(byPartner) },
    });
    // The partner union's own log says its members left it, under which agreement and with which fields.
    for (const [partnerId, counts] of byPartner) {
      const agreed = query.shared.get(partnerId)!;
      await recordAudit(
        { ...ctx, db: tx, actor: { ...ctx.actor, unionId: partnerId } },
        "partner_agreement.members_shared",
        {
          subjectType: "partner_agreement",
          subjectId: agreed.agreements.join(","),
          details: {
            union: grant.unionId,
            ballot: id,
            agreements: agreed.agreements,
            fields: [...agreed.fields],
            ...counts,
          },
        },
      );
    }
    lap("mark_and_audit");
  };
  // Repeatable read: both passes see the same members.
  if (ctx.db.isTransaction) await freeze(ctx.db);
  else await ctx.db.transaction().setIsolationLevel("repeatable read").execute(freeze);
  lap("commit");
  return electorateSummary(ctx, id);
}
