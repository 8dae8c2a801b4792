/**
 * The SQL of duplicate groups: the members compared (read a page at a time
 * into a temporary working table, counted there, and read back one blocking
 * rule at a time in order of its key through a cursor), the undecided groups
 * replaced (ids from the sequence, inserted and linked to members in bulk), a
 * page of groups with their members, and a reviewer's decision. Bound to the
 * grant's union.
 */
import { sql } from "kysely";
import { copyText, updateRowsAsJson } from "../db/bulk.js";
import { copyIn } from "../db/copy.js";
import type { Db } from "../db/database.js";

/**
 * A page of the union's members (but the deceased) after member `afterId`, in
 * id order, with what the comparison reads and whether their group is decided.
 */
export async function membersPageForDuplicates(db: Db, unionId: number, afterId: number, limit: number) {
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
    .where("members.id", ">", afterId)
    .orderBy("members.id")
    .limit(limit)
    .execute();
}

/** A member as the duplicate search reads it, numbered (`ord`) in id order. */
export interface DuplicateKeyRow {
  ord: number;
  member_id: number;
  membership_number: string;
  forenames: string;
  surname: string;
  date_of_birth: string | null;
  home_postcode: string | null;
  email: string | null;
  mobile: string | null;
}

const KEY_FIELDS = ["first", "letter", "surname", "sound", "ymd", "postcode", "email", "mobile"] as const;
type KeyField = (typeof KEY_FIELDS)[number];
const ROW_COLUMNS = [
  "ord",
  "member_id",
  "membership_number",
  "forenames",
  "surname",
  "date_of_birth",
  "home_postcode",
  "email",
  "mobile",
] as const;

/**
 * The search's working table: each member compared, with the normalised
 * values its blocking keys and term frequencies are made of (k_ columns).
 * Temporary, on the transaction's connection, dropped when it commits.
 */
export async function createDuplicateKeys(tx: Db): Promise<void> {
  await sql`drop table if exists duplicate_keys`.execute(tx);
  await sql`create temporary table duplicate_keys (
      ord integer not null,
      member_id integer not null,
      membership_number text not null,
      forenames text not null,
      surname text not null,
      date_of_birth text,
      home_postcode text,
      email text,
      mobile text,
      k_first text,
      k_letter integer,
      k_surname text,
      k_sound text,
      k_ymd integer,
      k_postcode text,
      k_email text,
      k_mobile text
    ) on commit drop`.execute(tx);
}

/** Rows appended to the working table with COPY, on the transaction's connection. */
export async function insertDuplicateKeys(
  tx: Db,
  rows: readonly (DuplicateKeyRow & { keys: Record<KeyField, string | number | null> })[],
): Promise<void> {
  const lines = rows.map(
    (r) =>
      `${[...ROW_COLUMNS.map((c) => r[c]), ...KEY_FIELDS.map((f) => r.keys[f])].map(copyText).join("\t")}\n`,
  );
  await copyIn(tx, "duplicate_keys", [...ROW_COLUMNS, ...KEY_FIELDS.map((f) => `k_${f}`)], lines);
}

/**
 * How many members the working table holds, and for each key field the
 * values held by at least `min` members, with their counts.
 */
export async function duplicateKeyCounts(tx: Db, min: number) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from duplicate_keys`.execute(tx);
  const common = async <T extends string | number>(field: KeyField): Promise<Map<T, number>> => {
    const column = sql.ref(`k_${field}`);
    const result = await sql<{ value: T; n: number }>`select ${column} as value, count(*)::int as n
        from duplicate_keys where ${column} is not null group by ${column} having count(*) >= ${min}`.execute(
      tx,
    );
    return new Map(result.rows.map((r) => [r.value, r.n]));
  };
  return {
    size: rows[0]!.n,
    first: await common<string>("first"),
    surname: await common<string>("surname"),
    ymd: await common<number>("ymd"),
    postcode: await common<string>("postcode"),
    email: await common<string>("email"),
    mobile: await common<string>("mobile"),
  };
}

/**
 * Opens a cursor over the working table's members that share a blocking key
 * (every one of `fields`, equal) with at least one other member, in order of
 * those fields (so that a block comes whole), then of ord; read with
 * fetchBlockRows, closed with closeBlockRows. A member alone under a key is
 * in no pair under that rule, so is never read for it.
 */
export async function openBlockRows(tx: Db, fields: readonly KeyField[]): Promise<void> {
  const columns = fields.map((f) => sql.ref(`k_${f}`));
  const keys = sql.join(columns);
  await sql`declare duplicate_blocks no scroll cursor for
      select * from (
        select ${sql.join(ROW_COLUMNS.map((c) => sql.ref(c)))},
               ${sql.join(columns.map((c, i) => sql`${c} as ${sql.ref(`key${i}`)}`))},
               count(*) over (partition by ${keys} order by ord
                              rows between unbounded preceding and unbounded following) as block_size
          from duplicate_keys
         where ${sql.join(
           columns.map((c) => sql`${c} is not null`),
           sql` and `,
         )}
      ) keyed
      where block_size > 1
      order by ${sql.join(fields.map((_f, i) => sql.ref(`key${i}`)))}, ord`.execute(tx);
}

/** The cursor's next rows (at most `limit`); the key fields' values as key0, key1... */
export async function fetchBlockRows(
  tx: Db,
  limit: number,
): Promise<(DuplicateKeyRow & Record<string, string | number | null>)[]> {
  const { rows } = await sql<
    DuplicateKeyRow & Record<string, string | number | null>
  >`fetch forward ${sql.raw(String(Math.trunc(limit)))} from duplicate_blocks`.execute(tx);
  return rows;
}

export async function closeBlockRows(tx: Db): Promise<void> {
  await sql`close duplicate_blocks`.execute(tx);
}

/** The working table's rows of the given ords. */
export async function duplicateKeyRows(tx: Db, ords: readonly number[]): Promise<DuplicateKeyRow[]> {
  if (!ords.length) return [];
  const { rows } = await sql<DuplicateKeyRow>`select ${sql.join(ROW_COLUMNS.map((c) => sql.ref(c)))}
      from duplicate_keys where ord = any(${`{${ords.join(",")}}`}::int[]) order by ord`.execute(tx);
  return rows;
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
