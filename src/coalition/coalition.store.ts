/**
 * All SQL of coalitions. Every read is bound to the reading union: a coalition is reached only by its
 * coordinator's union (`coalitions.union_id`) or by a union that is a member of it (`coalition_members.
 * local_union_id`); a report's member rows and a union's ballots are read only for the publishing union.
 */
import { sql } from "kysely";
import type { Db } from "../db/database.js";

export interface CoalitionRow {
  id: number;
  union_id: number;
  kind: string;
  name: string;
  coordinator_name: string;
  coordinator_url: string | null;
  remote_coalition_id: number | null;
  member_key: string | null;
  signing_public_key: string | null;
  signing_private_key: string | null;
  last_sequence_sent: number;
  days_of_action: string[];
  publish_daily: boolean;
}

export interface MemberRow {
  id: number;
  coalition_id: number;
  key: string;
  name: string;
  local_union_id: number | null;
  public_key: string | null;
  partner_of: string | null;
  brand_colour: string | null;
  state: string;
  agreed_by_label: string | null;
  agreed_at: Date | null;
  last_sequence: number;
  publish_daily: boolean;
}

const COALITION_COLUMNS = [
  "c.id",
  "c.union_id",
  "c.kind",
  "c.name",
  "c.coordinator_name",
  "c.coordinator_url",
  "c.remote_coalition_id",
  "c.member_key",
  "c.signing_public_key",
  "c.signing_private_key",
  "c.last_sequence_sent",
  "c.days_of_action",
  "c.publish_daily",
] as const;

/** Coalitions the union coordinates, joined elsewhere, or is a member of here. */
export async function selectCoalitions(db: Db, unionId: number): Promise<CoalitionRow[]> {
  return db
    .selectFrom("coalitions as c")
    .select(COALITION_COLUMNS)
    .where((eb) =>
      eb.or([
        eb("c.union_id", "=", unionId),
        eb.exists(
          eb
            .selectFrom("coalition_members as m")
            .select("m.id")
            .whereRef("m.coalition_id", "=", "c.id")
            .where("m.local_union_id", "=", unionId),
        ),
      ]),
    )
    .orderBy("c.id")
    .execute();
}

