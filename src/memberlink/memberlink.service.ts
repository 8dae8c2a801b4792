/**
 * Member links (decision 0022): a personal, unguessable, expiring link a
 * member opens without signing in, to confirm or correct the address their
 * papers go to and to vote in an indicative ballot.
 *
 * - Only the SHA-256 of the 256-bit random token is stored; the token is in
 *   the issuing officer's download and the member's hands, never in a URL the
 *   server sees (the page reads it from the fragment and sends it in a body).
 * - Unknown, expired and withdrawn links get the same answer.
 * - Every use is counted per token and per source address (fixed windows) and
 *   refused past the limit; every use is audited, under an actor naming the link.
 */

import { memberStrikePay, strikePayLinkMembers, submitClaim } from "../action/index.js";
import { type ExportTrail, recordAudit, startExport } from "../audit/index.js";
import { type Actor, authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { ballotForMember, castIndicativeVote, indicativeRollForLinks } from "../indicative/index.js";
import { getMember, updateMember } from "../members/index.js";
import { renderMemberLinkSlips } from "../notices/index.js";
import { unionLetterhead } from "../org/index.js";
import type { Clock } from "../shared/clock.js";
import { ukDate } from "../shared/clock.js";
import { csvText } from "../shared/csv.js";
import { AppError } from "../shared/errors.js";
import { randomToken, sha256Hex } from "../shared/hash.js";
import { electorateForLinks, linkBallotState, recordMemberLinkReport } from "../turnout/index.js";
import type {
  ClaimByLinkInput,
  CorrectAddressInput,
  LinkListItemDto,
  LinkViewDto,
  ReportInput,
} from "./memberlink.model.js";
import {
  countUse,
  forgetOldUses,
  insertLinks,
  type LinkFor,
  type LinkRow,
  revokeLinksOf,
  selectLinksOfBallot,
  selectLiveLink,
  touchLink,
} from "./memberlink.store.js";

export const LINK_LIMITS = {
  windowSeconds: 600,
  /** Uses of one link in a window: a member opening, correcting and voting uses a handful. */
  perToken: 30,
  /** Uses from one address in a window: a workplace behind one address shares it. */
  perSource: 300,
};

export interface LinkDeps {
  db: Db;
  clock: Clock;
}

function notFound(): AppError {
  return new AppError(
    "memberlink.not_found",
    "This link is not valid: it may have expired or been replaced.",
  );
}

/** The actor of a link's uses in the audit log and in the services it calls. */
function linkActor(link: LinkRow): Actor {
  return {
    kind: "system",
    userId: null,
    unionId: link.union_id,
    role: "national",
    label: `member-link:${link.id}`,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}

async function throttle(deps: LinkDeps, tokenHash: string, source: string): Promise<void> {
  const now = deps.clock.now();
  const { windowSeconds, perSource, perToken } = LINK_LIMITS;
  await forgetOldUses(deps.db, now, windowSeconds);
  const bySource = await countUse(deps.db, `source:${source}`, now, windowSeconds);
  if (bySource > perSource) throw limited();
  const byToken = await countUse(deps.db, `token:${tokenHash}`, now, windowSeconds);
  if (byToken > perToken) throw limited();
}

function limited(): AppError {
  return new AppError("memberlink.rate_limited", "Too many attempts; wait a few minutes and try again.", {
    retryAfterSeconds: LINK_LIMITS.windowSeconds,
  });
}

/** Counts the use, then runs `fn` with the live link and its context in one transaction. */
async function withLink<T>(
  deps: LinkDeps,
  token: string,
  source: string,
  fn: (ctx: Ctx, link: LinkRow) => Promise<T>,
): Promise<T> {
  const tokenHash = hashToken(token);
  await throttle(deps, tokenHash, source);
  return withTx(deps.db, async (tx) => {
    const link = await selectLiveLink(tx, tokenHash, deps.clock.now());
    if (!link) throw notFound();
    await touchLink(tx, link.id, deps.clock.now());
    return fn({ db: tx, clock: deps.clock, actor: linkActor(link) }, link);
  });
}

function addressOf(m: {
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  homePostcode: string | null;
  postalAddress: string | null;
  postalPostcode: string | null;
}): LinkViewDto["address"] {
  if (m.postalAddress?.trim()) {
    return {
      kind: "postal",
      lines: m.postalAddress
        .split(/\r?\n|,/)
        .map((l) => l.trim())
        .filter(Boolean),
      postcode: m.postalPostcode,
    };
  }
  return {
    kind: "home",
    lines: [m.addressLine1, m.addressLine2, m.town].filter((l): l is string => !!l?.trim()),
    postcode: m.homePostcode,
  };
}

async function view(ctx: Ctx, link: LinkRow): Promise<LinkViewDto> {
  const member = await getMember(ctx, link.member_id);
  const ballot =
    link.indicative_ballot_id === null
      ? null
      : await ballotForMember(ctx, link.indicative_ballot_id, link.member_id);
  const statutory =
    link.ballot_id === null
      ? null
      : await linkBallotState(ctx, link.union_id, link.ballot_id, link.member_id);
  const strikePay =
    link.dispute_id === null ? null : await memberStrikePay(ctx, link.dispute_id, link.member_id);
  return {
    forenames: member.forenames,
    address: addressOf(member),
    expiresAt: link.expires_at.toISOString(),
    ballot,
    statutory,
    strikePay,
  };
}

/** What the member may do through their link; audited as `memberlink.opened`. */
export async function openLink(deps: LinkDeps, token: string, source: string): Promise<LinkViewDto> {
  return withLink(deps, token, source, async (ctx, link) => {
    await recordAudit(ctx, "memberlink.opened", {
      subjectType: "member",
      subjectId: link.member_id,
      details: { linkId: link.id },
    });
    return view(ctx, link);
  });
}

export async function confirmAddress(deps: LinkDeps, token: string, source: string): Promise<LinkViewDto> {
  return withLink(deps, token, source, async (ctx, link) => {
    await recordAudit(ctx, "memberlink.address_confirmed", {
      subjectType: "member",
      subjectId: link.member_id,
      details: { linkId: link.id },
    });
    return view(ctx, link);
  });
}

/**
 * Corrects the address the member's papers go to, through the members
 * domain's update (which audits `member.updated` with the fields changed): the
 * separate postal address when they have one, else the home address.
 */
export async function correctAddress(
  deps: LinkDeps,
  input: CorrectAddressInput,
  source: string,
): Promise<LinkViewDto> {
  return withLink(deps, input.token, source, async (ctx, link) => {
    const member = await getMember(ctx, link.member_id);
    const kind = member.postalAddress?.trim() ? "postal" : "home";
    if (kind === "postal") {
      await updateMember(ctx, link.member_id, {
        postalAddress: [input.addressLine1, input.addressLine2, input.town].filter(Boolean).join(", "),
        postalPostcode: input.postcode,
      });
    } else {
      await updateMember(ctx, link.member_id, {
        addressLine1: input.addressLine1,
        addressLine2: input.addressLine2 || null,
        town: input.town || null,
        homePostcode: input.postcode,
      });
    }
    await recordAudit(ctx, "memberlink.address_corrected", {
      subjectType: "member",
      subjectId: link.member_id,
      details: { linkId: link.id, address: kind },
    });
    return view(ctx, link);
  });
}

/** Votes in the link's indicative ballot: the answers go to the tally only (src/indicative). */
export async function voteByLink(
  deps: LinkDeps,
  token: string,
  answers: readonly number[],
  source: string,
): Promise<LinkViewDto> {
  return withLink(deps, token, source, async (ctx, link) => {
    if (link.indicative_ballot_id === null)
      throw new AppError("indicative.not_found", "This link is not for an indicative ballot.");
    await castIndicativeVote(ctx, link.indicative_ballot_id, link.member_id, answers, { linkId: link.id });
    return view(ctx, link);
  });
}

/**
 * A member's report through their statutory ballot's link: "I have voted", "I need a replacement
 * paper" (with the reason) or "my address is wrong", recorded by turnout's one path for link reports
 * (a repeat of the latest report records nothing). Every use is audited as `memberlink.reported`,
 * naming the member and the kind of report; a statutory ballot's vote itself is never recorded.
 */
export async function reportByLink(deps: LinkDeps, input: ReportInput, source: string): Promise<LinkViewDto> {
  return withLink(deps, input.token, source, async (ctx, link) => {
    if (link.ballot_id === null)
      throw new AppError("ballots.not_found", "This link is not for a statutory ballot.");
    const reason = input.kind === "needs_replacement" ? (input.reason ?? null) : null;
    const { recorded, reportId } = await recordMemberLinkReport(ctx, {
      unionId: link.union_id,
      memberId: link.member_id,
      ballotId: link.ballot_id,
      kind: input.kind,
      reason,
      linkId: link.id,
    });
    await recordAudit(ctx, "memberlink.reported", {
      subjectType: "member",
      subjectId: link.member_id,
      details: {
        linkId: link.id,
        ballotId: link.ballot_id,
        kind: input.kind,
        ...(reason ? { reason } : {}),
        recorded,
        ...(reportId ? { reportId } : {}),
      },
    });
    return view(ctx, link);
  });
}

/**
 * A member's own claim through their dispute's strike pay link: strike pay for the days they were out, or
 * a hardship grant, with their evidence, through the one path every claim takes (`submitClaim`: a day is
 * held once, so a day already claimed is refused whole). Audited as `memberlink.claimed` beside the
 * claim's own audit, never with the evidence.
 */
export async function claimByLink(
  deps: LinkDeps,
  input: ClaimByLinkInput,
  source: string,
): Promise<LinkViewDto> {
  const { token, ...claim } = input;
  return withLink(deps, token, source, async (ctx, link) => {
    if (link.dispute_id === null)
      throw new AppError("action.not_found", "This link is not for a dispute's strike pay.");
    // For the link's member only, and never an import (no reference).
    const made = await submitClaim(ctx, link.dispute_id, {
      ...claim,
      memberId: link.member_id,
      reference: null,
    });
    await recordAudit(ctx, "memberlink.claimed", {
      subjectType: "member",
      subjectId: link.member_id,
      details: {
        linkId: link.id,
        disputeId: link.dispute_id,
        claimId: made.id,
        kind: made.kind,
        days: made.days.length,
      },
    });
    return view(ctx, link);
  });
}

/** How long a dispute's strike pay links last after its last strike day: time to claim. */
export const CLAIM_WINDOW_DAYS = 60;

/**
 * Issues a strike pay link to every active member in the officer's scope who is in the included
 * electorate of one of the dispute's ballots, withdrawing the strike pay links they had for it; each
 * lasts until the end of the 60th day after the dispute's last strike day. Answers the list as CSV, the
 * only copy of the links (audited as `memberlink.issued` and as an export). Officers who decide claims.
 */
export async function issueStrikePayLinks(
  ctx: Ctx,
  disputeId: number,
  baseUrl: string,
): Promise<{ filename: string; csv: string; count: number; trail: ExportTrail }> {
  const grant = authorize(ctx.actor, "action.approve");
  const { lastDay, members } = await strikePayLinkMembers(ctx, disputeId);
  const now = ctx.clock.now();
  const expiresAt = new Date(endOfDay(lastDay).getTime() + CLAIM_WINDOW_DAYS * 86_400_000);
  const issued = members.map((m) => ({ ...m, token: randomToken(32) }));
  const linkFor: LinkFor = "dispute_id";
  await withTx(ctx.db, async (tx) => {
    const withdrawn = await revokeLinksOf(
      tx,
      grant.unionId,
      disputeId,
      issued.map((m) => m.memberId),
      now,
      linkFor,
    );
    await insertLinks(
      tx,
      grant.unionId,
      disputeId,
      issued.map((m) => ({ memberId: m.memberId, tokenHash: hashToken(m.token) })),
      expiresAt,
      ctx.actor.userId,
      now,
      linkFor,
    );
    await recordAudit({ ...ctx, db: tx }, "memberlink.issued", {
      subjectType: "dispute",
      subjectId: disputeId,
      details: { count: issued.length, withdrawn, purpose: "strike_pay", expiresAt: expiresAt.toISOString() },
    });
  });
  const csv = linksCsv(baseUrl, issued, () => ukDate(expiresAt));
  const trail = await startExport(ctx, "member_links_csv", {
    subjectType: "dispute",
    subjectId: disputeId,
    details: { rows: issued.length, purpose: "strike_pay" },
  });
  return { filename: `strike-pay-links-dispute-${disputeId}.csv`, csv, count: issued.length, trail };
}

/** Issued links as CSV, the only copy of their tokens: a member a row, with the ballot where links name one. */
function linksCsv<
  M extends {
    membershipNumber: string;
    forenames: string;
    surname: string;
    workplace: string | null;
    token: string;
  },
>(baseUrl: string, issued: readonly M[], expiresOn: (m: M) => string, ballotOf?: (m: M) => string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return csvText([
    ["Membership number", "Name", "Workplace", ...(ballotOf ? ["Ballot"] : []), "Link", "Expires"],
    ...issued.map((m) => [
      m.membershipNumber,
      `${m.forenames} ${m.surname}`,
      m.workplace ?? "",
      ...(ballotOf ? [ballotOf(m)] : []),
      `${base}/m#${m.token}`,
      expiresOn(m),
    ]),
  ]);
}

/** The end of the closing day, as links expire. */
function endOfDay(isoDate: string): Date {
  return new Date(`${isoDate}T23:59:59.999Z`);
}

/**
 * Issues a link to every member on an open indicative ballot's roll,
 * withdrawing the links they had for it, and returns them as a CSV (the only
 * time the tokens exist outside the members' hands); audited as
 * `memberlink.issued` and as an export.
 */
export async function issueIndicativeLinks(
  ctx: Ctx,
  indicativeId: number,
  baseUrl: string,
): Promise<{ filename: string; csv: string; count: number; trail: ExportTrail }> {
  authorize(ctx.actor, "indicative.manage");
  const { ballot, members } = await indicativeRollForLinks(ctx, indicativeId);
  const now = ctx.clock.now();
  const expiresAt = endOfDay(ballot.closesOn);
  const issued = members.map((m) => ({ ...m, token: randomToken(32) }));
  await withTx(ctx.db, async (tx) => {
    const revoked = await revokeLinksOf(
      tx,
      ctx.actor.unionId,
      indicativeId,
      issued.map((m) => m.memberId),
      now,
    );
    await insertLinks(
      tx,
      ctx.actor.unionId,
      indicativeId,
      issued.map((m) => ({ memberId: m.memberId, tokenHash: hashToken(m.token) })),
      expiresAt,
      ctx.actor.userId,
      now,
    );
    await recordAudit({ ...ctx, db: tx }, "memberlink.issued", {
      subjectType: "indicative_ballot",
      subjectId: indicativeId,
      details: { count: issued.length, withdrawn: revoked, expiresAt: expiresAt.toISOString() },
    });
  });
  const csv = linksCsv(baseUrl, issued, () => ballot.closesOn);
  const trail = await startExport(ctx, "member_links_csv", {
    subjectType: "indicative_ballot",
    subjectId: indicativeId,
    details: { rows: issued.length },
  });
  return { filename: `member-links-${indicativeId}.csv`, csv, count: issued.length, trail };
}

/** The links issued for an indicative ballot, without their tokens (which are not kept). */
export async function listIndicativeLinks(ctx: Ctx, indicativeId: number): Promise<LinkListItemDto[]> {
  const grant = authorize(ctx.actor, "indicative.manage");
  const now = ctx.clock.now();
  const rows = await selectLinksOfBallot(ctx.db, grant.unionId, indicativeId);
  return rows.map((r) => linkItem(r, now));
}

/**
 * Issues a link to every member of a statutory ballot's frozen electorate (or of every frozen ballot
 * of its dispute), withdrawing the links they had for it; expiring at the end of the ballot's closing
 * day. Returns them as a CSV, or as a printable PDF (one member per page), the only copy of the
 * tokens, audited as `memberlink.issued` and as an export. National officers (`ballots.manage`).
 */
export async function issueBallotLinks(
  ctx: Ctx,
  ballotId: number,
  baseUrl: string,
  wholeDispute = false,
  format: "csv" | "pdf" = "csv",
): Promise<{ filename: string; csv: string; pdf: Buffer | null; count: number; trail: ExportTrail }> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const { ballots, members } = await electorateForLinks(ctx, grant.unionId, ballotId, wholeDispute);
  const now = ctx.clock.now();
  const issued = members.map((m) => ({ ...m, token: randomToken(32) }));
  const linkFor: LinkFor = "ballot_id";
  let withdrawn = 0;
  await withTx(ctx.db, async (tx) => {
    for (const b of ballots) {
      const own = issued.filter((m) => m.ballotId === b.id);
      withdrawn += await revokeLinksOf(
        tx,
        grant.unionId,
        b.id,
        own.map((m) => m.memberId),
        now,
        linkFor,
      );
      await insertLinks(
        tx,
        grant.unionId,
        b.id,
        own.map((m) => ({ memberId: m.memberId, tokenHash: hashToken(m.token) })),
        endOfDay(b.closesOn),
        ctx.actor.userId,
        now,
        linkFor,
      );
    }
    await recordAudit({ ...ctx, db: tx }, "memberlink.issued", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: {
        count: issued.length,
        withdrawn,
        ballots: ballots.map((b) => b.id),
        expiresOn: ballots.map((b) => b.closesOn),
      },
    });
  });
  const base = baseUrl.replace(/\/+$/, "");
  const byId = new Map(ballots.map((b) => [b.id, b]));
  const filename = `member-links-ballot-${ballotId}${wholeDispute ? "-dispute" : ""}.${format}`;
  if (format === "pdf") {
    const union = await unionLetterhead(ctx.db, grant.unionId);
    const pdf = await renderMemberLinkSlips({
      unionName: union.name,
      contact: union.contact,
      issuedOn: ukDate(now),
      slips: issued.map((m) => ({
        name: `${m.forenames} ${m.surname}`,
        membershipNumber: m.membershipNumber,
        workplace: m.workplace,
        ballotName: byId.get(m.ballotId)?.name ?? "",
        opensOn: byId.get(m.ballotId)?.opensOn ?? "",
        closesOn: byId.get(m.ballotId)?.closesOn ?? "",
        url: `${base}/m#${m.token}`,
      })),
    });
    const trail = await startExport(ctx, "member_links_pdf", {
      subjectType: "ballot",
      subjectId: ballotId,
      details: { rows: issued.length },
    });
    return { filename, csv: "", pdf, count: issued.length, trail };
  }
  const csv = linksCsv(
    baseUrl,
    issued,
    (m) => byId.get(m.ballotId)?.closesOn ?? "",
    (m) => byId.get(m.ballotId)?.name ?? "",
  );
  const trail = await startExport(ctx, "member_links_csv", {
    subjectType: "ballot",
    subjectId: ballotId,
    details: { rows: issued.length },
  });
  return { filename, csv, pdf: null, count: issued.length, trail };
}

/** The links issued for a statutory ballot: status and last use, never the token (not kept). */
export async function listBallotLinks(ctx: Ctx, ballotId: number): Promise<LinkListItemDto[]> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const now = ctx.clock.now();
  const rows = await selectLinksOfBallot(ctx.db, grant.unionId, ballotId, "ballot_id");
  return rows.map((r) => linkItem(r, now));
}

function linkItem(r: Awaited<ReturnType<typeof selectLinksOfBallot>>[number], now: Date): LinkListItemDto {
  return {
    id: r.id,
    memberId: r.member_id,
    membershipNumber: r.membership_number,
    name: `${r.forenames} ${r.surname}`,
    ballotId: r.ballot_id,
    status: r.revoked_at ? "withdrawn" : r.expires_at <= now ? "expired" : "live",
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    lastUsedAt: r.last_used_at ? r.last_used_at.toISOString() : null,
  };
}
