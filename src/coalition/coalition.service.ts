/**
 * Coalitions of unions (decisions/0032): the coordinator sets one up and adds member unions; a union on
 * this installation agrees from its own account, a union running its own Mandate agrees on its own
 * installation (`joinRemoteCoalition`) and the coordinator registers its public key with who agreed.
 * That membership is the agreement: nothing of a union is shown to the coalition before it, and then
 * only what the union publishes (aggregates under disclosure control, and its ballots' dates).
 */
import { randomBytes } from "node:crypto";
import { unionDayTotals } from "../action/index.js";
import { recordAudit } from "../audit/index.js";
import { type Actor, authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { enqueueJob } from "../jobs/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import type {
  AddMemberInput,
  CoalitionDto,
  CoalitionMemberDto,
  CoalitionReport,
  CreateCoalitionInput,
  JoinRemoteInput,
  JointEmployerDto,
  LinkBallotsInput,
  PartnerDayDto,
  PublishResultDto,
  SignedReport,
  TimetableDto,
  UnionAggregatesDto,
  UpdateCoalitionInput,
} from "./coalition.model.js";
import {
  type BallotDatesRow,
  type CoalitionRow,
  insertCoalition,
  insertDisclosureKey,
  insertMember,
  insertReport,
  type MemberRow,
  replaceLinkedBallots,
  selectBallotDates,
  selectCoalition,
  selectCoalitions,
  selectCoordinatedCoalition,
  selectDisclosureKey,
  selectElectorateFacts,
  selectLatestReports,
  selectLinkedBallotIds,
  selectMemberByKey,
  selectMembers,
  selectOwnBallotIds,
  selectUnionBySlug,
  selectUnionName,
  updateCoalition as storeUpdateCoalition,
  updateMember,
} from "./coalition.store.js";
import { jointTimetable, type TimetableBallotInput, type TimetableUnionInput } from "./conflicts.js";
import { BREAKDOWNS, type Breakdown, type CellInput, discloseAggregates } from "./disclosure.js";
import { generateSigningKeys, isPublicKey, signReport, verifyReport } from "./signing.js";

export const COALITION_PUBLISH_JOB = "coalition_publish";

function notFound(): AppError {
  return new AppError(
    "coalition.not_found",
    "No such coalition, or your union is not an agreed member of it.",
  );
}

interface Access {
  coalition: CoalitionRow;
  members: MemberRow[];
  /** The reader's membership (null for a coalition joined from here: the row itself stands for it). */
  mine: MemberRow | null;
  coordinator: boolean;
  agreed: boolean;
}

async function access(db: Db, unionId: number, id: number, lock = false): Promise<Access> {
  const coalition = await selectCoalition(db, unionId, id, lock);
  if (!coalition) throw notFound();
  if (coalition.kind === "remote")
    return { coalition, members: [], mine: null, coordinator: false, agreed: true };
  const members = await selectMembers(db, coalition.id);
  const mine = members.find((m) => m.local_union_id === unionId) ?? null;
  return {
    coalition,
    members,
    mine,
    coordinator: coalition.union_id === unionId,
    agreed: mine?.state === "agreed",
  };
}

/** Shared data (timetable, aggregates) only to agreed members. */
async function agreedAccess(db: Db, unionId: number, id: number): Promise<Access> {
  const a = await access(db, unionId, id);
  if (!a.agreed) throw notFound();
  return a;
}

function memberDto(m: MemberRow, lastReportAsOf: string | null): CoalitionMemberDto {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    where: m.local_union_id !== null ? "here" : "elsewhere",
    state: m.state as CoalitionMemberDto["state"],
    agreedBy: m.agreed_by_label,
    agreedAt: m.agreed_at ? m.agreed_at.toISOString() : null,
    partnerOf: m.partner_of,
    brandColour: m.brand_colour,
    lastSequence: m.last_sequence,
    lastReportAsOf,
    publishDaily: m.publish_daily,
  };
}

