/**
 * The statutory result notice's SQL (decisions/0030): rounds and their sends, the constituencies'
 * recorded results, and who has been told. None of these functions authorises, audits or opens a
 * transaction.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "../db/database.js";
import type { RecordedResult } from "./result-notice.js";

/** The recorded results of these ballots of the union (those declared). */
export async function selectRecordedResults(
  db: Db,
  unionId: number,
  ballotIds: number[],
): Promise<RecordedResult[]> {
  if (!ballotIds.length) return [];
  const rows = await db
    .selectFrom("ballot_results as r")
    .innerJoin("ballots as b", "b.id", "r.ballot_id")
    .select(["b.id", "b.name", "b.closing_date", "r.entitled", "r.votes_cast", "r.questions", "r.evaluation"])
    .where("b.union_id", "=", unionId)
    .where("b.id", "in", ballotIds)
    .orderBy("b.id")
    .execute();
  return rows.map((r) => ({
    ballotId: r.id,
    ballotName: r.name,
    closingDate: String(r.closing_date),
    entitled: Number(r.entitled),
    votesCast: Number(r.votes_cast),
    questions: r.questions as RecordedResult["questions"],
    evaluation: r.evaluation as RecordedResult["evaluation"],
  }));
}

/** The rounds of a dispute's notice, oldest first, with their sends. */
export async function selectNoticeRounds(db: Db, unionId: number, disputeId: number) {
  const rounds = await db
    .selectFrom("result_notices as n")
    .leftJoin("users as u", "u.id", "n.created_by")
    .select(["n.id", "n.round", "n.ballot_ids", "n.created_at", "u.display_name as created_by_name"])
    .where("n.union_id", "=", unionId)
    .where("n.dispute_id", "=", disputeId)
    .orderBy("n.round")
    .execute();
  const sends = rounds.length
    ? await db
        .selectFrom("result_notice_sends")
        .select(["notice_id", "send_id", "channel"])
        .where(
          "notice_id",
          "in",
          rounds.map((r) => r.id),
        )
        .orderBy("send_id")
        .execute()
    : [];
  return rounds.map((r) => ({ ...r, sends: sends.filter((s) => s.notice_id === r.id) }));
}

