/**
 * The SQL of partner agreements: the agreements (proposed, decided, listed),
 * the ballots and disputes they cover and what those ballots' snapshots hold
 * of the partner's members, ballots thawed and snapshots cleared when an
 * agreement is withdrawn, and the register codes that match a partner's
 * employers and workplaces to ours. Reads are bound to a union on either side.
 */
import { type ExpressionBuilder, type Insertable, sql } from "kysely";
import type { Database, Db } from "../db/database.js";
import { dropOwnPartitions } from "./freeze.store.js";

/** The register codes that name the same employer in two unions' records. */
export const REGISTER_CODES = [
  "ods_code",
  "dfe_urn",
  "gss_code",
  "companies_house_number",
  "local_code",
] as const;

/** The accepted agreements of the ballot's partner unions, for the ballot or its dispute; locked for share when asked. */
export async function acceptedAgreements(
  db: Db,
  row: { id: number; union_id: number; dispute_id: number; partner_union_ids: number[] },
  lock: boolean,
) {
  let q = db
    .selectFrom("partner_agreements")
    .select(["id", "partner_union_id", "fields", "employer_ids"])
    .where("union_id", "=", row.union_id)
    .where("partner_union_id", "in", row.partner_union_ids)
    .where("state", "=", "accepted")
    .where((eb) => eb.or([eb("ballot_id", "=", row.id), eb("dispute_id", "=", row.dispute_id)]))
    .orderBy("id");
  if (lock) q = q.forShare();
  return q.execute();
}

/** The ballot's employers, once per scope entry. */
export async function ballotScopeEmployers(db: Db, ballotId: number) {
  return db.selectFrom("ballot_scope").select("employer_id").where("ballot_id", "=", ballotId).execute();
}

/** The dispute's employers. */
export async function disputeEmployerRows(db: Db, disputeId: number) {
  return db
    .selectFrom("dispute_employers")
    .select("employer_id")
    .where("dispute_id", "=", disputeId)
    .execute();
}

/** The employers of every ballot of the union's dispute. */
export async function disputeBallotsScope(db: Db, unionId: number, disputeId: number) {
  return db
    .selectFrom("ballot_scope as s")
    .innerJoin("ballots as b", "b.id", "s.ballot_id")
    .select("s.employer_id")
    .where("b.dispute_id", "=", disputeId)
    .where("b.union_id", "=", unionId)
    .execute();
}

/** The union, if it exists. */
export async function unionExists(db: Db, unionId: number) {
  return db.selectFrom("unions").select("id").where("id", "=", unionId).executeTakeFirst();
}

/** The union's ballot, with what decides the fields a partner must share. */
export async function ballotForAgreement(db: Db, unionId: number, ballotId: number) {
  return db
    .selectFrom("ballots")
    .select(["id", "job_categories", "check_off_route"])
    .where("union_id", "=", unionId)
    .where("id", "=", ballotId)
    .executeTakeFirst();
}

/** The union's dispute, if it exists. */
export async function disputeOfUnion(db: Db, unionId: number, disputeId: number) {
  return db
    .selectFrom("disputes")
    .select("id")
    .where("union_id", "=", unionId)
    .where("id", "=", disputeId)
    .executeTakeFirst();
}

/** A partner agreement requested; returns it as the audit of both sides needs it. */
export async function insertAgreement(db: Db, values: Insertable<Database["partner_agreements"]>) {
  return db
    .insertInto("partner_agreements")
    .values(values)
    .returning(["id", "union_id", "partner_union_id"])
    .executeTakeFirstOrThrow();
}

/** The agreement, locked, when the union is either side of it. */
export async function agreementForDecision(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("partner_agreements")
    .selectAll()
    .where("id", "=", id)
    .where((eb) => eb.or([eb("union_id", "=", unionId), eb("partner_union_id", "=", unionId)]))
    .forUpdate()
    .executeTakeFirst();
}

/** The agreement accepted, declined or withdrawn, with the partner's employers it covers. */
export async function recordDecision(
  db: Db,
  id: number,
  d: {
    state: string;
    decidedBy: number | null;
    decidedByUnion: number;
    decidedAt: Date;
    employerIds: number[] | null;
  },
) {
  return db
    .updateTable("partner_agreements")
    .set({
      state: d.state,
      decided_by: d.decidedBy,
      decided_by_union: d.decidedByUnion,
      decided_at: d.decidedAt,
      employer_ids: d.employerIds,
    })
    .where("id", "=", id)
    .execute();
}

type Covering = {
  union_id: number;
  partner_union_id: number;
  ballot_id: number | null;
  dispute_id: number | null;
};

/** The ballots an agreement covers: its ballot, or every ballot of its dispute. */
function covered(a: Covering) {
  return (eb: ExpressionBuilder<Database, "ballots">) =>
    a.ballot_id !== null ? eb("id", "=", a.ballot_id) : eb("dispute_id", "=", a.dispute_id ?? 0);
}

