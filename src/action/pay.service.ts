/**
 * Strike pay and hardship grants (decision 0034). A rep enters a claim for a
 * member of their workplaces, or an officer for a member of their reach, with
 * the days the member was out and their evidence (a note or a small file:
 * personal data, scoped like the member and audited); a regional officer (or a
 * national one) approves or rejects it; a national officer exports what is due
 * for finance as a CSV, once: exported days are paid and never exported again.
 *
 * A member's day is held by one claim at most (the database's unique index over
 * days not rejected), so a second claim for a day, concurrent or re-imported, is
 * refused whole and changes nothing; a claim imported with a reference already
 * seen answers the earlier claim.
 */
import { recordAudit, startExport } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { csvText } from "../shared/csv.js";
import { AppError } from "../shared/errors.js";
import type {
  ClaimDto,
  ClaimInput,
  DecisionInput,
  MemberStrikePayDto,
  PayRulesInput,
} from "./action.model.js";
import { selectDispute } from "./calendar.store.js";
import {
  decideClaim,
  insertClaim,
  insertClaimDays,
  insertExport,
  lockClaim,
  lockDueDays,
  lockDueGrants,
  markClaimsPaid,
  markDayPaid,
  memberDays,
  payeeRows,
  selectClaimByReference,
  selectClaims,
  selectDisputeMembers,
  selectEvidence,
  selectMemberInScope,
  selectPayRules,
  setExportTotal,
  strikeDays,
  upsertPayRules,
} from "./pay.store.js";
import { dayAmounts, hardshipAmount, type PayRules } from "./strike-pay.js";

const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new AppError("action.invalid", message, details);

function rulesOf(row: NonNullable<Awaited<ReturnType<typeof selectPayRules>>>): PayRules {
  return {
    ratePence: row.rate_pence,
    unpaidDays: row.unpaid_days,
    maxPaidDays: row.max_paid_days,
    maxPencePerMember: row.max_pence_per_member,
    hardshipMaxPence: row.hardship_max_pence,
    hardshipCriteria: row.hardship_criteria,
  };
}

export async function setPayRules(ctx: Ctx, disputeId: number, input: PayRulesInput): Promise<PayRules> {
  const grant = authorize(ctx.actor, "action.plan");
  return withTx(ctx.db, async (tx) => {
    if (!(await selectDispute(tx, grant.unionId, disputeId))) {
      throw new AppError("action.not_found", `No dispute ${disputeId}.`, { id: disputeId });
    }
    await upsertPayRules(tx, {
      dispute_id: disputeId,
      union_id: grant.unionId,
      rate_pence: input.ratePence,
      unpaid_days: input.unpaidDays,
      max_paid_days: input.maxPaidDays,
      max_pence_per_member: input.maxPencePerMember,
      hardship_max_pence: input.hardshipMaxPence,
      hardship_criteria: [...new Set(input.hardshipCriteria)],
      updated_by: ctx.actor.userId,
      updated_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.pay_rules_set", {
      subjectType: "dispute",
      subjectId: disputeId,
      details: {
        ratePence: input.ratePence,
        unpaidDays: input.unpaidDays,
        criteria: input.hardshipCriteria.length,
      },
    });
    return rulesOf((await selectPayRules(tx, grant.unionId, disputeId))!);
  });
}

export async function getPayRules(ctx: Ctx, disputeId: number): Promise<PayRules> {
  const grant = authorize(ctx.actor, "action.claims");
  const row = await selectPayRules(ctx.db, grant.unionId, disputeId);
  if (!row) throw new AppError("action.no_pay_rules", "The dispute has no strike pay rules yet.");
  return rulesOf(row);
}

