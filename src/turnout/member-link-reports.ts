/**
 * Members' own reports made through their statutory ballot's member link (decision 0022), the closed
 * loop's list of members not yet reported voted, and the frozen electorates links are issued for.
 * The one path by which a link's report is written; it shares the officers' and reps' insert
 * (`insertSelfReport`) and never records how anyone voted: a statutory ballot's vote is secret.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import { ballotReach } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import {
  insertSelfReport,
  lockMember,
  selectBallotAndDispute,
  selectElectorateForLinks,
  selectFrozenBallots,
  selectLinkBallot,
  selectMembersNotReportedVoted,
  selectReportsOfMember,
} from "./turnout.store.js";

/** What a member may report through their link. */
export const LINK_REPORT_KINDS = ["voted", "needs_replacement", "wrong_address"] as const;
export type LinkReportKind = (typeof LINK_REPORT_KINDS)[number];
/** Why a replacement paper is needed. */
export const REPLACEMENT_REASONS = ["lost", "spoilt", "not_received"] as const;
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];

export interface LinkReport {
  unionId: number;
  memberId: number;
  ballotId: number;
  kind: LinkReportKind;
  /** Required for needs_replacement, refused otherwise. */
  reason?: ReplacementReason | null;
  linkId: number;
}

/** The statutory ballot as the member's page shows it, with what they have reported. */
export interface LinkBallotState {
  id: number;
  name: string;
  opensOn: string;
  closesOn: string;
  inElectorate: boolean;
  /** Papers are out (the ballot has opened): "voted" and "replacement" may be reported. */
  open: boolean;
  voted: boolean;
  replacement: ReplacementReason | null;
  wrongAddress: boolean;
}

const notFound = (id: number) => new AppError("ballots.not_found", `No ballot ${id}.`, { id });

/**
 * The ballot of a member's link and what the member has reported for it. `ctx.db` may be the
 * link's transaction; no authorisation: the link is the member's credential.
 */
export async function linkBallotState(
  ctx: Ctx,
  unionId: number,
  ballotId: number,
  memberId: number,
): Promise<LinkBallotState> {
  const ballot = await selectLinkBallot(ctx.db, unionId, ballotId, memberId);
  if (!ballot) throw notFound(ballotId);
  const reports = await selectReportsOfMember(ctx.db, unionId, ballotId, memberId);
  const latestReplacement = reports.find((r) => r.kind === "needs_replacement");
  return {
    id: ballot.id,
    name: ballot.name,
    opensOn: ballot.opening_date,
    closesOn: ballot.closing_date,
    inElectorate: ballot.in_electorate,
    open: ukDate(ctx.clock.now()) >= ballot.opening_date,
    voted: reports.some((r) => r.kind === "voted"),
    replacement: (latestReplacement?.reason as ReplacementReason | null | undefined) ?? null,
    wrongAddress: reports.some((r) => r.kind === "wrong_address"),
  };
}

/**
 * Records a member's report made through their link, in `ctx.db`'s transaction (the link's), under
 * the link's actor: only for a member of the ballot's frozen electorate; "voted" and a replacement
 * paper only once the ballot has opened. Repeating the member's latest report records nothing
 * (`recorded: false`), so a second "I have voted" is not a second report. A new report is audited
 * as `turnout.self_report_recorded` (ballot, source, report and link; not the kind, as for reps).
 */
