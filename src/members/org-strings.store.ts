/**
 * The SQL of the employer strings members wrote: the registers the matcher
 * reads, the strings stored and read back, a reviewer's decision (the string,
 * an alias, the members who wrote it moved) and the review queue. Bound to the
 * grant's union.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

/** The union's employers (dates and codes), workplaces, aliases and employers' successors, as the matcher reads them. */
export async function registerRows(db: Db, unionId: number) {
  return Promise.all([
    db
      .selectFrom("employers")
      .select([
        "id",
        "name",
        "opened_on",
        "closed_on",
        "ods_code",
        "gss_code",
        "dfe_urn",
        "dfe_group_id",
        "la_code",
        "local_code",
        "companies_house_number",
      ])
      .where("union_id", "=", unionId)
      .execute(),
    db
      .selectFrom("workplaces")
      .select(["id", "employer_id", "name", "postcode", "town", "closed_on", "site_code"])
      .where("union_id", "=", unionId)
      .execute(),
    db
      .selectFrom("register_aliases")
      .select(["employer_id", "workplace_id", "alias", "kind"])
      .where("union_id", "=", unionId)
      .execute(),
    db
      .selectFrom("employer_successors")
      .select(["employer_id", "successor_id"])
      .where("union_id", "=", unionId)
      .orderBy("employer_id")
      .orderBy("successor_id")
      .execute(),
  ]);
}

/** The union's strings already matched under these keys (for a period or for all time). */
export async function knownStrings(db: Db, unionId: number, keys: string[]) {
  return db
    .selectFrom("org_strings")
    .select([
      "id",
      "match_key",
      "text_key",
      "status",
      "employer_id",
      "workplace_id",
      "confidence",
      "candidates",
      "decided_by",
    ])
    .where("union_id", "=", unionId)
    .where((eb) => eb.or([eb("match_key", "in", keys), eb("text_key", "in", keys)]))
    .execute();
}

/** New matches stored; a period's row made earlier is replaced unless a reviewer decided it. Returns the rows written. */
export async function upsertStrings(db: Db, rows: unknown[]) {
  return sql<{ id: number; match_key: string }>`
    insert into org_strings as o (union_id, match_key, text_key, employer_text, workplace_text, status, employer_id, workplace_id, confidence, reason, candidates)
    select union_id, match_key, text_key, employer_text, workplace_text, status, employer_id, workplace_id, confidence, reason, candidates
      from json_populate_recordset(null::org_strings, ${JSON.stringify(rows)}::json)
    on conflict on constraint org_strings_key_uq do update set
      text_key = excluded.text_key, status = excluded.status, employer_id = excluded.employer_id,
      workplace_id = excluded.workplace_id, confidence = excluded.confidence, reason = excluded.reason,
      candidates = excluded.candidates, updated_at = now()
      where o.decided_by is null
    returning id, match_key`.execute(db);
}

/** The union's strings under these keys, as decided. */
export async function decidedStrings(db: Db, unionId: number, matchKeys: string[]) {
  return db
    .selectFrom("org_strings")
    .select(["id", "match_key", "status", "employer_id", "workplace_id", "confidence"])
    .where("union_id", "=", unionId)
    .where("match_key", "in", matchKeys)
    .execute();
}

/** The closed employers among these, with their closing dates. */
export async function closedEmployers(db: Db, unionId: number, ids: number[]) {
  return db
    .selectFrom("employers")
    .select(["id", "closed_on"])
    .where("union_id", "=", unionId)
    .where("id", "in", ids)
    .where("closed_on", "is not", null)
    .execute();
}