async function dto(db: Db, unionId: number, a: Access): Promise<CoalitionDto> {
  const c = a.coalition;
  const reports = a.agreed && c.kind === "coordinated" ? await selectLatestReports(db, c.id) : [];
  const asOf = new Map(reports.map((r) => [r.member_id, r.as_of]));
  // A partner organisation sees the coalition's members, but its own figures only (see aggregates).
  return {
    id: c.id,
    kind: c.kind as CoalitionDto["kind"],
    name: c.name,
    coordinator: c.coordinator_name,
    coordinatorUrl: c.coordinator_url,
    daysOfAction: [...c.days_of_action].sort(),
    you: {
      key: c.kind === "remote" ? c.member_key : (a.mine?.key ?? null),
      coordinator: a.coordinator,
      state: a.agreed ? "agreed" : "invited",
    },
    members: a.members.map((m) => memberDto(m, asOf.get(m.id) ?? null)),
    ballotIds: await selectLinkedBallotIds(db, c.id, unionId),
    publicKey: c.kind === "remote" ? c.signing_public_key : null,
    publishDaily: c.kind === "remote" ? c.publish_daily : (a.mine?.publish_daily ?? false),
  };
}

export async function listCoalitions(ctx: Ctx): Promise<CoalitionDto[]> {
  const grant = authorize(ctx.actor, "coalition.read");
  const rows = await selectCoalitions(ctx.db, grant.unionId);
  const out: CoalitionDto[] = [];
  for (const r of rows) out.push(await dto(ctx.db, grant.unionId, await access(ctx.db, grant.unionId, r.id)));
  return out;
}

export async function getCoalition(ctx: Ctx, id: number): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.read");
  return dto(ctx.db, grant.unionId, await access(ctx.db, grant.unionId, id));
}

function uniqueKey(e: unknown): never {
  if (pgErrorCode(e) === "23505")
    throw new AppError("coalition.invalid", "That union or key is already in the coalition.");
  throw e;
}

/** Sets up a coalition coordinated by the actor's union, which is its first member (agreed by the actor). */
export async function createCoalition(ctx: Ctx, input: CreateCoalitionInput): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.manage");
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const unionName = await selectUnionName(tx, grant.unionId);
    const id = await insertCoalition(tx, {
      union_id: grant.unionId,
      kind: "coordinated",
      name: input.name,
      coordinator_name: unionName,
      days_of_action: [...new Set(input.daysOfAction)].sort(),
      created_by: ctx.actor.userId,
      created_at: now,
    });
    await insertMember(tx, {
      coalition_id: id,
      key: input.key,
      name: unionName,
      local_union_id: grant.unionId,
      public_key: null,
      partner_of: null,
      brand_colour: null,
      state: "agreed",
      agreed_by_user: ctx.actor.userId,
      agreed_by_label: ctx.actor.label,
      agreed_at: now,
      added_by: ctx.actor.userId,
      added_at: now,
    });
    await recordAudit({ ...ctx, db: tx }, "coalition.created", {
      subjectType: "coalition",
      subjectId: id,
      details: { key: input.key, daysOfAction: input.daysOfAction.length },
    });
    return id;
  });
  return getCoalition(ctx, id);
}

export async function updateCoalition(
  ctx: Ctx,
  id: number,
  input: UpdateCoalitionInput,
): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.manage");
  let schedule = false;
  await withTx(ctx.db, async (tx) => {
    const a = await access(tx, grant.unionId, id, true);
    if (!a.agreed) throw notFound();
    if (input.daysOfAction !== undefined) {
      if (!a.coordinator)
        throw new AppError(
          "auth.forbidden",
          "Only the coordinating union sets the coalition's days of action.",
        );
      await storeUpdateCoalition(tx, id, { days_of_action: [...new Set(input.daysOfAction)].sort() });
    }
    if (input.publishDaily !== undefined) {
      const before = a.coalition.kind === "remote" ? a.coalition.publish_daily : a.mine!.publish_daily;
      if (a.coalition.kind === "remote")
        await storeUpdateCoalition(tx, id, { publish_daily: input.publishDaily });
      else await updateMember(tx, a.mine!.id, { publish_daily: input.publishDaily });
      schedule = input.publishDaily && !before;
    }
    await recordAudit({ ...ctx, db: tx }, "coalition.changed", {
      subjectType: "coalition",
      subjectId: id,
      details: {
        fields: Object.keys(input).filter((k) => input[k as keyof UpdateCoalitionInput] !== undefined),
      },
    });
  });
  if (schedule) await scheduleNextPublish(ctx, id, ctx.clock.now());
  return getCoalition(ctx, id);
}

