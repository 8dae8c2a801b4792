/**
 * All SQL of the action calendar. Reads the dispute's ballots, their declared
 * results, notices of industrial action, suspensions and mandate extensions
 * (tables the ballots domain writes; read here only, decision 0034) and the
 * constituencies' places, narrowed to the reader's row scope in SQL.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Grant } from "../auth/index.js";
import type { Db } from "../db/database.js";

export async function selectDispute(db: Db, unionId: number, disputeId: number) {
  return db
    .selectFrom("disputes")
    .select(["id", "title"])
    .where("union_id", "=", unionId)
    .where("id", "=", disputeId)
    .executeTakeFirst();
}

export async function selectActionDays(
  db: Db,
  unionId: number,
  disputeId: number,
  from?: string,
  to?: string,
) {
  let q = db
    .selectFrom("action_days")
    .select(["id", "day", "kind", "types", "note"])
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId);
  if (from) q = q.where("day", ">=", from);
  if (to) q = q.where("day", "<=", to);
  return q.orderBy("day").orderBy("kind").execute();
}

export async function insertActionDay(
  db: Db,
  row: {
    union_id: number;
    dispute_id: number;
    day: string;
    kind: string;
    types: string[];
    note: string;
    created_by: number | null;
    created_at: Date;
  },
) {
  return db
    .insertInto("action_days")
    .values(row)
    .onConflict((oc) => oc.columns(["dispute_id", "day", "kind"]).doNothing())
    .returning(["id", "day", "kind", "types", "note"])
    .executeTakeFirst();
}

export async function deleteActionDay(db: Db, unionId: number, disputeId: number, id: number) {
  return db
    .deleteFrom("action_days")
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId)
    .where("id", "=", id)
    .returning(["id", "day", "kind"])
    .executeTakeFirst();
}

/** The place's region, sector or workplace as the grant's row scope reads them (rowInScope's rule in SQL). */
function placeInScope(grant: Grant): RawBuilder<SqlBool> {
  const rows = grant.rows;
  if (rows.kind === "all") return sql<SqlBool>`true`;
  if (!rows.ids.length) return sql<SqlBool>`false`;
  const ids = sql.join(rows.ids.map((id) => sql.lit(Number(id))));
  switch (rows.kind) {
    case "regions":
      return sql<SqlBool>`coalesce(workplaces.region_id, employers.region_id) in (${ids})`;
    case "sectors":
      return sql<SqlBool>`employers.sector_id in (${ids})`;
    case "workplaces":
      // A workplace's ballot, or an employer's as a whole where one of the rep's workplaces is.
      return sql<SqlBool>`(ballot_scope.workplace_id in (${ids}) or (ballot_scope.workplace_id is null and exists (
        select 1 from workplaces rw where rw.employer_id = ballot_scope.employer_id and rw.id in (${ids}))))`;
  }
}

/** Each constituency's places (employer, workplace or the employer as a whole) the reader reaches. */
export async function selectPlaces(db: Db, grant: Grant, disputeId: number) {
  return db
    .selectFrom("ballot_scope")
    .innerJoin("ballots", "ballots.id", "ballot_scope.ballot_id")
    .innerJoin("employers", "employers.id", "ballot_scope.employer_id")
    .leftJoin("workplaces", "workplaces.id", "ballot_scope.workplace_id")
    .select([
      "ballots.id as ballotId",
      "ballots.name as ballotName",
      "ballots.opening_date as openingDate",
      "ballots.closing_date as closingDate",
      "ballots.action_short_types as actionShortTypes",
      "employers.id as employerId",
      "employers.name as employerName",
      "employers.nation as nation",
      "workplaces.id as workplaceId",
      "workplaces.name as workplaceName",
      sql<number | null>`coalesce(workplaces.region_id, employers.region_id)`.as("regionId"),
    ])
    .where("ballots.union_id", "=", grant.unionId)
    .where("ballots.dispute_id", "=", disputeId)
    .where(placeInScope(grant))
    .orderBy("ballots.id")
    .orderBy("employers.name")
    .orderBy("workplaces.name")
    .execute();
}

export async function selectResults(db: Db, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("ballot_results")
    .select(["ballot_id", "declared_on", "evaluation"])
    .where("ballot_id", "in", ballotIds)
    .execute();
}

export async function selectNotices(db: Db, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("action_notices")
    .select([
      "id",
      "ballot_id",
      "given_on",
      "continuous",
      "start_date",
      "dates",
      "kinds",
      "employer_ids",
      "shorter_notice_agreed",
    ])
    .where("ballot_id", "in", ballotIds)
    .orderBy("given_on")
    .orderBy("id")
    .execute();
}

export async function selectSuspensions(db: Db, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("action_suspensions")
    .select(["action_notice_id", "suspended_from", "resume_from", "resumed_on"])
    .where("ballot_id", "in", ballotIds)
    .execute();
}

export async function selectExtensions(db: Db, ballotIds: number[]) {
  if (!ballotIds.length) return [];
  return db
    .selectFrom("mandate_extensions")
    .select(["ballot_id", "employer_id", "last_day"])
    .where("ballot_id", "in", ballotIds)
    .execute();
}