/** The union's string. */
export async function selectOrgString(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("org_strings")
    .selectAll()
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The union's employer, if it exists. */
export async function employerOfUnion(db: Db, unionId: number, employerId: number) {
  return db
    .selectFrom("employers")
    .select("id")
    .where("union_id", "=", unionId)
    .where("id", "=", employerId)
    .executeTakeFirst();
}

/** The employer of the union's workplace. */
export async function workplaceEmployer(db: Db, unionId: number, workplaceId: number) {
  return db
    .selectFrom("workplaces")
    .select("employer_id")
    .where("id", "=", workplaceId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
}

/** A reviewer's decision on the string. */
export async function recordStringDecision(
  db: Db,
  id: number,
  d: {
    status: string;
    employerId: number | null;
    workplaceId: number | null;
    confidence: number | null;
    decidedBy: number | null;
    now: Date;
  },
) {
  return db
    .updateTable("org_strings")
    .set({
      status: d.status,
      employer_id: d.employerId,
      workplace_id: d.workplaceId,
      confidence: d.confidence,
      decided_by: d.decidedBy,
      decided_at: d.now,
      updated_at: d.now,
    })
    .where("id", "=", id)
    .execute();
}

/** A reviewer's decision kept as an alias of the employer (and workplace), unless already known. */
export async function addReviewerAlias(
  db: Db,
  a: {
    unionId: number;
    employerId: number;
    workplaceId: number | null;
    alias: string;
    normalised: string;
    source: string;
  },
) {
  return sql`insert into register_aliases (union_id, employer_id, workplace_id, alias, normalised, kind, source)
          values (${a.unionId}, ${a.employerId}, ${a.workplaceId}, ${a.alias}, ${a.normalised}, 'reviewer', ${a.source})
          on conflict on constraint register_aliases_uq do nothing`.execute(db);
}

/**
 * Every member of the union who wrote the string moved to the decided employer
 * and workplace; the region follows the workplace (else the employer), as a
 * move of a member does. Returns the members moved.
 */
export async function moveStringMembers(
  tx: Db,
  unionId: number,
  stringId: number,
  to: { employerId: number | null; workplaceId: number | null; now: Date },
) {
  const region =
    to.employerId === null
      ? sql<number | null>`members.region_id`
      : sql<number | null>`coalesce(
          (select w.region_id from workplaces w where w.id = ${to.workplaceId} and w.union_id = ${unionId}),
          (select e.region_id from employers e where e.id = ${to.employerId} and e.union_id = ${unionId}),
          members.region_id)`;
  return tx
    .updateTable("members")
    .set({
      employer_id: to.employerId,
      workplace_id: to.workplaceId,
      region_id: region,
      updated_at: to.now,
    })
    .where("union_id", "=", unionId)
    .where("org_string_id", "=", stringId)
    .returning("id")
    .execute();
}

/** A page of the union's strings (of one status, matching a search), most members first, with the total and the count by status. */
export async function selectStringsPage(
  db: Db,
  unionId: number,
  query: { status?: string; search?: string; page: number; pageSize: number },
) {
  let q = db
    .selectFrom("org_strings")
    .leftJoin("employers", "employers.id", "org_strings.employer_id")
    .leftJoin("workplaces", "workplaces.id", "org_strings.workplace_id")
    .where("org_strings.union_id", "=", unionId);
  if (query.status) q = q.where("org_strings.status", "=", query.status);
  if (query.search) {
    const like = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["org_strings.employer_text"]), "like", like),
        eb(eb.fn("lower", ["org_strings.workplace_text"]), "like", like),
      ]),
    );
  }
  const memberCount = sql<number>`(select count(*) from members where members.org_string_id = org_strings.id)::int`;
  return Promise.all([
    q
      .selectAll("org_strings")
      .select([
        "employers.name as employer_name",
        "workplaces.name as workplace_name",
        memberCount.as("members"),
      ])
      .orderBy(memberCount, "desc")
      .orderBy("org_strings.id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    db
      .selectFrom("org_strings")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("union_id", "=", unionId)
      .groupBy("status")
      .execute(),
  ]);
}

/** The employers' names. */
export async function employerNamesOf(db: Db, ids: number[]) {
  return db.selectFrom("employers").select(["id", "name"]).where("id", "in", ids).execute();
}

/** The workplaces' names. */
export async function workplaceNamesOf(db: Db, ids: number[]) {
  return db.selectFrom("workplaces").select(["id", "name"]).where("id", "in", ids).execute();
}
