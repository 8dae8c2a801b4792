/**
 * All SQL of strike pay and hardship. A member's day is held once by the
 * partial unique index strike_pay_claim_days_once (member, day) over days not
 * rejected: inserting a claim's days skips any day already held, and the
 * service refuses the claim whole when one was skipped, inside the same
 * transaction, so two concurrent claims for a day cannot both stand.
 */
import { sql } from "kysely";
import type { Grant } from "../auth/index.js";
import { memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";

export async function selectPayRules(db: Db, unionId: number, disputeId: number) {
  return db
    .selectFrom("strike_pay_rules")
    .selectAll()
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId)
    .executeTakeFirst();
}

export async function upsertPayRules(
  db: Db,
  row: {
    dispute_id: number;
    union_id: number;
    rate_pence: number;
    unpaid_days: number;
    max_paid_days: number | null;
    max_pence_per_member: number | null;
    hardship_max_pence: number;
    hardship_criteria: string[];
    updated_by: number | null;
    updated_at: Date;
  },
) {
  const { dispute_id: _d, union_id: _u, ...set } = row;
  await db
    .insertInto("strike_pay_rules")
    .values(row)
    .onConflict((oc) => oc.column("dispute_id").doUpdateSet(set))
    .execute();
}

/** The member, when the grant reaches them. */
export async function selectMemberInScope(db: Db, grant: Grant, memberId: number) {
  return db
    .selectFrom("members")
    .select(["members.id", "members.region_id", "members.workplace_id"])
    .where("members.id", "=", memberId)
    .where(memberInScope(grant))
    .executeTakeFirst();
}

/** The dispute's strike days, in order: among `only.in` when given, up to `only.upTo` when given. */
export async function strikeDays(
  db: Db,
  unionId: number,
  disputeId: number,
  only: { in?: readonly string[]; upTo?: string } = {},
): Promise<string[]> {
  if (only.in && !only.in.length) return [];
  let q = db
    .selectFrom("action_days")
    .select("day")
    .where("union_id", "=", unionId)
    .where("dispute_id", "=", disputeId)
    .where("kind", "=", "strike");
  if (only.in) q = q.where("day", "in", [...only.in]);
  if (only.upTo) q = q.where("day", "<=", only.upTo);
  return (await q.orderBy("day").execute()).map((r) => r.day);
}

/**
 * Active members in the grant's scope who are in the included electorate of a ballot of the dispute:
 * those a strike pay claim can be for (read-only use of the ballots' electorates, decisions/0034).
 */
export async function selectDisputeMembers(db: Db, grant: Grant, disputeId: number) {
  return db
    .selectFrom("members")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .select([
      "members.id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "w.name as workplace_name",
    ])
    .where("members.union_id", "=", grant.unionId)
    .where("members.status", "=", "active")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("ballot_electorate as e")
          .innerJoin("ballots as b", "b.id", "e.ballot_id")
          .select("e.member_id")
          .whereRef("e.member_id", "=", "members.id")
          .where("e.included", "=", true)
          .where("b.dispute_id", "=", disputeId)
          .where("b.union_id", "=", grant.unionId),
      ),
    )
    .where(memberInScope(grant))
    .orderBy("members.surname")
    .orderBy("members.id")
    .execute();
}

export async function selectClaimByReference(db: Db, unionId: number, reference: string) {
  return db
    .selectFrom("strike_pay_claims")
    .select(["id", "member_id", "dispute_id"])
    .where("union_id", "=", unionId)
    .where("reference", "=", reference)
    .executeTakeFirst();
}

export async function insertClaim(
  db: Db,
  row: {
    union_id: number;
    dispute_id: number;
    member_id: number;
    kind: string;
    requested_pence: number | null;
    evidence_note: string;
    evidence_name: string | null;
    evidence_type: string | null;
    evidence: Uint8Array | null;
    reference: string | null;
    submitted_by: number | null;
    submitted_at: Date;
  },
) {
  // A reference already imported: nothing is inserted and the caller answers with the earlier claim.
  return db
    .insertInto("strike_pay_claims")
    .values(row)
    .onConflict((oc) => oc.columns(["union_id", "reference"]).where("reference", "is not", null).doNothing())
    .returning("id")
    .executeTakeFirst();
}

/** Inserts the days not already held for the member; returns those it inserted. */
export async function insertClaimDays(
  db: Db,
  claim: { id: number; union_id: number; dispute_id: number; member_id: number },
  days: string[],
) {
  if (!days.length) return [];
  const rows = await db
    .insertInto("strike_pay_claim_days")
    .values(
      days.map((day) => ({
        claim_id: claim.id,
        union_id: claim.union_id,
        dispute_id: claim.dispute_id,
        member_id: claim.member_id,
        day,
      })),
    )
    .onConflict((oc) => oc.columns(["member_id", "day"]).where("state", "<>", "rejected").doNothing())
    .returning("day")
    .execute();
  return rows.map((r) => r.day);
}

const claimColumns = [
  "c.id",
  "c.dispute_id",
  "c.member_id",
  "c.kind",
  "c.state",
  "c.requested_pence",
  "c.amount_pence",
  "c.criteria_met",
  "c.evidence_note",
  "c.submitted_at",
  "c.decided_at",
  "members.forenames",
  "members.surname",
  "members.membership_number",
  "w.name as workplace_name",
] as const;

