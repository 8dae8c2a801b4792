/**
 * The SQL of a ballot's records: the scrutineer's report and requests for
 * copies, replacement papers and late joiners, mandate extensions and the
 * employers' correspondence. Reads of employers are bound to the reader's
 * reach (ballot-scope.ts); writes name the ballot their caller found in the
 * grant's union.
 */
import type { Insertable } from "kysely";
import type { Database, Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";
import { type BallotReach, employerInReach } from "./ballot-scope.js";

/** The ids of the ballot's employers the reader reaches. */
export async function employersInReach(db: Db, ballotId: number, reach: BallotReach) {
  return db
    .selectFrom("employers")
    .select("employers.id")
    .where(employerInReach(reach, ballotId, "employers.id"))
    .execute();
}

/** The ballot's scope row for the employer, if the employer is in it. */
export async function ballotEmployerRow(db: Db, ballotId: number, employerId: number) {
  return db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", ballotId)
    .where("employer_id", "=", employerId)
    .executeTakeFirst();
}

/** The statements of the scrutineer's report, and when a qualified one was reviewed. */
export async function reportStatements(db: Db, ballotId: number) {
  return db
    .selectFrom("scrutineer_reports")
    .select(["no_contravention", "security_arrangements", "no_interference", "reviewed_on"])
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
}

/** The ballot's scrutineer's report, if recorded. */
export async function selectScrutineerReport(db: Db, ballotId: number) {
  return db.selectFrom("scrutineer_reports").selectAll().where("ballot_id", "=", ballotId).executeTakeFirst();
}

/** Requests for copies of the report, in the order asked. */
export async function selectCopyRequests(db: Db, ballotId: number) {
  return db
    .selectFrom("scrutineer_report_requests")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .orderBy("requested_on")
    .orderBy("id")
    .execute();
}

/** The scrutineer's report recorded, or replaced by a corrected one. */
export async function upsertScrutineerReport(
  db: Db,
  ballotId: number,
  values: Omit<Insertable<Database["scrutineer_reports"]>, "ballot_id">,
) {
  return db
    .insertInto("scrutineer_reports")
    .values({ ballot_id: ballotId, ...values })
    .onConflict((oc) => oc.column("ballot_id").doUpdateSet(values))
    .execute();
}

/** When the scrutineer's report was received, if it was. */
export async function reportReceivedOn(db: Db, ballotId: number) {
  return db
    .selectFrom("scrutineer_reports")
    .select(["received_on"])
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
}

/** The review of a qualified report recorded. */
export async function recordReportReview(
  db: Db,
  ballotId: number,
  review: { reviewedOn: IsoDate; note: string; reviewedBy: number | null },
) {
  return db
    .updateTable("scrutineer_reports")
    .set({ reviewed_on: review.reviewedOn, review_note: review.note, reviewed_by: review.reviewedBy })
    .where("ballot_id", "=", ballotId)
    .execute();
}

/** A request for a copy of the report recorded; returns its id. */
export async function insertCopyRequest(
  db: Db,
  ballotId: number,
  values: Omit<Insertable<Database["scrutineer_report_requests"]>, "ballot_id">,
) {
  return db
    .insertInto("scrutineer_report_requests")
    .values({ ballot_id: ballotId, ...values })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** A request for a copy of the report on the ballot. */
export async function selectCopyRequest(db: Db, ballotId: number, requestId: number) {
  return db
    .selectFrom("scrutineer_report_requests")
    .select(["id", "requested_on", "supplied_on"])
    .where("ballot_id", "=", ballotId)
    .where("id", "=", requestId)
    .executeTakeFirst();
}

/** The date a copy was supplied. */
export async function markCopySupplied(db: Db, requestId: number, suppliedOn: IsoDate) {
  return db
    .updateTable("scrutineer_report_requests")
    .set({ supplied_on: suppliedOn })
    .where("id", "=", requestId)
    .execute();
}

/** The highest paper number of the snapshot. */
export async function maxSnapshotPaper(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select((eb) => eb.fn.max("paper_number").as("n"))
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
}

/** The highest paper number given to replacements and late joiners. */
export async function maxChangedPaper(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_paper_changes")
    .select((eb) => eb.fn.max("paper_number").as("n"))
    .where("ballot_id", "=", ballotId)
    .executeTakeFirst();
}

/** Replacement papers and late joiners, in the order recorded, with the employer's name. */
export async function selectPaperChanges(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_paper_changes as c")
    .leftJoin("employers as e", "e.id", "c.employer_id")
    .select([
      "c.id",
      "c.kind",
      "c.recorded_on",
      "c.paper_number",
      "c.replaces_paper",
      "c.employer_id",
      "e.name as employer_name",
      "c.reason",
    ])
    .where("c.ballot_id", "=", ballotId)
    .orderBy("c.id")
    .execute();
}

/** The entitled of the snapshot counted by employer (the figures the notice of ballot gave). */
export async function entitledByEmployerAll(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate as be")
    .innerJoin("employers as e", "e.id", "be.employer_id")
    .select(["be.employer_id", "e.name", (eb) => eb.fn.countAll<number>().as("n")])
    .where("be.ballot_id", "=", ballotId)
    .where("be.included", "=", true)
    .groupBy(["be.employer_id", "e.name"])
    .execute();
}

/** When the first notice of ballot was produced for each employer. */
export async function firstBallotNotices(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_documents")
    .select(["employer_id", (eb) => eb.fn.min("created_at").as("first")])
    .where("ballot_id", "=", ballotId)
    .where("kind", "=", "ballot_notice")
    .groupBy("employer_id")
    .execute();
}

/** The employer of the member the snapshot gave the paper to. */
export async function snapshotPaperEmployer(db: Db, ballotId: number, paperNumber: number) {
  return db
    .selectFrom("ballot_electorate")
    .select(["employer_id"])
    .where("ballot_id", "=", ballotId)
    .where("paper_number", "=", paperNumber)
    .executeTakeFirst();
}

/** The employer of a paper issued as a replacement or to a late joiner. */
export async function changedPaperEmployer(db: Db, ballotId: number, paperNumber: number) {
  return db
    .selectFrom("ballot_paper_changes")
    .select(["employer_id"])
    .where("ballot_id", "=", ballotId)
    .where("paper_number", "=", paperNumber)
    .executeTakeFirst();
}

/** The replacement of the paper, if it was replaced. */
export async function paperReplacement(db: Db, ballotId: number, paperNumber: number) {
  return db
    .selectFrom("ballot_paper_changes")
    .select("id")
    .where("ballot_id", "=", ballotId)
    .where("replaces_paper", "=", paperNumber)
    .executeTakeFirst();
}

/** A member of the union, with what a late joiner's entitlement depends on. */
export async function memberForPaper(db: Db, unionId: number, memberId: number) {
  return db
    .selectFrom("members")
    .select(["id", "status", "employer_id", "workplace_id", "job_category"])
    .where("union_id", "=", unionId)
    .where("id", "=", memberId)
    .executeTakeFirst();
}

/** Whether the member is in the snapshot, and entitled. */
export async function snapshotEntry(db: Db, ballotId: number, memberId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select("included")
    .where("ballot_id", "=", ballotId)
    .where("member_id", "=", memberId)
    .executeTakeFirst();
}

/** The member's record as a late joiner of the ballot, if any. */
export async function lateJoinerEntry(db: Db, ballotId: number, memberId: number) {
  return db
    .selectFrom("ballot_paper_changes")
    .select("id")
    .where("ballot_id", "=", ballotId)
    .where("member_id", "=", memberId)
    .executeTakeFirst();
}

/** A replacement paper or late joiner recorded; returns its id. */
export async function insertPaperChange(
  db: Db,
  ballotId: number,
  values: Omit<Insertable<Database["ballot_paper_changes"]>, "ballot_id">,
) {
  return db
    .insertInto("ballot_paper_changes")
    .values({ ballot_id: ballotId, ...values })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** The last day of the mandate agreed with each employer. */
export async function extendedLastDays(db: Db, ballotId: number) {
  return db
    .selectFrom("mandate_extensions")
    .select(["employer_id", "last_day"])
    .where("ballot_id", "=", ballotId)
    .execute();
}

/** The mandate extensions agreed, by employer name. */
export async function selectExtensions(db: Db, ballotId: number) {
  return db
    .selectFrom("mandate_extensions as x")
    .innerJoin("employers as e", "e.id", "x.employer_id")
    .select(["x.id", "x.employer_id", "e.name", "x.agreed_on", "x.last_day", "x.evidence"])
    .where("x.ballot_id", "=", ballotId)
    .orderBy("e.name")
    .execute();
}

/** An extension agreed with the employer recorded, or replaced. */
export async function upsertExtension(
  db: Db,
  ballotId: number,
  employerId: number,
  values: Omit<Insertable<Database["mandate_extensions"]>, "ballot_id" | "employer_id">,
) {
  return db
    .insertInto("mandate_extensions")
    .values({ ballot_id: ballotId, employer_id: employerId, ...values })
    .onConflict((oc) => oc.columns(["ballot_id", "employer_id"]).doUpdateSet(values))
    .execute();
}

/** The correspondence with the employers the reader reaches (or one of them), by date. */
export async function selectCorrespondence(
  db: Db,
  ballotId: number,
  reach: BallotReach,
  employerId?: number,
) {
  let q = db
    .selectFrom("employer_correspondence as c")
    .innerJoin("employers as e", "e.id", "c.employer_id")
    .select([
      "c.id",
      "c.employer_id",
      "e.name",
      "c.dated",
      "c.direction",
      "c.kind",
      "c.summary",
      "c.document_reference",
    ])
    .where("c.ballot_id", "=", ballotId)
    .where(employerInReach(reach, ballotId, "c.employer_id"))
    .orderBy("c.dated")
    .orderBy("c.id");
  if (employerId !== undefined) q = q.where("c.employer_id", "=", employerId);
  return q.execute();
}

/** Correspondence with an employer recorded; returns its id. */
export async function insertCorrespondence(
  db: Db,
  ballotId: number,
  values: Omit<Insertable<Database["employer_correspondence"]>, "ballot_id">,
) {
  return db
    .insertInto("employer_correspondence")
    .values({ ballot_id: ballotId, ...values })
    .returning("id")
    .executeTakeFirstOrThrow();
}