/** Audits in the coordinator's log and, for a union here, in the member's own log too. */
async function auditBoth(
  ctx: Ctx,
  unions: (number | null)[],
  event: "coalition.member_invited" | "coalition.member_agreed",
  entry: Parameters<typeof recordAudit>[2],
) {
  for (const unionId of new Set(unions.filter((u): u is number => u !== null))) {
    await recordAudit({ ...ctx, actor: { ...ctx.actor, unionId } }, event, entry);
  }
}

export async function addCoalitionMember(ctx: Ctx, id: number, input: AddMemberInput): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.manage");
  const now = ctx.clock.now();
  await withTx(ctx.db, async (tx) => {
    const a = await access(tx, grant.unionId, id, true);
    if (!a.coordinator || a.coalition.kind !== "coordinated") throw notFound();
    let localUnionId: number | null = null;
    let name = input.name;
    if (input.unionSlug !== undefined) {
      const union = await selectUnionBySlug(tx, input.unionSlug);
      if (!union) throw new AppError("coalition.invalid", "No union with that name on this installation.");
      localUnionId = union.id;
      name = input.name || union.name;
    } else if (!isPublicKey(input.publicKey!)) {
      throw new AppError("coalition.invalid", "The public key is not an Ed25519 key (SPKI, base64).");
    }
    if (input.partnerOf !== undefined && !a.members.some((m) => m.key === input.partnerOf))
      throw new AppError("coalition.invalid", "partnerOf must name a member already in the coalition.");
    // A union elsewhere agreed on its own installation; the coordinator records who, from its letter.
    const elsewhere = localUnionId === null;
    const memberId = await insertMember(tx, {
      coalition_id: id,
      key: input.key,
      name,
      local_union_id: localUnionId,
      public_key: input.publicKey ?? null,
      partner_of: input.partnerOf ?? null,
      brand_colour: input.brandColour ?? null,
      state: elsewhere ? "agreed" : "invited",
      agreed_by_label: elsewhere ? input.agreedBy! : null,
      agreed_at: elsewhere ? now : null,
      added_by: ctx.actor.userId,
      added_at: now,
    }).catch(uniqueKey);
    const entry = {
      subjectType: "coalition",
      subjectId: id,
      details: {
        memberId,
        key: input.key,
        where: elsewhere ? "elsewhere" : "here",
        partnerOf: input.partnerOf ?? null,
      },
    };
    await auditBoth({ ...ctx, db: tx }, [grant.unionId, localUnionId], "coalition.member_invited", entry);
    if (elsewhere)
      await recordAudit({ ...ctx, db: tx }, "coalition.member_agreed", {
        ...entry,
        details: { ...entry.details, agreedBy: "recorded from the union's letter" },
      });
  });
  return getCoalition(ctx, id);
}

/** The actor's union agrees to share aggregates with the coalition: who and when are recorded. */
export async function agreeToCoalition(ctx: Ctx, id: number): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.manage");
  await withTx(ctx.db, async (tx) => {
    const a = await access(tx, grant.unionId, id, true);
    if (!a.mine) throw notFound();
    if (a.mine.state === "agreed")
      throw new AppError("coalition.wrong_state", "Your union has already agreed.");
    await updateMember(tx, a.mine.id, {
      state: "agreed",
      agreed_by_user: ctx.actor.userId,
      agreed_by_label: ctx.actor.label,
      agreed_at: ctx.clock.now(),
    });
    await auditBoth({ ...ctx, db: tx }, [grant.unionId, a.coalition.union_id], "coalition.member_agreed", {
      subjectType: "coalition",
      subjectId: id,
      details: { memberId: a.mine.id, key: a.mine.key },
    });
  });
  return getCoalition(ctx, id);
}

