/**
 * Deliverability's SQL (decisions/0028): what came back after a message left (bounces, deliveries,
 * complaints), the flags on members' addresses, the fallback of a failed message to the member's next
 * channel, and the counts of the deliverability view. None of these functions authorises, audits or
 * opens a transaction.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { type Grant, memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";
import { suppressionReason } from "./audience.store.js";
import { CHANNELS, type Channel, type DeliverabilityDimension, type Purpose } from "./comms.model.js";

/** The templates a send falls back to, per channel, with their approved versions (comms_sends.fallback). */
export type FallbackPlan = Partial<
  Record<Exclude<Channel, "email">, { templateId: number; versions: { en: number; cy: number | null } }>
>;

export interface FallbackSend {
  id: number;
  channel: Channel;
  purpose: Purpose;
  ballotIds: number[] | null;
  fallback: FallbackPlan | null;
}

/** The channels a send's messages go by: its own, then those it falls back to, in the order email, SMS, letter. */
export function channelsOfSend(send: Pick<FallbackSend, "channel" | "fallback">): Channel[] {
  const from = CHANNELS.indexOf(send.channel);
  return CHANNELS.filter(
    (c, i) => c === send.channel || (i > from && c !== "email" && send.fallback?.[c] !== undefined),
  );
}

/**
 * A failed message that falls back: a hard bounce or a number that is not valid (failed, `bounce`
 * hard), or a member written or claimed without an address on the channel, or with one that bounced
 * before. Opt-outs, consent and the rest never fall back: they are the member's wishes, not a fault.
 */
const FALLS_BACK = sql<SqlBool>`((f.state = 'failed' and f.bounce = 'hard')
  or (f.state = 'suppressed' and f.reason in ('no_address', 'hard_bounce', 'invalid_number')))`;

/**
 * Writes the fallback messages of a send for members whose message failed on an earlier channel,
 * among the given members (or member-id window): a new ledger row on the first next channel the
 * send falls back to where the member can be reached now (address, consent and the suppression
 * rule), pending, naming the failed row. Never for a member with a message on the way or sent in
 * this send, nor twice on a channel (the ledger key holds the channel). Returns the rows written.
 */
export async function writeFallbacks(
  tx: Db,
  send: FallbackSend,
  members: { ids: readonly number[] } | { after: number; upTo: number },
): Promise<number> {
  if (!send.fallback) return 0;
  const among =
    "ids" in members
      ? members.ids.length
        ? sql<SqlBool>`f.member_id in (${sql.join([...new Set(members.ids)])})`
        : null
      : sql<SqlBool>`f.member_id > ${members.after} and f.member_id <= ${members.upTo}`;
  if (among === null) return 0;
  let written = 0;
  const order = channelsOfSend(send);
  for (const [i, channel] of order.entries()) {
    if (i === 0 || channel === "email") continue;
    const plan = send.fallback[channel];
    if (!plan) continue;
    const earlier = order.slice(0, i);
    const version =
      plan.versions.cy === null
        ? sql<number>`${plan.versions.en}::int`
        : sql<number>`case when members.language = 'cy' then ${plan.versions.cy}::int else ${plan.versions.en}::int end`;
    const reason = suppressionReason({ channel, purpose: send.purpose, ballotIds: send.ballotIds });
    const r = await sql`
      insert into comms_messages (send_id, member_id, channel, content_version, state, fallback_of)
      select distinct on (f.member_id) f.send_id, f.member_id, ${channel}::text, ${version}, 'pending', f.id
      from comms_messages f join members on members.id = f.member_id
      where f.send_id = ${send.id} and f.channel in (${sql.join(earlier)}) and ${among} and ${FALLS_BACK}
        and not exists (select 1 from comms_messages r where r.send_id = f.send_id and r.member_id = f.member_id
          and (r.state in ('pending', 'sending', 'sent') or r.channel = ${channel}))
        and ${reason} is null
      order by f.member_id, f.id desc
      on conflict on constraint comms_messages_uq do nothing`.execute(tx);
    written += Number(r.numAffectedRows ?? 0);
  }
  return written;
}

