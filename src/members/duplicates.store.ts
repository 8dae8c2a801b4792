/**
 * The SQL of duplicate groups: the members compared, the undecided groups
 * replaced (ids from the sequence, inserted and linked to members in bulk), a
 * page of groups with their members, and a reviewer's decision. Bound to the
 * grant's union.
 */
import { sql } from "kysely";
import { updateRowsAsJson } from "../db/bulk.js";
import type { Db } from "../db/database.js";

/** The union's members (but the deceased) with what the comparison reads, and whether their group is decided. */
export async function membersForDuplicates(db: Db, unionId: number) {
  return db
    .selectFrom("members")
    .leftJoin("duplicate_groups", "duplicate_groups.id", "members.duplicate_group_id")
    .select([
      "members.id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "members.date_of_birth",
      "members.home_postcode",
      "members.email",
      "members.mobile",
      "duplicate_groups.decided_by",
    ])
    .where("members.union_id", "=", unionId)
    .where("members.status", "!=", "deceased")
    .execute();
}

/** The union's groups no reviewer has decided, deleted. */
export async function deleteUndecidedGroups(tx: Db, unionId: number): Promise<void> {
  await sql`delete from duplicate_groups where union_id = ${unionId} and decided_by is null`.execute(tx);
}

/** That many group ids taken from the sequence, so that all the groups go in with one statement. */
export async function takeGroupIds(tx: Db, count: number): Promise<number[]> {
  if (!count) return [];
  const { rows } = await sql<{
    id: number;
  }>`select nextval(pg_get_serial_sequence('duplicate_groups', 'id'))::int as id
      from generate_series(1, ${count})`.execute(tx);
  return rows.map((r) => r.id);
}

/** The groups inserted with their ids, 10,000 at a time. */
export async function insertGroups(
  tx: Db,
  groups: {
    id: number;
    union_id: number;
    status: string;
    confidence: number;
    evidence: string[];
    created_at: Date;
  }[],
): Promise<void> {
  for (let i = 0; i < groups.length; i += 10_000) {
    await sql`insert into duplicate_groups (id, union_id, status, confidence, evidence, created_at) overriding system value
      select id, union_id, status, confidence, evidence, created_at
        from json_populate_recordset(null::duplicate_groups, ${JSON.stringify(groups.slice(i, i + 10_000))}::json)
       order by id`.execute(tx);
  }
}

/** Each member's group set, 10,000 at a time. */
export async function setMembersGroups(
  tx: Db,
  updates: { id: number; duplicate_group_id: number }[],
): Promise<void> {
  for (let i = 0; i < updates.length; i += 10_000)
    await updateRowsAsJson(tx, "members", updates.slice(i, i + 10_000));
}

/** A page of the union's groups (of one status, or all), most certain first, with the total and the count by status. */
export async function selectGroupsPage(
  db: Db,
  unionId: number,
  query: { status?: "linked" | "review" | "distinct"; page: number; pageSize: number },
) {
  let q = db.selectFrom("duplicate_groups").where("union_id", "=", unionId);
  if (query.status) q = q.where("status", "=", query.status);
  return Promise.all([
    q
      .selectAll()
      .orderBy("confidence", "desc")
      .orderBy("id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    db
      .selectFrom("duplicate_groups")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("union_id", "=", unionId)
      .groupBy("status")
      .execute(),
  ]);
}

/** The members of the given groups, with their employer's name. */
export async function groupMembers(db: Db, groupIds: number[]) {
  return db
    .selectFrom("members")
    .leftJoin("employers", "employers.id", "members.employer_id")
    .select([
      "members.id",
      "members.duplicate_group_id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "members.date_of_birth",
      "members.home_postcode",
      "members.email",
      "members.status",
      "employers.name as employer_name",
    ])
    .where("members.duplicate_group_id", "in", groupIds)
    .orderBy("members.id")
    .execute();
}

/** A reviewer's decision on the union's group; undefined when the union has no such group. */
export async function decideGroup(
  tx: Db,
  unionId: number,
  id: number,
  d: { status: string; decidedBy: number | null; decidedAt: Date },
) {
  return tx
    .updateTable("duplicate_groups")
    .set({ status: d.status, decided_by: d.decidedBy, decided_at: d.decidedAt })
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
}