/** Which of the union's own ballots count in the coalition (their dates and aggregates are shared). */
export async function linkCoalitionBallots(
  ctx: Ctx,
  id: number,
  input: LinkBallotsInput,
): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.manage");
  await withTx(ctx.db, async (tx) => {
    const a = await agreedAccess(tx, grant.unionId, id);
    const wanted = [...new Set(input.ballotIds)];
    const own = await selectOwnBallotIds(tx, grant.unionId, wanted);
    if (own.length !== wanted.length)
      throw new AppError("ballots.not_found", "No such ballot in your union.");
    await replaceLinkedBallots(tx, a.coalition.id, grant.unionId, own);
    await recordAudit({ ...ctx, db: tx }, "coalition.ballots_linked", {
      subjectType: "coalition",
      subjectId: id,
      details: { ballotIds: own },
    });
  });
  return getCoalition(ctx, id);
}

/** Records the union's agreement to a coalition coordinated on another installation, and makes its signing key. */
export async function joinRemoteCoalition(ctx: Ctx, input: JoinRemoteInput): Promise<CoalitionDto> {
  const grant = authorize(ctx.actor, "coalition.manage");
  const keys = generateSigningKeys();
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const id = await insertCoalition(tx, {
      union_id: grant.unionId,
      kind: "remote",
      name: input.name,
      coordinator_name: input.coordinatorName,
      coordinator_url: input.coordinatorUrl.replace(/\/+$/, ""),
      remote_coalition_id: input.remoteCoalitionId,
      member_key: input.key,
      signing_public_key: keys.publicKey,
      signing_private_key: keys.privateKey,
      agreed_by: ctx.actor.userId,
      agreed_at: now,
      created_by: ctx.actor.userId,
      created_at: now,
    });
    await recordAudit({ ...ctx, db: tx }, "coalition.joined_remote", {
      subjectType: "coalition",
      subjectId: id,
      details: { remoteCoalitionId: input.remoteCoalitionId, key: input.key },
    });
    return id;
  });
  return getCoalition(ctx, id);
}

// Building a report ----------------------------------------------------------

function resultOf(row: BallotDatesRow): { yes: number; no: number; mandate: boolean } | null {
  if (!row.declared_on) return null;
  const questions = (row.questions ?? []) as { yes?: number; no?: number }[];
  const evaluation = (row.evaluation ?? {}) as { mandate?: boolean };
  return { yes: questions[0]?.yes ?? 0, no: questions[0]?.no ?? 0, mandate: evaluation.mandate === true };
}

function timetableOf(rows: BallotDatesRow[]): TimetableBallotInput[] {
  return rows.map((r) => {
    const result = resultOf(r);
    return {
      name: r.name,
      openingDate: r.opening_date,
      closingDate: r.closing_date,
      resultDate: r.declared_on,
      mandate: result === null ? "pending" : result.mandate ? "yes" : "no",
      jurisdiction: r.ni ? ("ni" as const) : ("gb" as const),
      shorterNoticeAgreed: r.shorter_notice ?? false,
      actionNoticeGivenOn: r.notice_given_on,
    };
  });
}

async function disclosureKey(db: Db, unionId: number, at: Date): Promise<Uint8Array> {
  const existing = await selectDisclosureKey(db, unionId);
  if (existing) return existing;
  await insertDisclosureKey(db, unionId, randomBytes(32), at);
  return (await selectDisclosureKey(db, unionId))!;
}

