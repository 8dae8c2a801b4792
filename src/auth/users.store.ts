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
