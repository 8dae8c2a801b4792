/**
 * The frozen electorate as it is read: the summary (by reason and employer),
 * the listing of names, and the entitled and excluded members the checks and
 * documents use. The freeze itself is in freeze.service.ts.
 */
import { sql } from "kysely";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { AppError } from "../shared/errors.js";
import type { Page } from "../shared/paging.js";
import { loadBallotRow, loadVisibleBallot, refuseUnless } from "./ballot-access.js";
import { electorateRowInReach } from "./ballot-scope.js";
import type { ElectorateSummaryDto } from "./ballots.model.js";
import { REASONS, type Reason } from "./electorate.js";
import { acceptedPartners } from "./partner-agreements.service.js";
import type { SnapshotMember } from "./preflight.js";

export async function electorateSummary(ctx: Ctx, id: number): Promise<ElectorateSummaryDto> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  if (!row.electorate_hash || !row.electorate_as_at) {
    throw new AppError("ballots.wrong_state", "The electorate has not been frozen yet.", {
      state: row.state,
    });
  }
  const reasons = await ctx.db
    .selectFrom("ballot_electorate")
    .select(["reason", "included", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", id)
    .groupBy(["reason", "included"])
    .execute();
  const byEmployer =
    grant.view === "aggregate"
      ? []
      : await ctx.db
          .selectFrom("ballot_electorate as be")
          .innerJoin("employers as e", "e.id", "be.employer_id")
          .select(["be.employer_id", "e.name", (eb) => eb.fn.countAll<number>().as("n")])
          .where("be.ballot_id", "=", id)
          .where("be.included", "=", true)
          // Per-employer counts only for the workplaces and employers the reader reaches.
          .where(electorateRowInReach(reach, "be"))
          .groupBy(["be.employer_id", "e.name"])
          .orderBy("e.name")
          .execute();
  const scope = await ctx.db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", id)
    .execute();
  const added = await ctx.db
    .selectFrom("members as m")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("m.union_id", "in", [grant.unionId, ...(await acceptedPartners(ctx.db, row))])
    .where("m.employer_id", "in", scope.length ? scope.map((s) => s.employer_id) : [0])
    .where("m.status", "=", "active")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("ballot_electorate as be")
            .select("be.member_id")
            .where("be.ballot_id", "=", id)
            .whereRef("be.member_id", "=", "m.id"),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  const total = (included: boolean) =>
    reasons.filter((r) => r.included === included).reduce((s, r) => s + Number(r.n), 0);
  return {
    hash: row.electorate_hash,
    asAt: row.electorate_as_at,
    entitled: total(true),
    excluded: total(false),
    byReason: reasons
      .map((r) => ({
        reason: REASONS[r.reason as Reason]?.label ?? r.reason,
        included: r.included,
        count: Number(r.n),
      }))
      .sort((a, b) => b.count - a.count),
    byEmployer: byEmployer.map((e) => ({
      employerId: e.employer_id,
      employerName: e.name,
      entitled: Number(e.n),
    })),
    addedSince: Number(added.n),
  };
}

export async function listElectorate(
  ctx: Ctx,
  id: number,
  query: { included?: "true" | "false"; employerId?: number; page: number; pageSize: number },
): Promise<
  Page<{
    memberId: number;
    membershipNumber: string;
    name: string;
    included: boolean;
    reason: string;
    employerId: number;
    workplaceId: number | null;
    jobCategory: string | null;
    paperNumber: number | null;
  }>
> {
  const grant = authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, grant.unionId, id);
  // A thawed (draft) ballot's rows are no electorate: names are listed only from a frozen snapshot.
  refuseUnless(row.state, "list_electorate");
  let q = ctx.db.selectFrom("ballot_electorate").where("ballot_id", "=", id);
  if (query.included) q = q.where("included", "=", query.included === "true");
  if (query.employerId) q = q.where("employer_id", "=", query.employerId);
  const [rows, count] = await Promise.all([
    q
      .select([
        "member_id",
        "membership_number",
        "name",
        "included",
        "reason",
        "employer_id",
        "workplace_id",
        "job_category",
        "paper_number",
      ])
      .orderBy("included", "desc")
      .orderBy("paper_number")
      .orderBy("membership_number")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      memberId: r.member_id,
      membershipNumber: r.membership_number,
      name: r.name,
      included: r.included,
      reason: REASONS[r.reason as Reason]?.label ?? r.reason,
      employerId: r.employer_id,
      workplaceId: r.workplace_id,
      jobCategory: r.job_category,
      paperNumber: r.paper_number,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: Number(count.n),
  };
}

/**
 * The entitled members of the frozen snapshot, with what the checks and the
 * figures need: never names or addresses, which only the voter file reads.
 */
export async function loadEntitled(db: Db, ballotId: number): Promise<SnapshotMember[]> {
  const rows = await db
    .selectFrom("ballot_electorate")
    .select([
      "member_id",
      "membership_number",
      "employer_id",
      "workplace_id",
      "job_category",
      "left_on",
      "check_off",
      sql<boolean>`cardinality(address_lines) > 0 and postcode is not null`.as("has_address"),
    ])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", true)
    .orderBy("member_id")
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id,
    membershipNumber: r.membership_number,
    employerId: r.employer_id,
    workplaceId: r.workplace_id,
    jobCategory: r.job_category,
    leftOn: r.left_on,
    checkOff: r.check_off,
    hasAddress: r.has_address,
  }));
}

/** How many of the snapshot were left out, by reason. */
export async function excludedByReason(
  db: Db,
  ballotId: number,
): Promise<{ reason: Reason; count: number }[]> {
  const rows = await db
    .selectFrom("ballot_electorate")
    .select(["reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", false)
    .groupBy("reason")
    .orderBy("reason")
    .execute();
  return rows.map((r) => ({ reason: r.reason as Reason, count: Number(r.n) }));
}
