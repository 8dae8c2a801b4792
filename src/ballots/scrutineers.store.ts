/**
 * The SQL of scrutineers' appointments: who is appointed to a ballot, a
 * user's role in the union, and appointments added and removed.
 */
import type { Db } from "../db/database.js";

/** The users appointed to the ballot, by name. */
export async function selectScrutineers(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_scrutineers as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.display_name", "u.email", "s.appointed_at"])
    .where("s.ballot_id", "=", ballotId)
    .orderBy("u.display_name")
    .execute();
}

/** The role of the union's user, or null when the union has no such user. */
export async function unionUserRole(db: Db, unionId: number, userId: number): Promise<string | null> {
  const user = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where("union_id", "=", unionId)
    .where("id", "=", userId)
    .executeTakeFirst();
  return user?.role ?? null;
}

/** The user appointed to the ballot; false when they already were. */
export async function insertScrutineer(
  tx: Db,
  ballotId: number,
  userId: number,
  appointedBy: number | null,
  now: Date,
): Promise<boolean> {
  const added = await tx
    .insertInto("ballot_scrutineers")
    .values({ ballot_id: ballotId, user_id: userId, appointed_by: appointedBy, appointed_at: now })
    .onConflict((oc) => oc.columns(["ballot_id", "user_id"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  return added !== undefined;
}

/** The user's appointment to the ballot removed; false when there was none. */
export async function deleteScrutineer(tx: Db, ballotId: number, userId: number): Promise<boolean> {
  const removed = await tx
    .deleteFrom("ballot_scrutineers")
    .where("ballot_id", "=", ballotId)
    .where("user_id", "=", userId)
    .returning("user_id")
    .executeTakeFirst();
  return removed !== undefined;
}