type ClaimRow = Awaited<ReturnType<typeof selectClaims>>[number];
function claimDto(r: ClaimRow): ClaimDto {
  return {
    id: r.id,
    disputeId: r.dispute_id,
    memberId: r.member_id,
    memberName: `${r.forenames} ${r.surname}`.trim(),
    membershipNumber: r.membership_number,
    workplaceName: r.workplace_name,
    kind: r.kind as ClaimDto["kind"],
    state: r.state as ClaimDto["state"],
    days: r.days,
    requestedPence: r.requested_pence,
    amountPence: r.amount_pence,
    criteriaMet: r.criteria_met,
    evidenceNote: r.evidence_note,
    hasEvidence: r.has_evidence,
    submittedAt: r.submitted_at.toISOString(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
  };
}

function decodeEvidence(input: ClaimInput): Uint8Array | null {
  if (!input.evidence) return null;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.evidence.base64))
    throw invalid("The evidence file is not valid base64.");
  const bytes = Buffer.from(input.evidence.base64, "base64");
  if (bytes.length > MAX_EVIDENCE_BYTES) {
    throw new AppError("action.evidence_too_large", "Evidence is at most 2 MB.", { bytes: bytes.length });
  }
  if (!bytes.length) throw invalid("The evidence file is empty.");
  return new Uint8Array(bytes);
}

export async function submitClaim(ctx: Ctx, disputeId: number, input: ClaimInput): Promise<ClaimDto> {
  const grant = authorize(ctx.actor, "action.claims");
  const evidence = decodeEvidence(input);
  // A hardship grant is not for days: it holds none, so it never blocks a day's strike pay.
  const days = input.kind === "strike_pay" ? [...new Set(input.days)].sort() : [];
  if (input.kind === "strike_pay" && !days.length)
    throw invalid("A strike pay claim names the days the member was out.");
  if (input.kind === "hardship" && input.requestedPence === null)
    throw invalid("A hardship claim states the amount asked for.");
  const found = await withTx(ctx.db, async (tx) => {
    const rules = await selectPayRules(tx, grant.unionId, disputeId);
    if (!rules) throw new AppError("action.no_pay_rules", "The dispute has no strike pay rules yet.");
    const member = await selectMemberInScope(tx, grant, input.memberId);
    if (!member)
      throw new AppError("action.not_found", `No member ${input.memberId}.`, { id: input.memberId });
    if (input.reference) {
      const earlier = await selectClaimByReference(tx, grant.unionId, input.reference);
      if (earlier) return { id: earlier.id, created: false };
    }
    const strike = await strikeDays(tx, grant.unionId, disputeId, { in: days });
    const notStrike = days.filter((d) => !strike.includes(d));
    if (notStrike.length) {
      throw invalid(
        `${notStrike.join(", ")} ${notStrike.length > 1 ? "are not strike days" : "is not a strike day"} of this dispute.`,
        {
          days: notStrike,
        },
      );
    }
    const claim = await insertClaim(tx, {
      union_id: grant.unionId,
      dispute_id: disputeId,
      member_id: member.id,
      kind: input.kind,
      requested_pence: input.kind === "hardship" ? input.requestedPence : null,
      evidence_note: input.evidenceNote,
      evidence_name: input.evidence?.name ?? null,
      evidence_type: input.evidence?.contentType ?? null,
      evidence,
      reference: input.reference,
      submitted_by: ctx.actor.userId,
      submitted_at: ctx.clock.now(),
    });
    if (!claim) {
      // The same reference, imported at the same moment by another request: the earlier claim stands.
      const earlier = await selectClaimByReference(tx, grant.unionId, input.reference!);
      return { id: earlier!.id, created: false };
    }
    const held = await insertClaimDays(
      tx,
      { id: claim.id, union_id: grant.unionId, dispute_id: disputeId, member_id: member.id },
      days,
    );
    if (held.length !== days.length) {
      const taken = days.filter((d) => !held.includes(d));
      throw new AppError(
        "action.day_already_claimed",
        `The member's ${taken.join(", ")} ${taken.length > 1 ? "are" : "is"} already claimed: a day is paid once.`,
        { days: taken },
      );
    }
    await recordAudit({ ...ctx, db: tx }, "action.claim_submitted", {
      subjectType: "member",
      subjectId: member.id,
      details: {
        claim: claim.id,
        dispute: disputeId,
        kind: input.kind,
        days: days.length,
        evidence: evidence !== null,
      },
    });
    return { id: claim.id, created: true };
  });
  const [row] = await selectClaims(ctx.db, grant, disputeId, { limit: 1, claimId: found.id });
  if (!row) throw new AppError("action.not_found", `No claim ${found.id}.`, { id: found.id });
  return { ...claimDto(row), created: found.created };
}

