/** The board's own reads: which of the union's disputes have a ballot running (or just closed). */
import type { Db } from "../db/database.js";

/** At most this many disputes on the board (a union rarely runs more than a handful at once). */
export const MAX_DISPUTES = 12;

/**
 * One ballot of each dispute whose ballots overlap [from, to]: the turnout figures are per dispute (every
 * constituency of it), so any of its ballots opens them. Newest closing first.
 */
export async function selectRunningDisputes(db: Db, unionId: number, from: string, to: string) {
  return db
    .selectFrom("ballots as b")
    .innerJoin("disputes as d", "d.id", "b.dispute_id")
    .where("b.union_id", "=", unionId)
    .where("d.union_id", "=", unionId)
    .where("b.closing_date", ">=", from)
    .where("b.opening_date", "<=", to)
    .groupBy(["d.id", "d.title"])
    .select((eb) => [
      "d.id as dispute_id",
      "d.title",
      eb.fn.min("b.id").as("ballot_id"),
      eb.fn.min("b.opening_date").as("opening_date"),
      eb.fn.max("b.closing_date").as("closing_date"),
    ])
    .orderBy("closing_date", "desc")
    .limit(MAX_DISPUTES)
    .execute();
}
