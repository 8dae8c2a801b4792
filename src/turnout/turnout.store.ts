/**
 * All of the turnout domain's SQL. Each function takes the reach (or the union) it is bound to; none
 * authorises, audits or opens a transaction.
 */
import { type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import { memberInScope } from "../auth/index.js";
import {
  type BallotReach,
  ballotInReach,
  electorateRowInReach,
  scopeEntryInReach,
} from "../ballots/index.js";
import type { Db } from "../db/database.js";

/** The ballot and its dispute, if the reader reaches the ballot. */
export async function selectBallotAndDispute(db: Db, reach: BallotReach, ballotId: number) {
  return db
    .selectFrom("ballots as b")
    .innerJoin("disputes as d", "d.id", "b.dispute_id")
    .select(["b.id", "b.name", "d.id as dispute_id", "d.title as dispute_title"])
    .where("b.id", "=", ballotId)
    .where(ballotInReach(reach, "b.id"))
    .executeTakeFirst();
}

/** The constituencies (ballots) of a dispute the reader reaches, with what the thresholds depend on. */
export async function selectConstituencies(db: Db, reach: BallotReach, disputeId: number) {
  return db
    .selectFrom("ballots as b")
    .select([
      "b.id",
      "b.name",
      "b.opening_date",
      "b.closing_date",
      "b.electorate_entitled",
      "b.ips_belief",
      "b.wales_devolved",
      sql<boolean>`exists (select 1 from ballot_scope s join employers e on e.id = s.employer_id
        where s.ballot_id = b.id and e.nation = 'northern_ireland')`.as("northern_ireland"),
    ])
    .where("b.dispute_id", "=", disputeId)
    .where("b.union_id", "=", reach.grant.unionId)
    .where(ballotInReach(reach, "b.id"))
    .orderBy("b.name")
    .orderBy("b.id")
    .execute();
}

/** What each constituency covers, with its region and sector, and whether the reader reaches the entry. */
export async function selectScopeEntries(db: Db, grant: Grant, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("ballot_scope as s")
    .innerJoin("employers as e", "e.id", "s.employer_id")
    .leftJoin("workplaces as w", "w.id", "s.workplace_id")
    .leftJoin("regions as r", (j) => j.on(sql`r.id`, "=", sql`coalesce(w.region_id, e.region_id)`))
    .leftJoin("sectors as sec", "sec.id", "e.sector_id")
    .select([
      "s.ballot_id",
      "e.id as employer_id",
      "e.name as employer_name",
      "w.id as workplace_id",
      "w.name as workplace_name",
      "r.id as region_id",
      "r.name as region_name",
      "sec.id as sector_id",
      "sec.name as sector_name",
      scopeEntryInReach(grant).as("in_reach"),
    ])
    .where("s.ballot_id", "in", ballotIds)
    .where("e.union_id", "=", grant.unionId)
    .execute();
}

export async function selectReturns(db: Db, unionId: number, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("turnout_returns")
    .select(["ballot_id", "as_of", "papers_returned"])
    .where("union_id", "=", unionId)
    .where("ballot_id", "in", ballotIds)
    .orderBy("ballot_id")
    .orderBy("as_of")
    .execute();
}

/**
 * Each constituency's roll and votes in the latest closed indicative ballot of the dispute held by
 * ballot (constituency 'ballot:<id>'): the indicative turnout behind the forecast's prior. Read here by
 * SQL so that turnout does not depend on the indicative domain. Counts only, never who voted.
 */
export async function selectIndicativeTurnouts(
  db: Db,
  unionId: number,
  disputeId: number,
  ballotIds: number[],
) {
  if (!ballotIds.length) return [];
  const keys = ballotIds.map((id) => `ballot:${id}`);
  const rows = await sql<{ constituency: string; indicative_ballot_id: number; roll: number; voted: number }>`
    select distinct on (per.constituency) per.constituency, per.indicative_ballot_id, per.roll, per.voted
      from (
        select r.constituency, i.id as indicative_ballot_id, i.closed_at,
               count(*)::int as roll, count(v.member_id)::int as voted
          from indicative_ballots i
          join indicative_roll r on r.indicative_ballot_id = i.id
          left join indicative_voted v on v.indicative_ballot_id = r.indicative_ballot_id and v.member_id = r.member_id
         where i.union_id = ${unionId} and i.dispute_id = ${disputeId}
           and i.state = 'closed' and i.constituency_kind = 'ballot'
           and r.constituency in (${sql.join(keys)})
         group by r.constituency, i.id, i.closed_at
      ) per
     order by per.constituency, per.closed_at desc, per.indicative_ballot_id desc`.execute(db);
  return rows.rows.map((r) => ({
    ballotId: Number(r.constituency.slice("ballot:".length)),
    indicativeBallotId: r.indicative_ballot_id,
    roll: Number(r.roll),
    voted: Number(r.voted),
  }));
}

/**
 * Each member's latest report per ballot, counted by kind; a "voted" report outranks any later one,
 * since a paper returned stays returned (a rep's later "will vote" is a mistake, not a change).
 */
export async function selectReportCounts(db: Db, unionId: number, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  const latest = db
    .selectFrom("turnout_self_reports")
    .distinctOn(["ballot_id", "member_id"])
    .select(["ballot_id", "kind"])
    .where("union_id", "=", unionId)
    .where("ballot_id", "in", ballotIds)
    .orderBy("ballot_id")
    .orderBy("member_id")
    .orderBy(sql`(kind = 'voted')`, "desc")
    .orderBy("recorded_at", "desc")
    .orderBy("id", "desc")
    .as("latest");
  const rows = await db
    .selectFrom(latest)
    .select(["ballot_id", "kind", (eb) => eb.fn.countAll<string>().as("n")])
    .groupBy(["ballot_id", "kind"])
    .execute();
  return rows.map((r) => ({ ballotId: r.ballot_id, kind: r.kind, count: Number(r.n) }));
}

export async function upsertReturns(
  db: Db,
  unionId: number,
  rows: { ballotId: number; date: string; papersReturned: number }[],
  recordedBy: number | null,
  now: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto("turnout_returns")
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          union_id: unionId,
          ballot_id: r.ballotId,
          as_of: r.date,
          papers_returned: r.papersReturned,
          source: "scrutineer_csv",
          recorded_by: recordedBy,
          recorded_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["ballot_id", "as_of"]).doUpdateSet((eb) => ({
          papers_returned: eb.ref("excluded.papers_returned"),
          source: eb.ref("excluded.source"),
          recorded_by: eb.ref("excluded.recorded_by"),
          recorded_at: eb.ref("excluded.recorded_at"),
        })),
      )
      .execute();
  }
}

