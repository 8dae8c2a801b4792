/**
 * All of the canvass domain's SQL: contact lists, contacts, assignments and members' positions. Each
 * function takes the Grant (or the ballot reach) it is bound to; none authorises, audits or opens a
 * transaction.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import { memberInScope } from "../auth/index.js";
import { type BallotReach, ballotInReach } from "../ballots/index.js";
import type { Database, Db } from "../db/database.js";

const NOTHING = sql<SqlBool>`false`;

/** The ballot, if the reader reaches it. */
export async function selectBallot(db: Db, reach: BallotReach, ballotId: number) {
  return db
    .selectFrom("ballots as b")
    .select(["b.id", "b.name", "b.dispute_id", "b.electorate_entitled"])
    .where("b.id", "=", ballotId)
    .where("b.union_id", "=", reach.grant.unionId)
    .where(ballotInReach(reach, "b.id"))
    .executeTakeFirst();
}

/** A workplace (alias w) inside the grant's row scope. */
export function workplaceInScope(grant: Grant) {
  return (eb: ExpressionBuilder<Database, "workplaces">): Expression<SqlBool> => {
    const union = eb("workplaces.union_id", "=", grant.unionId);
    const rows = grant.rows;
    switch (rows.kind) {
      case "all":
        return union;
      case "regions":
        return rows.ids.length ? eb.and([union, eb("workplaces.region_id", "in", rows.ids)]) : NOTHING;
      case "workplaces":
        return rows.ids.length ? eb.and([union, eb("workplaces.id", "in", rows.ids)]) : NOTHING;
      case "sectors":
        return rows.ids.length
          ? eb.and([
              union,
              eb(
                "workplaces.employer_id",
                "in",
                eb
                  .selectFrom("employers")
                  .select("employers.id")
                  .where("employers.sector_id", "in", rows.ids),
              ),
            ])
          : NOTHING;
    }
  };
}

export interface ListFilter {
  ballotId: number;
  workplaceId?: number | undefined;
  /** The assignment's list: a workplace, or its named members. */
  assignment?: { id: number; workplaceId: number | null } | undefined;
  /** Members who joined on or after this day are new. */
  newSince: string;
}

/**
 * The members still to reach: the ballot's frozen electorate (included) in the reader's scope, less
 * those whose latest own report says they voted and those recorded as opposed in principle. No cache:
 * a report of having voted takes the member off at the next read.
 */
function listBase(db: Db, grant: Grant, filter: ListFilter) {
  let q = db
    .selectFrom("ballot_electorate as e")
    .innerJoin("members", "members.id", "e.member_id")
    .leftJoin("workplaces as w", "w.id", "e.workplace_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("turnout_self_reports as r")
          .select("r.kind")
          .whereRef("r.ballot_id", "=", "e.ballot_id")
          .whereRef("r.member_id", "=", "e.member_id")
          // A "voted" report outranks any later one (a paper returned stays returned): turnout's rule.
          .orderBy(sql`(r.kind = 'voted')`, "desc")
          .orderBy("r.recorded_at", "desc")
          .orderBy("r.id", "desc")
          .limit(1)
          .as("lr"),
      (j) => j.onTrue(),
    )
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("canvass_contacts as c")
          .select(["c.occurred_at", "c.contact_type", "c.outcome"])
          .whereRef("c.member_id", "=", "e.member_id")
          .whereRef("c.ballot_id", "=", "e.ballot_id")
          .orderBy("c.occurred_at", "desc")
          .orderBy("c.id", "desc")
          .limit(1)
          .as("lc"),
      (j) => j.onTrue(),
    )
    // Lateral, so the position is looked up only for the members in scope, after the join.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("member_positions as p")
          .select("p.opposed_in_principle")
          .whereRef("p.member_id", "=", "e.member_id")
          .orderBy("p.recorded_at", "desc")
          .orderBy("p.id", "desc")
          .limit(1)
          .as("lp"),
      (j) => j.onTrue(),
    )
    .where("e.ballot_id", "=", filter.ballotId)
    .where("e.included", "=", true)
    .where("e.member_union_id", "=", grant.unionId)
    .where(memberInScope(grant))
    .where(sql<SqlBool>`lr.kind is distinct from 'voted'`)
    .where(sql<SqlBool>`lp.opposed_in_principle is not true`);
  if (filter.workplaceId !== undefined) q = q.where("e.workplace_id", "=", filter.workplaceId);
  const a = filter.assignment;
  if (a) {
    q =
      a.workplaceId !== null
        ? q.where("e.workplace_id", "=", a.workplaceId)
        : q.where(
            sql<SqlBool>`exists (select 1 from canvass_assignment_members am where am.assignment_id = ${a.id} and am.member_id = e.member_id)`,
          );
  }
  return q;
}

