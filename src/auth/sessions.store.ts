/** All SQL of sign-in sessions. Sessions are found by token (before any grant exists), never listed. */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

/** The account an email signs in to, whatever its case. */
export function selectUserForSignIn(db: Db, normalisedEmail: string) {
  return db
    .selectFrom("users")
    .select(["id", "union_id", "password_hash", "disabled_at"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", normalisedEmail))
    .executeTakeFirst();
}

/** The unions (at most two: one is enough to know) whose users have this email domain. */
export async function selectUnionsOfEmailDomain(db: Db, domain: string): Promise<number[]> {
  const rows = await db
    .selectFrom("users")
    .select("union_id")
    .distinct()
    .where(sql<string>`lower(split_part(email, '@', 2))`, "=", domain)
    .limit(2)
    .execute();
  return rows.map((r) => r.union_id);
}

export interface NewSessionRow {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

/** Stores the new session and drops the user's expired ones. */
export async function insertSession(db: Db, row: NewSessionRow, now: Date): Promise<void> {
  await db.insertInto("sessions").values(row).execute();
  await db.deleteFrom("sessions").where("user_id", "=", row.user_id).where("expires_at", "<", now).execute();
}

export function deleteSession(db: Db, tokenHash: string) {
  return db.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
}

/** One query per request: the session, its user and the user's scope together. */
export function selectSessionWithActor(db: Db, tokenHash: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("user_scopes", "user_scopes.user_id", "users.id")
    .select([
      "sessions.csrf_token",
      "sessions.expires_at",
      "users.id",
      "users.union_id",
      "users.email",
      "users.role",
      "users.disabled_at",
      sql<
        number[]
      >`coalesce(array_agg(user_scopes.region_id) filter (where user_scopes.region_id is not null), '{}')`.as(
        "region_ids",
      ),
      sql<
        number[]
      >`coalesce(array_agg(user_scopes.sector_id) filter (where user_scopes.sector_id is not null), '{}')`.as(
        "sector_ids",
      ),
      sql<
        number[]
      >`coalesce(array_agg(user_scopes.workplace_id) filter (where user_scopes.workplace_id is not null), '{}')`.as(
        "workplace_ids",
      ),
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .groupBy(["sessions.token_hash", "users.id"])
    .executeTakeFirst();
}
