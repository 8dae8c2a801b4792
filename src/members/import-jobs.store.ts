/** SQL of member import jobs read outside the import itself, bound to the grant's union. */
import type { Db } from "../db/database.js";

/** Where the import's uploaded file waits (null once removed). */
export async function selectImportFilePath(db: Db, scope: { unionId: number }, importJobId: number) {
  const row = await db
    .selectFrom("import_jobs")
    .select("file_path")
    .where("union_id", "=", scope.unionId)
    .where("id", "=", importJobId)
    .executeTakeFirstOrThrow();
  return row.file_path;
}