export async function selectList(
  db: Db,
  grant: Grant,
  filter: ListFilter,
  page: { limit: number; offset: number },
) {
  const priority = sql<number>`case
    when lc.occurred_at is null then 0
    when lr.kind = 'will_vote' then 1
    when members.joined_on >= ${filter.newSince} then 2
    when lr.kind = 'needs_replacement' or exists (select 1 from ballot_paper_changes pc
      where pc.ballot_id = e.ballot_id and pc.kind = 'replacement' and pc.replaces_paper = e.paper_number) then 3
    else 4 end`;
  // The total comes with the page (a window over the same rows), so the list is read once.
  const rows = await listBase(db, grant, filter)
    .select([
      "e.member_id",
      "members.forenames",
      "members.surname",
      "members.mobile",
      "members.email",
      "members.consent_sms",
      "members.consent_email",
      "e.workplace_id",
      "w.name as workplace_name",
      sql<string | null>`lr.kind`.as("report"),
      sql<Date | null>`lc.occurred_at`.as("last_at"),
      sql<string | null>`lc.contact_type`.as("last_type"),
      sql<string | null>`lc.outcome`.as("last_outcome"),
      priority.as("priority"),
      sql<string>`count(*) over ()`.as("total"),
    ])
    .orderBy(priority)
    .orderBy(sql`lc.occurred_at asc nulls first`)
    .orderBy("members.surname")
    .orderBy("members.forenames")
    .orderBy("e.member_id")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  if (rows.length || page.offset === 0) return { rows, total: Number(rows[0]?.total ?? 0) };
  // Past the end: the window saw no row, so count apart.
  const total = await listBase(db, grant, filter)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/**
 * The member, if in the writer's scope, with their frozen electorate row of the ballot (included only)
 * and membership number.
 */
/**
 * What logging a contact checks, in one round trip: the ballot, if the reader reaches it; whether the
 * member is in the writer's scope; and their row of the ballot's frozen electorate (included), if any.
 */
export async function selectContactTarget(db: Db, reach: BallotReach, ballotId: number, memberId: number) {
  const grant = reach.grant;
  return db
    .selectFrom("ballots as b")
    .leftJoin("ballot_electorate as e", (j) =>
      j
        .on("e.ballot_id", "=", ballotId)
        .on("e.member_id", "=", memberId)
        .on("e.included", "=", true)
        .on("e.member_union_id", "=", grant.unionId),
    )
    .select((eb) => [
      "b.id",
      "e.member_id as electorate_member",
      "e.workplace_id",
      eb
        .exists(
          eb
            .selectFrom("members")
            .select("members.id")
            .where("members.id", "=", memberId)
            .where(memberInScope(grant)),
        )
        .as("member_in_scope"),
    ])
    .where("b.id", "=", ballotId)
    .where("b.union_id", "=", grant.unionId)
    .where(ballotInReach(reach, "b.id"))
    .executeTakeFirst();
}

export async function insertContact(
  db: Db,
  row: {
    unionId: number;
    ballotId: number;
    memberId: number;
    workplaceId: number | null;
    repUserId: number | null;
    contactType: string;
    outcome: string;
    reportId: number | null;
    occurredAt: Date;
  },
) {
  return db
    .insertInto("canvass_contacts")
    .values({
      union_id: row.unionId,
      ballot_id: row.ballotId,
      member_id: row.memberId,
      workplace_id: row.workplaceId,
      rep_user_id: row.repUserId,
      contact_type: row.contactType,
      outcome: row.outcome,
      report_id: row.reportId,
      occurred_at: row.occurredAt,
    })
    .returning(["id", "occurred_at"])
    .executeTakeFirstOrThrow();
}

/** A ballot's contacts with members in the reader's scope, oldest first, with the report each carried. */
export async function selectContacts(
  db: Db,
  grant: Grant,
  ballotId: number,
  page: { limit: number; offset: number },
) {
  const base = db
    .selectFrom("canvass_contacts as c")
    .innerJoin("members", "members.id", "c.member_id")
    .where("c.ballot_id", "=", ballotId)
    .where("c.union_id", "=", grant.unionId)
    .where(memberInScope(grant));
  const [rows, total] = await Promise.all([
    base
      .leftJoin("turnout_self_reports as r", "r.id", "c.report_id")
      .select([
        "c.id",
        "members.membership_number",
        "c.rep_user_id",
        "c.contact_type",
        "c.outcome",
        "r.kind as report",
        "c.occurred_at",
      ])
      .orderBy("c.occurred_at")
      .orderBy("c.id")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** A rep of the union and the workplaces of their scope. */
export async function selectRep(db: Db, unionId: number, userId: number) {
  const user = await db
    .selectFrom("users")
    .select(["id", "display_name", "role"])
    .where("id", "=", userId)
    .where("union_id", "=", unionId)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
  if (user?.role !== "rep") return undefined;
  const scopes = await db
    .selectFrom("user_scopes")
    .select("workplace_id")
    .where("user_id", "=", userId)
    .where("workplace_id", "is not", null)
    .execute();
  return { id: user.id, name: user.display_name, workplaceIds: scopes.map((s) => s.workplace_id!) };
}

/** The union's reps whose workplaces include one in the reader's scope, with those workplaces. */
export async function selectReps(db: Db, grant: Grant) {
  const rows = await db
    .selectFrom("users as u")
    .innerJoin("user_scopes as us", "us.user_id", "u.id")
    .innerJoin("workplaces", "workplaces.id", "us.workplace_id")
    .select(["u.id", "u.display_name", "workplaces.id as workplace_id", "workplaces.name as workplace_name"])
    .where("u.union_id", "=", grant.unionId)
    .where("u.role", "=", "rep")
    .where("u.disabled_at", "is", null)
    .where(workplaceInScope(grant))
    .orderBy("u.display_name")
    .orderBy("u.id")
    .execute();
  const reps = new Map<number, { id: number; name: string; workplaces: { id: number; name: string }[] }>();
  for (const r of rows) {
    const rep = reps.get(r.id) ?? { id: r.id, name: r.display_name, workplaces: [] };
    rep.workplaces.push({ id: r.workplace_id, name: r.workplace_name });
    reps.set(r.id, rep);
  }
  return [...reps.values()];
}

export async function selectWorkplaceInScope(db: Db, grant: Grant, workplaceId: number) {
  return db
    .selectFrom("workplaces")
    .select(["workplaces.id", "workplaces.name"])
    .where("workplaces.id", "=", workplaceId)
    .where(workplaceInScope(grant))
    .executeTakeFirst();
}

/** Of these members, those in the reader's scope and the ballot's frozen electorate, with their workplace. */
export async function selectElectorateMembers(db: Db, grant: Grant, ballotId: number, memberIds: number[]) {
  if (!memberIds.length) return [];
  return db
    .selectFrom("ballot_electorate as e")
    .innerJoin("members", "members.id", "e.member_id")
    .select(["e.member_id", "e.workplace_id"])
    .where("e.ballot_id", "=", ballotId)
    .where("e.included", "=", true)
    .where("e.member_union_id", "=", grant.unionId)
    .where("e.member_id", "in", memberIds)
    .where(memberInScope(grant))
    .execute();
}

export async function insertAssignment(
  db: Db,
  row: {
    unionId: number;
    ballotId: number;
    repUserId: number;
    workplaceId: number | null;
    memberIds: number[];
    createdBy: number | null;
    now: Date;
  },
) {
  const a = await db
    .insertInto("canvass_assignments")
    .values({
      union_id: row.unionId,
      ballot_id: row.ballotId,
      rep_user_id: row.repUserId,
      workplace_id: row.workplaceId,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let i = 0; i < row.memberIds.length; i += 1000) {
    await db
      .insertInto("canvass_assignment_members")
      .values(row.memberIds.slice(i, i + 1000).map((m) => ({ assignment_id: a.id, member_id: m })))
      .execute();
  }
  return a.id;
}

/**
 * An assignment inside the reader's scope: a workplace's list at a workplace in scope, or a set of
 * members all in scope. `repUserId` narrows to one rep's own assignments.
 */
function assignmentsBase(db: Db, grant: Grant, repUserId: number | null) {
  let q = db
    .selectFrom("canvass_assignments as a")
    .innerJoin("ballots as b", "b.id", "a.ballot_id")
    .innerJoin("users as u", "u.id", "a.rep_user_id")
    .leftJoin("workplaces", "workplaces.id", "a.workplace_id")
    .where("a.union_id", "=", grant.unionId)
    .where((eb) =>
      eb.or([
        eb.and([eb("a.workplace_id", "is not", null), workplaceInScope(grant)(eb as never)]),
        eb.and([
          eb("a.workplace_id", "is", null),
          eb.not(
            eb.exists(
              eb
                .selectFrom("canvass_assignment_members as am")
                .innerJoin("members", "members.id", "am.member_id")
                .select("am.member_id")
                .whereRef("am.assignment_id", "=", "a.id")
                .where((m) => m.not(memberInScope(grant)(m as never))),
            ),
          ),
        ]),
      ]),
    );
  if (repUserId !== null) q = q.where("a.rep_user_id", "=", repUserId);
  return q;
}

export async function selectAssignments(
  db: Db,
  grant: Grant,
  filter: { ballotIds: number[]; repUserId: number | null; assignmentId?: number },
) {
  if (!filter.ballotIds.length) return [];
  let q = assignmentsBase(db, grant, filter.repUserId)
    .select([
      "a.id",
      "a.ballot_id",
      "b.name as ballot_name",
      "a.rep_user_id",
      "u.display_name as rep_name",
      "a.workplace_id",
      "workplaces.name as workplace_name",
      "a.created_at",
      "a.ended_at",
    ])
    .where("a.ballot_id", "in", filter.ballotIds);
  if (filter.assignmentId !== undefined) q = q.where("a.id", "=", filter.assignmentId);
  return q.orderBy(sql`a.ended_at asc nulls first`).orderBy("b.name").orderBy("a.id").execute();
}

/** Progress of each assignment: members on its list, contacted, reached and reported as voted. */
export async function selectProgress(db: Db, assignmentIds: number[]) {
  if (!assignmentIds.length) return [];
  const rows = await db
    .selectFrom("canvass_assignments as a")
    .innerJoin("ballot_electorate as e", (j) =>
      j
        .onRef("e.ballot_id", "=", "a.ballot_id")
        .on("e.included", "=", true)
        .on(
          sql<SqlBool>`(a.workplace_id = e.workplace_id or (a.workplace_id is null and exists (
            select 1 from canvass_assignment_members am where am.assignment_id = a.id and am.member_id = e.member_id)))`,
        ),
    )
    .select([
      "a.id",
      (eb) => eb.fn.countAll<string>().as("members"),
      sql<string>`count(*) filter (where exists (select 1 from canvass_contacts c
        where c.member_id = e.member_id and c.ballot_id = e.ballot_id))`.as("contacted"),
      sql<string>`count(*) filter (where exists (select 1 from canvass_contacts c
        where c.member_id = e.member_id and c.ballot_id = e.ballot_id and c.outcome = 'reached'))`.as(
        "reached",
      ),
      sql<string>`count(*) filter (where (select r.kind from turnout_self_reports r
        where r.ballot_id = e.ballot_id and r.member_id = e.member_id
        order by (r.kind = 'voted') desc, r.recorded_at desc, r.id desc limit 1) = 'voted')`.as("voted"),
    ])
    .where("a.id", "in", assignmentIds)
    .groupBy("a.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    members: Number(r.members),
    contacted: Number(r.contacted),
    reached: Number(r.reached),
    reportedVoted: Number(r.voted),
  }));
}

export async function endAssignment(db: Db, id: number, endedBy: number | null, now: Date) {
  return db
    .updateTable("canvass_assignments")
    .set({ ended_at: now, ended_by: endedBy })
    .where("id", "=", id)
    .where("ended_at", "is", null)
    .returning("id")
    .executeTakeFirst();
}

/** The ballots of a dispute the reader reaches. */
export async function selectDisputeBallots(db: Db, reach: BallotReach, disputeId: number) {
  return db
    .selectFrom("ballots as b")
    .select(["b.id", "b.name"])
    .where("b.dispute_id", "=", disputeId)
    .where("b.union_id", "=", reach.grant.unionId)
    .where(ballotInReach(reach, "b.id"))
    .orderBy("b.name")
    .execute();
}

export async function selectMemberInScope(db: Db, grant: Grant, memberId: number) {
  return db
    .selectFrom("members")
    .select("members.id")
    .where("members.id", "=", memberId)
    .where(memberInScope(grant))
    .executeTakeFirst();
}

export async function selectPositions(db: Db, unionId: number, memberId: number) {
  return db
    .selectFrom("member_positions")
    .select(["opposed_in_principle", "recorded_at"])
    .where("member_id", "=", memberId)
    .where("union_id", "=", unionId)
    .orderBy("recorded_at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
}

export async function insertPosition(
  db: Db,
  row: { unionId: number; memberId: number; opposed: boolean; recordedBy: number | null; now: Date },
) {
  return db
    .insertInto("member_positions")
    .values({
      union_id: row.unionId,
      member_id: row.memberId,
      opposed_in_principle: row.opposed,
      recorded_by: row.recordedBy,
      recorded_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}
