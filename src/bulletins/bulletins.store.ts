/**
 * Officer bulletins' SQL (decisions/0030): bulletins addressed by role and region, read receipts, and
 * the counts a digest is made of. None of these functions authorises, audits or opens a transaction.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { type Grant, memberInScope } from "../auth/index.js";
import { type BallotReach, ballotInReach } from "../ballots/index.js";
import type { Db } from "../db/database.js";

const ints = (ids: readonly number[]) => sql`${[...ids]}::int[]`;

/** The bulletin (alias b) is addressed to this reader: their role, and a region of theirs. */
function addressedTo(p: { unionId: number; role: string; grant: Grant }): RawBuilder<SqlBool> {
  const rows = p.grant.rows;
  const regions =
    rows.kind === "all"
      ? sql<SqlBool>`true`
      : rows.kind === "regions"
        ? sql<SqlBool>`(cardinality(b.region_ids) = 0 or b.region_ids && ${ints(rows.ids)})`
        : rows.kind === "workplaces"
          ? sql<SqlBool>`(cardinality(b.region_ids) = 0 or b.region_ids && array(select w.region_id from workplaces w
              where w.id = any(${ints(rows.ids)}) and w.region_id is not null))`
          : sql<SqlBool>`cardinality(b.region_ids) = 0`;
  return sql<SqlBool>`(b.union_id = ${p.unionId} and (cardinality(b.roles) = 0 or ${p.role} = any(b.roles)) and ${regions})`;
}

export interface Reader {
  unionId: number;
  userId: number | null;
  role: string;
  grant: Grant;
  /** Publishers see every bulletin of the union. */
  publisher: boolean;
}