export async function recordMemberLinkReport(
  ctx: Ctx,
  report: LinkReport,
): Promise<{ recorded: boolean; reportId: number }> {
  const { unionId, memberId, ballotId, kind } = report;
  const reason = kind === "needs_replacement" ? (report.reason ?? null) : null;
  if (kind === "needs_replacement" && !reason)
    throw new AppError("request.invalid", "Say why a replacement paper is needed.", { field: "reason" });
  if (kind !== "needs_replacement" && report.reason)
    throw new AppError("request.invalid", "A reason goes with a replacement paper only.", {
      field: "reason",
    });
  const state = await linkBallotState(ctx, unionId, ballotId, memberId);
  if (!state.inElectorate)
    throw new AppError(
      "turnout.not_in_electorate",
      `Member ${memberId} is not in the frozen electorate of ballot ${ballotId}.`,
      { memberId, ballotId },
    );
  if (kind !== "wrong_address" && !state.open)
    throw new AppError("turnout.not_open", `Ballot ${ballotId} opens on ${state.opensOn}.`, {
      ballotId,
      opensOn: state.opensOn,
    });
  await lockMember(ctx.db, unionId, memberId);
  const reports = await selectReportsOfMember(ctx.db, unionId, ballotId, memberId);
  // Once voted, a further "voted" is not new; any other report is new unless it is the latest again.
  const same =
    kind === "voted"
      ? reports.find((r) => r.kind === "voted")
      : reports[0]?.kind === kind && (reports[0].reason ?? null) === reason
        ? reports[0]
        : undefined;
  if (same) return { recorded: false, reportId: same.id };
  const inserted = await insertSelfReport(
    ctx.db,
    unionId,
    { ballotId, memberId, kind, source: "member_link", reason },
    null,
    ctx.clock.now(),
  );
  await recordAudit(ctx, "turnout.self_report_recorded", {
    subjectType: "member",
    subjectId: memberId,
    details: { ballotId, source: "member_link", reportId: inserted.id, linkId: report.linkId },
  });
  return { recorded: true, reportId: inserted.id };
}

/**
 * The members of the ballot's frozen electorate in the reader's scope (a rep: their workplaces) with no
 * "voted" report by any path (a rep, the member's link): the list reps chase, which a report of having
 * voted leaves at once.
 */
export async function membersNotReportedVoted(ctx: Ctx, ballotId: number) {
  const grant = authorize(ctx.actor, "turnout.reports");
  if (!(await selectBallotAndDispute(ctx.db, ballotReach(ctx.actor, grant), ballotId)))
    throw notFound(ballotId);
  const rows = await selectMembersNotReportedVoted(ctx.db, grant, ballotId);
  return rows.map((r) => ({
    memberId: r.member_id,
    membershipNumber: r.membership_number,
    name: `${r.forenames} ${r.surname}`,
    workplace: r.workplace,
  }));
}

/**
 * The frozen electorates (included members) of the ballot, or of every frozen ballot of its dispute,
 * for issuing member links; the caller authorises. Refuses when none is frozen.
 */
export async function electorateForLinks(ctx: Ctx, unionId: number, ballotId: number, wholeDispute: boolean) {
  const ballots = await selectFrozenBallots(ctx.db, unionId, ballotId, wholeDispute);
  if (!ballots.some((b) => b.id === ballotId)) throw notFound(ballotId);
  const today = ukDate(ctx.clock.now());
  // Frozen, and not past its closing day (its links would be expired on issue).
  const frozen = ballots.filter((b) => b.frozen_at !== null && b.closing_date >= today);
  if (!frozen.length)
    throw new AppError(
      "ballots.wrong_state",
      ballots.find((b) => b.id === ballotId)?.frozen_at
        ? "The ballot has closed: its members' links would already have expired."
        : "Freeze the ballot's electorate before issuing member links: links go to the members it includes.",
      { ballotId },
    );
  const members = await selectElectorateForLinks(
    ctx.db,
    unionId,
    frozen.map((b) => b.id),
  );
  return {
    ballots: frozen.map((b) => ({
      id: b.id,
      name: b.name,
      opensOn: b.opening_date,
      closesOn: b.closing_date,
    })),
    members: members.map((m) => ({
      ballotId: m.ballot_id,
      memberId: m.member_id,
      membershipNumber: m.membership_number,
      forenames: m.forenames,
      surname: m.surname,
      workplace: m.workplace,
    })),
  };
}
