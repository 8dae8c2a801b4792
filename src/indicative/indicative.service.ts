/**
 * Indicative (consultative) ballots of a dispute's members (decision 0022):
 * set up by a national officer, opened (the roll fixed), voted through member
 * links, closed, and counted per constituency with disclosure control.
 *
 * Who voted and how are kept apart: `indicative_voted` says who, the tally
 * holds counts only, and both are written in one transaction that writes
 * every answer's row of the voter's constituency. The vote's audit row names
 * the member and the ballot, never the answers.
 */

import { recordAudit } from "../audit/index.js";
import { type Actor, authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { discloseResults, withheldNotes } from "./disclosure.js";
import type {
  CreateIndicativeInput,
  IndicativeDto,
  IndicativeQuestion,
  IndicativeResultsDto,
  NonVoterDto,
} from "./indicative.model.js";
import {
  addToTally,
  disputeExists,
  fillRoll,
  fillTally,
  hasVoted,
  type IndicativeRow,
  insertIndicative,
  insertVoted,
  lockIndicative,
  selectIndicative,
  selectIndicatives,
  selectNonVoters,
  selectRollConstituency,
  selectRollForLinks,
  selectTally,
  selectTurnout,
  updateState,
} from "./indicative.store.js";

function notFound(): AppError {
  return new AppError("indicative.not_found", "No such indicative ballot in your union.");
}

function dto(r: IndicativeRow): IndicativeDto {
  return {
    id: r.id,
    disputeId: r.dispute_id,
    title: r.title,
    questions: r.questions,
    constituencyKind: r.constituency_kind as IndicativeDto["constituencyKind"],
    opensOn: r.opens_on,
    closesOn: r.closes_on,
    minimumCell: r.minimum_cell,
    state: r.state as IndicativeDto["state"],
    roll: r.roll,
    voted: r.voted,
  };
}

export async function createIndicative(ctx: Ctx, input: CreateIndicativeInput): Promise<IndicativeDto> {
  const grant = authorize(ctx.actor, "indicative.manage");
  return withTx(ctx.db, async (tx) => {
    if (!(await disputeExists(tx, grant.unionId, input.disputeId)))
      throw new AppError("disputes.not_found", "No such dispute in your union.");
    const id = await insertIndicative(tx, {
      union_id: grant.unionId,
      dispute_id: input.disputeId,
      title: input.title,
      questions: input.questions,
      constituency_kind: input.constituencyKind,
      opens_on: input.opensOn,
      closes_on: input.closesOn,
      minimum_cell: input.minimumCell,
      created_by: ctx.actor.userId,
      created_at: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "indicative.created", {
      subjectType: "indicative_ballot",
      subjectId: id,
      details: { disputeId: input.disputeId, questions: input.questions.length, by: input.constituencyKind },
    });
    return dto((await selectIndicative(tx, grant.unionId, id))!);
  });
}

export async function listIndicatives(ctx: Ctx, disputeId?: number): Promise<IndicativeDto[]> {
  const grant = authorize(ctx.actor, "indicative.read");
  return (await selectIndicatives(ctx.db, grant.unionId, disputeId)).map(dto);
}

export async function getIndicative(ctx: Ctx, id: number): Promise<IndicativeDto> {
  const grant = authorize(ctx.actor, "indicative.read");
  const row = await selectIndicative(ctx.db, grant.unionId, id);
  if (!row) throw notFound();
  return dto(row);
}

/** Opens the ballot: fixes the roll and a zero tally for each of its constituencies, questions and answers. */
export async function openIndicative(ctx: Ctx, id: number): Promise<IndicativeDto> {
  const grant = authorize(ctx.actor, "indicative.manage");
  return withTx(ctx.db, async (tx) => {
    const row = await lockIndicative(tx, grant.unionId, id);
    if (!row) throw notFound();
    if (row.state !== "draft")
      throw new AppError("indicative.wrong_state", "The indicative ballot has already been opened.");
    const roll = await fillRoll(tx, grant.unionId, id, row.dispute_id, row.constituency_kind);
    if (roll === 0)
      throw new AppError(
        "indicative.wrong_state",
        row.constituency_kind === "ballot"
          ? "No member is in the electorate of a frozen ballot of this dispute: freeze a ballot first."
          : "No active member works for the dispute's employers.",
      );
    const cells = await fillTally(tx, id, row.questions);
    await updateState(tx, grant.unionId, id, "open", ctx.clock.now());
    await recordAudit({ ...ctx, db: tx }, "indicative.opened", {
      subjectType: "indicative_ballot",
      subjectId: id,
      details: { roll, cells },
    });
    return dto((await selectIndicative(tx, grant.unionId, id))!);
  });
}

export async function closeIndicative(ctx: Ctx, id: number): Promise<IndicativeDto> {
  const grant = authorize(ctx.actor, "indicative.manage");
  return withTx(ctx.db, async (tx) => {
    const row = await lockIndicative(tx, grant.unionId, id);
    if (!row) throw notFound();
    if (row.state !== "open")
      throw new AppError("indicative.wrong_state", "Only an open indicative ballot closes.");
    await updateState(tx, grant.unionId, id, "closed", ctx.clock.now());
    await recordAudit({ ...ctx, db: tx }, "indicative.closed", {
      subjectType: "indicative_ballot",
      subjectId: id,
    });
    return dto((await selectIndicative(tx, grant.unionId, id))!);
  });
}

function constituencyLabel(key: string, name: string | null): string {
  if (key === "workplace:none") return "No workplace recorded";
  return name ?? key;
}

export async function indicativeResults(ctx: Ctx, id: number): Promise<IndicativeResultsDto> {
  const grant = authorize(ctx.actor, "indicative.read");
  const row = await selectIndicative(ctx.db, grant.unionId, id);
  if (!row) throw notFound();
  const closed = row.state === "closed";
  const turnout = await selectTurnout(ctx.db, grant.unionId, id);
  // The answers are not even read while the ballot is open.
  const tally = closed ? await selectTally(ctx.db, id) : [];
  const tallies = turnout.map((t) => {
    const votes = row.questions.map((q) => q.choices.map(() => 0));
    for (const cell of tally) {
      if (cell.constituency !== t.constituency) continue;
      const line = votes[cell.question];
      if (line && cell.answer < line.length) line[cell.answer] = cell.votes;
    }
    return {
      key: t.constituency,
      label: constituencyLabel(t.constituency, t.label),
      roll: t.roll,
      voted: t.voted,
      votes,
    };
  });
  const disclosed = discloseResults(row.questions, tallies, row.minimum_cell, closed);
  return {
    id,
    state: row.state as IndicativeResultsDto["state"],
    minimumCell: row.minimum_cell,
    ...disclosed,
    notes: withheldNotes(row.minimum_cell, [disclosed.overall, ...disclosed.constituencies]),
  };
}

/** Members on the roll who have not voted, in the reader's scope: for reps to go and talk to. */
export async function indicativeNonVoters(ctx: Ctx, id: number): Promise<NonVoterDto[]> {
  const grant = authorize(ctx.actor, "indicative.read");
  const members = authorize(ctx.actor, "members.read");
  const row = await selectIndicative(ctx.db, grant.unionId, id);
  if (!row) throw notFound();
  const rows = await selectNonVoters(ctx.db, members, id);
  return rows.map((r) => ({
    memberId: r.memberId,
    membershipNumber: r.membershipNumber,
    name: `${r.forenames} ${r.surname}`,
    workplace: r.workplace,
    constituency: r.constituency,
  }));
}

/** The roll for issuing member links (national officers). */
export async function indicativeRollForLinks(ctx: Ctx, id: number) {
  const grant = authorize(ctx.actor, "indicative.manage");
  const row = await selectIndicative(ctx.db, grant.unionId, id);
  if (!row) throw notFound();
  if (row.state !== "open")
    throw new AppError("indicative.wrong_state", "Links are issued for an open indicative ballot.");
  return { ballot: dto(row), members: await selectRollForLinks(ctx.db, grant.unionId, id) };
}

/** What a member's link shows of a ballot: its questions and whether they may still vote. */
export interface BallotForMember {
  id: number;
  title: string;
  questions: IndicativeQuestion[];
  state: string;
  opensOn: string;
  closesOn: string;
  onRoll: boolean;
  voted: boolean;
  canVote: boolean;
}

/**
 * For the member-link domain, acting for a member who opened their link:
 * `actor` is the link's own (no role check: the link is the credential).
 */
export async function ballotForMember(
  ctx: { db: Ctx["db"]; clock: Ctx["clock"]; actor: Actor },
  id: number,
  memberId: number,
): Promise<BallotForMember | null> {
  const row = await selectIndicative(ctx.db, ctx.actor.unionId, id);
  if (!row) return null;
  const onRoll = (await selectRollConstituency(ctx.db, id, memberId)) !== undefined;
  const voted = onRoll && (await hasVoted(ctx.db, id, memberId));
  const today = ukDate(ctx.clock.now());
  const inWindow = row.state === "open" && row.opens_on <= today && today <= row.closes_on;
  return {
    id,
    title: row.title,
    questions: row.questions,
    state: row.state,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    onRoll,
    voted,
    canVote: inWindow && onRoll && !voted,
  };
}

/** Checks answers against the questions: one valid choice per question. */
export function validAnswers(questions: readonly IndicativeQuestion[], answers: readonly number[]): boolean {
  return (
    answers.length === questions.length &&
    answers.every((a, i) => Number.isInteger(a) && a >= 0 && a < (questions[i]?.choices.length ?? 0))
  );
}

/**
 * Casts a member's vote, in one transaction: marks them as having voted (the
 * key refuses a second vote), adds to the tally of their constituency, and
 * records `indicative.voted` naming the member and the ballot, not the answers.
 */
export async function castIndicativeVote(
  ctx: { db: Ctx["db"]; clock: Ctx["clock"]; actor: Actor },
  id: number,
  memberId: number,
  answers: readonly number[],
  auditDetails: Record<string, unknown> = {},
): Promise<void> {
  await withTx(ctx.db, async (tx) => {
    const row = await lockIndicative(tx, ctx.actor.unionId, id);
    if (!row) throw notFound();
    const today = ukDate(ctx.clock.now());
    if (row.state !== "open" || today < row.opens_on || today > row.closes_on)
      throw new AppError("indicative.wrong_state", "This indicative ballot is not open for voting.");
    if (!validAnswers(row.questions, answers))
      throw new AppError("indicative.invalid_answers", "Answer every question with one of its choices.", {
        questions: row.questions.length,
      });
    const constituency = await selectRollConstituency(tx, id, memberId);
    if (constituency === undefined)
      throw new AppError("indicative.not_on_roll", "You are not on the roll of this indicative ballot.");
    if (!(await insertVoted(tx, id, memberId)))
      throw new AppError("indicative.already_voted", "You have already voted in this indicative ballot.");
    await addToTally(tx, id, constituency, answers);
    await recordAudit({ ...ctx, db: tx }, "indicative.voted", {
      subjectType: "member",
      subjectId: memberId,
      details: { indicativeBallotId: id, ...auditDetails },
    });
  });
}
