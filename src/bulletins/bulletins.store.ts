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
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** The reader's receipt: the first opening counts; true when this one was it. */
export async function insertRead(db: Db, bulletinId: number, userId: number, now: Date): Promise<boolean> {
  const r = await db
    .insertInto("bulletin_reads")
    .values({ bulletin_id: bulletinId, user_id: userId, read_at: now })
    .onConflict((oc) => oc.columns(["bulletin_id", "user_id"]).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The users a bulletin is addressed to (enabled, of a role that reads bulletins), with their receipts. */
export async function selectReceipts(db: Db, unionId: number, bulletinId: number) {
  const r = await sql<{ name: string; role: string; read_at: Date | null }>`
    select u.display_name as name, u.role, rd.read_at
    from bulletins b join users u on u.union_id = b.union_id
      left join bulletin_reads rd on rd.bulletin_id = b.id and rd.user_id = u.id
    where b.id = ${bulletinId} and b.union_id = ${unionId} and u.disabled_at is null
      and u.role in ('national', 'regional', 'sector', 'rep')
      and (cardinality(b.roles) = 0 or u.role = any(b.roles))
      and (cardinality(b.region_ids) = 0 or u.role = 'national' or exists (
        select 1 from user_scopes s where s.user_id = u.id and (s.region_id = any(b.region_ids)
          or s.workplace_id in (select w.id from workplaces w where w.region_id = any(b.region_ids)))))
    order by rd.read_at nulls last, u.display_name`.execute(db);
  return r.rows;
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
