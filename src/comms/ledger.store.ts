/**
 * The send ledger (decisions/0027): one row per message, written before it leaves, claimed with the
 * address it goes to, marked after the server answered. And the rate windows every worker shares.
 * None of these functions authorises, audits or opens a transaction.
 */
import { sql } from "kysely";
import type { Grant } from "../auth/index.js";
import { memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";
import {
  addressSql,
  inAudience,
  type MessageRule,
  type ResolvedAudience,
  suppressionReason,
} from "./audience.store.js";
import type { Channel, MessageState, SuppressionReason } from "./comms.model.js";

/** The lowest and highest member ids of the union: the send's windows run between them. */
export async function memberIdRange(db: Db, unionId: number) {
  const r = await db
    .selectFrom("members")
    .select([sql<number | null>`min(id)`.as("lo"), sql<number | null>`max(id)`.as("hi")])
    .where("union_id", "=", unionId)
    .executeTakeFirstOrThrow();
  return { lo: r.lo === null ? null : Number(r.lo), hi: r.hi === null ? null : Number(r.hi) };
}

/**
 * Writes the ledger rows of the members with ids in (after, upTo]: pending, or suppressed with the
 * reason. Idempotent: a window written before is skipped row by row.
 */
export async function writeWindow(
  tx: Db,
  p: {
    sendId: number;
    grant: Grant;
    audience: ResolvedAudience;
    rule: MessageRule;
    versions: { en: number; cy: number | null };
    after: number;
    upTo: number;
  },
): Promise<number> {
  const version =
    p.versions.cy === null
      ? sql<number>`${p.versions.en}::int`
      : sql<number>`case when members.language = 'cy' then ${p.versions.cy}::int else ${p.versions.en}::int end`;
  const reason = suppressionReason(p.rule);
  const r = await tx
    .insertInto("comms_messages")
    .columns(["send_id", "member_id", "channel", "content_version", "state", "reason"])
    .expression((eb) =>
      eb
        .selectFrom("members")
        .select([
          sql<number>`${p.sendId}::int`.as("send_id"),
          "members.id",
          sql<string>`${p.rule.channel}::text`.as("channel"),
          version.as("content_version"),
          sql<string>`case when ${reason} is null then 'pending' else 'suppressed' end`.as("state"),
          reason.as("reason"),
        ])
        .where("members.id", ">", p.after)
        .where("members.id", "<=", p.upTo)
        .where(memberInScope(p.grant))
        .where(inAudience(p.audience)),
    )
    .onConflict((oc) => oc.constraint("comms_messages_uq").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** Messages a run found claimed by a worker that stopped: they go back to pending (in flight, maybe sent). */
export async function releaseInFlight(tx: Db, sendId: number): Promise<number> {
  const r = await tx
    .updateTable("comms_messages")
    .set({ state: "pending" })
    .where("send_id", "=", sendId)
    .where("state", "=", "sending")
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface ClaimedMessage {
  id: string;
  memberId: number;
  contentVersion: number;
  state: "sending" | "suppressed";
  address: string | null;
  attempts: number;
}

/**
 * Claims up to `limit` messages due now: each is checked against the suppression rule as it stands
 * (suppressed with the reason) or moved to sending with the member's address now.
 */
export async function claimBatch(
  tx: Db,
  p: { sendId: number; rule: MessageRule; now: Date; limit: number },
): Promise<ClaimedMessage[]> {
  const reason = suppressionReason(p.rule);
  const rows = await sql<{
    id: string;
    member_id: number;
    content_version: number;
    state: "sending" | "suppressed";
    address: string | null;
    attempts: number;
  }>`
    with picked as (
      select c.id from comms_messages c
      where c.send_id = ${p.sendId} and c.channel = ${p.rule.channel} and c.state = 'pending' and (c.not_before is null or c.not_before <= ${p.now})
      order by c.id
      limit ${p.limit}
      for update skip locked
    ), checked as (
      select picked.id, ${reason} as reason, ${addressSql(p.rule.channel)} as address
      from picked join comms_messages c on c.id = picked.id join members on members.id = c.member_id
    )
    update comms_messages c set
      state = case when checked.reason is null then 'sending' else 'suppressed' end,
      reason = coalesce(checked.reason, c.reason),
      address = case when checked.reason is null then checked.address else null end,
      attempts = c.attempts + case when checked.reason is null then 1 else 0 end,
      claimed_at = ${p.now}
    from checked where c.id = checked.id
    returning c.id::text as id, c.member_id, c.content_version, c.state, c.address, c.attempts`.execute(tx);
  return rows.rows
    .map((r) => ({
      id: String(r.id),
      memberId: Number(r.member_id),
      contentVersion: Number(r.content_version),
      state: r.state,
      address: r.address,
      attempts: Number(r.attempts),
    }))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export interface MessageOutcome {
  id: string;
  state: Extract<MessageState, "sent" | "failed" | "pending">;
  /** The server's answer, a failure code, or the reason a message waits. */
  response: string | null;
  notBefore?: Date | null;
  /** A refusal for good of the address itself (no such mailbox, not a number): the message bounced hard. */
  bounce?: "hard";
  bounceStatus?: string;
}

/** Marks messages the server answered; only rows still `sending` change (a run taken over owns the rest). */
export async function markMessages(db: Db, outcomes: readonly MessageOutcome[], now: Date): Promise<number> {
  if (!outcomes.length) return 0;
  const r = await sql`
    update comms_messages c set
      state = u.state,
      response = u.response,
      sent_at = case when u.state = 'sent' then ${now}::timestamptz else c.sent_at end,
      not_before = u.not_before,
      reason = case when u.state = 'failed' then u.response else c.reason end,
      bounce = coalesce(u.bounce, c.bounce),
      bounce_status = coalesce(u.bounce_status, c.bounce_status),
      bounced_at = case when u.bounce is null then c.bounced_at else ${now}::timestamptz end
    from unnest(${outcomes.map((o) => o.id)}::bigint[], ${outcomes.map((o) => o.state)}::text[],
                ${outcomes.map((o) => o.response)}::text[], ${outcomes.map((o) => o.notBefore ?? null)}::timestamptz[],
                ${outcomes.map((o) => o.bounce ?? null)}::text[], ${outcomes.map((o) => o.bounceStatus ?? null)}::text[])
      as u(id, state, response, not_before, bounce, bounce_status)
    where c.id = u.id and c.state = 'sending'`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export interface LedgerCounts {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
}

export async function ledgerCounts(db: Db, sendId: number, channel?: Channel): Promise<LedgerCounts> {
  let q = db.selectFrom("comms_messages").where("send_id", "=", sendId);
  if (channel) q = q.where("channel", "=", channel);
  const rows = await q
    .select(["state", sql<number>`count(*)::int`.as("n")])
    .groupBy("state")
    .execute();
  const out: LedgerCounts = { pending: 0, sending: 0, sent: 0, failed: 0, suppressed: 0 };
  for (const r of rows) out[r.state as keyof LedgerCounts] = Number(r.n);
  return out;
}

export async function suppressedByReason(db: Db, sendId: number) {
  const rows = await db
    .selectFrom("comms_messages")
    .select(["reason", sql<number>`count(*)::int`.as("n")])
    .where("send_id", "=", sendId)
    .where("state", "=", "suppressed")
    .groupBy("reason")
    .orderBy(sql`2`, "desc")
    .execute();
  return rows.map((r) => ({ reason: r.reason ?? "", members: Number(r.n) }));
}

/** One ledger row, for the unsubscribe link and bounces: which member, send and channel. */
export async function selectMessage(db: Db, id: string) {
  return db
    .selectFrom("comms_messages as c")
    .innerJoin("comms_sends as s", "s.id", "c.send_id")
    .select([
      sql<string>`c.id::text`.as("id"),
      "c.member_id",
      "c.channel",
      "c.address",
      "c.state",
      "s.union_id",
      "s.id as send_id",
    ])
    .where(sql`c.id`, "=", sql`${id}::bigint`)
    .executeTakeFirst();
}

export async function insertSuppression(
  db: Db,
  row: {
    unionId: number;
    memberId: number;
    channel: Channel | "all";
    reason: Extract<
      SuppressionReason,
      "unsubscribed" | "stop" | "hard_bounce" | "invalid_number" | "complaint" | "officer"
    >;
    address: string | null;
    messageId: string | null;
    createdBy: number | null;
    now: Date;
  },
): Promise<boolean> {
  // One active suppression per member, channel, reason and address is enough.
  const existing = await db
    .selectFrom("comms_suppressions")
    .select("id")
    .where("member_id", "=", row.memberId)
    .where("channel", "=", row.channel)
    .where("reason", "=", row.reason)
    .where((eb) => (row.address === null ? eb("address", "is", null) : eb("address", "=", row.address)))
    .where("lifted_at", "is", null)
    .executeTakeFirst();
  if (existing) return false;
  await db
    .insertInto("comms_suppressions")
    .values({
      union_id: row.unionId,
      member_id: row.memberId,
      channel: row.channel,
      reason: row.reason,
      address: row.address,
      message_id: row.messageId,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .execute();
  return true;
}

/**
 * Reserves `n` messages in this second of the (channel, provider) window, if the limit allows:
 * every worker on every machine reserves from the same row, so together they stay under it. The
 * second is the database's (clock_timestamp): one clock for every worker, whatever their machines'.
 */
export async function reserveRate(db: Db, key: string, n: number, limit: number): Promise<boolean> {
  if (n > limit) return false;
  const r = await sql<{ used: number }>`
    insert into comms_rate_windows (key, second, used)
    values (${key}, date_trunc('second', clock_timestamp()), ${n})
    on conflict (key, second) do update set used = comms_rate_windows.used + excluded.used
      where comms_rate_windows.used + excluded.used <= ${limit}
    returning used`.execute(db);
  return r.rows.length > 0;
}

/** Windows older than an hour are of no use to anyone. */
export async function purgeRateWindows(db: Db): Promise<void> {
  await sql`delete from comms_rate_windows where second < clock_timestamp() - interval '1 hour'`.execute(db);
}

/**
 * What the provider later said of a message it accepted (an SMS delivery report): delivered is noted
 * on the row; undelivered and failed mark it failed with the provider's code. A row not yet sent or
 * sending (never ours to change) is left alone. Returns the row as it was, or undefined.
 */
export async function markDelivery(
  db: Db,
  id: string,
  report: { status: "delivered" | "undelivered" | "failed"; code: string | null },
) {
  const row = await selectMessage(db, id);
  if (!row || (row.state !== "sent" && row.state !== "sending")) return row;
  const response = `${report.status}${report.code ? ` ${report.code}` : ""}`;
  await db
    .updateTable("comms_messages")
    .set(report.status === "delivered" ? { response } : { state: "failed", response, reason: response })
    .where(sql`id`, "=", sql`${id}::bigint`)
    .where("state", "in", ["sent", "sending"])
    .execute();
  return row;
}

/**
 * Members whose mobile is one of these numbers (E.164 and its national forms), in every union: a
 * reply to the installation's number speaks for the number, whichever union sent to it.
 */
export async function membersWithMobile(db: Db, numbers: readonly string[]) {
  if (!numbers.length) return [];
  // The expression of members_mobile_digits_idx, word for word, so the index answers.
  return db
    .selectFrom("members")
    .select(["members.id", "members.union_id"])
    .where("members.mobile", "is not", null)
    .where(sql<string>`regexp_replace(members.mobile, '[\\s()-]', '', 'g')`, "in", numbers)
    .execute();
}

/** Lifts the active suppressions of these members for one reason on one channel; returns the rows lifted. */
export async function liftSuppressions(
  db: Db,
  p: { memberIds: readonly number[]; channel: Channel; reason: SuppressionReason; now: Date },
) {
  if (!p.memberIds.length) return [];
  return db
    .updateTable("comms_suppressions")
    .set({ lifted_at: p.now })
    .where("member_id", "in", p.memberIds)
    .where("channel", "=", p.channel)
    .where("reason", "=", p.reason)
    .where("lifted_at", "is", null)
    .returning(["id", "member_id", "union_id"])
    .execute();
}
