import type { Db } from "./database.js";

/**
 * Runs fn in a transaction, or inside the one already open (a Kysely
 * transaction cannot start another), so services compose in one unit of work.
 */
export async function withTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((tx) => fn(tx));
}