/** Sends of these whose job is still queued or running. */
export async function countUnfinished(db: Db, sendIds: number[]): Promise<number> {
  if (!sendIds.length) return 0;
  const r = await db
    .selectFrom("comms_sends as s")
    .innerJoin("jobs as j", "j.id", "s.job_id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("s.id", "in", sendIds)
    .where("j.state", "in", ["queued", "running"])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertNoticeRound(
  tx: Db,
  row: {
    unionId: number;
    disputeId: number;
    ballotIds: number[];
    figures: unknown;
    createdBy: number | null;
    now: Date;
  },
) {
  // One round number at a time per dispute.
  await tx.selectFrom("disputes").select("id").where("id", "=", row.disputeId).forUpdate().execute();
  const last = await tx
    .selectFrom("result_notices")
    .select(sql<number>`coalesce(max(round), 0)::int`.as("n"))
    .where("dispute_id", "=", row.disputeId)
    .executeTakeFirstOrThrow();
  return tx
    .insertInto("result_notices")
    .values({
      union_id: row.unionId,
      dispute_id: row.disputeId,
      round: Number(last.n) + 1,
      ballot_ids: row.ballotIds,
      figures: JSON.stringify(row.figures),
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning(["id", "round"])
    .executeTakeFirstOrThrow();
}

/** A send of the notice: no saved audience; the audience and the figures are kept with the send. */
export async function insertNoticeSend(
  tx: Db,
  row: {
    noticeId: number;
    unionId: number;
    templateId: number;
    channel: string;
    ballotId: number;
    definition: unknown;
    reach: unknown;
    versions: Record<string, number>;
    createdBy: number | null;
    now: Date;
  },
) {
  const send = await tx
    .insertInto("comms_sends")
    .values({
      union_id: row.unionId,
      template_id: row.templateId,
      segment_id: null,
      channel: row.channel,
      purpose: "statutory",
      ballot_id: row.ballotId,
      definition: JSON.stringify(row.definition),
      reach: JSON.stringify(row.reach),
      versions: JSON.stringify(row.versions),
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("result_notice_sends")
    .values({ notice_id: row.noticeId, send_id: send.id, channel: row.channel })
    .execute();
  return send;
}

/** The constituency each of these members is entitled to vote in, among the notice's ballots. */
export async function selectMemberBallots(db: Db, ballotIds: number[], memberIds: number[]) {
  if (!ballotIds.length || !memberIds.length) return new Map<number, number>();
  const rows = await db
    .selectFrom("ballot_electorate")
    .select(["member_id", "ballot_id"])
    .where("ballot_id", "in", ballotIds)
    .where("member_id", "in", memberIds)
    .where("included", "=", true)
    .execute();
  return new Map(rows.map((r) => [Number(r.member_id), Number(r.ballot_id)]));
}

export interface ToldCounts {
  entitled: number;
  told: { email: number; sms: number; letter: number };
  inProgress: number;
  failed: number;
  suppressed: { reason: string; members: number }[];
  notSent: number;
  firstToldAt: Date | null;
  lastToldAt: Date | null;
}

/**
 * Who of a constituency's frozen electorate (in the reader's reach) has been told by the notice's
 * sends: told (a message sent: by which channel), being sent, failed, suppressed with the reason, or
 * in no send yet. A member told once is told, whatever later rounds did.
 */
export async function countTold(
  db: Db,
  p: { ballotId: number; sendIds: number[]; rowInReach: RawBuilder<SqlBool> },
): Promise<ToldCounts> {
  const sends = p.sendIds.length ? sql`array[${sql.join(p.sendIds)}]::int[]` : sql`array[]::int[]`;
  const r = await sql<{
    state: string;
    reason: string | null;
    channel: string | null;
    n: number;
    first: Date | null;
    last: Date | null;
  }>`
    with members_of as (
      select be.member_id from ballot_electorate be
      where be.ballot_id = ${p.ballotId} and be.included and ${p.rowInReach}
    ), status as (
      select m.member_id,
        (select c.channel from comms_messages c where c.send_id = any(${sends}) and c.member_id = m.member_id
           and c.state = 'sent' order by c.sent_at, c.id limit 1) as told_by,
        (select c.sent_at from comms_messages c where c.send_id = any(${sends}) and c.member_id = m.member_id
           and c.state = 'sent' order by c.sent_at, c.id limit 1) as told_at,
        (select c.state || ':' || coalesce(c.reason, '') from comms_messages c where c.send_id = any(${sends})
           and c.member_id = m.member_id order by c.id desc limit 1) as last
      from members_of m
    )
    select
      case when told_by is not null then 'told' when last is null then 'none' else split_part(last, ':', 1) end as state,
      case when told_by is null and last like 'suppressed:%' then split_part(last, ':', 2) end as reason,
      told_by as channel, count(*)::int as n, min(told_at) as first, max(told_at) as last
    from status group by 1, 2, 3`.execute(db);
  const out: ToldCounts = {
    entitled: 0,
    told: { email: 0, sms: 0, letter: 0 },
    inProgress: 0,
    failed: 0,
    suppressed: [],
    notSent: 0,
    firstToldAt: null,
    lastToldAt: null,
  };
  for (const row of r.rows) {
    const n = Number(row.n);
    out.entitled += n;
    if (row.state === "told") {
      out.told[row.channel as "email" | "sms" | "letter"] += n;
      if (row.first && (!out.firstToldAt || new Date(row.first) < out.firstToldAt))
        out.firstToldAt = new Date(row.first);
      if (row.last && (!out.lastToldAt || new Date(row.last) > out.lastToldAt))
        out.lastToldAt = new Date(row.last);
    } else if (row.state === "pending" || row.state === "sending") out.inProgress += n;
    else if (row.state === "failed") out.failed += n;
    else if (row.state === "suppressed") out.suppressed.push({ reason: row.reason ?? "", members: n });
    else out.notSent += n;
  }
  return out;
}

/** Each member's constituency result, for a batch of a notice's messages (members in none: absent). */
export async function selectMemberResults<T>(
  db: Db,
  results: Record<string, T>,
  memberIds: number[],
): Promise<Map<number, T>> {
  const ballots = await selectMemberBallots(db, Object.keys(results).map(Number), memberIds);
  const out = new Map<number, T>();
  for (const [member, ballot] of ballots) {
    const r = results[String(ballot)];
    if (r) out.set(member, r);
  }
  return out;
}

/**
 * The record per member of a constituency's frozen electorate: told (when, by which channel) or why not
 * yet. National officers' evidence that every member entitled to vote was told (s.231).
 */
export async function selectToldMembers(db: Db, ballotId: number, sendIds: number[], limit: number) {
  const sends = sendIds.length ? sql`array[${sql.join(sendIds)}]::int[]` : sql`array[]::int[]`;
  const r = await sql<{
    membership_number: string;
    surname: string;
    forenames: string;
    told_by: string | null;
    told_at: Date | null;
    last_state: string | null;
    last_reason: string | null;
  }>`
    select m.membership_number, m.surname, m.forenames,
      told.channel as told_by, told.sent_at as told_at, last.state as last_state, last.reason as last_reason
    from ballot_electorate be join members m on m.id = be.member_id
      left join lateral (select c.channel, c.sent_at from comms_messages c where c.send_id = any(${sends})
        and c.member_id = be.member_id and c.state = 'sent' order by c.sent_at, c.id limit 1) told on true
      left join lateral (select c.state, c.reason from comms_messages c where c.send_id = any(${sends})
        and c.member_id = be.member_id order by c.id desc limit 1) last on true
    where be.ballot_id = ${ballotId} and be.included
    order by m.surname, m.forenames, m.membership_number
    limit ${limit}`.execute(db);
  return r.rows;
}
