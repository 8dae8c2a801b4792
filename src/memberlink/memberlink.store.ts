/**
 * All SQL of member links. Only the SHA-256 of a link's token is stored; the
 * token itself exists in the issuing request and in the member's hands.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

export interface LinkRow {
  id: number;
  union_id: number;
  member_id: number;
  indicative_ballot_id: number | null;
  ballot_id: number | null;
  dispute_id: number | null;
  expires_at: Date;
}

/** What a link is for: an indicative ballot, a statutory ballot (a constituency), or a dispute's strike pay. */
export type LinkFor = "indicative_ballot_id" | "ballot_id" | "dispute_id";

/** The link of a token's hash, if it is neither expired nor withdrawn. */
export async function selectLiveLink(db: Db, tokenHash: string, now: Date): Promise<LinkRow | undefined> {
  return db
    .selectFrom("member_links")
    .select(["id", "union_id", "member_id", "indicative_ballot_id", "ballot_id", "dispute_id", "expires_at"])
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

export async function touchLink(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable("member_links").set({ last_used_at: now }).where("id", "=", id).execute();
}

/** Withdraws the live links of these members for this ballot (before new ones are issued). */
export async function revokeLinksOf(
  db: Db,
  unionId: number,
  ballotId: number,
  memberIds: readonly number[],
  now: Date,
  linkFor: LinkFor = "indicative_ballot_id",
): Promise<number> {
  if (memberIds.length === 0) return 0;
  const result = await sql`
    update member_links set revoked_at = ${now}
     where union_id = ${unionId} and ${sql.ref(linkFor)} = ${ballotId} and revoked_at is null
       and member_id = any(${[...memberIds]}::int[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Inserts links in one statement per 10,000; returns their ids in the order given. */
export async function insertLinks(
  db: Db,
  unionId: number,
  ballotId: number,
  links: readonly { memberId: number; tokenHash: string }[],
  expiresAt: Date,
  createdBy: number | null,
  now: Date,
  linkFor: LinkFor = "indicative_ballot_id",
): Promise<void> {
  for (let i = 0; i < links.length; i += 10_000) {
    const part = links.slice(i, i + 10_000);
    await sql`
      insert into member_links (union_id, member_id, ${sql.ref(linkFor)}, token_hash, expires_at, created_by, created_at)
      select ${unionId}::int, m, ${ballotId}::int, h, ${expiresAt}, ${createdBy}::int, ${now}
        from unnest(${part.map((l) => l.memberId)}::int[], ${part.map((l) => l.tokenHash)}::text[]) as t(m, h)`.execute(
      db,
    );
  }
}

export async function selectLinksOfBallot(
  db: Db,
  unionId: number,
  ballotId: number,
  linkFor: LinkFor = "indicative_ballot_id",
) {
  return db
    .selectFrom("member_links as l")
    .innerJoin("members", "members.id", "l.member_id")
    .select([
      "l.id",
      "l.member_id",
      "l.ballot_id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "l.expires_at",
      "l.revoked_at",
      "l.created_at",
      "l.last_used_at",
    ])
    .where("l.union_id", "=", unionId)
    .where(`l.${linkFor}`, "=", ballotId)
    .orderBy("members.surname")
    .orderBy("l.id")
    .execute();
}

/**
 * Counts one use against `key` in a fixed window, in one statement (atomic
 * on PGlite and on a server): the uses counted in the current window.
 */
export async function countUse(db: Db, key: string, now: Date, windowSeconds: number): Promise<number> {
  const windowStart = new Date(now.getTime() - windowSeconds * 1000);
  const row = await sql<{ hits: number }>`
    insert into member_link_throttle as t (key, window_start, hits)
    values (${key}, ${now}, 1)
    on conflict (key) do update set
      hits = case when t.window_start < ${windowStart} then 1 else t.hits + 1 end,
      window_start = case when t.window_start < ${windowStart} then excluded.window_start else t.window_start end
    returning hits`.execute(db);
  return Number(row.rows[0]?.hits ?? 0);
}

/** Forgets windows long past, so the table cannot grow without bound however many addresses try. */
export async function forgetOldUses(db: Db, now: Date, windowSeconds: number): Promise<void> {
  await db
    .deleteFrom("member_link_throttle")
    .where("window_start", "<", new Date(now.getTime() - 2 * windowSeconds * 1000))
    .execute();
}