export async function selectCoalition(
  db: Db,
  unionId: number,
  id: number,
  lock = false,
): Promise<CoalitionRow | null> {
  let q = db
    .selectFrom("coalitions as c")
    .select(COALITION_COLUMNS)
    .where("c.id", "=", id)
    .where((eb) =>
      eb.or([
        eb("c.union_id", "=", unionId),
        eb.exists(
          eb
            .selectFrom("coalition_members as m")
            .select("m.id")
            .whereRef("m.coalition_id", "=", "c.id")
            .where("m.local_union_id", "=", unionId),
        ),
      ]),
    );
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

/** A coalition by id alone: for the public report route, which is authenticated by signature instead. */
export async function selectCoordinatedCoalition(db: Db, id: number): Promise<CoalitionRow | null> {
  return (
    (await db
      .selectFrom("coalitions as c")
      .select(COALITION_COLUMNS)
      .where("c.id", "=", id)
      .where("c.kind", "=", "coordinated")
      .executeTakeFirst()) ?? null
  );
}

export async function insertCoalition(
  db: Db,
  row: {
    union_id: number;
    kind: "coordinated" | "remote";
    name: string;
    coordinator_name: string;
    coordinator_url?: string | null;
    remote_coalition_id?: number | null;
    member_key?: string | null;
    signing_public_key?: string | null;
    signing_private_key?: string | null;
    days_of_action?: string[];
    agreed_by?: number | null;
    agreed_at?: Date | null;
    created_by: number | null;
    created_at: Date;
  },
): Promise<number> {
  return (await db.insertInto("coalitions").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function updateCoalition(
  db: Db,
  id: number,
  patch: { days_of_action?: string[]; publish_daily?: boolean; last_sequence_sent?: number },
): Promise<void> {
  await db.updateTable("coalitions").set(patch).where("id", "=", id).execute();
}

const MEMBER_COLUMNS = [
  "id",
  "coalition_id",
  "key",
  "name",
  "local_union_id",
  "public_key",
  "partner_of",
  "brand_colour",
  "state",
  "agreed_by_label",
  "agreed_at",
  "last_sequence",
  "publish_daily",
] as const;

export async function selectMembers(db: Db, coalitionId: number): Promise<MemberRow[]> {
  return db
    .selectFrom("coalition_members")
    .select(MEMBER_COLUMNS)
    .where("coalition_id", "=", coalitionId)
    .orderBy("id")
    .execute();
}

export async function selectMemberByKey(
  db: Db,
  coalitionId: number,
  key: string,
  lock = false,
): Promise<MemberRow | null> {
  let q = db
    .selectFrom("coalition_members")
    .select(MEMBER_COLUMNS)
    .where("coalition_id", "=", coalitionId)
    .where("key", "=", key);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function insertMember(
  db: Db,
  row: {
    coalition_id: number;
    key: string;
    name: string;
    local_union_id: number | null;
    public_key: string | null;
    partner_of: string | null;
    brand_colour: string | null;
    state: "invited" | "agreed";
    agreed_by_user?: number | null;
    agreed_by_label?: string | null;
    agreed_at?: Date | null;
    added_by: number | null;
    added_at: Date;
  },
): Promise<number> {
  return (await db.insertInto("coalition_members").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function updateMember(
  db: Db,
  id: number,
  patch: {
    state?: "agreed";
    agreed_by_user?: number | null;
    agreed_by_label?: string;
    agreed_at?: Date;
    last_sequence?: number;
    publish_daily?: boolean;
  },
): Promise<void> {
  await db.updateTable("coalition_members").set(patch).where("id", "=", id).execute();
}

export async function selectUnionBySlug(db: Db, slug: string): Promise<{ id: number; name: string } | null> {
  return (
    (await db.selectFrom("unions").select(["id", "name"]).where("slug", "=", slug).executeTakeFirst()) ?? null
  );
}

export async function selectUnionName(db: Db, unionId: number): Promise<string> {
  return (await db.selectFrom("unions").select("name").where("id", "=", unionId).executeTakeFirstOrThrow())
    .name;
}

// Ballots -------------------------------------------------------------------

export async function selectLinkedBallotIds(db: Db, coalitionId: number, unionId: number): Promise<number[]> {
  return (
    await db
      .selectFrom("coalition_ballots")
      .select("ballot_id")
      .where("coalition_id", "=", coalitionId)
      .where("union_id", "=", unionId)
      .orderBy("ballot_id")
      .execute()
  ).map((r) => r.ballot_id);
}

/** Which of these ballot ids are the union's own. */
export async function selectOwnBallotIds(db: Db, unionId: number, ids: readonly number[]): Promise<number[]> {
  if (!ids.length) return [];
  return (
    await db
      .selectFrom("ballots")
      .select("id")
      .where("union_id", "=", unionId)
      .where("id", "in", ids)
      .execute()
  ).map((r) => r.id);
}

export async function replaceLinkedBallots(
  db: Db,
  coalitionId: number,
  unionId: number,
  ids: readonly number[],
): Promise<void> {
  await db
    .deleteFrom("coalition_ballots")
    .where("coalition_id", "=", coalitionId)
    .where("union_id", "=", unionId)
    .execute();
  if (ids.length) {
    await db
      .insertInto("coalition_ballots")
      .values(ids.map((ballot_id) => ({ coalition_id: coalitionId, union_id: unionId, ballot_id })))
      .execute();
  }
}

export interface BallotDatesRow {
  id: number;
  name: string;
  opening_date: string;
  closing_date: string;
  declared_on: string | null;
  evaluation: unknown;
  questions: unknown;
  notice_given_on: string | null;
  shorter_notice: boolean | null;
  /** An employer in Northern Ireland puts the ballot under the Order (the ballots domain's own rule). */
  ni: boolean;
}

/** The dates and result of the ballots these unions linked to the coalition. */
export async function selectBallotDates(
  db: Db,
  coalitionId: number,
  unionIds: readonly number[],
): Promise<BallotDatesRow[]> {
  if (!unionIds.length) return [];
  return db
    .selectFrom("coalition_ballots as cb")
    .innerJoin("ballots as b", (j) =>
      j.onRef("b.id", "=", "cb.ballot_id").onRef("b.union_id", "=", "cb.union_id"),
    )
    .leftJoin("ballot_results as r", "r.ballot_id", "b.id")
    .select([
      "b.id",
      "b.name",
      "b.opening_date",
      "b.closing_date",
      "r.declared_on",
      "r.evaluation",
      "r.questions",
      (eb) =>
        eb
          .selectFrom("action_notices as n")
          .select((e) => e.fn.min("n.given_on").as("g"))
          .whereRef("n.ballot_id", "=", "b.id")
          .as("notice_given_on"),
      (eb) =>
        eb
          .selectFrom("action_notices as n")
          .select(sql<boolean>`bool_or(n.shorter_notice_agreed)`.as("s"))
          .whereRef("n.ballot_id", "=", "b.id")
          .as("shorter_notice"),
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("ballot_scope as s")
              .innerJoin("employers as e", "e.id", "s.employer_id")
              .select("e.id")
              .whereRef("s.ballot_id", "=", "b.id")
              .where("e.nation", "=", "northern_ireland"),
          )
          .as("ni"),
    ])
    .where("cb.coalition_id", "=", coalitionId)
    .where("cb.union_id", "in", unionIds)
    .orderBy("b.opening_date")
    .orderBy("b.id")
    .execute() as Promise<BallotDatesRow[]>;
}

export interface ElectorateFactRow {
  member_id: number;
  ballot_id: number;
  employer_id: number;
  employer_name: string;
  employer_code: string | null;
  sector_code: string | null;
  sector_name: string | null;
  region_code: string | null;
  region_name: string | null;
  voted: boolean;
}

/**
 * The facts of the publishing union's own members entitled in the coalition's ballots (its own, or the
 * host's for a partner organisation balloted inside another union's ballot): member id, employer, sector,
 * region, and whether their paper is known to be returned. Ids feed the cell key; they never leave the
 * coalition module.
 */
export async function selectElectorateFacts(
  db: Db,
  coalitionId: number,
  ballotUnionIds: readonly number[],
  memberUnionId: number,
): Promise<ElectorateFactRow[]> {
  const rows = await sql<ElectorateFactRow>`
    select be.member_id, be.ballot_id, e.id as employer_id, e.name as employer_name,
      coalesce(e.ods_code, e.gss_code, e.dfe_group_id, e.dfe_urn, e.la_code, e.local_code, e.companies_house_number) as employer_code,
      s.code as sector_code, s.name as sector_name, r.code as region_code, r.name as region_name,
      exists (select 1 from turnout_self_reports t
              where t.ballot_id = be.ballot_id and t.member_id = be.member_id and t.kind = 'voted') as voted
    from coalition_ballots cb
    join ballot_electorate be on be.ballot_id = cb.ballot_id
    join employers e on e.id = be.employer_id
    left join sectors s on s.id = e.sector_id
    left join regions r on r.id = e.region_id
    where cb.coalition_id = ${coalitionId}
      and cb.union_id in (${sql.join(ballotUnionIds.length ? ballotUnionIds : [-1])})
      and be.included and be.member_union_id = ${memberUnionId}
  `.execute(db);
  return rows.rows;
}

// Reports -------------------------------------------------------------------

export async function insertReport(
  db: Db,
  row: {
    coalition_id: number;
    member_id: number;
    sequence: number;
    as_of: string;
    issued_at: Date;
    source: "local" | "remote";
    trigger: "hand" | "schedule" | "remote";
    payload: string;
    signature: string | null;
    received_at: Date;
  },
): Promise<void> {
  await db.insertInto("coalition_reports").values(row).execute();
}

export interface ReportRow {
  member_id: number;
  sequence: number;
  as_of: string;
  payload: unknown;
}

/** The latest report of each member of the coalition. */
export async function selectLatestReports(db: Db, coalitionId: number): Promise<ReportRow[]> {
  const rows = await sql<ReportRow>`
    select distinct on (member_id) member_id, sequence, as_of::text as as_of, payload
    from coalition_reports where coalition_id = ${coalitionId}
    order by member_id, sequence desc
  `.execute(db);
  return rows.rows;
}

// The union's disclosure key -------------------------------------------------

export async function selectDisclosureKey(db: Db, unionId: number): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom("disclosure_keys")
    .select("key")
    .where("union_id", "=", unionId)
    .executeTakeFirst();
  return row ? new Uint8Array(row.key) : null;
}

export async function insertDisclosureKey(db: Db, unionId: number, key: Uint8Array, at: Date): Promise<void> {
  await db
    .insertInto("disclosure_keys")
    .values({ union_id: unionId, key, created_at: at })
    .onConflict((oc) => oc.column("union_id").doNothing())
    .execute();
}
