/**
 * The SQL of the frozen electorate as it is read: counts by reason and by
 * employer (within the reader's reach), members who joined the scope after the
 * freeze, a page of the snapshot, and the entitled and excluded members the
 * checks and documents use. The snapshot is written by the freeze
 * (ballots.store.ts).
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";
import { type BallotReach, electorateRowInReach } from "./ballot-scope.js";
import type { Reason } from "./electorate.js";
import type { SnapshotMember } from "./preflight.js";

/** The snapshot's rows counted by reason and whether they are entitled. */
export async function electorateByReason(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select(["reason", "included", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", ballotId)
    .groupBy(["reason", "included"])
    .execute();
}

/** The entitled counted by employer, with its name, for the rows the reader reaches. */
export async function entitledByEmployerNamed(db: Db, ballotId: number, reach: BallotReach) {
  return db
    .selectFrom("ballot_electorate as be")
    .innerJoin("employers as e", "e.id", "be.employer_id")
    .select(["be.employer_id", "e.name", (eb) => eb.fn.countAll<number>().as("n")])
    .where("be.ballot_id", "=", ballotId)
    .where("be.included", "=", true)
    .where(electorateRowInReach(reach, "be"))
    .groupBy(["be.employer_id", "e.name"])
    .orderBy("e.name")
    .execute();
}

/** How many active members of the given unions at the given employers are not in the snapshot. */
export async function activeMembersNotInSnapshot(
  db: Db,
  ballotId: number,
  unionIds: number[],
  employerIds: number[],
): Promise<number> {
  const added = await db
    .selectFrom("members as m")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("m.union_id", "in", unionIds)
    .where("m.employer_id", "in", employerIds.length ? employerIds : [0])
    .where("m.status", "=", "active")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("ballot_electorate as be")
            .select("be.member_id")
            .where("be.ballot_id", "=", ballotId)
            .whereRef("be.member_id", "=", "m.id"),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(added.n);
}

/** A page of the snapshot (entitled first, by paper number), and how many rows match. */
export async function electoratePage(
  db: Db,
  ballotId: number,
  query: { included?: "true" | "false"; employerId?: number; page: number; pageSize: number },
) {
  let q = db.selectFrom("ballot_electorate").where("ballot_id", "=", ballotId);
  if (query.included) q = q.where("included", "=", query.included === "true");
  if (query.employerId) q = q.where("employer_id", "=", query.employerId);
  const [rows, count] = await Promise.all([
    q
      .select([
        "member_id",
        "membership_number",
        "name",
        "included",
        "reason",
        "employer_id",
        "workplace_id",
        "job_category",
        "paper_number",
      ])
      .orderBy("included", "desc")
      .orderBy("paper_number")
      .orderBy("membership_number")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * The entitled members of the frozen snapshot, with what the checks and the
 * figures need: never names or addresses, which only the voter file reads.
 */
export async function loadEntitled(db: Db, ballotId: number): Promise<SnapshotMember[]> {
  const rows = await db
    .selectFrom("ballot_electorate")
    .select([
      "member_id",
      "membership_number",
      "employer_id",
      "workplace_id",
      "job_category",
      "left_on",
      "check_off",
      sql<boolean>`cardinality(address_lines) > 0 and postcode is not null`.as("has_address"),
    ])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", true)
    .orderBy("member_id")
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id,
    membershipNumber: r.membership_number,
    employerId: r.employer_id,
    workplaceId: r.workplace_id,
    jobCategory: r.job_category,
    leftOn: r.left_on,
    checkOff: r.check_off,
    hasAddress: r.has_address,
  }));
}

/** How many of the snapshot were left out, by reason. */
export async function excludedByReason(
  db: Db,
  ballotId: number,
): Promise<{ reason: Reason; count: number }[]> {
  const rows = await db
    .selectFrom("ballot_electorate")
    .select(["reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", false)
    .groupBy("reason")
    .orderBy("reason")
    .execute();
  return rows.map((r) => ({ reason: r.reason as Reason, count: Number(r.n) }));
}
