/**
 * Freezing the electorate. The officer's request queues a job (queueFreeze);
 * the job runs freezeElectorate, in one repeatable-read transaction: a first
 * pass reads the members' facts (with COPY) and decides each one's entitlement
 * as they stream, then numbers the papers; a second pass, a window of members
 * at a time, reads what each snapshot row copies from the member (name,
 * addresses), builds the rows by electorate.ts's rules, hashes them in
 * member-id order into the fingerprint and writes them with COPY. Memory holds
 * a few numbers per member and one window's rows, never the whole membership.
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
import type { Db } from "../db/database.js";
import { enqueueJob, type JobDto } from "../jobs/index.js";
import type { IsoDate } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { type BallotRow, loadBallotRow, refuseUnless } from "./ballot-access.js";
import type { ElectorateSummaryDto } from "./ballots.model.js";
import { ballotScopeRows } from "./ballots.store.js";
import {
  electorateDecider,
  electorateHasher,
  type MemberFacts,
  paperNumbers as numberPapers,
  type PaperKey,
  REASONS,
  type Reason,
  type SnapshotRow,
  snapshotAddress,
  snapshotName,
} from "./electorate.js";
import { electorateSummary } from "./electorate.service.js";
import {
  ALL_SNAPSHOT_FIELDS,
  attachSnapshotTable,
  checkSnapshotTable,
  clearElectorate,
  copySnapshotRows,
  createSnapshotTable,
  hasOwnPartition,
  indexSnapshotTable,
  markFrozen,
  memberFactsWindow,
  memberIdRange,
  OWN_PARTITION_FROM,
  SNAPSHOT_FIELDS,
  type SnapshotTarget,
  type StoredFacts,
  snapshotCopyLine,
  snapshotSourceWindow,
} from "./freeze.store.js";
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

/**
 * A member's facts as the ballot counts them: a partner union's member at the
 * balloting union's employer and workplace, and without a job category its
 * agreement does not share.
 */
function countedFacts(m: StoredFacts, q: CandidateQuery): MemberFacts {
  const partner = m.unionId === q.unionId ? null : q.shared.get(m.unionId);
  const employerId = q.partners.employers.get(m.employerId) ?? m.employerId;
  const workplaceId =
    m.workplaceId === null
      ? null
      : (q.partners.workplaces.get(m.workplaceId) ?? (m.unionId === q.unionId ? m.workplaceId : null));
  const jobCategory = !partner || partner.fields.has("job_category") ? m.jobCategory : null;
  if (employerId === m.employerId && workplaceId === m.workplaceId && jobCategory === m.jobCategory) return m;
  return { ...m, employerId, workplaceId, jobCategory };
}

/** Which fields the snapshot copies of a member of this union (freeze.store.ts SNAPSHOT_FIELDS). */
function snapshotFields(unionId: number, q: CandidateQuery): number {
  const partner = unionId === q.unionId ? null : q.shared.get(unionId);
  if (!partner) return ALL_SNAPSHOT_FIELDS;
  const bits: [PartnerField, number][] = [
    ["name", SNAPSHOT_FIELDS.name],
    ["address", SNAPSHOT_FIELDS.address],
    ["check_off", SNAPSHOT_FIELDS.checkOff],
    ["job_category", SNAPSHOT_FIELDS.jobCategory],
  ];
  return bits.reduce((n, [field, bit]) => (partner.fields.has(field) ? n | bit : n), 0);
}

/** Member ids per window: each read of facts and each statement writing the snapshot covers this many ids. */
const WINDOW = 50_000;

export interface FreezeOptions {
  /** The day to freeze as at (the job's); today by default. */
  asAt?: IsoDate;
  /** Members written so far, of how many: once a window, with the freeze's open transaction. */
  onProgress?: (done: number, total: number | null, tx: Db) => Promise<void> | void;
  /** Throws to stop between windows (a cancel, a lost lease): the transaction rolls back. */
  throwIfStopped?: () => void;
  /** Filled with the seconds each phase took (the benchmark and the job's result report them). */
  phases?: FreezePhases;
  /**
   * Listed members from which the snapshot goes into a table of the ballot's own,
   * attached as its partition (freeze.store.ts OWN_PARTITION_FROM); tests lower it.
   */
  ownPartitionFrom?: number;
  /** Members a window of the second pass (50,000); tests lower it to cross windows with few members. */
  window?: number;
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
    const decide = electorateDecider(rules);
    lap("setup");

