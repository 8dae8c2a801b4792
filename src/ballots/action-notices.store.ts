/**
 * The SQL of notices of industrial action: who was balloted (the snapshot and
 * late joiners), the register as it stood on a day (employment history), the
 * notices, who they cover, and suspensions and resumptions of action. Reads of
 * employers are bound to the reader's reach (ballot-scope.ts).
 */
import { type Insertable, sql } from "kysely";
import { insertRowsAsJson } from "../db/bulk.js";
import type { Database, Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";

/** The entitled of the snapshot: where they were balloted, and whether they pay by check-off. */
export async function entitledSnapshot(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select(["member_id", "employer_id", "workplace_id", "job_category", "check_off"])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", true)
    .orderBy("member_id")
    .execute();
}

/** The late joiners given a paper, where they were balloted. */
export async function entitledLateJoiners(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_paper_changes as c")
    .innerJoin("members as m", "m.id", "c.member_id")
    .select(["c.member_id", "c.employer_id", "c.workplace_id", "c.job_category", "m.check_off"])
    .where("c.ballot_id", "=", ballotId)
    .where("c.kind", "=", "late_joiner")
    .execute();
}

/** The ballot's employers, once per scope entry. */
export async function scopeEmployerRows(db: Db, ballotId: number) {
  return db.selectFrom("ballot_scope").select("employer_id").where("ballot_id", "=", ballotId).execute();
}

/**
 * Members as the register stood on the day: the employment history period
 * covering the day where there is one, else the member's record; the given
 * members, or the union's members at the given employers then or now.
 */
export async function registerRowsAsAt(
  db: Db,
  day: IsoDate,
  which: { memberIds: number[] } | { unionId: number; employerIds: number[] },
) {
  const q = db
    .selectFrom("members as m")
    .leftJoin("member_history as h", (j) =>
      j
        .onRef("h.member_id", "=", "m.id")
        .on("h.valid_from", "<=", day)
        .on((eb) => eb.or([eb("h.valid_to", "is", null), eb("h.valid_to", ">=", day)])),
    )
    .select([
      "m.id",
      "m.union_id",
      "m.status",
      "m.joined_on",
      "m.left_on",
      "m.check_off",
      sql<number | null>`case when h.id is null then m.employer_id else h.employer_id end`.as("employer_id"),
      sql<number | null>`case when h.id is null then m.workplace_id else h.workplace_id end`.as(
        "workplace_id",
      ),
      sql<string | null>`case when h.id is null then m.job_category else h.job_category end`.as(
        "job_category",
      ),
    ]);
  if ("memberIds" in which) return q.where("m.id", "in", which.memberIds).execute();
  return q
    .where("m.union_id", "=", which.unionId)
    .where((eb) =>
      eb.or([eb("m.employer_id", "in", which.employerIds), eb("h.employer_id", "in", which.employerIds)]),
    )
    .execute();
}

/** Where the snapshot balloted the given members. */
export async function snapshotPlaces(db: Db, ballotId: number, memberIds: number[]) {
  return db
    .selectFrom("ballot_electorate")
    .select(["member_id", "employer_id", "workplace_id", "job_category"])
    .where("ballot_id", "=", ballotId)
    .where("member_id", "in", memberIds)
    .execute();
}

/** Why each member of the snapshot who is not entitled was left out. */
export async function notEntitledReasons(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select(["member_id", "reason"])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", false)
    .execute();
}

/** The employers' names. */
export async function employerNameRows(db: Db, ids: number[]) {
  return db.selectFrom("employers").select(["id", "name"]).where("id", "in", ids).execute();
}

/** A notice of industrial action recorded; returns its id. */
export async function insertActionNotice(
  db: Db,
  ballotId: number,
  values: Omit<Insertable<Database["action_notices"]>, "ballot_id">,
) {
  return db
    .insertInto("action_notices")
    .values({ ballot_id: ballotId, ...values })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** Who the notice covers and the outcome for each (affected or not called). */
export async function insertNoticeMembers(
  tx: Db,
  noticeId: number,
  entries: { memberId: number; employerId: number | null; workplaceId: number | null; outcome: string }[],
): Promise<void> {
  await insertRowsAsJson(
    tx,
    "action_notice_members",
    entries.map((e) => ({
      action_notice_id: noticeId,
      member_id: e.memberId,
      employer_id: e.employerId,
      workplace_id: e.workplaceId,
      outcome: e.outcome,
    })),
    null,
  );
}

/** The ballot's notices of action, in the order given. */
export async function selectActionNotices(db: Db, ballotId: number) {
  return db
    .selectFrom("action_notices")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .orderBy("given_on")
    .orderBy("id")
    .execute();
}

/** The ballot's suspensions of action, in the order they took effect. */
export async function selectSuspensions(db: Db, ballotId: number) {
  return db
    .selectFrom("action_suspensions")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .orderBy("suspended_from")
    .orderBy("id")
    .execute();
}

/** A notice of action of the ballot. */
export async function selectActionNotice(db: Db, ballotId: number, noticeId: number) {
  return db
    .selectFrom("action_notices")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .where("id", "=", noticeId)
    .executeTakeFirst();
}

/** The notice's suspension not yet resumed, if any. */
export async function openSuspension(db: Db, noticeId: number) {
  return db
    .selectFrom("action_suspensions")
    .select("id")
    .where("action_notice_id", "=", noticeId)
    .where("resumed_on", "is", null)
    .executeTakeFirst();
}

/** A suspension of action by agreement recorded; returns its id. */
export async function insertSuspension(db: Db, values: Insertable<Database["action_suspensions"]>) {
  return db.insertInto("action_suspensions").values(values).returning("id").executeTakeFirstOrThrow();
}

/** A suspension of action on the ballot. */
export async function selectSuspension(db: Db, ballotId: number, suspensionId: number) {
  return db
    .selectFrom("action_suspensions")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .where("id", "=", suspensionId)
    .executeTakeFirst();
}

/** The resumption of suspended action recorded. */
export async function recordResumption(
  db: Db,
  suspensionId: number,
  r: { resumedOn: IsoDate; evidence: string; recordedBy: number | null; recordedAt: Date },
) {
  return db
    .updateTable("action_suspensions")
    .set({
      resumed_on: r.resumedOn,
      resumption_evidence: r.evidence,
      resumption_recorded_by: r.recordedBy,
      resumption_recorded_at: r.recordedAt,
    })
    .where("id", "=", suspensionId)
    .execute();
}