/** The union's report as it would be published now: its ballots' dates and its aggregates, under disclosure control. */
async function buildReport(
  db: Db,
  a: Access,
  unionId: number,
  at: Date,
): Promise<Omit<CoalitionReport, "sequence" | "coalitionId" | "union" | "version">> {
  const c = a.coalition;
  const host = a.mine?.partner_of ? a.members.find((m) => m.key === a.mine!.partner_of) : undefined;
  const ballotUnions = [unionId, ...(host?.local_union_id ? [host.local_union_id] : [])];
  const ballots = await selectBallotDates(db, c.id, ballotUnions);
  const results = new Map(ballots.map((b) => [b.id, resultOf(b)]));
  const facts = await selectElectorateFacts(db, c.id, ballotUnions, unionId);
  const cells: Record<
    Breakdown,
    Map<string, { label: string; entitled: Set<number>; returned: Set<number>; ballots: Set<number> }>
  > = {
    employer: new Map(),
    sector: new Map(),
    region: new Map(),
  };
  const add = (b: Breakdown, key: string, label: string, f: (typeof facts)[number]) => {
    let cell = cells[b].get(key);
    if (!cell) {
      cell = { label, entitled: new Set(), returned: new Set(), ballots: new Set() };
      cells[b].set(key, cell);
    }
    cell.entitled.add(f.member_id);
    if (f.voted) cell.returned.add(f.member_id);
    cell.ballots.add(f.ballot_id);
  };
  for (const f of facts) {
    // Employers are joined across unions by their register code; one without a code by its name.
    add("employer", f.employer_code ?? `name:${f.employer_name.toLowerCase()}`, f.employer_name, f);
    add("sector", f.sector_code ?? "unassigned", f.sector_name ?? "No sector", f);
    add("region", f.region_code ?? "unassigned", f.region_name ?? "No region", f);
  }
  const inputs = {} as Record<Breakdown, CellInput[]>;
  for (const b of BREAKDOWNS) {
    inputs[b] = [...cells[b]].map(([key, cell]) => {
      const declared = [...cell.ballots].map((id) => results.get(id) ?? null);
      return {
        key,
        label: cell.label,
        entitled: [...cell.entitled],
        returned: [...cell.returned],
        results: declared.filter((r): r is NonNullable<typeof r> => r !== null),
        pendingBallots: declared.filter((r) => r === null).length,
      };
    });
  }
  const release = discloseAggregates(inputs, await disclosureKey(db, unionId, at));
  // A partner organisation's ballots are its host's: the host publishes their dates, not it.
  const own = host ? await selectBallotDates(db, c.id, [unionId]) : ballots;
  // The union's figures on the coalition's days of action up to today: counts over its whole board. A
  // union that joined a coalition coordinated elsewhere does not hold its days: it sends its last month's.
  const asOf = ukDate(at);
  const days =
    c.kind === "remote"
      ? { from: ukDate(new Date(at.getTime() - 31 * 86_400_000)), to: asOf }
      : c.days_of_action.filter((d) => d <= asOf);
  const action = [...(await unionDayTotals(db, unionId, days))].map(([day, t]) => ({ day, ...t }));
  return { asOf, issuedAt: at.toISOString(), timetable: timetableOf(own), release, action };
}

/**
 * Publishes the union's aggregates to the coalition: stored at once where the coordinator is this
 * installation, signed and sent to the coordinator's API where it is elsewhere.
 */
