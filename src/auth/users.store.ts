/** SQL of user accounts used outside the sign-in path, bound to the union it is given. */
import type { Db } from "../db/database.js";

/** Users whose email ends with the domain (the demo union's sign-ins), oldest first. */
export function selectUsersOfEmailDomain(db: Db, scope: { unionId: number }, domain: string) {
  return db
    .selectFrom("users")
    .select(["email", "role"])
    .where("union_id", "=", scope.unionId)
    .where("email", "like", `%@${domain}`)
    .orderBy("id")
    .execute();
}

export function selectUserForActor(db: Db, userId: number) {
  return db
    .selectFrom("users")
    .select(["id", "union_id", "email", "role", "disabled_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

export function selectUserScopes(db: Db, userId: number) {
  return db.selectFrom("user_scopes").selectAll().where("user_id", "=", userId).execute();
}

export function selectUserWithUnion(db: Db, userId: number) {
  return db
    .selectFrom("users")
    .innerJoin("unions", "unions.id", "users.union_id")
    .select(["users.id", "users.union_id", "users.email", "users.display_name", "unions.name as union_name"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
}

/** The names of the regions, sectors or workplaces a user's scope lists (ids from the user's own scope rows). */
export async function selectScopeNames(
  db: Db,
  table: "regions" | "sectors" | "workplaces",
  ids: readonly number[],
): Promise<string[]> {
  const rows = await db
    .selectFrom(table as "regions")
    .select("name")
    .where("id", "in", [...ids])
    .execute();
  return rows.map((r) => r.name);
}

export function selectOrgIdsByCode(
  db: Db,
  scope: { unionId: number },
  table: "regions" | "sectors",
  codes: readonly string[],
) {
  return db
    .selectFrom(table as "regions")
    .select(["id", "code"])
    .where("union_id", "=", scope.unionId)
    .where("code", "in", [...codes])
    .execute();
}

export function selectWorkplacesBySiteCode(db: Db, scope: { unionId: number }, siteCodes: readonly string[]) {
  return db
    .selectFrom("workplaces")
    .select(["id", "site_code"])
    .where("union_id", "=", scope.unionId)
    .where("site_code", "in", [...siteCodes])
    .execute();
}

export function selectWorkplaceIds(db: Db, scope: { unionId: number }, ids: readonly number[]) {
  return db
    .selectFrom("workplaces")
    .select("id")
    .where("union_id", "=", scope.unionId)
    .where("id", "in", [...ids])
    .execute();
}

export async function insertUser(
  db: Db,
  scope: { unionId: number },
  user: { email: string; display_name: string; password_hash: string; role: string },
): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({ ...user, union_id: scope.unionId })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface UserScopeRow {
  user_id: number;
  region_id: number | null;
  sector_id: number | null;
  workplace_id: number | null;
}

export async function insertUserScopes(db: Db, rows: UserScopeRow[]): Promise<void> {
  if (rows.length) await db.insertInto("user_scopes").values(rows).execute();
}
