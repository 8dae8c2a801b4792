/**
 * Essential-service cover (decisions/0035): what the union agreed with an employer for a day of action
 * (services, posts and numbers, who agreed on each side and when), the members exempted to provide it
 * (named only where the agreement records that the employer and the member agreed to naming; otherwise
 * a number), and the employer's requests for more cover with their answers. Officers agree and answer
 * (`action.cover`); everyone with `action.read` sees the cover of the employers in their scope, names
 * only with `action.cover`. Every change is audited. A member exempted on a day is taken off that day's
 * picket rotas and never put on one (picket.service.ts).
 */
import { recordAudit } from "../audit/index.js";
import { authorize, can, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import type {
  CoverAgreementDto,
  CoverAnswerInput,
  CoverDayDto,
  CoverInput,
  CoverRequestInput,
  ExemptionInput,
} from "./picket.model.js";
import {
  actionDayExists,
  answerCoverRequest,
  deleteMemberRotaOnDay,
  insertCover,
  insertCoverRequest,
  insertExemption,
  lockMember,
  selectCover,
  selectCoverAgreements,
  selectCoverRequest,
  selectCoverRequests,
  selectDisputeWorkplaces,
  selectExemptions,
} from "./picket.store.js";

const notFound = (what: string, id: number | string) =>
  new AppError("action.not_found", `No ${what} ${id}.`, { id });

export async function coverDay(ctx: Ctx, disputeId: number, day: string): Promise<CoverDayDto> {
  const grant = authorize(ctx.actor, "action.read");
  const names = can(ctx.actor, "action.cover");
  const places = await selectDisputeWorkplaces(ctx.db, grant, disputeId);
  if (!places.length && grant.rows.kind !== "all") throw notFound("dispute", disputeId);
  if (!(await actionDayExists(ctx.db, grant.unionId, disputeId, day))) throw notFound("day of action", day);
  const employerIds = [...new Set(places.map((p) => p.employer_id))];
  const agreements = await selectCoverAgreements(ctx.db, grant.unionId, disputeId, day, employerIds);
  const ids = agreements.map((a) => a.id);
  const [exemptions, requests] = await Promise.all([
    selectExemptions(ctx.db, ids),
    selectCoverRequests(ctx.db, ids),
  ]);
  return {
    day,
    agreements: agreements.map((a): CoverAgreementDto => {
      const mine = exemptions.filter((x) => x.agreement_id === a.id);
      return {
        id: a.id,
        employerId: a.employer_id,
        employerName: a.employer_name,
        day: a.day,
        items: a.items,
        unionAgreedName: a.union_agreed_name,
        employerAgreedName: a.employer_agreed_name,
        employerAgreedRole: a.employer_agreed_role,
        agreedAt: new Date(a.agreed_at).toISOString(),
        namingAgreed: a.naming_agreed,
        note: a.note,
        exemptTotal: mine.reduce((n, x) => n + x.number, 0),
        exemptions: mine.map((x) => {
          const named = names && a.naming_agreed && x.member_id !== null;
          return {
            id: x.id,
            workplaceId: x.workplace_id,
            workplaceName: x.workplace_name,
            memberId: named ? x.member_id : null,
            name: named ? `${x.forenames ?? ""} ${x.surname ?? ""}`.trim() : null,
            number: x.number,
            post: x.post,
          };
        }),
        requests: requests
          .filter((r) => r.agreement_id === a.id)
          .map((r) => ({
            id: r.id,
            requestedAt: new Date(r.requested_at).toISOString(),
            requestedByName: r.requested_by_name,
            details: r.details,
            postsRequested: r.posts_requested,
            answer: r.outcome as "granted" | "refused" | "partly" | null,
            postsGranted: r.posts_granted,
            answerNote: r.answer_note,
            answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
          })),
      };
    }),
  };
}

export async function recordCover(
  ctx: Ctx,
  disputeId: number,
  day: string,
  input: CoverInput,
): Promise<{ id: number }> {
  const grant = authorize(ctx.actor, "action.cover");
  return withTx(ctx.db, async (tx) => {
    const places = await selectDisputeWorkplaces(tx, grant, disputeId, { employerId: input.employerId });
    if (!places.length) throw notFound("employer", input.employerId);
    if (!(await actionDayExists(tx, grant.unionId, disputeId, day))) throw notFound("day of action", day);
    const id = await insertCover(tx, {
      union_id: grant.unionId,
      dispute_id: disputeId,
      employer_id: input.employerId,
      day,
      items: input.items,
      union_agreed_by: ctx.actor.userId,
      union_agreed_name: input.unionAgreedName,
      employer_agreed_name: input.employerAgreedName,
      employer_agreed_role: input.employerAgreedRole,
      agreed_at: new Date(input.agreedAt),
      naming_agreed: input.namingAgreed,
      note: input.note,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.cover_agreed", {
      subjectType: "employer",
      subjectId: input.employerId,
      details: {
        agreement: id,
        dispute: disputeId,
        day,
        items: input.items.length,
        posts: input.items.reduce((n, i) => n + i.number, 0),
        namingAgreed: input.namingAgreed,
      },
    });
    return { id };
  });
}

/** The agreement, if its employer has a workplace of the dispute in the grant's scope. */
async function coverInScope(db: Db, grant: Grant, agreementId: number) {
  const a = await selectCover(db, grant.unionId, agreementId);
  if (!a) throw notFound("cover agreement", agreementId);
  const places = await selectDisputeWorkplaces(db, grant, a.dispute_id, { employerId: a.employer_id });
  if (!places.length) throw notFound("cover agreement", agreementId);
  return { ...a, places };
}

export async function addExemption(
  ctx: Ctx,
  agreementId: number,
  input: ExemptionInput,
): Promise<{ id: number; removedFromRota: number }> {
  const grant = authorize(ctx.actor, "action.cover");
  return withTx(ctx.db, async (tx) => {
    const a = await coverInScope(tx, grant, agreementId);
    let workplaceId = input.workplaceId;
    let memberId: number | null = null;
    if (input.memberId !== null) {
      if (!a.naming_agreed)
        throw new AppError(
          "action.naming_not_agreed",
          "This agreement does not record that the employer and the member agreed to naming: record a number instead.",
          { field: "memberId" },
        );
      const m = await lockMember(tx, grant.unionId, input.memberId);
      const place = m && a.places.find((p) => p.workplace_id === m.workplace_id);
      if (!m || !place || m.status !== "active") throw notFound("member at this employer", input.memberId);
      memberId = m.id;
      workplaceId = m.workplace_id;
    } else if (workplaceId !== null && !a.places.some((p) => p.workplace_id === workplaceId)) {
      throw notFound("workplace", workplaceId);
    }
    const row = await insertExemption(tx, {
      agreement_id: agreementId,
      union_id: grant.unionId,
      day: a.day,
      workplace_id: workplaceId,
      member_id: memberId,
      number: memberId === null ? input.number : 1,
      post: input.post,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    if (!row)
      throw new AppError("action.exemption_exists", "The member is already exempted for cover on this day.");
    const removedFromRota = memberId === null ? 0 : await deleteMemberRotaOnDay(tx, memberId, a.day);
    await recordAudit({ ...ctx, db: tx }, "action.cover_exemption_recorded", {
      subjectType: memberId === null ? "employer" : "member",
      subjectId: memberId ?? a.employer_id,
      details: {
        agreement: agreementId,
        exemption: row.id,
        day: a.day,
        workplace: workplaceId,
        number: memberId === null ? input.number : 1,
        named: memberId !== null,
        removedFromRota,
      },
    });
    return { id: row.id, removedFromRota };
  });
}

export async function recordCoverRequest(
  ctx: Ctx,
  agreementId: number,
  input: CoverRequestInput,
): Promise<{ id: number }> {
  const grant = authorize(ctx.actor, "action.cover");
  return withTx(ctx.db, async (tx) => {
    const a = await coverInScope(tx, grant, agreementId);
    const id = await insertCoverRequest(tx, {
      agreement_id: agreementId,
      union_id: grant.unionId,
      requested_at: new Date(input.requestedAt),
      requested_by_name: input.requestedByName,
      details: input.details,
      posts_requested: input.postsRequested,
      recorded_by: ctx.actor.userId,
      recorded_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.cover_request_recorded", {
      subjectType: "employer",
      subjectId: a.employer_id,
      details: { agreement: agreementId, request: id, day: a.day, postsRequested: input.postsRequested },
    });
    return { id };
  });
}

export async function answerRequest(ctx: Ctx, requestId: number, input: CoverAnswerInput): Promise<void> {
  const grant = authorize(ctx.actor, "action.cover");
  await withTx(ctx.db, async (tx) => {
    const r = await selectCoverRequest(tx, grant.unionId, requestId);
    if (!r) throw notFound("cover request", requestId);
    const a = await coverInScope(tx, grant, r.agreement_id).catch(() => {
      throw notFound("cover request", requestId);
    });
    if (r.outcome) throw new AppError("action.request_answered", "The request has already been answered.");
    await answerCoverRequest(tx, requestId, {
      outcome: input.answer,
      posts_granted: input.answer === "refused" ? 0 : input.postsGranted,
      answer_note: input.note,
      answered_by: ctx.actor.userId,
      answered_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "action.cover_request_answered", {
      subjectType: "employer",
      subjectId: a.employer_id,
      details: { agreement: a.id, request: requestId, day: a.day, answer: input.answer },
    });
  });
}
