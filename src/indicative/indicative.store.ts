/**
 * All SQL of indicative ballots. Each function takes the union (or the Grant)
 * and binds its queries to it; it does not authorise, audit or open
 * transactions. The answers (`indicative_tally`) are read and written only by
 * `addToTally` and `selectTally`, which never touch a member.
 */
import { sql } from "kysely";
import type { Grant } from "../auth/index.js";
import { memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";
import type { IndicativeQuestion } from "./indicative.model.js";

export interface IndicativeRow {
  id: number;
  union_id: number;
  dispute_id: number;
  title: string;
  questions: IndicativeQuestion[];
  constituency_kind: string;
  opens_on: string;
  closes_on: string;
  minimum_cell: number;
  state: string;
  roll: number;
  voted: number;
}

export async function disputeExists(db: Db, unionId: number, disputeId: number): Promise<boolean> {
  const row = await db
    .selectFrom("disputes")
    .select("id")
    .where("id", "=", disputeId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
  return !!row;
}

export async function insertIndicative(
  db: Db,
  values: {
    union_id: number;
    dispute_id: number;
    title: string;
    questions: IndicativeQuestion[];
    constituency_kind: string;
    opens_on: string;
    closes_on: string;
    minimum_cell: number;
    created_by: number | null;
    created_at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto("indicative_ballots")
    .values({ ...values, questions: JSON.stringify(values.questions) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

function indicativeQuery(db: Db, unionId: number) {
  return db
    .selectFrom("indicative_ballots as i")
    .select((eb) => [
      "i.id",
      "i.union_id",
      "i.dispute_id",
      "i.title",
      "i.questions",
      "i.constituency_kind",
      "i.opens_on",
      "i.closes_on",
      "i.minimum_cell",
      "i.state",
      eb
        .selectFrom("indicative_roll as r")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("r.indicative_ballot_id", "=", "i.id")
        .as("roll"),
      eb
        .selectFrom("indicative_voted as v")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("v.indicative_ballot_id", "=", "i.id")
        .as("voted"),
    ])
    .where("i.union_id", "=", unionId);
}

function toRow(r: Record<string, unknown>): IndicativeRow {
  return { ...(r as unknown as IndicativeRow), roll: Number(r.roll ?? 0), voted: Number(r.voted ?? 0) };
}

export async function selectIndicative(
  db: Db,
  unionId: number,
  id: number,
): Promise<IndicativeRow | undefined> {
  const row = await indicativeQuery(db, unionId).where("i.id", "=", id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Locks the ballot's row for the rest of the transaction (a vote against a close, an open against an open). */
export async function lockIndicative(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("indicative_ballots")
    .select(["id", "state", "opens_on", "closes_on", "questions", "constituency_kind", "dispute_id"])
    .where("id", "=", id)
    .where("union_id", "=", unionId)
    .forUpdate()
    .executeTakeFirst();
}

export async function selectIndicatives(
  db: Db,
  unionId: number,
  disputeId?: number,
): Promise<IndicativeRow[]> {
  let q = indicativeQuery(db, unionId);
  if (disputeId !== undefined) q = q.where("i.dispute_id", "=", disputeId);
  return (await q.orderBy("i.id", "desc").execute()).map(toRow);
}

export async function updateState(
  db: Db,
  unionId: number,
  id: number,
  state: "open" | "closed",
  at: Date,
): Promise<void> {
  await db
    .updateTable("indicative_ballots")
    .set(state === "open" ? { state, opened_at: at } : { state, closed_at: at })
    .where("id", "=", id)
    .where("union_id", "=", unionId)
    .execute();
}

/**
 * Fixes the roll in one statement: the dispute's employers' active members by
 * their workplace, or the members included in the electorate of one of the
 * dispute's frozen ballots by that ballot (the first, when in several).
 */
export async function fillRoll(
  db: Db,
  unionId: number,
  id: number,
  disputeId: number,
  kind: string,
): Promise<number> {
  const result =
    kind === "ballot"
      ? await sql`
          insert into indicative_roll (indicative_ballot_id, member_id, constituency)
          select distinct on (e.member_id) ${id}::int, e.member_id, 'ballot:' || e.ballot_id
            from ballot_electorate e
            join ballots b on b.id = e.ballot_id
            join members m on m.id = e.member_id and m.union_id = ${unionId}
           where b.dispute_id = ${disputeId} and b.union_id = ${unionId} and e.included
             and m.status = 'active'
           order by e.member_id, e.ballot_id`.execute(db)
      : await sql`
          insert into indicative_roll (indicative_ballot_id, member_id, constituency)
          select ${id}::int, m.id, 'workplace:' || coalesce(m.workplace_id::text, 'none')
            from members m
           where m.union_id = ${unionId} and m.status = 'active'
             and m.employer_id in (select employer_id from dispute_employers where dispute_id = ${disputeId})`.execute(
          db,
        );
  return Number(result.numAffectedRows ?? 0);
}

/** A zero for every constituency of the roll, question and answer: the tally never gains or loses a row after. */
export async function fillTally(
  db: Db,
  id: number,
  questions: readonly IndicativeQuestion[],
): Promise<number> {
  const qs: number[] = [];
  const as: number[] = [];
  questions.forEach((q, i) => {
    q.choices.forEach((_, j) => {
      qs.push(i);
      as.push(j);
    });
  });
  const result = await sql`
    insert into indicative_tally (indicative_ballot_id, constituency, question, answer, votes)
    select ${id}::int, c.constituency, qa.q, qa.a, 0
      from (select distinct constituency from indicative_roll where indicative_ballot_id = ${id}) c
      cross join unnest(${qs}::int[], ${as}::int[]) as qa(q, a)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function selectRollConstituency(
  db: Db,
  id: number,
  memberId: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("indicative_roll")
    .select("constituency")
    .where("indicative_ballot_id", "=", id)
    .where("member_id", "=", memberId)
    .executeTakeFirst();
  return row?.constituency;
}

export async function hasVoted(db: Db, id: number, memberId: number): Promise<boolean> {
  const row = await db
    .selectFrom("indicative_voted")
    .select("member_id")
    .where("indicative_ballot_id", "=", id)
    .where("member_id", "=", memberId)
    .executeTakeFirst();
  return !!row;
}

/** Marks the member as having voted; false when they already had (the key refuses a second row). */
export async function insertVoted(db: Db, id: number, memberId: number): Promise<boolean> {
  const row = await db
    .insertInto("indicative_voted")
    .values({ indicative_ballot_id: id, member_id: memberId })
    .onConflict((oc) => oc.doNothing())
    .returning("member_id")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Adds one vote: every answer's row of the constituency is written (0 or 1
 * added), in one statement, so every row of the constituency carries the
 * voter's transaction alike and none of them tells which answer it was.
 */
export async function addToTally(db: Db, id: number, constituency: string, answers: readonly number[]) {
  const result = await sql`
    update indicative_tally
       set votes = votes + case when answer = (${[...answers]}::int[])[question + 1] then 1 else 0 end
     where indicative_ballot_id = ${id} and constituency = ${constituency}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function selectTally(db: Db, id: number) {
  return db
    .selectFrom("indicative_tally")
    .select(["constituency", "question", "answer", "votes"])
    .where("indicative_ballot_id", "=", id)
    .orderBy("constituency")
    .orderBy("question")
    .orderBy("answer")
    .execute();
}

/** Roll and turnout per constituency, with its label (workplace or ballot name). */
export async function selectTurnout(db: Db, unionId: number, id: number) {
  const rows = await sql<{ constituency: string; roll: number; voted: number; label: string | null }>`
    select r.constituency, count(*)::int as roll, count(v.member_id)::int as voted,
           coalesce(w.name, b.name) as label
      from indicative_roll r
      left join indicative_voted v on v.indicative_ballot_id = r.indicative_ballot_id and v.member_id = r.member_id
      left join workplaces w on r.constituency like 'workplace:%' and r.constituency <> 'workplace:none'
           and w.id = substr(r.constituency, 11)::int and w.union_id = ${unionId}
      left join ballots b on r.constituency like 'ballot:%' and b.id = substr(r.constituency, 8)::int
           and b.union_id = ${unionId}
     where r.indicative_ballot_id = ${id}
     group by r.constituency, w.name, b.name
     order by r.constituency`.execute(db);
  return rows.rows.map((r) => ({ ...r, roll: Number(r.roll), voted: Number(r.voted) }));
}

/** Members on the roll who have not voted, within the reader's row scope: the reps' lists. */
export async function selectNonVoters(db: Db, grant: Grant, id: number) {
  return db
    .selectFrom("indicative_roll as r")
    .innerJoin("members", "members.id", "r.member_id")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .select([
      "members.id as memberId",
      "members.membership_number as membershipNumber",
      "members.forenames",
      "members.surname",
      "w.name as workplace",
      "r.constituency",
    ])
    .where("r.indicative_ballot_id", "=", id)
    .where(memberInScope(grant))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("indicative_voted as v")
            .select("v.member_id")
            .whereRef("v.indicative_ballot_id", "=", "r.indicative_ballot_id")
            .whereRef("v.member_id", "=", "r.member_id"),
        ),
      ),
    )
    .orderBy("members.surname")
    .orderBy("members.forenames")
    .orderBy("members.id")
    .execute();
}

/** The roll with what a list of links needs: membership number, name, workplace. */
export async function selectRollForLinks(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("indicative_roll as r")
    .innerJoin("members", "members.id", "r.member_id")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .select([
      "members.id as memberId",
      "members.membership_number as membershipNumber",
      "members.forenames",
      "members.surname",
      "w.name as workplace",
    ])
    .where("r.indicative_ballot_id", "=", id)
    .where("members.union_id", "=", unionId)
    .orderBy("w.name")
    .orderBy("members.surname")
    .orderBy("members.id")
    .execute();
}
