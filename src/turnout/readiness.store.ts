/**
 * The SQL of readiness and the dashboards: members' facts per constituency before and after the freeze,
 * active reps, and the daily activity counts. Each function takes the grant (or reach) it is bound to;
 * none authorises, audits or opens a transaction.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import { memberInScope } from "../auth/index.js";
import { type BallotReach, electorateRowInReach, scopeEntryInReach } from "../ballots/index.js";
import type { Db } from "../db/database.js";

/**
 * Whether the member (the id in `memberColumn`) was contacted since `since`, whatever the ballot: a
 * contact a rep logged (any outcome: a call not answered is still the campaign reaching for them), or
 * an own report recorded for them (a rep's conversation or the member link; the scrutineer's feed of
 * papers returned is not a contact). The one place that says
 * what counts as a contact. The contacts table is the canvass domain's, which depends on this one, so
 * it is read here by SQL only.
 */
export function contactedSince(unionId: number, memberColumn: string, since: Date): RawBuilder<SqlBool> {
  return sql<SqlBool>`(exists (select 1 from turnout_self_reports cr
    where cr.member_id = ${sql.ref(memberColumn)} and cr.union_id = ${unionId} and cr.recorded_at >= ${since}
      and cr.source <> 'scrutineer')
    or exists (select 1 from canvass_contacts cc
    where cc.member_id = ${sql.ref(memberColumn)} and cc.union_id = ${unionId} and cc.occurred_at >= ${since}))`;
}