/**
 * What a member sees of a dispute's strike pay through their own link (src/memberlink): the rules, the
 * strike days so far with the state of the claim holding each, and their claims. The caller has
 * established who the member is; nothing of another member is read.
 */
export async function memberStrikePay(
  ctx: Ctx,
  disputeId: number,
  memberId: number,
): Promise<MemberStrikePayDto> {
  const grant = authorize(ctx.actor, "action.claims");
  const dispute = await selectDispute(ctx.db, grant.unionId, disputeId);
  if (!dispute) throw new AppError("action.not_found", `No dispute ${disputeId}.`, { id: disputeId });
  const [rules, days, claims] = await Promise.all([
    selectPayRules(ctx.db, grant.unionId, disputeId),
    strikeDays(ctx.db, grant.unionId, disputeId, { upTo: ukDate(ctx.clock.now()) }),
    selectClaims(ctx.db, grant, disputeId, { limit: 200, memberId }),
  ]);
  const held = new Map<string, "submitted" | "approved" | "paid">();
  for (const c of claims) {
    if (c.state === "rejected") continue;
    for (const d of c.days) held.set(d, c.state as "submitted" | "approved" | "paid");
  }
  return {
    disputeId,
    dispute: dispute.title,
    rules: rules
      ? {
          ratePence: rules.rate_pence,
          unpaidDays: rules.unpaid_days,
          maxPaidDays: rules.max_paid_days,
          hardshipMaxPence: rules.hardship_max_pence,
          hardshipCriteria: rules.hardship_criteria,
        }
      : null,
    days: days.map((day) => ({ day, claim: held.get(day) ?? null })),
    claims: claims.map((c) => {
      const dto = claimDto(c);
      return {
        id: dto.id,
        kind: dto.kind,
        state: dto.state,
        days: dto.days,
        requestedPence: dto.requestedPence,
        amountPence: dto.amountPence,
        submittedAt: dto.submittedAt,
      };
    }),
  };
}

/**
 * The members a dispute's strike pay links go to: active members in the officer's scope who are in the
 * included electorate of one of its ballots; and the dispute's last strike day, which sets how long the
 * links last. Officers who decide claims (`action.approve`).
 */
export async function strikePayLinkMembers(ctx: Ctx, disputeId: number) {
  const grant = authorize(ctx.actor, "action.approve");
  const dispute = await selectDispute(ctx.db, grant.unionId, disputeId);
  if (!dispute) throw new AppError("action.not_found", `No dispute ${disputeId}.`, { id: disputeId });
  const lastDay = (await strikeDays(ctx.db, grant.unionId, disputeId)).at(-1);
  if (!lastDay)
    throw new AppError("action.invalid", "The dispute has no strike day yet: claims are for days out.");
  const members = await selectDisputeMembers(ctx.db, grant, disputeId);
  return {
    dispute: dispute.title,
    lastDay,
    members: members.map((m) => ({
      memberId: m.id,
      membershipNumber: m.membership_number,
      forenames: m.forenames,
      surname: m.surname,
      workplace: m.workplace_name,
    })),
  };
}