/** Whether the member is in the writer's scope, and in the ballot's frozen electorate (included). */
/**
 * In one round trip: whether the reader reaches the ballot, and the member is in the writer's scope and
 * in the ballot's frozen electorate (included). Undefined when the ballot is out of reach.
 */
export async function selectReportTarget(db: Db, reach: BallotReach, ballotId: number, memberId: number) {
  const grant = reach.grant;
  const row = await db
    .selectFrom("ballots as b")
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom("members")
            .select("members.id")
            .where("members.id", "=", memberId)
            .where(memberInScope(grant)),
        )
        .as("in_scope"),
      eb
        .exists(
          eb
            .selectFrom("ballot_electorate")
            .select("ballot_electorate.member_id")
            .where("ballot_electorate.ballot_id", "=", ballotId)
            .where("ballot_electorate.member_id", "=", memberId)
            .where("ballot_electorate.member_union_id", "=", grant.unionId)
            .where("ballot_electorate.included", "=", true),
        )
        .as("in_electorate"),
    ])
    .where("b.id", "=", ballotId)
    .where(ballotInReach(reach, "b.id"))
    .executeTakeFirst();
  return row && { inScope: Boolean(row.in_scope), inElectorate: Boolean(row.in_electorate) };
}

export async function insertSelfReport(
  db: Db,
  unionId: number,
  report: { ballotId: number; memberId: number; kind: string; source: string; reason?: string | null },
  recordedBy: number | null,
  now: Date,
) {
  return db
    .insertInto("turnout_self_reports")
    .values({
      union_id: unionId,
      ballot_id: report.ballotId,
      member_id: report.memberId,
      kind: report.kind,
      source: report.source,
      reason: report.reason ?? null,
      recorded_by: recordedBy,
      recorded_at: now,
    })
    .returning(["id", "recorded_at"])
    .executeTakeFirstOrThrow();
}

