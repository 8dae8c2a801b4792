/**
 * The SQL of a ballot's result: read, and written (entered or replaced) with
 * the ballot marked as having its result declared.
 */
import type { Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";

/** The ballot's recorded result, if any. */
export async function selectResult(db: Db, ballotId: number) {
  return db.selectFrom("ballot_results").selectAll().where("ballot_id", "=", ballotId).executeTakeFirst();
}

/** The result recorded (or replaced) and the ballot's state moved to result_declared. */
export async function writeResult(
  tx: Db,
  ballotId: number,
  r: {
    entitled: number;
    votesCast: number;
    questions: unknown;
    source: string;
    evaluation: unknown;
    declaredOn: IsoDate;
    recordedBy: number | null;
    now: Date;
  },
): Promise<void> {
  const values = {
    entitled: r.entitled,
    votes_cast: r.votesCast,
    questions: JSON.stringify(r.questions),
    source: r.source,
    evaluation: JSON.stringify(r.evaluation),
    declared_on: r.declaredOn,
    recorded_by: r.recordedBy,
    recorded_at: r.now,
  };
  await tx
    .insertInto("ballot_results")
    .values({ ballot_id: ballotId, ...values })
    .onConflict((oc) => oc.column("ballot_id").doUpdateSet(values))
    .execute();
  await tx
    .updateTable("ballots")
    .set({ state: "result_declared", updated_at: r.now })
    .where("id", "=", ballotId)
    .execute();
}