/** The frozen ballots the agreement covers that name the partner, thawed to drafts; returns their ids. */
export async function thawCoveredBallots(tx: Db, a: Covering, now: Date): Promise<number[]> {
  const rows = await tx
    .updateTable("ballots")
    .set({ state: "draft", updated_at: now })
    .where("union_id", "=", a.union_id)
    .where("state", "=", "frozen")
    .where(sql<boolean>`${a.partner_union_id} = any(partner_union_ids)`)
    .where(covered(a))
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Every draft ballot the agreement covers loses its snapshot (rows and fingerprint); returns their ids. */
export async function clearCoveredDraftSnapshots(tx: Db, a: Covering): Promise<number[]> {
  const drafts = await tx
    .updateTable("ballots")
    .set({
      electorate_hash: null,
      electorate_entitled: null,
      electorate_as_at: null,
      frozen_at: null,
      frozen_by: null,
    })
    .where("union_id", "=", a.union_id)
    .where("state", "=", "draft")
    .where(covered(a))
    .returning("id")
    .execute();
  const cleared = drafts.map((r) => r.id);
  if (cleared.length) {
    await dropOwnPartitions(tx, cleared);
    await tx.deleteFrom("ballot_electorate").where("ballot_id", "in", cleared).execute();
  }
  return cleared;
}

/** The agreements the union is either side of (all, or one), newest first, with the names shown. */
export async function selectAgreements(db: Db, unionId: number, id: number | null) {
  let q = db
    .selectFrom("partner_agreements as a")
    .innerJoin("unions as u", "u.id", "a.union_id")
    .innerJoin("unions as p", "p.id", "a.partner_union_id")
    .leftJoin("ballots as b", "b.id", "a.ballot_id")
    .leftJoin("disputes as d", "d.id", "a.dispute_id")
    .leftJoin("users as rq", "rq.id", "a.requested_by")
    .leftJoin("users as dc", "dc.id", "a.decided_by")
    .selectAll("a")
    .select([
      "u.name as union_name",
      "p.name as partner_name",
      "b.name as ballot_name",
      "d.title as dispute_title",
      "rq.display_name as requested_by_name",
      "dc.display_name as decided_by_name",
    ])
    .where((eb) => eb.or([eb("a.union_id", "=", unionId), eb("a.partner_union_id", "=", unionId)]))
    .orderBy("a.id", "desc");
  if (id !== null) q = q.where("a.id", "=", id);
  return q.execute();
}

/** What the covered ballots' snapshots hold of the partner's members: counts, no names. */
export async function sharedCounts(db: Db, a: Covering) {
  return db
    .selectFrom("ballot_electorate as be")
    .innerJoin("ballots as b", "b.id", "be.ballot_id")
    .select([
      "b.id",
      "b.name",
      (eb) => eb.fn.countAll<number>().as("listed"),
      (eb) =>
        eb.fn.sum<number>(eb.case().when("be.included", "=", true).then(1).else(0).end()).as("entitled"),
    ])
    .where("b.union_id", "=", a.union_id)
    .where("be.member_union_id", "=", a.partner_union_id)
    .where((eb) =>
      a.ballot_id !== null ? eb("b.id", "=", a.ballot_id) : eb("b.dispute_id", "=", a.dispute_id ?? 0),
    )
    .groupBy(["b.id", "b.name"])
    .orderBy("b.id")
    .execute();
}

/** The agreement with the union as the partner. */
export async function agreementAsPartner(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("partner_agreements")
    .selectAll()
    .where("id", "=", id)
    .where("partner_union_id", "=", unionId)
    .executeTakeFirst();
}

/** The partner's members in the covered ballots' snapshots, with which of their fields are held. */
export async function partnerMembersInSnapshots(db: Db, a: Covering) {
  return db
    .selectFrom("ballot_electorate as be")
    .innerJoin("ballots as b", "b.id", "be.ballot_id")
    .select([
      "be.ballot_id",
      "be.membership_number",
      "be.included",
      "be.name",
      "be.address_lines",
      "be.job_category",
    ])
    .where("b.union_id", "=", a.union_id)
    .where("be.member_union_id", "=", a.partner_union_id)
    .where((eb) =>
      a.ballot_id !== null ? eb("b.id", "=", a.ballot_id) : eb("b.dispute_id", "=", a.dispute_id ?? 0),
    )
    .orderBy("be.ballot_id")
    .orderBy("be.membership_number")
    .execute();
}

/** The employers' register codes. */
export async function employerRegisterCodes(db: Db, employerIds: number[]) {
  return db
    .selectFrom("employers")
    .select(["id", ...REGISTER_CODES])
    .where("id", "in", employerIds)
    .execute();
}

/** The register codes of every employer of the partner unions. */
export async function partnerRegisterCodes(db: Db, partnerUnionIds: number[]) {
  return db
    .selectFrom("employers")
    .select(["id", ...REGISTER_CODES])
    .where("union_id", "in", partnerUnionIds)
    .execute();
}

/** The site codes of the employers' workplaces that have one. */
export async function siteCodes(db: Db, employerIds: number[]) {
  return db
    .selectFrom("workplaces")
    .select(["id", "employer_id", "site_code"])
    .where("employer_id", "in", employerIds)
    .where("site_code", "is not", null)
    .execute();
}

/** The site codes of the partner's matched employers' workplaces that have one. */
export async function partnerSiteCodes(db: Db, employerIds: number[]) {
  return db
    .selectFrom("workplaces")
    .select(["id", "employer_id", "site_code"])
    .where("employer_id", "in", employerIds)
    .where("site_code", "is not", null)
    .execute();
}