export async function publishToCoalition(
  ctx: Ctx,
  id: number,
  trigger: "hand" | "schedule" = "hand",
  send: typeof fetch = fetch,
): Promise<PublishResultDto> {
  const grant = authorize(ctx.actor, "coalition.publish");
  const now = ctx.clock.now();
  const prepared = await withTx(ctx.db, async (tx) => {
    const a = await agreedAccess(tx, grant.unionId, id);
    const body = await buildReport(tx, a, grant.unionId, now);
    const cells = BREAKDOWNS.reduce((s, b) => s + body.release.breakdowns[b].length, 0);
    if (a.coalition.kind === "coordinated") {
      const mine = (await selectMemberByKey(tx, id, a.mine!.key, true))!;
      const sequence = mine.last_sequence + 1;
      const report: CoalitionReport = { version: 1, coalitionId: id, union: mine.key, sequence, ...body };
      await insertReport(tx, {
        coalition_id: id,
        member_id: mine.id,
        sequence,
        as_of: report.asOf,
        issued_at: now,
        source: "local",
        trigger,
        payload: JSON.stringify(report),
        signature: null,
        received_at: now,
      });
      await updateMember(tx, mine.id, { last_sequence: sequence });
      await recordAudit({ ...ctx, db: tx }, "coalition.published", {
        subjectType: "coalition",
        subjectId: id,
        details: { sequence, trigger, cells, delivered: "here" },
      });
      return { sequence, asOf: report.asOf, delivered: "here" as const, cells, envelope: null, url: null };
    }
    const locked = (await selectCoalition(tx, grant.unionId, id, true))!;
    const sequence = locked.last_sequence_sent + 1;
    // The sequence is spent before sending: a report lost on the way is followed by a higher one.
    await storeUpdateCoalition(tx, id, { last_sequence_sent: sequence });
    const report: CoalitionReport = {
      version: 1,
      coalitionId: locked.remote_coalition_id!,
      union: locked.member_key!,
      sequence,
      ...body,
    };
    await recordAudit({ ...ctx, db: tx }, "coalition.published", {
      subjectType: "coalition",
      subjectId: id,
      details: { sequence, trigger, cells, delivered: "sent" },
    });
    return {
      sequence,
      asOf: report.asOf,
      delivered: "sent" as const,
      cells,
      envelope: signReport(report, locked.signing_private_key!),
      url: `${locked.coordinator_url}/api/coalition-reports`,
    };
  });
  if (prepared.envelope) await deliver(send, prepared.url!, prepared.envelope);
  return {
    sequence: prepared.sequence,
    asOf: prepared.asOf,
    delivered: prepared.delivered,
    cells: prepared.cells,
  };
}

