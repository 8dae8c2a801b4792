/**
 * Partner agreements: a partner union's members enter another union's ballot
 * only under an agreement the requesting union's national officer proposed and
 * the partner union's national officer accepted, for one ballot or one
 * dispute, naming the fields shared. Every step is written in both unions'
 * audit logs; a freeze that copies partner members writes in the partner's.
 */

import type { AuditEntry, AuditEvent } from "../audit/index.js";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import {
  PARTNER_FIELDS,
  type PartnerAgreementDto,
  type PartnerField,
  type ProposePartnerAgreementInput,
} from "./partner-agreements.model.js";
import {
  acceptedAgreements,
  agreementAsPartner,
  agreementForDecision,
  ballotForAgreement,
  ballotScopeEmployers,
  clearCoveredDraftSnapshots,
  disputeBallotsScope,
  disputeEmployerRows,
  disputeOfUnion,
  employerRegisterCodes,
  insertAgreement,
  partnerMembersInSnapshots,
  partnerRegisterCodes,
  partnerSiteCodes,
  REGISTER_CODES,
  recordDecision,
  selectAgreements,
  sharedCounts,
  siteCodes,
  thawCoveredBallots,
  unionExists,
} from "./partner-agreements.store.js";

/** The fields a ballot needs of each partner member: the papers, and the category or check-off when it uses them. */
export function fieldsNeeded(row: {
  job_categories: string[] | null;
  check_off_route: boolean;
}): PartnerField[] {
  return PARTNER_FIELDS.filter(
    (f) =>
      f === "name" ||
      f === "address" ||
      (f === "job_category" && !!row.job_categories?.length) ||
      (f === "check_off" && row.check_off_route),
  );
}

export interface AgreedPartner {
  fields: Set<PartnerField>;
  agreements: number[];
  /** The partner's own employers the agreements cover: fixed when each was accepted. */
  employers: Set<number>;
}

/**
 * The partner unions whose members a freeze of this ballot may include, each
 * with the fields it may copy and the partner employers it may copy them from:
 * those named on the ballot with an accepted agreement for the ballot or its
 * dispute, only the fields both agreed and needed, and only the employers the
 * partner agreed to. `lock` (inside the freeze's transaction) holds the
 * agreements against a concurrent withdrawal until the freeze commits.
 */
export async function acceptedPartnerFields(
  db: Db,
  row: {
    id: number;
    union_id: number;
    dispute_id: number;
    partner_union_ids: number[];
    job_categories: string[] | null;
    check_off_route: boolean;
  },
  lock = false,
): Promise<Map<number, AgreedPartner>> {
  const out = new Map<number, AgreedPartner>();
  if (!row.partner_union_ids.length) return out;
  const agreements = await acceptedAgreements(db, row, lock);
  const needed = new Set(fieldsNeeded(row));
  for (const a of agreements) {
    const entry = out.get(a.partner_union_id) ?? {
      fields: new Set<PartnerField>(),
      agreements: [],
      employers: new Set<number>(),
    };
    for (const f of a.fields) if (needed.has(f as PartnerField)) entry.fields.add(f as PartnerField);
    // An agreement accepted before employers were recorded covers none: the partner never saw a list.
    for (const e of a.employer_ids ?? []) entry.employers.add(e);
    entry.agreements.push(a.id);
    out.set(a.partner_union_id, entry);
  }
  return out;
}

/**
 * The partner's employers an agreement covers, fixed when the partner accepts:
 * its employers that match (by register code) the ballot's scope, or for a
 * dispute the dispute's employers and every scope of its ballots. Widening a
 * ballot's scope or editing register codes afterwards does not widen this.
 */
async function coveredPartnerEmployers(
  db: Db,
  a: { union_id: number; partner_union_id: number; ballot_id: number | null; dispute_id: number | null },
): Promise<number[]> {
  const scope =
    a.ballot_id !== null
      ? await ballotScopeEmployers(db, a.ballot_id)
      : [
          ...(await disputeEmployerRows(db, a.dispute_id ?? 0)),
          ...(await disputeBallotsScope(db, a.union_id, a.dispute_id ?? 0)),
        ];
  const matched = await partnerEmployers(
    db,
    [...new Set(scope.map((s) => s.employer_id))],
    [a.partner_union_id],
  );
  return [...matched.employers.keys()].sort((x, y) => x - y);
}

export async function acceptedPartners(
  db: Db,
  row: Parameters<typeof acceptedPartnerFields>[1],
): Promise<number[]> {
  return [...(await acceptedPartnerFields(db, row)).keys()];
}

