import { recordAudit } from "../audit/index.js";
import { authorize, type Grant, rowInScope } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { cachedByVersion, countsVersion } from "../counts/index.js";
import type { Db, MembersTable } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import { changedFields } from "../shared/fields.js";
import type { Page } from "../shared/paging.js";
import { recordEmploymentChanges } from "./member-history.store.js";
import {
  type CreateMemberInput,
  type EmploymentPeriodDto,
  type MemberDetailDto,
  type MemberDto,
  type MemberListItemDto,
  type MemberListQuery,
  type MemberStatus,
  MembersSummaryDto,
  type UpdateMemberInput,
} from "./members.model.js";
import {
  branchPlace,
  deleteMemberRow,
  employerPlace,
  employmentPeriods,
  insertMember,
  insertOpeningPeriod,
  memberPlaceNames,
  regionOfUnion,
  selectMemberInScope,
  selectMemberPage,
  summaryCounts,
  updateMemberRow,
  workplacePlace,
} from "./members.store.js";

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
  const [rows, total] = await selectMemberPage(ctx.db, grant, query, ukDate(ctx.clock.now()));
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

async function findInScope(db: Db, grant: Grant, id: number): Promise<MemberRow> {
  const row = await selectMemberInScope(db, grant, id);
  // Out of scope reads exactly like absent: whether a member exists is itself personal data.
  if (!row) throw new AppError("members.not_found", `No member ${id} in your scope.`);
  return row;
}

export async function getMember(ctx: Ctx, id: number): Promise<MemberDetailDto> {
  const grant = authorize(ctx.actor, "members.read");
  const row = await findInScope(ctx.db, grant, id);
  const [names, history] = await Promise.all([memberPlaceNames(ctx.db, id), employmentHistory(ctx.db, id)]);
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
  const rows = await employmentPeriods(db, memberId);
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
    const e = await employerPlace(db, unionId, p.employer_id);
    if (!e)
      throw new AppError("members.invalid_reference", `No employer ${p.employer_id}.`, {
        field: "employerId",
      });
    sectorId = e.sector_id;
    employerRegionId = e.region_id;
  }
  if (p.workplace_id !== null) {
    const w = await workplacePlace(db, unionId, p.workplace_id);
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
    const b = await branchPlace(db, unionId, p.branch_id);
    if (!b)
      throw new AppError("members.invalid_reference", `No branch ${p.branch_id}.`, { field: "branchId" });
    if (position.region_id === null) position.region_id = b.region_id;
  }
  if (position.region_id === null) position.region_id = employerRegionId;
  if (p.region_id !== null) {
    const r = await regionOfUnion(db, unionId, p.region_id);
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
    const row = await insertMember(tx, {
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
    }).catch((e) => translateMemberUnique(e, input.membershipNumber));
    await insertOpeningPeriod(tx, {
      union_id: grant.unionId,
      member_id: row.id,
      valid_from: input.joinedOn ?? ukDate(now),
      employer_id: row.employer_id,
      workplace_id: row.workplace_id,
      job_category: row.job_category,
    });
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
    const row = await updateMemberRow(tx, id, { ...values, updated_at: now }).catch((e) =>
      translateMemberUnique(e, input.membershipNumber),
    );
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
    await deleteMemberRow(tx, id);
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
  const [groups, over] = await summaryCounts(ctx.db, grant, today);
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