export async function listClaims(
  ctx: Ctx,
  disputeId: number,
  query: { state?: ClaimDto["state"]; limit: number },
): Promise<ClaimDto[]> {
  const grant = authorize(ctx.actor, "action.claims");
  return (await selectClaims(ctx.db, grant, disputeId, query)).map(claimDto);
}

export async function decideStrikePayClaim(
  ctx: Ctx,
  disputeId: number,
  claimId: number,
  input: DecisionInput,
): Promise<ClaimDto> {
  const grant = authorize(ctx.actor, "action.approve");
  await withTx(ctx.db, async (tx) => {
    const claim = await lockClaim(tx, grant, disputeId, claimId);
    if (!claim) throw new AppError("action.not_found", `No claim ${claimId}.`, { id: claimId });
    if (claim.state !== "submitted") {
      throw new AppError("action.claim_decided", `The claim is already ${claim.state}.`, {
        state: claim.state,
      });
    }
    const rules = await selectPayRules(tx, grant.unionId, disputeId);
    if (!rules) throw new AppError("action.no_pay_rules", "The dispute has no strike pay rules yet.");
    const approve = input.decision === "approve";
    let amount: number | null = null;
    if (approve && claim.kind === "hardship") {
      const missing = rules.hardship_criteria.filter((c) => !input.criteriaMet.includes(c));
      if (missing.length)
        throw invalid("A hardship grant is approved only when every criterion is checked.", { missing });
      amount = hardshipAmount(claim.requested_pence ?? 0, input.criteriaMet, rulesOf(rules));
    }
    await decideClaim(tx, claimId, {
      state: approve ? "approved" : "rejected",
      amount_pence: amount,
      criteria_met: input.criteriaMet.filter((c) => rules.hardship_criteria.includes(c)),
      decided_by: ctx.actor.userId,
      decided_at: ctx.clock.now(),
      decision_note: input.note,
    });
    await recordAudit({ ...ctx, db: tx }, "action.claim_decided", {
      subjectType: "member",
      subjectId: claim.member_id,
      details: { claim: claimId, dispute: disputeId, decision: input.decision, amountPence: amount },
    });
  });
  const [row] = await selectClaims(ctx.db, grant, disputeId, { limit: 1, claimId });
  return claimDto(row!);
}

/** The claim's evidence file, audited as an export of personal data. */
export async function claimEvidence(ctx: Ctx, disputeId: number, claimId: number) {
  const grant = authorize(ctx.actor, "action.claims");
  const row = await selectEvidence(ctx.db, grant, disputeId, claimId);
  if (!row?.evidence)
    throw new AppError("action.not_found", `No evidence for claim ${claimId}.`, { id: claimId });
  const trail = await startExport(ctx, "strike_pay_evidence", {
    subjectType: "member",
    subjectId: row.member_id,
    details: { claim: claimId },
  });
  return {
    trail,
    body: Buffer.from(row.evidence),
    contentType: row.evidence_type ?? "application/octet-stream",
    filename: `claim-${claimId}-evidence${row.evidence_type === "application/pdf" ? ".pdf" : row.evidence_type === "image/png" ? ".png" : ".jpg"}`,
  };
}

export const PAY_CSV_HEADER = [
  "payment_reference",
  "membership_number",
  "surname",
  "forenames",
  "branch",
  "dispute_id",
  "kind",
  "day",
  "amount_pence",
  "amount",
] as const;

/**
 * What is due between two days, as finance takes it: one line per strike day
 * (amount by the rules: first days unpaid, caps) and per hardship grant decided
 * in the period. Every line exported is marked paid in the same transaction as
 * the export row and the audit, so the next export never holds it again.
 */
