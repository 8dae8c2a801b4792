import { type ExpressionBuilder, sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize, countsInScope, type Grant, memberInScope, rowInScope } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { cachedByVersion, countsVersion } from "../counts/index.js";
import type { Database, Db, MembersTable } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import { changedFields } from "../shared/fields.js";
import { likePrefix, type Page } from "../shared/paging.js";
import { recordEmploymentChanges } from "./member-history.store.js";
import {
  type CreateMemberInput,
  type EmploymentPeriodDto,
  type MemberDetailDto,
  type MemberDto,
  type MemberListItemDto,
  type MemberListQuery,
  type MemberProblem,
  type MemberStatus,
  MembersSummaryDto,
  RECENT_DAYS,
  type UpdateMemberInput,
} from "./members.model.js";

type MemberRow = {
  [K in keyof MembersTable]: MembersTable[K] extends { __select__: infer S } ? S : MembersTable[K];
};

/** Fields whose changes are kept with effective dates: a ballot needs them as at a day. */
const HISTORY_FIELDS = ["employer_id", "workplace_id", "job_category"] as const;

export function memberDto(r: MemberRow): MemberDto {
  return {
    id: r.id,
    membershipNumber: r.membership_number,
    forenames: r.forenames,
    surname: r.surname,
    dateOfBirth: r.date_of_birth,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    town: r.town,
    homePostcode: r.home_postcode,
    postalAddress: r.postal_address,
    postalPostcode: r.postal_postcode,
    postalRequestedOn: r.postal_requested_on,
    postalRequestEvidence: r.postal_request_evidence,
    email: r.email,
    mobile: r.mobile,
    employerId: r.employer_id,
    workplaceId: r.workplace_id,
    jobTitle: r.job_title,
    jobCategory: r.job_category,
    branchId: r.branch_id,
    regionId: r.region_id,
    status: r.status as MemberStatus,
    inArrears: r.in_arrears,
    checkOff: r.check_off,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    consentEmail: r.consent_email,
    consentSms: r.consent_sms,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function memberValues(input: UpdateMemberInput) {
  const v = {
    membership_number: input.membershipNumber,
    forenames: input.forenames,
    surname: input.surname,
    date_of_birth: input.dateOfBirth,
    address_line1: input.addressLine1,
    address_line2: input.addressLine2,
    town: input.town,
    home_postcode: input.homePostcode,
    postal_address: input.postalAddress,
    postal_postcode: input.postalPostcode,
    postal_requested_on: input.postalRequestedOn,
    postal_request_evidence: input.postalRequestEvidence,
    email: input.email,
    mobile: input.mobile,
    employer_id: input.employerId,
    workplace_id: input.workplaceId,
    job_title: input.jobTitle,
    job_category: input.jobCategory,
    branch_id: input.branchId,
    region_id: input.regionId,
    status: input.status,
    in_arrears: input.inArrears,
    check_off: input.checkOff,
    joined_on: input.joinedOn,
    left_on: input.leftOn,
    consent_email: input.consentEmail,
    consent_sms: input.consentSms,
  };
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<typeof v>;
}

export async function listMembers(ctx: Ctx, query: MemberListQuery): Promise<Page<MemberListItemDto>> {
  const grant = authorize(ctx.actor, "members.read");
  let q = ctx.db
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
  if (query.problem) q = q.where(problemFilter(grant, query.problem, ukDate(ctx.clock.now())));
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
  const [rows, total] = await Promise.all([
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
  return {
    items: rows.map((r) => ({
      id: r.id,
      membershipNumber: r.membership_number,
      forenames: r.forenames,
      surname: r.surname,
      status: r.status as MemberStatus,
      jobTitle: r.job_title,
      homePostcode: r.home_postcode,
      employerId: r.employer_id,
      employerName: r.employer_name,
      workplaceId: r.workplace_id,
      workplaceName: r.workplace_name,
      regionName: r.region_name,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: Number(total.n),
  };
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

async function findInScope(db: Db, grant: Grant, id: number): Promise<MemberRow> {
  const row = await db
    .selectFrom("members")
    .selectAll("members")
    .where("members.id", "=", id)
    .where(memberInScope(grant))
    .executeTakeFirst();
  // Out of scope reads exactly like absent: whether a member exists is itself personal data.
  if (!row) throw new AppError("members.not_found", `No member ${id} in your scope.`);
  return row;
}

export async function getMember(ctx: Ctx, id: number): Promise<MemberDetailDto> {
  const grant = authorize(ctx.actor, "members.read");
  const row = await findInScope(ctx.db, grant, id);
  const [names, history] = await Promise.all([
    ctx.db
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
      .executeTakeFirstOrThrow(),
    employmentHistory(ctx.db, id),
  ]);
  return {
    ...memberDto(row),
    employerName: names.employer_name,
    workplaceName: names.workplace_name,
    workplaceClosedOn: names.workplace_closed_on,
    branchName: names.branch_name,
    regionName: names.region_name,
    history,
  };
}

async function employmentHistory(db: Db, memberId: number): Promise<EmploymentPeriodDto[]> {
  const rows = await db
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
  return rows.map((r) => ({
    validFrom: r.valid_from,
    validTo: r.valid_to,
    employerId: r.employer_id,
    employerName: r.employer_name,
    workplaceId: r.workplace_id,
    workplaceName: r.workplace_name,
    jobCategory: r.job_category,
  }));
}

/** The member's employer, workplace and job category as they stood on a day (null if not yet recorded). */
export async function employmentAsAt(
  db: Db,
  memberId: number,
  date: string,
): Promise<EmploymentPeriodDto | null> {
  const all = await employmentHistory(db, memberId);
  return all.find((p) => p.validFrom <= date && (p.validTo === null || p.validTo >= date)) ?? null;
}

interface Position {
  employer_id: number | null;
  workplace_id: number | null;
  branch_id: number | null;
  region_id: number | null;
}

/**
 * Checks that referenced rows exist in the union, that the workplace belongs
 * to the employer, and fills the region when none is given: from the
 * workplace, else the branch, else the employer. Returns the sector and the
 * workplace's own region, for the scope check.
 */
async function resolvePosition(
  db: Db,
  unionId: number,
  p: Position,
): Promise<{ position: Position; sectorId: number | null; workplaceRegionId: number | null }> {
  const position = { ...p };
  let sectorId: number | null = null;
  let employerRegionId: number | null = null;
  let workplaceRegionId: number | null = null;
  if (p.employer_id !== null) {
    const e = await db
      .selectFrom("employers")
      .select(["id", "sector_id", "region_id"])
      .where("id", "=", p.employer_id)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!e)
      throw new AppError("members.invalid_reference", `No employer ${p.employer_id}.`, {
        field: "employerId",
      });
    sectorId = e.sector_id;
    employerRegionId = e.region_id;
  }
  if (p.workplace_id !== null) {
    const w = await db
      .selectFrom("workplaces")
      .select(["id", "employer_id", "region_id"])
      .where("id", "=", p.workplace_id)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!w)
      throw new AppError("members.invalid_reference", `No workplace ${p.workplace_id}.`, {
        field: "workplaceId",
      });
    if (p.employer_id === null) {
      throw new AppError("workplaces.wrong_employer", "Give the member's employer with the workplace.", {
        field: "employerId",
      });
    }
    if (w.employer_id !== p.employer_id) {
      throw new AppError(
        "workplaces.wrong_employer",
        `Workplace ${p.workplace_id} belongs to another employer.`,
        { field: "workplaceId" },
      );
    }
    workplaceRegionId = w.region_id;
    if (position.region_id === null) position.region_id = w.region_id;
  }
  if (p.branch_id !== null) {
    const b = await db
      .selectFrom("branches")
      .select(["id", "region_id"])
      .where("id", "=", p.branch_id)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!b)
      throw new AppError("members.invalid_reference", `No branch ${p.branch_id}.`, { field: "branchId" });
    if (position.region_id === null) position.region_id = b.region_id;
  }
  if (position.region_id === null) position.region_id = employerRegionId;
  if (p.region_id !== null) {
    const r = await db
      .selectFrom("regions")
      .select("id")
      .where("id", "=", p.region_id)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!r)
      throw new AppError("members.invalid_reference", `No region ${p.region_id}.`, { field: "regionId" });
  }
  return { position, sectorId, workplaceRegionId };
}

/**
 * A write must leave the member where the writer can still see them: the same
 * rule reads use. The workplace's own region counts too, so a regional officer
 * cannot file a member at another region's site under their own region.
 */
function assertWritableHere(
  grant: Grant,
  position: Position,
  sectorId: number | null,
  workplaceRegionId: number | null,
): void {
  const at = { unionId: grant.unionId, sectorId, workplaceId: position.workplace_id };
  const inScope =
    rowInScope(grant, { ...at, regionId: position.region_id }) &&
    (workplaceRegionId === null || rowInScope(grant, { ...at, regionId: workplaceRegionId }));
  if (!inScope)
    throw new AppError("auth.forbidden", "That employer, workplace or region is outside your scope.");
}

function translateMemberUnique(e: unknown, number: string | undefined): never {
  if (pgErrorCode(e) === "23505") {
    throw new AppError(
      "members.duplicate_number",
      `Membership number ${number} is already used in this union.`,
      {
        field: "membershipNumber",
      },
    );
  }
  throw e;
}

export async function createMember(ctx: Ctx, input: CreateMemberInput): Promise<MemberDto> {
  const grant = authorize(ctx.actor, "members.write");
  return withTx(ctx.db, async (tx) => {
    const { position, sectorId, workplaceRegionId } = await resolvePosition(tx, grant.unionId, {
      employer_id: input.employerId ?? null,
      workplace_id: input.workplaceId ?? null,
      branch_id: input.branchId ?? null,
      region_id: input.regionId ?? null,
    });
    assertWritableHere(grant, position, sectorId, workplaceRegionId);
    const now = ctx.clock.now();
    const row = await tx
      .insertInto("members")
      .values({
        ...memberValues(input),
        ...position,
        membership_number: input.membershipNumber,
        forenames: input.forenames,
        surname: input.surname,
        status: input.status,
        in_arrears: input.inArrears,
        check_off: input.checkOff,
        consent_email: input.consentEmail,
        consent_sms: input.consentSms,
        union_id: grant.unionId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((e) => translateMemberUnique(e, input.membershipNumber));
    await tx
      .insertInto("member_history")
      .values({
        union_id: grant.unionId,
        member_id: row.id,
        valid_from: input.joinedOn ?? ukDate(now),
        employer_id: row.employer_id,
        workplace_id: row.workplace_id,
        job_category: row.job_category,
      })
      .execute();
    await recordAudit({ ...ctx, db: tx }, "member.created", { subjectType: "member", subjectId: row.id });
    return memberDto(row);
  });
}

export async function updateMember(ctx: Ctx, id: number, input: UpdateMemberInput): Promise<MemberDto> {
  const grant = authorize(ctx.actor, "members.write");
  return withTx(ctx.db, async (tx) => {
    const before = await findInScope(tx, grant, id);
    const values = memberValues(input);
    const fields = changedFields(before as Record<string, unknown>, values);
    if (fields.length === 0) return memberDto(before);
    const touchesPosition = fields.some((f) =>
      ["employer_id", "workplace_id", "branch_id", "region_id"].includes(f),
    );
    if (touchesPosition) {
      const moved = {
        employer_id: values.employer_id !== undefined ? values.employer_id : before.employer_id,
        workplace_id: values.workplace_id !== undefined ? values.workplace_id : before.workplace_id,
        branch_id: values.branch_id !== undefined ? values.branch_id : before.branch_id,
        region_id: values.region_id !== undefined ? values.region_id : before.region_id,
      };
      // A move of employer without a new workplace leaves the old site behind.
      if (
        values.employer_id !== undefined &&
        values.workplace_id === undefined &&
        values.employer_id !== before.employer_id
      ) {
        moved.workplace_id = null;
      }
      // The region follows the new position, as on create, unless one is given: a region
      // kept from the old workplace would file the member under the wrong officer.
      if (values.region_id === undefined) moved.region_id = null;
      const { position, sectorId, workplaceRegionId } = await resolvePosition(tx, grant.unionId, moved);
      assertWritableHere(grant, position, sectorId, workplaceRegionId);
      Object.assign(values, position);
    }
    const now = ctx.clock.now();
    const row = await tx
      .updateTable("members")
      .set({ ...values, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((e) => translateMemberUnique(e, input.membershipNumber));
    const allChanged = changedFields(before as Record<string, unknown>, values);
    if (HISTORY_FIELDS.some((f) => allChanged.includes(f))) {
      await recordEmploymentChanges(tx, [row.id], input.effectiveFrom ?? ukDate(now));
    }
    await recordAudit({ ...ctx, db: tx }, "member.updated", {
      subjectType: "member",
      subjectId: id,
      details: { fields: allChanged, effectiveFrom: input.effectiveFrom ?? null },
    });
    return memberDto(row);
  });
}

export async function deleteMember(ctx: Ctx, id: number): Promise<void> {
  const grant = authorize(ctx.actor, "members.delete");
  await withTx(ctx.db, async (tx) => {
    await findInScope(tx, grant, id);
    await tx.deleteFrom("members").where("id", "=", id).execute();
    await recordAudit({ ...ctx, db: tx }, "member.deleted", { subjectType: "member", subjectId: id });
  });
}

/**
 * Counts by region, sector, employer and status, and the data-quality
 * counters, read from the maintained member_counts table in one grouping-sets
 * query (plus one for workplaces over their headcount).
 */
export async function membersSummary(ctx: Ctx): Promise<MembersSummaryDto> {
  const grant = authorize(ctx.actor, "members.summary");
  const today = ukDate(ctx.clock.now());
  const version = await countsVersion(ctx.db, grant.unionId);
  const key = `${grant.unionId}|${JSON.stringify(grant.rows)}|${grant.view}|${today}`;
  return cachedByVersion(ctx.db, key, version, () => computeSummary(ctx, grant, today));
}

/**
 * The summary as the JSON text sent to the browser, cached with the summary:
 * dashboards poll it, and serialising thousands of employer rows on every
 * request would cost more than reading them. Checked against the schema once.
 */
export async function membersSummaryJson(ctx: Ctx): Promise<string> {
  const grant = authorize(ctx.actor, "members.summary");
  const today = ukDate(ctx.clock.now());
  const version = await countsVersion(ctx.db, grant.unionId);
  const key = `json|${grant.unionId}|${JSON.stringify(grant.rows)}|${grant.view}|${today}`;
  return cachedByVersion(ctx.db, key, version, async () =>
    JSON.stringify(MembersSummaryDto.parse(await computeSummary(ctx, grant, today))),
  );
}

async function computeSummary(ctx: Ctx, grant: Grant, today: string): Promise<MembersSummaryDto> {
  const base = ctx.db
    .selectFrom("member_counts")
    .leftJoin("employers", "employers.id", "member_counts.employer_id")
    .leftJoin("workplaces", "workplaces.id", "member_counts.workplace_id")
    .leftJoin("regions", "regions.id", "member_counts.region_id")
    .leftJoin("sectors", "sectors.id", "employers.sector_id")
    .where(countsInScope(grant));
  const active = sql`member_counts.status = 'active'`;
  const [groups, over] = await Promise.all([
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
    ctx.db
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
  const rowsOf = (pick: (g: (typeof groups)[number]) => boolean) => groups.filter(pick);
  const totalRow = groups.find((g) => g.g_region && g.g_sector && g.g_employer && g.g_status);
  const named = (id: number | null, name: string | null, n: number, a: number) => ({
    id,
    name: name ?? "Not recorded",
    count: Number(n),
    active: Number(a),
  });
  const byRegion = rowsOf((g) => !g.g_region)
    .map((g) => named(g.region_id, g.region_name, g.n, g.active))
    .sort((a, b) => b.count - a.count);
  const bySector = rowsOf((g) => !g.g_sector)
    .map((g) => named(g.sector_id, g.sector_name, g.n, g.active))
    .sort((a, b) => b.count - a.count);
  const employers = rowsOf((g) => !g.g_employer && g.employer_id !== null);
  const counts = grant.view !== "aggregate";
  return {
    view: counts ? "counts" : "aggregate",
    total: Number(totalRow?.n ?? 0),
    active: Number(totalRow?.active ?? 0),
    byStatus: rowsOf((g) => !g.g_status).map((g) => ({
      status: g.status as MemberStatus,
      count: Number(g.n),
    })),
    byRegion,
    bySector,
    topEmployers: counts
      ? employers
          .map((g) => named(g.employer_id, g.employer_name, g.n, g.active))
          .sort((a, b) => b.count - a.count)
          .slice(0, 15)
      : null,
    employersWithMembers: counts ? employers.filter((g) => Number(g.n) > 0).length : null,
    quality: {
      noHomeAddress: Number(totalRow?.no_address ?? 0),
      noWorkplace: Number(totalRow?.no_workplace ?? 0),
      noEmployer: Number(totalRow?.no_employer ?? 0),
      inArrears: Number(totalRow?.arrears ?? 0),
      atClosedWorkplaces: Number(totalRow?.closed ?? 0),
      workplacesOverHeadcount: Number(over.n),
    },
  };
}
