/**
 * The SQL of legal sign-offs: the latest recorded for a ballot, and a new one
 * written with the items it covers.
 */
import type { Db } from "../db/database.js";

/** The ballot's latest sign-off, if any. */
export async function latestSignOff(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_legal_signoffs")
    .select(["reviewer", "reviewed", "items", "signed_at", "signed_by"])
    .where("ballot_id", "=", ballotId)
    .orderBy("signed_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
}

/** A sign-off recorded: who reviewed, what, and the items it covers. */
export async function insertSignOff(
  tx: Db,
  ballotId: number,
  s: { items: string[]; reviewer: string; reviewed: string; signedAt: Date; signedBy: number | null },
): Promise<void> {
  await tx
    .insertInto("ballot_legal_signoffs")
    .values({
      ballot_id: ballotId,
      items: JSON.stringify(s.items),
      reviewer: s.reviewer,
      reviewed: s.reviewed,
      signed_at: s.signedAt,
      signed_by: s.signedBy,
    })
    .execute();
}