/** One event in each union's log: the agreement is both unions' business. */
async function auditBothSides(
  ctx: Ctx,
  a: { union_id: number; partner_union_id: number },
  event: AuditEvent,
  entry: AuditEntry,
): Promise<void> {
  for (const unionId of [a.union_id, a.partner_union_id]) {
    await recordAudit({ ...ctx, actor: { ...ctx.actor, unionId } }, event, entry);
  }
}

export async function proposePartnerAgreement(
  ctx: Ctx,
  input: ProposePartnerAgreementInput,
): Promise<PartnerAgreementDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  if (input.partnerUnionId === grant.unionId) {
    throw new AppError("request.invalid", "A union cannot be its own partner.", { field: "partnerUnionId" });
  }
  const partner = await unionExists(ctx.db, input.partnerUnionId);
  if (!partner)
    throw new AppError("org.not_found", `No union ${input.partnerUnionId}.`, { field: "partnerUnionId" });
  let fields = input.fields;
  if (input.ballotId !== undefined) {
    const ballot = await ballotForAgreement(ctx.db, grant.unionId, input.ballotId);
    if (!ballot)
      throw new AppError("ballots.not_found", `No ballot ${input.ballotId}.`, { id: input.ballotId });
    fields ??= fieldsNeeded(ballot);
  } else {
    const dispute = await disputeOfUnion(ctx.db, grant.unionId, input.disputeId!);
    if (!dispute)
      throw new AppError("disputes.not_found", `No dispute ${input.disputeId}.`, { id: input.disputeId });
    fields ??= ["name", "address"];
  }
  const now = ctx.clock.now();
  const id = await withTx(ctx.db, async (tx) => {
    const row = await insertAgreement(tx, {
      union_id: grant.unionId,
      partner_union_id: input.partnerUnionId,
      ballot_id: input.ballotId ?? null,
      dispute_id: input.disputeId ?? null,
      fields: [...new Set(fields)],
      purpose: input.purpose ?? "",
      state: "requested",
      requested_by: ctx.actor.userId,
      requested_at: now,
    });
    await auditBothSides({ ...ctx, db: tx }, row, "partner_agreement.requested", {
      subjectType: "partner_agreement",
      subjectId: row.id,
      details: {
        union: row.union_id,
        partner: row.partner_union_id,
        ballot: input.ballotId ?? null,
        dispute: input.disputeId ?? null,
        fields,
      },
    });
    return row.id;
  });
  return getPartnerAgreement(ctx, id);
}

/**
 * The partner's national officer accepts or declines a request; either side
 * withdraws. Withdrawing an accepted agreement thaws the covered ballots that
 * are frozen but have issued nothing, so the next freeze leaves the partner out.
 */
export async function decidePartnerAgreement(
  ctx: Ctx,
  id: number,
  action: "accept" | "decline" | "withdraw",
): Promise<PartnerAgreementDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await withTx(ctx.db, async (tx) => {
    const a = await agreementForDecision(tx, grant.unionId, id);
    if (!a) throw new AppError("partner_agreements.not_found", `No partner agreement ${id}.`, { id });
    const isPartner = a.partner_union_id === grant.unionId;
    const allowed =
      action === "withdraw"
        ? ["requested", "accepted"].includes(a.state)
        : isPartner && a.state === "requested";
    if (!allowed) {
      throw new AppError(
        "partner_agreements.wrong_state",
        action === "withdraw"
          ? `The agreement is ${a.state}; only a requested or accepted agreement can be withdrawn.`
          : `Only the partner union can ${action} a request, and only while it is requested (it is ${a.state}).`,
        { state: a.state, action },
      );
    }
    const state = action === "accept" ? "accepted" : action === "decline" ? "declined" : "withdrawn";
    const now = ctx.clock.now();
    const employerIds = action === "accept" ? await coveredPartnerEmployers(tx, a) : a.employer_ids;
    await recordDecision(tx, id, {
      state,
      decidedBy: ctx.actor.userId,
      decidedByUnion: grant.unionId,
      decidedAt: now,
      employerIds,
    });
    let thawed: number[] = [];
    let cleared: number[] = [];
    if (action === "withdraw" && a.state === "accepted") {
      thawed = await thawCoveredBallots(tx, a, now);
      // The partner's members leave at once, not at the next freeze: every snapshot not yet used for
      // notices or papers is cleared (rows and fingerprint), so nothing of theirs stays readable.
      cleared = await clearCoveredDraftSnapshots(tx, a);
    }
    const event = `partner_agreement.${state}` as AuditEvent;
    await auditBothSides({ ...ctx, db: tx }, a, event, {
      subjectType: "partner_agreement",
      subjectId: id,
      details: {
        by: isPartner ? "partner" : "requesting",
        union: a.union_id,
        partner: a.partner_union_id,
        thawed,
        ...(action === "withdraw" ? { cleared } : {}),
        ...(action === "accept" ? { employers: employerIds } : {}),
      },
    });
  });
  return getPartnerAgreement(ctx, id);
}