export async function exportStrikePay(
  ctx: Ctx,
  range: { from: string; to: string },
  /** Writes the file before the lines are committed as paid: a failed write leaves them due. */
  deliver?: (body: string) => Promise<void>,
) {
  const grant = authorize(ctx.actor, "action.pay_export");
  if (range.from > range.to) throw invalid("The period ends before it starts.");
  return withTx(ctx.db, async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const trail = await startExport(txCtx, "strike_pay_csv", {
      subjectType: "union",
      subjectId: grant.unionId,
      details: { from: range.from, to: range.to },
    });
    const due = await lockDueDays(tx, grant.unionId, range.from, range.to);
    const grants = await lockDueGrants(tx, grant.unionId, range.from, range.to);
    const memberIds = [...new Set([...due.map((d) => d.member_id), ...grants.map((g) => g.member_id)])];
    const disputeIds = [...new Set([...due.map((d) => d.dispute_id), ...grants.map((g) => g.dispute_id)])];
    const history = await memberDays(tx, grant.unionId, memberIds, disputeIds);
    const rulesByDispute = new Map<number, PayRules>();
    for (const id of disputeIds) {
      const r = await selectPayRules(tx, grant.unionId, id);
      if (r) rulesByDispute.set(id, rulesOf(r));
    }
    const dueKeys = new Set(due.map((d) => `${d.member_id}:${d.dispute_id}:${d.day}`));
    const amountOf = new Map<string, number>();
    const byMember = new Map<string, { day: string; paidPence: number | null }[]>();
    for (const h of history) {
      const key = `${h.member_id}:${h.dispute_id}`;
      const list = byMember.get(key) ?? [];
      // Approved days outside this export's period count for their place in the order, not as due now.
      const dueNow = dueKeys.has(`${key}:${h.day}`);
      list.push({ day: h.day, paidPence: h.state === "paid" ? (h.amount_pence ?? 0) : dueNow ? null : 0 });
      byMember.set(key, list);
    }
    for (const [key, list] of byMember) {
      const rules = rulesByDispute.get(Number(key.split(":")[1]));
      if (!rules) continue;
      for (const [day, amount] of dayAmounts(list, rules)) amountOf.set(`${key}:${day}`, amount);
    }
    const payees = new Map((await payeeRows(tx, grant.unionId, memberIds)).map((p) => [p.id, p]));
    const lines: (string | number)[][] = [];
    let total = 0;
    const exportId = await insertExport(tx, {
      union_id: grant.unionId,
      from_day: range.from,
      to_day: range.to,
      lines: due.length + grants.length,
      total_pence: 0,
      created_by: ctx.actor.userId,
      created_at: ctx.clock.now(),
    });
    const line = (
      memberId: number,
      disputeId: number,
      kind: string,
      day: string,
      amount: number,
      ref: string,
    ) => {
      const p = payees.get(memberId)!;
      total += amount;
      lines.push([
        ref,
        p.membership_number,
        p.surname,
        p.forenames,
        p.branch ?? "",
        disputeId,
        kind,
        day,
        amount,
        (amount / 100).toFixed(2),
      ]);
    };
    for (const d of due) {
      const amount = amountOf.get(`${d.member_id}:${d.dispute_id}:${d.day}`) ?? 0;
      await markDayPaid(tx, d.claim_id, d.day, amount, exportId);
      line(d.member_id, d.dispute_id, "strike_pay", d.day, amount, `SP-${d.claim_id}-${d.day}`);
    }
    for (const g of grants) {
      line(g.member_id, g.dispute_id, "hardship", "", g.amount_pence ?? 0, `HG-${g.id}`);
    }
    await markClaimsPaid(
      tx,
      [...new Set([...due.map((d) => d.claim_id), ...grants.map((g) => g.id)])],
      exportId,
    );
    await setExportTotal(tx, exportId, total);
    const body = csvText([[...PAY_CSV_HEADER], ...lines]);
    if (deliver) await deliver(body);
    await trail.finished({ lines: lines.length, totalPence: total, export: exportId });
    return {
      exportId,
      lines: lines.length,
      totalPence: total,
      body,
      filename: `strike-pay-${range.from}-${range.to}.csv`,
    };
  });
}