export async function selectBulletins(db: Db, r: Reader, p: { id?: number; limit: number }) {
  const where = r.publisher ? sql<SqlBool>`b.union_id = ${r.unionId}` : addressedTo(r);
  const rows = await sql<{
    id: number;
    kind: string;
    title: string;
    body: string;
    roles: string[];
    region_ids: number[];
    figures: unknown;
    created_by_name: string | null;
    created_at: Date;
    read_at: Date | null;
  }>`
    select b.id, b.kind, b.title, b.body, b.roles, b.region_ids, b.figures, u.display_name as created_by_name,
      b.created_at, rd.read_at
    from bulletins b left join users u on u.id = b.created_by
      left join bulletin_reads rd on rd.bulletin_id = b.id and rd.user_id = ${r.userId ?? 0}
    where ${where} ${p.id === undefined ? sql`` : sql`and b.id = ${p.id}`}
    order by b.created_at desc, b.id desc
    limit ${p.limit}`.execute(db);
  return rows.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

export async function insertBulletin(
  db: Db,
  row: {
    unionId: number;
    kind: "digest" | "announcement";
    title: string;
    body: string;
    roles: string[];
    regionIds: number[];
    figures: unknown | null;
    createdBy: number | null;
    now: Date;
    period?: { frequency: string; start: Date } | null;
  },
) {
  return db
    .insertInto("bulletins")
    .values({
      union_id: row.unionId,
      kind: row.kind,
      title: row.title,
      body: row.body,
      roles: row.roles,
      region_ids: row.regionIds,
      figures: row.figures === null ? null : JSON.stringify(row.figures),
      created_by: row.createdBy,
      created_at: row.now,
      period_frequency: row.period?.frequency ?? null,
      period_start: row.period?.start ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** The reader's receipt: the first opening counts; true when this one was it. */
export async function insertRead(
  db: Db,
  bulletinId: number,
  userId: number,
  now: Date,
  via: "app" | "email" = "app",
): Promise<boolean> {
  const r = await db
    .insertInto("bulletin_reads")
    .values({ bulletin_id: bulletinId, user_id: userId, read_at: now, via })
    .onConflict((oc) => oc.columns(["bulletin_id", "user_id"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The users a bulletin (alias b) is addressed to (alias u): enabled, of a role that reads bulletins. */
const addressedUser = sql<SqlBool>`u.union_id = b.union_id and u.disabled_at is null
      and u.role in ('national', 'regional', 'sector', 'rep')
      and (cardinality(b.roles) = 0 or u.role = any(b.roles))
      and (cardinality(b.region_ids) = 0 or u.role = 'national' or exists (
        select 1 from user_scopes s where s.user_id = u.id and (s.region_id = any(b.region_ids)
          or s.workplace_id in (select w.id from workplaces w where w.region_id = any(b.region_ids)))))`;

/** The users a bulletin is addressed to, with their receipts and email copies. */
export async function selectReceipts(db: Db, unionId: number, bulletinId: number) {
  const r = await sql<{
    name: string;
    role: string;
    read_at: Date | null;
    via: string | null;
    emailed_at: Date | null;
  }>`
    select u.display_name as name, u.role, rd.read_at, rd.via, e.sent_at as emailed_at
    from bulletins b join users u on ${addressedUser}
      left join bulletin_reads rd on rd.bulletin_id = b.id and rd.user_id = u.id
      left join bulletin_emails e on e.bulletin_id = b.id and e.user_id = u.id and e.state = 'sent'
    where b.id = ${bulletinId} and b.union_id = ${unionId}
    order by rd.read_at nulls last, u.display_name`.execute(db);
  return r.rows;
}

/** The users with an email address a bulletin is addressed to (its email copy's recipients). */
export async function selectEmailRecipients(db: Db, bulletinId: number) {
  const r = await sql<{ id: number; email: string }>`
    select u.id, u.email from bulletins b join users u on ${addressedUser}
    where b.id = ${bulletinId} and u.email like '%@%'
    order by u.id`.execute(db);
  return r.rows.map((row) => ({ id: Number(row.id), email: row.email }));
}

// The schedule (decisions/0037) ----------------------------------------------------------------

export function selectSchedule(db: Db, unionId: number) {
  return db.selectFrom("digest_schedules").selectAll().where("union_id", "=", unionId).executeTakeFirst();
}

export async function upsertSchedule(
  db: Db,
  row: {
    union_id: number;
    frequency: string;
    hour: number;
    weekday: number;
    since: Date;
    updated_at: Date;
    updated_by: number | null;
  },
) {
  await db
    .insertInto("digest_schedules")
    .values(row)
    .onConflict((oc) =>
      oc.column("union_id").doUpdateSet({
        frequency: row.frequency,
        hour: row.hour,
        weekday: row.weekday,
        since: row.since,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

/**
 * Takes a period for making: true for the one caller that inserted its row. The primary key
 * (union, frequency, start) decides; a second caller waits for the first's transaction and gets false.
 */
export async function claimPeriod(
  db: Db,
  p: { unionId: number; frequency: string; start: Date; end: Date; now: Date; jobId: number | null },
): Promise<boolean> {
  const r = await db
    .insertInto("digest_periods")
    .values({
      union_id: p.unionId,
      frequency: p.frequency,
      period_start: p.start,
      period_end: p.end,
      made_at: p.now,
      job_id: p.jobId,
    })
    .onConflict((oc) => oc.columns(["union_id", "frequency", "period_start"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function selectLatestPeriod(db: Db, unionId: number) {
  return db
    .selectFrom("digest_periods")
    .selectAll()
    .where("union_id", "=", unionId)
    .orderBy("period_end", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function selectPeriodBulletins(db: Db, unionId: number, frequency: string, start: Date) {
  const rows = await db
    .selectFrom("bulletins")
    .select(["id", "title", "body"])
    .where("union_id", "=", unionId)
    .where("period_frequency", "=", frequency)
    .where("period_start", "=", start)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

// Email copies ---------------------------------------------------------------------------------

/** Records an email before it leaves; false when the (bulletin, user) already has one. */
export async function insertEmail(
  db: Db,
  e: { bulletinId: number; userId: number; messageId: string; now: Date },
): Promise<boolean> {
  const r = await db
    .insertInto("bulletin_emails")
    .values({
      bulletin_id: e.bulletinId,
      user_id: e.userId,
      state: "sending",
      message_id: e.messageId,
      queued_at: e.now,
    })
    .onConflict((oc) => oc.columns(["bulletin_id", "user_id"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Emails recorded as leaving but not as answered (in flight when a worker stopped). */
export async function selectUnanswered(db: Db, bulletinIds: readonly number[]) {
  if (!bulletinIds.length) return [];
  return db
    .selectFrom("bulletin_emails")
    .select(["bulletin_id", "user_id", "message_id"])
    .where("bulletin_id", "in", [...bulletinIds])
    .where("state", "=", "sending")
    .execute();
}

export async function markEmail(
  db: Db,
  e: { bulletinId: number; userId: number; state: "sent" | "failed"; now: Date },
) {
  await db
    .updateTable("bulletin_emails")
    .set({ state: e.state, sent_at: e.state === "sent" ? e.now : null })
    .where("bulletin_id", "=", e.bulletinId)
    .where("user_id", "=", e.userId)
    .execute();
}

/** A bulletin's addressed, emailed and read counts, for publishers' lists. */
export async function selectBulletinCounts(db: Db, unionId: number, ids: readonly number[]) {
  if (!ids.length) return [];
  const r = await sql<{ id: number; addressed: number; emailed: number; read: number }>`
    select b.id, count(u.id)::int as addressed,
      count(e.user_id) filter (where e.state = 'sent')::int as emailed,
      count(rd.user_id)::int as read
    from bulletins b join users u on ${addressedUser}
      left join bulletin_emails e on e.bulletin_id = b.id and e.user_id = u.id
      left join bulletin_reads rd on rd.bulletin_id = b.id and rd.user_id = u.id
    where b.union_id = ${unionId} and b.id = any(${ints(ids)})
    group by b.id`.execute(db);
  return r.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

export async function selectRegions(db: Db, unionId: number) {
  return db
    .selectFrom("regions")
    .select(["id", "name"])
    .where("union_id", "=", unionId)
    .orderBy("name")
    .execute();
}

/**
 * A digest's counts for a reach (a region, or the union): ballots open now with their latest returns
 * against the 50% threshold, messages sent in the period by channel to members in the reach, and
 * materials approved in the period.
 */
export async function digestCounts(db: Db, reach: BallotReach, from: Date, to: Date) {
  const ballots = await sql<{
    name: string;
    closing_date: string;
    entitled: number | null;
    returned: number | null;
  }>`
    select b.name, b.closing_date::text as closing_date, b.electorate_entitled as entitled,
      (select t.papers_returned from turnout_returns t where t.ballot_id = b.id
        order by t.as_of desc, t.id desc limit 1) as returned
    from ballots b
    where b.union_id = ${reach.grant.unionId} and b.state in ('notices_issued', 'open')
      and ${ballotInReach(reach, "b.id")}
    order by b.closing_date, b.name`.execute(db);
  const sent = await db
    .selectFrom("comms_messages as c")
    .innerJoin("members", "members.id", "c.member_id")
    .select(["c.channel", sql<number>`count(*)::int`.as("n")])
    .where("c.state", "=", "sent")
    .where("c.sent_at", ">=", from)
    .where("c.sent_at", "<", to)
    .where(memberInScope(reach.grant))
    .groupBy("c.channel")
    .execute();
  const materials = await db
    .selectFrom("material_versions as v")
    .innerJoin("materials as m", "m.id", "v.material_id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("m.union_id", "=", reach.grant.unionId)
    .where("v.approved_at", ">=", from)
    .where("v.approved_at", "<", to)
    .executeTakeFirstOrThrow();
  return { ballots: ballots.rows, sent, materialsApproved: Number(materials.n) };
}