async function deliver(send: typeof fetch, url: string, envelope: unknown): Promise<void> {
  let res: Response;
  try {
    res = await send(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new AppError(
      "coalition.delivery_failed",
      "The coalition's coordinator could not be reached; try again later.",
    );
  }
  if (!res.ok) {
    const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    const code = answer.error?.code ?? null;
    throw new AppError(
      "coalition.delivery_failed",
      `The coordinator refused the report (${code ?? res.status}).`,
      {
        status: res.status,
        code,
      },
    );
  }
}

function reportActor(unionId: number, key: string): Actor {
  return {
    kind: "system",
    userId: null,
    unionId,
    role: "national",
    label: `coalition report from ${key}`,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
}

/**
 * A signed report from a union on another installation. Verified against the key registered for that
 * union (signature, membership, sequence, age) and stored; refusals are audited in the coordinator's log.
 */
export async function receiveCoalitionReport(
  db: Db,
  clock: Ctx["clock"],
  envelope: SignedReport,
): Promise<{ accepted: true; sequence: number }> {
  const { report } = envelope;
  const coalition = await selectCoordinatedCoalition(db, report.coalitionId);
  const notMember = () =>
    new AppError("coalition.not_member", "The sender is not an agreed member of that coalition elsewhere.");
  if (!coalition) throw notMember();
  const ctx: Ctx = { db, clock, actor: reportActor(coalition.union_id, report.union) };
  try {
    return await withTx(db, async (tx) => {
      const member = await selectMemberByKey(tx, coalition.id, report.union, true);
      if (!member || member.public_key === null || member.state !== "agreed") throw notMember();
      verifyReport(envelope, {
        publicKey: member.public_key,
        lastSequence: member.last_sequence,
        now: clock.now(),
      });
      const now = clock.now();
      await insertReport(tx, {
        coalition_id: coalition.id,
        member_id: member.id,
        sequence: report.sequence,
        as_of: report.asOf,
        issued_at: new Date(report.issuedAt),
        source: "remote",
        trigger: "remote",
        payload: JSON.stringify(report),
        signature: envelope.signature,
        received_at: now,
      });
      await updateMember(tx, member.id, { last_sequence: report.sequence });
      await recordAudit({ ...ctx, db: tx }, "coalition.report_received", {
        subjectType: "coalition",
        subjectId: coalition.id,
        details: { key: report.union, sequence: report.sequence },
      });
      return { accepted: true as const, sequence: report.sequence };
    });
  } catch (e) {
    if (e instanceof AppError) {
      await recordAudit(ctx, "coalition.report_refused", {
        subjectType: "coalition",
        subjectId: coalition.id,
        outcome: "failure",
        details: { key: report.union, sequence: report.sequence, code: e.code },
      });
    }
    throw e;
  }
}

// Reading what was shared ----------------------------------------------------

export async function coalitionTimetable(ctx: Ctx, id: number): Promise<TimetableDto> {
  const grant = authorize(ctx.actor, "coalition.read");
  const a = await agreedAccess(ctx.db, grant.unionId, id);
  const c = a.coalition;
  const unions: (TimetableUnionInput & { source: "here" | "report" | "none" })[] = [];
  if (c.kind === "remote") {
    const rows = await selectBallotDates(ctx.db, c.id, [grant.unionId]);
    unions.push({
      key: c.member_key!,
      name: await selectUnionName(ctx.db, grant.unionId),
      ballots: timetableOf(rows),
      source: "here",
    });
  } else {
    const reports = new Map((await selectLatestReports(ctx.db, c.id)).map((r) => [r.member_id, r]));
    for (const m of a.members) {
      if (m.state !== "agreed") continue;
      if (m.local_union_id !== null) {
        const rows = await selectBallotDates(ctx.db, c.id, [m.local_union_id]);
        unions.push({ key: m.key, name: m.name, ballots: timetableOf(rows), source: "here" });
      } else {
        const r = reports.get(m.id);
        const ballots = r ? ((r.payload as CoalitionReport).timetable as TimetableBallotInput[]) : [];
        unions.push({ key: m.key, name: m.name, ballots, source: r ? "report" : "none" });
      }
    }
  }
  const t = jointTimetable({ unions, daysOfAction: c.days_of_action, today: ukDate(ctx.clock.now()) });
  return { ...t, unions: unions.map((u) => ({ key: u.key, name: u.name, source: u.source })) };
}

/** Every member's latest published aggregates; a partner organisation sees its own only. */
export async function coalitionAggregates(ctx: Ctx, id: number): Promise<UnionAggregatesDto[]> {
  const grant = authorize(ctx.actor, "coalition.read");
  const a = await agreedAccess(ctx.db, grant.unionId, id);
  if (a.coalition.kind === "remote") return [];
  const byId = new Map(a.members.map((m) => [m.id, m]));
  const onlyOwn = a.mine?.partner_of != null;
  return (await selectLatestReports(ctx.db, id))
    .filter((r) => byId.get(r.member_id)?.state === "agreed")
    .filter((r) => !onlyOwn || r.member_id === a.mine!.id)
    .map((r) => {
      const m = byId.get(r.member_id)!;
      const report = r.payload as CoalitionReport;
      return {
        union: m.key,
        name: m.name,
        brandColour: m.brand_colour,
        partnerOf: m.partner_of,
        sequence: r.sequence,
        asOf: r.as_of,
        release: report.release,
      };
    });
}

/** For each employer with members in more than one union, every union's status side by side. */
/**
 * The other unions' figures on a day of action, for the day board's "by union": for each coalition this
 * union is an agreed member of that has the day among its days of action, every other agreed member's
 * totals, read live where it is on this installation and from its latest report where it is elsewhere.
 * Counts only; a partner organisation sees none but its own (which its board already has).
 */
export async function partnerDayFigures(ctx: Ctx, day: string): Promise<PartnerDayDto[]> {
  const grant = authorize(ctx.actor, "coalition.read");
  const now = ctx.clock.now();
  const out = new Map<string, PartnerDayDto>();
  for (const c of await selectCoalitions(ctx.db, grant.unionId)) {
    if (c.kind !== "coordinated" || !c.days_of_action.includes(day)) continue;
    const a = await access(ctx.db, grant.unionId, c.id);
    if (!a.agreed || a.mine?.partner_of != null) continue;
    const reports = new Map((await selectLatestReports(ctx.db, c.id)).map((r) => [r.member_id, r]));
    for (const m of a.members) {
      if (m.state !== "agreed" || m.local_union_id === grant.unionId) continue;
      const base = {
        coalitionId: c.id,
        coalition: c.name,
        union: m.key,
        name: m.name,
        brandColour: m.brand_colour,
      };
      let figure: PartnerDayDto;
      if (m.local_union_id !== null) {
        const totals = (await unionDayTotals(ctx.db, m.local_union_id, [day])).get(day) ?? null;
        figure = { ...base, source: "here", at: now.toISOString(), totals };
      } else {
        const report = reports.get(m.id)?.payload as CoalitionReport | undefined;
        const shared = report?.action?.find((d) => d.day === day);
        figure = shared
          ? { ...base, source: "report", at: report!.issuedAt, totals: withoutDay(shared) }
          : { ...base, source: "none", at: report?.issuedAt ?? null, totals: null };
      }
      // A union in two coalitions with this day is shown once, from its newest figures.
      const seen = out.get(m.key);
      if (!seen || (figure.totals && (!seen.totals || (figure.at ?? "") > (seen.at ?? ""))))
        out.set(m.key, figure);
    }
  }
  return [...out.values()].sort(
    (x, y) => (y.totals?.out ?? -1) - (x.totals?.out ?? -1) || x.name.localeCompare(y.name),
  );
}

function withoutDay({ day: _day, ...totals }: NonNullable<CoalitionReport["action"]>[number]) {
  return totals;
}

export async function jointEmployerView(ctx: Ctx, id: number): Promise<JointEmployerDto[]> {
  const all = await coalitionAggregates(ctx, id);
  const byKey = new Map<string, JointEmployerDto>();
  for (const u of all) {
    for (const cell of u.release.breakdowns.employer) {
      let row = byKey.get(cell.key);
      if (!row) {
        row = { key: cell.key, label: cell.label, unions: [] };
        byKey.set(cell.key, row);
      }
      row.unions.push({ union: u.union, name: u.name, brandColour: u.brandColour, cell });
    }
  }
  return [...byKey.values()]
    .filter((r) => r.unions.length > 1)
    .sort((x, y) => x.label.localeCompare(y.label));
}

// The schedule -------------------------------------------------------------

/** Queues the next daily publication (06:00 UTC the next day), once per coalition, union and day. */
export async function scheduleNextPublish(ctx: Ctx, coalitionId: number, after: Date): Promise<void> {
  const next = new Date(after);
  next.setUTCDate(next.getUTCDate() + 1);
  next.setUTCHours(6, 0, 0, 0);
  try {
    await enqueueJob(
      ctx,
      COALITION_PUBLISH_JOB,
      { coalitionId },
      {
        runAfter: next,
        dedupeKey: `${COALITION_PUBLISH_JOB}:${coalitionId}:${ctx.actor.unionId}:${next.toISOString().slice(0, 10)}`,
      },
    );
  } catch (e) {
    if (!(e instanceof AppError && e.code === "jobs.already_queued")) throw e;
  }
}

/** Whether the union still publishes this coalition daily (the schedule stops when it is turned off). */
export async function publishesDaily(ctx: Ctx, id: number): Promise<boolean> {
  const a = await access(ctx.db, ctx.actor.unionId, id).catch(() => null);
  if (!a?.agreed) return false;
  return a.coalition.kind === "remote" ? a.coalition.publish_daily : (a.mine?.publish_daily ?? false);
}

/** For the command line: each coalition with its timetable's conflicts and members' last reports. */
export async function coalitionStatus(ctx: Ctx) {
  const list = await listCoalitions(ctx);
  const out = [];
  for (const c of list) {
    const timetable = c.you.state === "agreed" ? await coalitionTimetable(ctx, c.id) : null;
    out.push({ coalition: c, timetable });
  }
  return out;
}