/* ---------- The scrutineer's per-member feed of papers returned (voted-feed.ts) ---------- */

/** Rows looked up per statement: arrays of this size stay small for either back end. */
const FEED_CHUNK = 50_000;

/**
 * The members of these ballots' frozen electorates (included, in the reader's reach) holding these
 * membership numbers, one row per ballot a number is in.
 */
export async function selectElectorateByNumbers(
  db: Db,
  reach: BallotReach,
  ballotIds: number[],
  numbers: string[],
) {
  const out: { ballotId: number; memberId: number; membershipNumber: string }[] = [];
  if (!ballotIds.length) return out;
  for (let i = 0; i < numbers.length; i += FEED_CHUNK) {
    const part = numbers.slice(i, i + FEED_CHUNK);
    const rows = await db
      .selectFrom("ballot_electorate as e")
      .select(["e.ballot_id", "e.member_id", "e.membership_number"])
      .where("e.ballot_id", "in", ballotIds)
      .where("e.member_union_id", "=", reach.grant.unionId)
      .where("e.included", "=", true)
      .where(sql<SqlBool>`e.membership_number = any(${part}::text[])`)
      .where(electorateRowInReach(reach, "e"))
      .execute();
    for (const r of rows)
      out.push({ ballotId: r.ballot_id, memberId: r.member_id, membershipNumber: r.membership_number });
  }
  return out;
}

/**
 * The members holding these papers of these ballots: the paper numbers of the frozen electorate
 * (included, in the reader's reach), and the replacement papers recorded for its members.
 */
export async function selectElectorateByPapers(
  db: Db,
  reach: BallotReach,
  papers: { ballotId: number; paperNumber: number }[],
) {
  const out: { ballotId: number; memberId: number; membershipNumber: string; paperNumber: number }[] = [];
  for (let i = 0; i < papers.length; i += FEED_CHUNK) {
    const part = papers.slice(i, i + FEED_CHUNK);
    const rows = await sql<{
      ballot_id: number;
      member_id: number;
      membership_number: string;
      paper: number;
    }>`
      select p.b as ballot_id, e.member_id, e.membership_number, p.n as paper
        from unnest(${part.map((p) => p.ballotId)}::int[], ${part.map((p) => p.paperNumber)}::int[]) as p(b, n)
        join ballot_electorate e on e.ballot_id = p.b and e.included and e.member_union_id = ${reach.grant.unionId}
         and (e.paper_number = p.n or exists (select 1 from ballot_paper_changes c where c.ballot_id = p.b
              and c.paper_number = p.n and c.kind = 'replacement' and c.member_id = e.member_id))
       where ${electorateRowInReach(reach, "e")}`.execute(db);
    for (const r of rows.rows)
      out.push({
        ballotId: r.ballot_id,
        memberId: r.member_id,
        membershipNumber: r.membership_number,
        paperNumber: r.paper,
      });
  }
  return out;
}

/**
 * Records "voted" from the scrutineer for each member, except where the member's latest report for
 * the ballot already says so or the scrutineer's feed already did: re-importing a feed adds nothing.
 * Returns how many reports were written.
 */