/** Claims of the dispute whose members the grant reaches, newest first. */
export async function selectClaims(
  db: Db,
  grant: Grant,
  disputeId: number,
  opts: { state?: string; limit: number; claimId?: number; memberId?: number },
) {
  let q = db
    .selectFrom("strike_pay_claims as c")
    .innerJoin("members", "members.id", "c.member_id")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .select([
      ...claimColumns,
      sql<boolean>`c.evidence is not null`.as("has_evidence"),
      sql<
        string[]
      >`coalesce((select array_agg(d.day::text order by d.day) from strike_pay_claim_days d where d.claim_id = c.id), '{}')`.as(
        "days",
      ),
    ])
    .where("c.union_id", "=", grant.unionId)
    .where("c.dispute_id", "=", disputeId)
    .where(memberInScope(grant));
  if (opts.state) q = q.where("c.state", "=", opts.state);
  if (opts.claimId !== undefined) q = q.where("c.id", "=", opts.claimId);
  if (opts.memberId !== undefined) q = q.where("c.member_id", "=", opts.memberId);
  return q.orderBy("c.submitted_at", "desc").orderBy("c.id", "desc").limit(opts.limit).execute();
}

/** Locks the claim (in the grant's reach) for a decision. */
export async function lockClaim(db: Db, grant: Grant, disputeId: number, claimId: number) {
  return db
    .selectFrom("strike_pay_claims as c")
    .innerJoin("members", "members.id", "c.member_id")
    .select(["c.id", "c.member_id", "c.kind", "c.state", "c.requested_pence"])
    .where("c.union_id", "=", grant.unionId)
    .where("c.dispute_id", "=", disputeId)
    .where("c.id", "=", claimId)
    .where(memberInScope(grant))
    .forUpdate("c")
    .executeTakeFirst();
}

export async function decideClaim(
  db: Db,
  claimId: number,
  set: {
    state: string;
    amount_pence: number | null;
    criteria_met: string[];
    decided_by: number | null;
    decided_at: Date;
    decision_note: string;
  },
) {
  await db.updateTable("strike_pay_claims").set(set).where("id", "=", claimId).execute();
  await db
    .updateTable("strike_pay_claim_days")
    .set({ state: set.state })
    .where("claim_id", "=", claimId)
    .execute();
}

export async function selectEvidence(db: Db, grant: Grant, disputeId: number, claimId: number) {
  return db
    .selectFrom("strike_pay_claims as c")
    .innerJoin("members", "members.id", "c.member_id")
    .select(["c.id", "c.member_id", "c.evidence", "c.evidence_name", "c.evidence_type"])
    .where("c.union_id", "=", grant.unionId)
    .where("c.dispute_id", "=", disputeId)
    .where("c.id", "=", claimId)
    .where(memberInScope(grant))
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------
// Paying: approved days and grants not yet exported, locked so two exports cannot take the same line

export async function lockDueDays(db: Db, unionId: number, from: string, to: string) {
  return db
    .selectFrom("strike_pay_claim_days")
    .select(["claim_id", "member_id", "dispute_id", "day"])
    .where("union_id", "=", unionId)
    .where("state", "=", "approved")
    .where("day", ">=", from)
    .where("day", "<=", to)
    .orderBy("member_id")
    .orderBy("day")
    .forUpdate()
    .execute();
}

/** Every approved or paid day of these members in these disputes, with what paid days were paid. */
export async function memberDays(db: Db, unionId: number, memberIds: number[], disputeIds: number[]) {
  if (!memberIds.length) return [];
  return db
    .selectFrom("strike_pay_claim_days")
    .select(["member_id", "dispute_id", "day", "state", "amount_pence"])
    .where("union_id", "=", unionId)
    .where("member_id", "in", memberIds)
    .where("dispute_id", "in", disputeIds)
    .where("state", "in", ["approved", "paid"])
    .execute();
}

export async function lockDueGrants(db: Db, unionId: number, from: string, to: string) {
  return db
    .selectFrom("strike_pay_claims")
    .select(["id", "member_id", "dispute_id", "amount_pence"])
    .where("union_id", "=", unionId)
    .where("kind", "=", "hardship")
    .where("state", "=", "approved")
    .where(sql<string>`(decided_at at time zone 'Europe/London')::date`, ">=", from)
    .where(sql<string>`(decided_at at time zone 'Europe/London')::date`, "<=", to)
    .forUpdate()
    .execute();
}

export async function insertExport(
  db: Db,
  row: {
    union_id: number;
    from_day: string;
    to_day: string;
    lines: number;
    total_pence: number;
    created_by: number | null;
    created_at: Date;
  },
) {
  return (await db.insertInto("strike_pay_exports").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function setExportTotal(db: Db, exportId: number, totalPence: number) {
  await db
    .updateTable("strike_pay_exports")
    .set({ total_pence: totalPence })
    .where("id", "=", exportId)
    .execute();
}

export async function markDayPaid(db: Db, claimId: number, day: string, amount: number, exportId: number) {
  await db
    .updateTable("strike_pay_claim_days")
    .set({ state: "paid", amount_pence: amount, export_id: exportId })
    .where("claim_id", "=", claimId)
    .where("day", "=", day)
    .execute();
}

/** A claim whose days are all paid is paid. */
export async function markClaimsPaid(db: Db, claimIds: number[], exportId: number) {
  if (!claimIds.length) return;
  await db
    .updateTable("strike_pay_claims")
    .set({ state: "paid", export_id: exportId })
    .where("id", "in", claimIds)
    .where("state", "=", "approved")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("strike_pay_claim_days as d")
            .select("d.day")
            .whereRef("d.claim_id", "=", "strike_pay_claims.id")
            .where("d.state", "<>", "paid"),
        ),
      ),
    )
    .execute();
}

export async function payeeRows(db: Db, unionId: number, memberIds: number[]) {
  if (!memberIds.length) return [];
  return db
    .selectFrom("members")
    .leftJoin("branches", "branches.id", "members.branch_id")
    .select([
      "members.id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "branches.name as branch",
    ])
    .where("members.union_id", "=", unionId)
    .where("members.id", "in", memberIds)
    .execute();
}