/** An active rep (a rep user not disabled) has the workplace in `workplaceColumn` in their scope. */
function repCovers(unionId: number, workplaceColumn: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from user_scopes us join users u on u.id = us.user_id
    where us.workplace_id = ${sql.ref(workplaceColumn)} and u.union_id = ${unionId} and u.role = 'rep' and u.disabled_at is null)`;
}

/** The member's latest own report for the ballot says they will vote, or have. */
function pledged(unionId: number, ballotColumn: string, memberColumn: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`coalesce((select pr.kind in ('will_vote', 'voted') from turnout_self_reports pr
    where pr.union_id = ${unionId} and pr.ballot_id = ${sql.ref(ballotColumn)} and pr.member_id = ${sql.ref(memberColumn)}
    order by (pr.kind = 'voted') desc, pr.recorded_at desc, pr.id desc limit 1), false)`;
}

export interface ProfileRow {
  ballot_id: number;
  employer_id: number;
  workplace_id: number | null;
  job_category: string | null;
  postal: boolean;
  digital: boolean;
  rep: boolean;
  contacted: boolean;
  pledged: boolean;
  n: number;
}

const hasAddress = sql<boolean>`((members.postal_address is not null and members.postal_postcode is not null)
  or (members.address_line1 is not null and members.home_postcode is not null))`;
const hasDigital = sql<boolean>`coalesce(members.email is not null or members.mobile is not null, false)`;

/**
 * Members' facts, counted by constituency, workplace, job category and the five facts. Frozen ballots:
 * the included members of the frozen electorate the reader's counts reach (address as frozen; partner
 * unions' members have no contact facts here). Ballots not yet frozen: the union's active members of the
 * scope's employers (and workplaces, and job categories) inside the reader's row scope.
 */
export async function selectReadinessProfiles(
  db: Db,
  reach: BallotReach,
  frozenIds: number[],
  openIds: number[],
  since: Date,
): Promise<ProfileRow[]> {
  const unionId = reach.grant.unionId;
  const out: ProfileRow[] = [];
  if (frozenIds.length) {
    const rows = await db
      .selectFrom("ballot_electorate as be")
      .leftJoin("members", (j) =>
        j.onRef("members.id", "=", "be.member_id").on("be.member_union_id", "=", unionId),
      )
      .select([
        "be.ballot_id",
        "be.employer_id",
        "be.workplace_id",
        "be.job_category",
        sql<boolean>`(be.postcode is not null and cardinality(be.address_lines) > 0)`.as("postal"),
        hasDigital.as("digital"),
        sql<boolean>`${repCovers(unionId, "be.workplace_id")}`.as("rep"),
        sql<boolean>`(members.id is not null and ${contactedSince(unionId, "be.member_id", since)})`.as(
          "contacted",
        ),
        sql<boolean>`(members.id is not null and ${pledged(unionId, "be.ballot_id", "be.member_id")})`.as(
          "pledged",
        ),
        sql<string>`count(*)`.as("n"),
      ])
      .where("be.ballot_id", "in", frozenIds)
      .where("be.included", "=", true)
      .where(electorateRowInReach(reach, "be"))
      .groupBy(sql`1, 2, 3, 4, 5, 6, 7, 8, 9`)
      .execute();
    // One at a time: a national dispute groups into hundreds of thousands of rows, more arguments than
    // a spread into push() may pass (the stack overflows).
    for (const r of rows) out.push({ ...r, n: Number(r.n) });
  }
  if (openIds.length) {
    const members = db
      .selectFrom("ballots as b")
      .innerJoin("ballot_scope as s", "s.ballot_id", "b.id")
      .innerJoin("members", (j) =>
        j
          .onRef("members.union_id", "=", "b.union_id")
          .onRef("members.employer_id", "=", "s.employer_id")
          .on(sql<SqlBool>`(s.workplace_id is null or members.workplace_id = s.workplace_id)`),
      )
      .distinctOn(["b.id", "members.id"])
      .select([
        "b.id as ballot_id",
        "members.id as member_id",
        "members.employer_id",
        "members.workplace_id",
        "members.job_category",
        hasAddress.as("postal"),
        hasDigital.as("digital"),
      ])
      .where("b.id", "in", openIds)
      .where("b.union_id", "=", unionId)
      .where("members.status", "=", "active")
      .where(sql<SqlBool>`(b.job_categories is null or members.job_category = any(b.job_categories))`)
      .where(memberInScope(reach.grant))
      .as("m");
    const rows = await db
      .selectFrom(members)
      .select([
        "m.ballot_id",
        sql<number>`m.employer_id`.as("employer_id"),
        "m.workplace_id",
        "m.job_category",
        "m.postal",
        "m.digital",
        sql<boolean>`${repCovers(unionId, "m.workplace_id")}`.as("rep"),
        sql<boolean>`${contactedSince(unionId, "m.member_id", since)}`.as("contacted"),
        sql<boolean>`${pledged(unionId, "m.ballot_id", "m.member_id")}`.as("pledged"),
        sql<string>`count(*)`.as("n"),
      ])
      .groupBy(sql`1, 2, 3, 4, 5, 6, 7, 8, 9`)
      .execute();
    // One at a time: a national dispute groups into hundreds of thousands of rows, more arguments than
    // a spread into push() may pass (the stack overflows).
    for (const r of rows) out.push({ ...r, n: Number(r.n) });
  }
  return out;
}

/** Active reps per constituency: rep users with a workplace of the constituency (in the reader's reach). */
export async function selectRepCounts(db: Db, grant: Grant, ballotIds: number[]) {
  if (!ballotIds.length) return new Map<number, number>();
  const rows = await db
    .selectFrom("ballot_scope as s")
    .innerJoin("workplaces as w", (j) =>
      j.on(
        sql<SqlBool>`(w.id = s.workplace_id or (s.workplace_id is null and w.employer_id = s.employer_id))`,
      ),
    )
    .innerJoin("user_scopes as us", "us.workplace_id", "w.id")
    .innerJoin("users as u", "u.id", "us.user_id")
    .select(["s.ballot_id", sql<string>`count(distinct u.id)`.as("reps")])
    .where("s.ballot_id", "in", ballotIds)
    .where("u.union_id", "=", grant.unionId)
    .where("u.role", "=", "rep")
    .where("u.disabled_at", "is", null)
    .where(scopeEntryInReach(grant))
    .groupBy("s.ballot_id")
    .execute();
  return new Map(rows.map((r) => [r.ballot_id, Number(r.reps)]));
}

/** Names of workplaces and employers, for the advisor's units. */
export async function selectOrgNames(db: Db, unionId: number, employerIds: number[], workplaceIds: number[]) {
  const [employers, workplaces] = await Promise.all([
    employerIds.length
      ? db
          .selectFrom("employers")
          .select(["id", "name", "nation"])
          .where("union_id", "=", unionId)
          .where("id", "in", employerIds)
          .execute()
      : [],
    workplaceIds.length
      ? db
          .selectFrom("workplaces")
          .innerJoin("employers", "employers.id", "workplaces.employer_id")
          .select(["workplaces.id", "workplaces.name"])
          .where("employers.union_id", "=", unionId)
          .where("workplaces.id", "in", workplaceIds)
          .execute()
      : [],
  ]);
  return { employers, workplaces };
}

/** Own reports per constituency and UK day, by kind (maintained counts), from `from` on. */
export async function selectActivity(db: Db, unionId: number, ballotIds: number[], from: string) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("turnout_activity_daily")
    .select(["ballot_id", "day", "kind", "reports"])
    .where("union_id", "=", unionId)
    .where("ballot_id", "in", ballotIds)
    .where("day", ">=", from)
    .execute();
}
