/**
 * The SQL of the pre-flight checks: the facts of the snapshot's workplaces,
 * entitled members in a duplicate group still under review, entitled members
 * whose record changed after the snapshot, and the ballot's employers.
 */
import type { Db } from "../db/database.js";
import type { WorkplaceFacts } from "./preflight.js";

/** The facts of the given workplaces, read 10,000 at a time. */
export async function workplaceFacts(db: Db, workplaceIds: number[]): Promise<Map<number, WorkplaceFacts>> {
  const workplaces = new Map<number, WorkplaceFacts>();
  for (let i = 0; i < workplaceIds.length; i += 10_000) {
    const rows = await db
      .selectFrom("workplaces")
      .select(["id", "employer_id", "name", "closed_on", "headcount"])
      .where("id", "in", workplaceIds.slice(i, i + 10_000))
      .execute();
    for (const w of rows) {
      workplaces.set(w.id, {
        id: w.id,
        employerId: w.employer_id,
        name: w.name,
        closedOn: w.closed_on,
        headcount: w.headcount,
      });
    }
  }
  return workplaces;
}

/** The entitled members of the snapshot in a duplicate group still under review. */
export async function entitledPendingDuplicates(db: Db, ballotId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("ballot_electorate as be")
    .innerJoin("members as m", "m.id", "be.member_id")
    .innerJoin("duplicate_groups as g", "g.id", "m.duplicate_group_id")
    .select("be.member_id")
    .where("be.ballot_id", "=", ballotId)
    .where("be.included", "=", true)
    .where("g.status", "=", "review")
    .execute();
  return rows.map((r) => r.member_id);
}

/** The entitled members whose employer, workplace or category in the register differs from the snapshot's. */
export async function entitledChangedSinceSnapshot(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate as be")
    .innerJoin("members as m", "m.id", "be.member_id")
    .select([
      "be.member_id",
      "m.employer_id",
      "m.workplace_id",
      "m.job_category",
      "be.employer_id as was_employer",
      "be.workplace_id as was_workplace",
      "be.job_category as was_category",
    ])
    .where("be.ballot_id", "=", ballotId)
    .where("be.included", "=", true)
    .where((eb) =>
      eb.or([
        eb("m.employer_id", "is distinct from", eb.ref("be.employer_id")),
        eb("m.workplace_id", "is distinct from", eb.ref("be.workplace_id")),
        eb("m.job_category", "is distinct from", eb.ref("be.job_category")),
      ]),
    )
    .execute();
}

/** The ballot's employers, each once, by name. */
export async function ballotEmployersNamed(
  db: Db,
  ballotId: number,
): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("ballot_scope as s")
    .innerJoin("employers as e", "e.id", "s.employer_id")
    .select(["e.id", "e.name"])
    .distinct()
    .where("s.ballot_id", "=", ballotId)
    .orderBy("e.name")
    .execute();
}