export async function insertScrutineerVoted(
  db: Db,
  unionId: number,
  votes: { ballotId: number; memberId: number }[],
  recordedBy: number | null,
  now: Date,
): Promise<number> {
  let written = 0;
  for (let i = 0; i < votes.length; i += FEED_CHUNK) {
    const part = votes.slice(i, i + FEED_CHUNK);
    const result = await sql`
      insert into turnout_self_reports (union_id, ballot_id, member_id, kind, source, recorded_by, recorded_at)
      select ${unionId}, v.b, v.m, 'voted', 'scrutineer', ${recordedBy}, ${now}
        from unnest(${part.map((v) => v.ballotId)}::int[], ${part.map((v) => v.memberId)}::int[]) as v(b, m)
       where not exists (select 1 from turnout_self_reports r where r.ballot_id = v.b and r.member_id = v.m
               and r.kind = 'voted' and r.source = 'scrutineer')
         and (select r.kind from turnout_self_reports r where r.ballot_id = v.b and r.member_id = v.m
               order by r.recorded_at desc, r.id desc limit 1) is distinct from 'voted'`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}

/* ---------- Members' reports through their statutory ballot's link (member-link-reports.ts) ---------- */

/** The ballot and whether the member is in its frozen electorate (included), within the union. */
export async function selectLinkBallot(db: Db, unionId: number, ballotId: number, memberId: number) {
  return db
    .selectFrom("ballots as b")
    .select([
      "b.id",
      "b.name",
      "b.opening_date",
      "b.closing_date",
      sql<boolean>`exists (select 1 from ballot_electorate e where e.ballot_id = b.id
        and e.member_id = ${memberId} and e.member_union_id = ${unionId} and e.included)`.as("in_electorate"),
    ])
    .where("b.id", "=", ballotId)
    .where("b.union_id", "=", unionId)
    .executeTakeFirst();
}

/** Holds the member's row until the transaction ends, so two reports of one member do not interleave. */
export async function lockMember(db: Db, unionId: number, memberId: number): Promise<void> {
  await sql`select id from members where id = ${memberId} and union_id = ${unionId} for update`.execute(db);
}

/** The member's reports for a ballot, latest first. */
export async function selectReportsOfMember(db: Db, unionId: number, ballotId: number, memberId: number) {
  return db
    .selectFrom("turnout_self_reports")
    .select(["id", "kind", "reason", "source", "recorded_at"])
    .where("union_id", "=", unionId)
    .where("ballot_id", "=", ballotId)
    .where("member_id", "=", memberId)
    .orderBy("recorded_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

/**
 * The members of the ballot's frozen electorate (included) in the reader's scope who have no "voted"
 * report, by any path: the list reps chase. A "voted" report takes the member off it for good.
 */
export async function selectMembersNotReportedVoted(db: Db, grant: Grant, ballotId: number) {
  return db
    .selectFrom("ballot_electorate as e")
    .innerJoin("members", "members.id", "e.member_id")
    .leftJoin("workplaces as w", "w.id", "e.workplace_id")
    .select([
      "members.id as member_id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "w.name as workplace",
    ])
    .where("e.ballot_id", "=", ballotId)
    .where("e.member_union_id", "=", grant.unionId)
    .where("e.included", "=", true)
    .where(memberInScope(grant))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("turnout_self_reports as r")
            .select("r.id")
            .whereRef("r.ballot_id", "=", "e.ballot_id")
            .whereRef("r.member_id", "=", "e.member_id")
            .where("r.kind", "=", "voted"),
        ),
      ),
    )
    .orderBy("members.surname")
    .orderBy("members.forenames")
    .orderBy("members.id")
    .execute();
}

/** The frozen electorates (included members) of these ballots, for issuing their links. */
export async function selectElectorateForLinks(db: Db, unionId: number, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("ballot_electorate as e")
    .innerJoin("members", "members.id", "e.member_id")
    .leftJoin("workplaces as w", "w.id", "e.workplace_id")
    .select([
      "e.ballot_id",
      "members.id as member_id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "w.name as workplace",
    ])
    .where("e.ballot_id", "in", ballotIds)
    .where("e.member_union_id", "=", unionId)
    .where("e.included", "=", true)
    .orderBy("e.ballot_id")
    .orderBy("members.surname")
    .orderBy("members.id")
    .execute();
}

/** The ballot, or every ballot of its dispute, with a frozen electorate. */
export async function selectFrozenBallots(db: Db, unionId: number, ballotId: number, wholeDispute: boolean) {
  return db
    .selectFrom("ballots as b")
    .select(["b.id", "b.name", "b.opening_date", "b.closing_date", "b.frozen_at"])
    .where("b.union_id", "=", unionId)
    .where((eb) =>
      wholeDispute
        ? eb(
            "b.dispute_id",
            "=",
            eb.selectFrom("ballots as o").select("o.dispute_id").where("o.id", "=", ballotId),
          )
        : eb("b.id", "=", ballotId),
    )
    .orderBy("b.name")
    .orderBy("b.id")
    .execute();
}