async function agreementDtos(ctx: Ctx, unionId: number, id: number | null): Promise<PartnerAgreementDto[]> {
  const rows = await selectAgreements(ctx.db, unionId, id);
  const out: PartnerAgreementDto[] = [];
  for (const a of rows) {
    // What the covered ballots' snapshots hold of the partner's members: counts, no names.
    const shared = await sharedCounts(ctx.db, a);
    out.push({
      id: a.id,
      side: a.union_id === unionId ? "requesting" : "partner",
      unionId: a.union_id,
      unionName: a.union_name,
      partnerUnionId: a.partner_union_id,
      partnerUnionName: a.partner_name,
      ballotId: a.ballot_id,
      disputeId: a.dispute_id,
      subject: a.ballot_name ?? a.dispute_title ?? "",
      fields: a.fields,
      purpose: a.purpose,
      state: a.state as PartnerAgreementDto["state"],
      requestedBy: a.requested_by_name,
      requestedAt: a.requested_at.toISOString(),
      decidedBy: a.decided_by_name,
      decidedAt: a.decided_at ? a.decided_at.toISOString() : null,
      shared: shared.map((s) => ({
        ballotId: s.id,
        ballotName: s.name,
        listed: Number(s.listed),
        entitled: Number(s.entitled ?? 0),
      })),
    });
  }
  return out;
}

/** Agreements the reader's union asked for or was asked for. */
export async function listPartnerAgreements(ctx: Ctx): Promise<PartnerAgreementDto[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  return agreementDtos(ctx, grant.unionId, null);
}

export async function getPartnerAgreement(ctx: Ctx, id: number): Promise<PartnerAgreementDto> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const [dto] = await agreementDtos(ctx, grant.unionId, id);
  if (!dto) throw new AppError("partner_agreements.not_found", `No partner agreement ${id}.`, { id });
  return dto;
}

/**
 * For the partner's national officer: which of their own members the other
 * union's snapshots hold under this agreement, and which fields were copied.
 * Membership numbers only: the partner already holds everything else.
 */
export async function sharedMembers(
  ctx: Ctx,
  id: number,
): Promise<{ ballotId: number; membershipNumber: string; included: boolean; fields: string[] }[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const a = await agreementAsPartner(ctx.db, grant.unionId, id);
  if (!a)
    throw new AppError(
      "partner_agreements.not_found",
      `No partner agreement ${id} with your union as partner.`,
      { id },
    );
  const rows = await partnerMembersInSnapshots(ctx.db, a);
  return rows.map((r) => ({
    ballotId: r.ballot_id,
    membershipNumber: r.membership_number,
    included: r.included,
    fields: [
      ...(r.name ? ["name"] : []),
      ...(r.address_lines.length ? ["address"] : []),
      ...(r.job_category !== null ? ["job_category"] : []),
    ],
  }));
}

/**
 * A partner organisation keeps its own employer and workplace records. Its
 * employers are the balloting union's when they share a register code (ODS,
 * URN, GSS, Companies House or local code), its workplaces when they share a
 * site code: the map says which of ours each of theirs is.
 */
export async function partnerEmployers(
  db: Db,
  employerIds: number[],
  partnerUnionIds: number[],
): Promise<{ employers: Map<number, number>; workplaces: Map<number, number> }> {
  const employers = new Map<number, number>();
  const workplaces = new Map<number, number>();
  if (!partnerUnionIds.length || !employerIds.length) return { employers, workplaces };
  const codes = REGISTER_CODES;
  const ours = await employerRegisterCodes(db, employerIds);
  const theirs = await partnerRegisterCodes(db, partnerUnionIds);
  const byCode = new Map<string, number>();
  for (const e of ours) for (const c of codes) if (e[c]) byCode.set(`${c}:${e[c]!.toUpperCase()}`, e.id);
  for (const e of theirs) {
    for (const c of codes) {
      const match = e[c] ? byCode.get(`${c}:${e[c]!.toUpperCase()}`) : undefined;
      if (match) {
        employers.set(e.id, match);
        break;
      }
    }
  }
  if (employers.size) {
    const ourSites = await siteCodes(db, [...new Set(employers.values())]);
    const site = new Map(ourSites.map((w) => [`${w.employer_id}:${w.site_code!.toUpperCase()}`, w.id]));
    const theirSites = await partnerSiteCodes(db, [...employers.keys()]);
    for (const w of theirSites) {
      const match = site.get(`${employers.get(w.employer_id)}:${w.site_code!.toUpperCase()}`);
      if (match) workplaces.set(w.id, match);
    }
  }
  return { employers, workplaces };
}
