/**
 * The SQL of a ballot's timetable: the result's and the latest notice of
 * action's dates, the employers and extended mandates the reader reaches, the
 * entitled by employer, the employers' receipts of notices, and the open
 * ballots the reminders cover.
 */
import type { Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";
import { type BallotReach, ballotInReach, electorateRowInReach, employerInReach } from "./ballot-scope.js";

/** When the ballot's result was declared, if it was. */
export async function resultDeclaredOn(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_results")
    .select("declared_on")
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
}

/** The ballot's latest notice of industrial action: when given, and its days of action. */
export async function latestActionNotice(db: Db, ballotId: number) {
  return db
    .selectFrom("action_notices")
    .select(["given_on", "shorter_notice_agreed", "continuous", "start_date", "dates"])
    .where("ballot_id", "=", ballotId)
    .orderBy("id", "desc")
    .executeTakeFirst();
}

/** The ballot's employers the reader reaches, each once, by name, with their nation. */
export async function ballotEmployersInReach(db: Db, ballotId: number, reach: BallotReach) {
  return db
    .selectFrom("ballot_scope as s")
    .innerJoin("employers as e", "e.id", "s.employer_id")
    .select(["e.id", "e.name", "e.nation"])
    .distinct()
    .where("s.ballot_id", "=", ballotId)
    .where(employerInReach(reach, ballotId, "e.id"))
    .orderBy("e.name")
    .execute();
}

/** The mandates extended by agreement with employers the reader reaches. */
export async function mandateExtensionsInReach(db: Db, ballotId: number, reach: BallotReach) {
  return db
    .selectFrom("mandate_extensions as x")
    .innerJoin("employers as e", "e.id", "x.employer_id")
    .select(["x.employer_id", "e.name", "x.agreed_on", "x.last_day"])
    .where("x.ballot_id", "=", ballotId)
    .where(employerInReach(reach, ballotId, "x.employer_id"))
    .orderBy("e.name")
    .execute();
}

/** The entitled of the snapshot the reader reaches, counted by employer. */
export async function countEntitledByEmployer(
  db: Db,
  ballotId: number,
  reach: BallotReach,
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("ballot_electorate as be")
    .select(["be.employer_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("be.ballot_id", "=", ballotId)
    .where("be.included", "=", true)
    .where(electorateRowInReach(reach, "be"))
    .groupBy("be.employer_id")
    .execute();
  return new Map(rows.map((r) => [r.employer_id, Number(r.n)]));
}

/** The employers' receipts of the ballot's notices. */
export async function noticeReceipts(db: Db, ballotId: number) {
  return db.selectFrom("notice_receipts").selectAll().where("ballot_id", "=", ballotId).execute();
}

/** Whether the employer is in the ballot's scope. */
export async function ballotCoversEmployer(db: Db, ballotId: number, employerId: number): Promise<boolean> {
  const row = await db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", ballotId)
    .where("employer_id", "=", employerId)
    .executeTakeFirst();
  return row !== undefined;
}

/** An employer's receipt of one kind of notice, recorded or corrected. */
export async function upsertNoticeReceipt(
  tx: Db,
  ballotId: number,
  r: {
    employerId: number;
    kind: string;
    sentOn: IsoDate | null;
    receivedOn: IsoDate;
    method: string;
    evidence: string;
    recordedBy: number | null;
    recordedAt: Date;
  },
): Promise<void> {
  await tx
    .insertInto("notice_receipts")
    .values({
      ballot_id: ballotId,
      employer_id: r.employerId,
      kind: r.kind,
      sent_on: r.sentOn,
      received_on: r.receivedOn,
      method: r.method,
      evidence: r.evidence,
      recorded_by: r.recordedBy,
      recorded_at: r.recordedAt,
    })
    .onConflict((oc) =>
      oc.columns(["ballot_id", "employer_id", "kind"]).doUpdateSet({
        sent_on: r.sentOn,
        received_on: r.receivedOn,
        method: r.method,
        evidence: r.evidence,
        recorded_by: r.recordedBy,
        recorded_at: r.recordedAt,
      }),
    )
    .execute();
}

/** The ballots the reader reaches whose result is not declared yet. */
export async function openBallotsInReach(db: Db, reach: BallotReach) {
  return db
    .selectFrom("ballots")
    .select(["id", "name", "state"])
    .where("union_id", "=", reach.grant.unionId)
    .where(ballotInReach(reach, "ballots.id"))
    .where("state", "!=", "result_declared")
    .orderBy("id")
    .execute();
}