    // First pass: each member's facts, decided as they come. What stays in memory is what the paper
    // numbers are sorted by, for the entitled only, and a few numbers for each member listed.
    const memberIds: number[] = [];
    const reasons: Reason[] = [];
    const employerIds: number[] = [];
    const workplaceIds: (number | null)[] = [];
    const unionIds: number[] = [];
    const entitledKeys: PaperKey[] = [];
    const entitledAt: number[] = [];
    const range = await memberIdRange(tx, query.unions);
    if (range) {
      for (let after = range.first - 1; after < range.last; after += WINDOW) {
        stop();
        await memberFactsWindow(tx, query, after, Math.min(after + WINDOW, range.last), (stored) => {
          const m = countedFacts(stored, query);
          const reason = decide(m);
          if (REASONS[reason].included) {
            entitledAt.push(memberIds.length);
            entitledKeys.push({
              employerId: m.employerId,
              workplaceId: m.workplaceId,
              membershipNumber: m.membershipNumber,
              memberId: m.memberId,
            });
          }
          memberIds.push(m.memberId);
          reasons.push(reason);
          employerIds.push(m.employerId);
          workplaceIds.push(m.workplaceId);
          unionIds.push(m.unionId);
        });
      }
    }
    lap("read_and_decide");
    const total = memberIds.length;
    const paperNumbers = new Int32Array(total);
    numberPapers(entitledKeys).forEach((number, k) => {
      paperNumbers[entitledAt[k]!] = number;
    });
    entitledKeys.length = 0;
    lap("paper_numbers");

    let entitled = 0;
    const byPartner = new Map<number, { listed: number; entitled: number }>();
    // A large electorate (or a ballot given a table of its own by an earlier freeze) goes into a new table
    // without indexes or foreign key, attached as the ballot's partition once loaded; a small one replaces
    // the ballot's rows in the shared partition (decisions/0026).
    const own = total >= (options.ownPartitionFrom ?? OWN_PARTITION_FROM) || (await hasOwnPartition(tx, id));
    let target: SnapshotTarget = "ballot_electorate";
    if (own) target = await createSnapshotTable(tx, id);
    else await clearElectorate(tx, id);
    await options.onProgress?.(0, total, tx);
    lap("progress");

    // Second pass: a window of listed members at a time, what each row copies from the member is read,
    // the row built (name and postal address by electorate.ts's rules, fields a partner's agreement does
    // not share left out), hashed into the fingerprint in member-id order and written with COPY.
    const fieldsOf = new Map<number, number>();
    const hasher = electorateHasher(asAt);
    let listed = 0;
    const changed = () =>
      new AppError(
        "ballots.membership_changed",
        "The membership changed while the electorate was being frozen; freeze again.",
      );
    const windowSize = options.window ?? WINDOW;
    for (let from = 0; from < total; from += windowSize) {
      stop();
      const to = Math.min(from + windowSize, total);
      const after = from === 0 ? 0 : memberIds[from - 1]!;
      const upTo = memberIds[to - 1]!;
      const lines: string[] = [];
      let i = from;
      const sources = await snapshotSourceWindow(tx, query, after, upTo);
      lap("read_rows");
      for (const m of sources) {
        if (i >= to || memberIds[i] !== m.memberId) throw changed();
        const unionId = unionIds[i]!;
        let fields = fieldsOf.get(unionId);
        if (fields === undefined) {
          fields = snapshotFields(unionId, query);
          fieldsOf.set(unionId, fields);
        }
        const reason = reasons[i]!;
        const included = REASONS[reason].included;
        if (included) entitled++;
        if (unionId !== grant.unionId) {
          const p = byPartner.get(unionId) ?? { listed: 0, entitled: 0 };
          p.listed++;
          if (included) p.entitled++;
          byPartner.set(unionId, p);
        }
        const address =
          fields & SNAPSHOT_FIELDS.address ? snapshotAddress(m) : { addressLines: [], postcode: null };
        const entry: SnapshotRow = {
          memberId: m.memberId,
          unionId,
          membershipNumber: m.membershipNumber,
          included,
          reason,
          employerId: employerIds[i]!,
          workplaceId: workplaceIds[i]!,
          jobCategory: fields & SNAPSHOT_FIELDS.jobCategory ? m.jobCategory : null,
          checkOff: fields & SNAPSHOT_FIELDS.checkOff ? m.checkOff : false,
          leftOn: m.leftOn,
          paperNumber: paperNumbers[i] || null,
          name: fields & SNAPSHOT_FIELDS.name ? snapshotName(m) : "",
          addressLines: address.addressLines,
          postcode: address.postcode,
        };
        hasher.add(entry);
        lines.push(snapshotCopyLine(id, entry));
        i++;
      }
      if (i !== to) throw changed();
      lap("build_and_hash_rows");
      await copySnapshotRows(tx, target, lines);
      listed += to - from;
      lap("write_snapshot");
      await options.onProgress?.(listed, total, tx);
      lap("progress");
    }
    if (own) {
      await indexSnapshotTable(tx, target);
      lap("build_indexes");
      await checkSnapshotTable(tx, target);
      lap("foreign_key_and_statistics");
      await attachSnapshotTable(tx, id, target);
      lap("attach");
    }
    const hash = hasher.digest();
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
