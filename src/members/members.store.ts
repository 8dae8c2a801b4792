/**
 * The SQL of members: the list (filters, search, the data-quality cards), a
 * member in the grant's scope with the names of where they work and their
 * employment periods, the union's employers, workplaces, branches and regions
 * a member is placed at, members written, and the summary's counts. Every read
 * of members is bound to the grant's scope (memberInScope, countsInScope).
 */
import { type ExpressionBuilder, type Insertable, sql, type Updateable } from "kysely";
import { countsInScope, type Grant, memberInScope } from "../auth/index.js";
import type { Database, Db, MemberHistoryTable, MembersTable } from "../db/database.js";
import { likePrefix } from "../shared/paging.js";
import { type MemberListQuery, type MemberProblem, RECENT_DAYS } from "./members.model.js";

/** A page of the members in the grant's scope matching the list's filters and search, and how many match. */
export async function selectMemberPage(db: Db, grant: Grant, query: MemberListQuery, today: string) {
  let q = db
    .selectFrom("members")
    .leftJoin("employers", "employers.id", "members.employer_id")
    .leftJoin("workplaces", "workplaces.id", "members.workplace_id")
    .leftJoin("regions", "regions.id", "members.region_id")
    .where(memberInScope(grant));
  if (query.regionId) q = q.where("members.region_id", "=", query.regionId);
  if (query.employerId) q = q.where("members.employer_id", "=", query.employerId);
  if (query.workplaceId) q = q.where("members.workplace_id", "=", query.workplaceId);
  if (query.branchId) q = q.where("members.branch_id", "=", query.branchId);
  if (query.status) q = q.where("members.status", "=", query.status);
  if (query.sectorId) q = q.where("employers.sector_id", "=", query.sectorId);
  if (query.problem) q = q.where(problemFilter(grant, query.problem, today));
  const tokens = searchTokens(query.search);
  if (tokens.length) {
    // Every word must match a name, number or postcode; or the whole text is a postcode ("NW1 2RU").
    const wholePostcode = likePrefix((query.search ?? "").toUpperCase().replace(/\s+/g, ""));
    q = q.where((eb) =>
      eb.or([
        eb.and(
          tokens.map((token) => {
            const lower = likePrefix(token.toLowerCase());
            return eb.or([
              eb(eb.fn("lower", ["members.surname"]), "like", lower),
              eb(eb.fn("lower", ["members.forenames"]), "like", lower),
              eb("members.membership_number", "=", token),
              eb(
                sql`upper(replace(members.home_postcode, ' ', ''))`,
                "like",
                likePrefix(token.toUpperCase()),
              ),
            ]);
          }),
        ),
        eb(sql`upper(replace(members.home_postcode, ' ', ''))`, "like", wholePostcode),
      ]),
    );
  }
  return Promise.all([
    q
      .select([
        "members.id",
        "members.membership_number",
        "members.forenames",
        "members.surname",
        "members.status",
        "members.job_title",
        "members.home_postcode",
        "members.employer_id",
        "employers.name as employer_name",
        "members.workplace_id",
        "workplaces.name as workplace_name",
        "regions.name as region_name",
      ])
      .orderBy(sql`lower(members.surname)`)
      .orderBy(sql`lower(members.forenames)`)
      .orderBy("members.id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
}

/**
 * The members behind one data-quality card, as the overview (member_counts)
 * and the quality report count them, so the list's total is the card's number.
 */
function problemFilter(grant: Grant, problem: MemberProblem, today: string) {
  const active = sql<boolean>`members.status = 'active'`;
  switch (problem) {
    case "no_address":
      return sql<boolean>`${active} and (members.address_line1 is null or members.home_postcode is null)`;
    case "no_workplace":
      return sql<boolean>`${active} and members.workplace_id is null`;
    case "no_employer":
      return sql<boolean>`${active} and members.employer_id is null`;
    case "in_arrears":
      return sql<boolean>`${active} and members.in_arrears`;
    case "closed_workplace":
      return sql<boolean>`${active} and workplaces.closed_on <= ${today}::date`;
    case "over_headcount":
      // Active members at a workplace where more active members in the reader's scope are recorded than it employs.
      return (eb: ExpressionBuilder<Database, "members">) =>
        eb.and([
          active,
          eb(
            "members.workplace_id",
            "in",
            eb
              .selectFrom("members")
              .innerJoin("workplaces as w", "w.id", "members.workplace_id")
              .where(memberInScope(grant))
              .where("members.status", "=", "active")
              .where("w.headcount", "is not", null)
              .select("w.id")
              .groupBy(["w.id", "w.headcount"])
              .having(sql<boolean>`count(*) > w.headcount`),
          ),
        ]);
    case "in_review":
      return sql<boolean>`exists (select 1 from org_strings os where os.id = members.org_string_id and os.status = 'review')`;
    case "unmatched":
      return sql<boolean>`members.employer_id is null and not exists (
        select 1 from org_strings os where os.id = members.org_string_id and os.status <> 'unmatched')`;
    case "changed_recently":
      // A move within the window; a member's first period is not a change.
      return sql<boolean>`exists (select 1 from member_history h where h.member_id = members.id
          and h.valid_from >= (${today}::date - ${RECENT_DAYS}::int))
        and exists (select 1 from member_history p where p.member_id = members.id and p.valid_to is not null)`;
    case "duplicate_pending":
      return sql<boolean>`exists (select 1 from duplicate_groups dg where dg.id = members.duplicate_group_id and dg.status = 'review')`;
    case "email_undeliverable":
      return sql<boolean>`${active} and members.email_undeliverable_at is not null`;
    case "mobile_undeliverable":
      return sql<boolean>`${active} and members.mobile_undeliverable_at is not null`;
    default:
      return assertNever(problem);
  }
}

function assertNever(x: never): never {
  throw new Error(`Unexpected ${String(x)}`);
}

function searchTokens(search: string | undefined): string[] {
  if (!search) return [];
  return search
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .slice(0, 5);
}

/** The member, when in the grant's scope. */
export async function selectMemberInScope(db: Db, grant: Grant, id: number) {
  return db
    .selectFrom("members")
    .selectAll("members")
    .where("members.id", "=", id)
    .where(memberInScope(grant))
    .executeTakeFirst();
}

/** The names of the member's employer, workplace, branch and region. */
export async function memberPlaceNames(db: Db, id: number) {
  return db
    .selectFrom("members")
    .leftJoin("employers", "employers.id", "members.employer_id")
    .leftJoin("workplaces", "workplaces.id", "members.workplace_id")
    .leftJoin("branches", "branches.id", "members.branch_id")
    .leftJoin("regions", "regions.id", "members.region_id")
    .select([
      "employers.name as employer_name",
      "workplaces.name as workplace_name",
      "workplaces.closed_on as workplace_closed_on",
      "branches.name as branch_name",
      "regions.name as region_name",
    ])
    .where("members.id", "=", id)
    .executeTakeFirstOrThrow();
}

/** The member's employment periods, latest first, with the employers' and workplaces' names. */
export async function employmentPeriods(db: Db, memberId: number) {
  return db
    .selectFrom("member_history")
    .leftJoin("employers", "employers.id", "member_history.employer_id")
    .leftJoin("workplaces", "workplaces.id", "member_history.workplace_id")
    .select([
      "member_history.valid_from",
      "member_history.valid_to",
      "member_history.employer_id",
      "employers.name as employer_name",
      "member_history.workplace_id",
      "workplaces.name as workplace_name",
      "member_history.job_category",
    ])
    .where("member_history.member_id", "=", memberId)
    .orderBy("member_history.valid_from", "desc")
    .orderBy("member_history.id", "desc")
    .execute();
}

/** The union's employer: its sector and region. */
export async function employerPlace(db: Db, unionId: number, employerId: number) {
  return db
    .selectFrom("employers")
    .select(["id", "sector_id", "region_id"])
    .where("id", "=", employerId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
}

/** The union's workplace: its employer and region. */
export async function workplacePlace(db: Db, unionId: number, workplaceId: number) {
  return db
    .selectFrom("workplaces")
    .select(["id", "employer_id", "region_id"])
    .where("id", "=", workplaceId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
}

/** The union's branch: its region. */
export async function branchPlace(db: Db, unionId: number, branchId: number) {
  return db
    .selectFrom("branches")
    .select(["id", "region_id"])
    .where("id", "=", branchId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
}

/** The union's region, if it exists. */
export async function regionOfUnion(db: Db, unionId: number, regionId: number) {
  return db
    .selectFrom("regions")
    .select("id")
    .where("id", "=", regionId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
}

/** A new member; returns the row. */
export async function insertMember(db: Db, values: Insertable<MembersTable>) {
  return db.insertInto("members").values(values).returningAll().executeTakeFirstOrThrow();
}

/** The member's first employment period. */
export async function insertOpeningPeriod(db: Db, values: Insertable<MemberHistoryTable>) {
  return db.insertInto("member_history").values(values).execute();
}

/** The member changed; returns the row. */
export async function updateMemberRow(db: Db, id: number, values: Updateable<MembersTable>) {
  return db.updateTable("members").set(values).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
}

/** The member deleted. */
export async function deleteMemberRow(db: Db, id: number) {
  return db.deleteFrom("members").where("id", "=", id).execute();
}

/**
 * Counts by region, sector, employer and status with the data-quality counters
 * (one grouping-sets query over member_counts), and how many workplaces have
 * more active members than their headcount, in the grant's scope.
 */
export async function summaryCounts(db: Db, grant: Grant, today: string) {
  const base = db
    .selectFrom("member_counts")
    .leftJoin("employers", "employers.id", "member_counts.employer_id")
    .leftJoin("workplaces", "workplaces.id", "member_counts.workplace_id")
    .leftJoin("regions", "regions.id", "member_counts.region_id")
    .leftJoin("sectors", "sectors.id", "employers.sector_id")
    .where(countsInScope(grant));
  const active = sql`member_counts.status = 'active'`;
  return Promise.all([
    base
      .select([
        sql<number>`grouping(member_counts.region_id, regions.name)`.as("g_region"),
        sql<number>`grouping(employers.sector_id, sectors.name)`.as("g_sector"),
        sql<number>`grouping(member_counts.employer_id, employers.name)`.as("g_employer"),
        sql<number>`grouping(member_counts.status)`.as("g_status"),
        "member_counts.region_id",
        "regions.name as region_name",
        "employers.sector_id",
        "sectors.name as sector_name",
        "member_counts.employer_id",
        "employers.name as employer_name",
        "member_counts.status",
        sql<number>`sum(member_counts.n)::int`.as("n"),
        sql<number>`coalesce(sum(member_counts.n) filter (where ${active}), 0)::int`.as("active"),
        sql<number>`coalesce(sum(member_counts.n) filter (where ${active} and not member_counts.has_home_address), 0)::int`.as(
          "no_address",
        ),
        sql<number>`coalesce(sum(member_counts.n) filter (where ${active} and not member_counts.has_workplace), 0)::int`.as(
          "no_workplace",
        ),
        sql<number>`coalesce(sum(member_counts.n) filter (where ${active} and member_counts.employer_id is null), 0)::int`.as(
          "no_employer",
        ),
        sql<number>`coalesce(sum(member_counts.n) filter (where ${active} and member_counts.in_arrears), 0)::int`.as(
          "arrears",
        ),
        sql<number>`coalesce(sum(member_counts.n) filter (where ${active} and workplaces.closed_on <= ${today}), 0)::int`.as(
          "closed",
        ),
      ])
      .groupBy(
        sql`grouping sets ((member_counts.region_id, regions.name), (employers.sector_id, sectors.name), (member_counts.employer_id, employers.name), (member_counts.status), ())`,
      )
      .execute(),
    db
      .selectFrom((eb) =>
        eb
          .selectFrom("member_counts")
          .innerJoin("workplaces", "workplaces.id", "member_counts.workplace_id")
          .where(countsInScope(grant))
          .where("member_counts.status", "=", "active")
          .where("workplaces.headcount", "is not", null)
          .select("workplaces.id")
          .groupBy(["workplaces.id", "workplaces.headcount"])
          .having(sql<boolean>`sum(member_counts.n) > workplaces.headcount`)
          .as("over"),
      )
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
}