/** The sends (of any union) with fallback messages waiting and no job queued or running for them. */
export async function sendsWithWaitingFallbacks(db: Db, limit = 100) {
  const rows = await sql<{ id: number; union_id: number }>`
    select s.id, s.union_id from comms_sends s
    where s.fallback is not null
      and exists (select 1 from comms_messages c where c.send_id = s.id and c.fallback_of is not null
        and c.state in ('pending', 'sending'))
      and not exists (select 1 from jobs j where j.id = s.job_id and j.state in ('queued', 'running'))
    order by s.id limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ id: Number(r.id), unionId: Number(r.union_id) }));
}

/** The send's row as the fallback writer needs it. */
export async function selectFallbackSend(db: Db, sendId: number): Promise<FallbackSend | undefined> {
  const s = await db
    .selectFrom("comms_sends")
    .select(["id", "channel", "purpose", "definition", "fallback"])
    .where("id", "=", sendId)
    .executeTakeFirst();
  if (!s) return undefined;
  const stored = s.definition as { ballotIds?: number[] | null };
  return {
    id: s.id,
    channel: s.channel as Channel,
    purpose: s.purpose as Purpose,
    ballotIds: stored.ballotIds ?? null,
    fallback: (s.fallback ?? null) as FallbackPlan | null,
  };
}

export interface BouncedRow {
  id: string;
  member_id: number;
  union_id: number;
  send_id: number;
  channel: string;
  address: string | null;
  state: string;
  bounce: string | null;
}

async function selectRow(db: Db, id: string): Promise<BouncedRow | undefined> {
  return db
    .selectFrom("comms_messages as c")
    .innerJoin("comms_sends as s", "s.id", "c.send_id")
    .select([
      sql<string>`c.id::text`.as("id"),
      "c.member_id",
      "s.union_id",
      "c.send_id",
      "c.channel",
      "c.address",
      "c.state",
      "c.bounce",
    ])
    .where(sql`c.id`, "=", sql`${id}::bigint`)
    .executeTakeFirst();
}

/**
 * A bounce on a message that left (or is leaving): hard marks it failed and bounced; soft marks it
 * bounced, and failed when the server gave up. A hard bounce is never downgraded by a later soft
 * one, and a repeat changes nothing. Returns the row as it was, and whether this report changed it.
 */
export async function markBounce(
  tx: Db,
  id: string,
  b: { bounce: "hard" | "soft"; status: string; failed: boolean; now: Date },
): Promise<{ row: BouncedRow; changed: boolean } | undefined> {
  const row = await selectRow(tx, id);
  if (!row) return undefined;
  if (row.state !== "sent" && row.state !== "sending" && row.state !== "failed")
    return { row, changed: false };
  if (row.bounce === "hard" || (row.bounce === "soft" && b.bounce === "soft" && !b.failed)) {
    return { row, changed: false };
  }
  const fails = b.bounce === "hard" || b.failed;
  const r = await tx
    .updateTable("comms_messages")
    .set({
      bounce: b.bounce,
      bounce_status: b.status,
      bounced_at: b.now,
      ...(fails
        ? { state: "failed", reason: `${b.bounce === "hard" ? "hard_bounce" : "soft_bounce"} ${b.status}` }
        : {}),
    })
    .where(sql`id`, "=", sql`${id}::bigint`)
    .executeTakeFirst();
  return { row, changed: Number(r.numUpdatedRows) > 0 };
}

/** A report that the message arrived (a DSN's delivered, an SMS delivery report). */
export async function markDelivered(tx: Db, id: string, now: Date): Promise<void> {
  await tx
    .updateTable("comms_messages")
    .set({ delivered_at: now })
    .where(sql`id`, "=", sql`${id}::bigint`)
    .where("delivered_at", "is", null)
    .execute();
}

/** A complaint (the member marked the message as spam); returns the row, or undefined when not ours or a repeat. */
export async function markComplaint(tx: Db, id: string, now: Date): Promise<BouncedRow | undefined> {
  const row = await selectRow(tx, id);
  if (!row) return undefined;
  const r = await tx
    .updateTable("comms_messages")
    .set({ complained_at: now })
    .where(sql`id`, "=", sql`${id}::bigint`)
    .where("complained_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0 ? row : undefined;
}

/**
 * Flags the member's email or mobile as undeliverable, if it is still the address that failed (a
 * member who has since given a new one is not flagged). Returns whether the flag was set now.
 */
export async function flagUndeliverable(
  tx: Db,
  p: { memberId: number; channel: "email" | "sms"; address: string; now: Date },
): Promise<boolean> {
  const column = p.channel === "email" ? "email" : "mobile";
  const flag = p.channel === "email" ? "email_undeliverable_at" : "mobile_undeliverable_at";
  const r = await tx
    .updateTable("members")
    .set({ [flag]: p.now })
    .where("id", "=", p.memberId)
    .where(sql`nullif(btrim(${sql.ref(column)}), '')`, "=", p.address)
    .where(flag, "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Messages that left or failed, by channel, employer or workplace (the member's now), of the union's
 * sends since a date (or one send), for members in the grant's reach. Suppressed messages never
 * left and are not counted here; the send's page shows them with their reasons.
 */
export async function deliverabilityCounts(
  db: Db,
  grant: Grant,
  p: { by: DeliverabilityDimension; since: Date; sendId: number | null; channel: Channel | null },
) {
  const dim: { id: RawBuilder<unknown>; name: RawBuilder<string | null> } = {
    channel: { id: sql`c.channel`, name: sql<string | null>`c.channel` },
    employer: { id: sql`members.employer_id`, name: sql<string | null>`e.name` },
    workplace: { id: sql`members.workplace_id`, name: sql<string | null>`w.name` },
  }[p.by];
  let q = db
    .selectFrom("comms_messages as c")
    .innerJoin("comms_sends as s", "s.id", "c.send_id")
    .innerJoin("members", "members.id", "c.member_id")
    .leftJoin("employers as e", "e.id", "members.employer_id")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .where("s.union_id", "=", grant.unionId)
    .where(memberInScope(grant))
    .where("c.state", "in", ["sent", "failed"]);
  q = p.sendId !== null ? q.where("s.id", "=", p.sendId) : q.where("s.created_at", ">=", p.since);
  if (p.channel) q = q.where("c.channel", "=", p.channel);
  return q
    .select([
      sql<string | null>`${dim.id}::text`.as("id"),
      dim.name.as("name"),
      // Every message that was tried: it left, or the receiving server refused it there and then.
      sql<number>`count(*)::int`.as("sent"),
      // SMS: only what the network reported delivered. Email and letters rarely report: delivered is
      // what left and did not come back (the mail industry's convention).
      sql<number>`(count(*) filter (where c.delivered_at is not null
        or (c.channel <> 'sms' and c.state = 'sent' and c.bounce is null)))::int`.as("delivered"),
      sql<number>`(count(*) filter (where c.bounce = 'hard'))::int`.as("hard"),
      sql<number>`(count(*) filter (where c.bounce = 'soft'))::int`.as("soft"),
      sql<number>`(count(*) filter (where c.state = 'failed' and c.bounce is null))::int`.as("failed"),
      sql<number>`(count(*) filter (where c.complained_at is not null))::int`.as("complaints"),
      sql<number>`(count(*) filter (where c.fallback_of is not null))::int`.as("fallback"),
    ])
    .groupBy([dim.id, dim.name])
    .orderBy(sql`count(*)`, "desc")
    .execute();
}
