import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize, countsInScope, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { bumpCountsVersion } from "../counts/index.js";
import type { Db, EmployersTable, WorkplacesTable } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { deleteAudited } from "../records.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import { changedFields } from "../shared/fields.js";
import { likePrefix, type Page } from "../shared/paging.js";
import type {
  CreateEmployerInput,
  CreateWorkplaceInput,
  EmployerDetailDto,
  EmployerDto,
  EmployerListItemDto,
  EmployerListQuery,
  UpdateEmployerInput,
  UpdateWorkplaceInput,
  WorkplaceDto,
  WorkplaceListItemDto,
  WorkplaceListQuery,
} from "./registers.model.js";

/**
 * Employers and their workplaces. Register facts (names, codes, sites) are not
 * personal data, so every role that may read the organisation sees them; the
 * member counts beside them are limited to the reader's scope.
 */

type EmployerRow = {
  [K in keyof EmployersTable]: EmployersTable[K] extends { __select__: infer S } ? S : EmployersTable[K];
};
type WorkplaceRow = {
  [K in keyof WorkplacesTable]: WorkplacesTable[K] extends { __select__: infer S } ? S : WorkplacesTable[K];
};

function employerDto(r: EmployerRow): EmployerDto {
  return {
    id: r.id,
    name: r.name,
    odsCode: r.ods_code,
    dfeUrn: r.dfe_urn,
    gssCode: r.gss_code,
    companiesHouseNumber: r.companies_house_number,
    sectorId: r.sector_id,
    regionId: r.region_id,
    nation: r.nation as EmployerDto["nation"],
    importantPublicService: r.important_public_service as EmployerDto["importantPublicService"],
    devolvedWelshAuthority: r.devolved_welsh_authority,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    parentId: r.parent_id,
  };
}

function employerValues(input: UpdateEmployerInput) {
  return {
    name: input.name,
    ods_code: input.odsCode,
    dfe_urn: input.dfeUrn,
    gss_code: input.gssCode,
    companies_house_number: input.companiesHouseNumber,
    sector_id: input.sectorId,
    region_id: input.regionId,
    nation: input.nation,
    important_public_service: input.importantPublicService,
    devolved_welsh_authority: input.devolvedWelshAuthority,
    opened_on: input.openedOn,
    closed_on: input.closedOn,
    parent_id: input.parentId,
  };
}

function workplaceDto(r: WorkplaceRow): WorkplaceDto {
  return {
    id: r.id,
    employerId: r.employer_id,
    regionId: r.region_id,
    siteCode: r.site_code,
    name: r.name,
    address: r.address,
    postcode: r.postcode,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    headcount: r.headcount,
    headcountOn: r.headcount_on,
    headcountSource: r.headcount_source,
  };
}

function workplaceValues(input: UpdateWorkplaceInput) {
  return {
    employer_id: input.employerId,
    region_id: input.regionId,
    site_code: input.siteCode,
    name: input.name,
    address: input.address,
    postcode: input.postcode,
    opened_on: input.openedOn,
    closed_on: input.closedOn,
    headcount: input.headcount,
    headcount_on: input.headcountOn,
    headcount_source: input.headcountSource,
  };
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Member counts per employer (or workplace) in the grant's scope, from the maintained counts. */
function countsBy(db: Db, grant: Grant, column: "employer_id" | "workplace_id") {
  return db
    .selectFrom("member_counts")
    .where(countsInScope(grant))
    .select([
      `member_counts.${column} as key`,
      sql<number>`sum(member_counts.n)::int`.as("n"),
      sql<number>`coalesce(sum(member_counts.n) filter (where member_counts.status = 'active'), 0)::int`.as(
        "active",
      ),
    ])
    .groupBy(`member_counts.${column}`);
}

export async function listEmployers(ctx: Ctx, query: EmployerListQuery): Promise<Page<EmployerListItemDto>> {
  const grant = authorize(ctx.actor, "org.read");
  let q = ctx.db
    .selectFrom("employers")
    .leftJoin("sectors", "sectors.id", "employers.sector_id")
    .leftJoin("regions", "regions.id", "employers.region_id")
    .leftJoin(countsBy(ctx.db, grant, "employer_id").as("mc"), "mc.key", "employers.id")
    .where("employers.union_id", "=", grant.unionId);
  if (query.search) {
    const term = query.search;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["employers.name"]), "like", `%${likePrefix(term.toLowerCase())}`),
        eb("employers.ods_code", "=", term.toUpperCase()),
        eb("employers.gss_code", "=", term.toUpperCase()),
        eb("employers.dfe_urn", "=", term),
        eb("employers.companies_house_number", "=", term.toUpperCase()),
      ]),
    );
  }
  if (query.sectorId) q = q.where("employers.sector_id", "=", query.sectorId);
  if (query.regionId) q = q.where("employers.region_id", "=", query.regionId);
  // A scoped role (region, sector, workplaces) can act only where it has members: the other
  // employers on the register are noise to it (a rep would page through hundreds at 0).
  if (query.withMembers || grant.rows.kind !== "all") q = q.where("mc.n", ">", 0);
  const [rows, total] = await Promise.all([
    q
      .selectAll("employers")
      .select([
        "sectors.name as sector_name",
        "regions.name as region_name",
        sql<number>`coalesce(mc.n, 0)`.as("member_count"),
        sql<number>`coalesce(mc.active, 0)`.as("active_member_count"),
        (eb) =>
          eb
            .selectFrom("workplaces")
            .select((e) => e.fn.countAll<number>().as("c"))
            .whereRef("workplaces.employer_id", "=", "employers.id")
            .as("workplace_count"),
      ])
      .orderBy("employers.name")
      .orderBy("employers.id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      ...employerDto(r),
      sectorName: r.sector_name,
      regionName: r.region_name,
      workplaceCount: Number(r.workplace_count ?? 0),
      memberCount: Number(r.member_count),
      activeMemberCount: Number(r.active_member_count),
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: Number(total.n),
  };
}

export async function getEmployer(ctx: Ctx, id: number): Promise<EmployerDetailDto> {
  const grant = authorize(ctx.actor, "org.read");
  const row = await ctx.db
    .selectFrom("employers")
    .leftJoin("sectors", "sectors.id", "employers.sector_id")
    .leftJoin("regions", "regions.id", "employers.region_id")
    .selectAll("employers")
    .select(["sectors.name as sector_name", "regions.name as region_name"])
    .where("employers.union_id", "=", grant.unionId)
    .where("employers.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new AppError("employers.not_found", `No employer ${id}.`);
  const workplaces = await listWorkplaces(ctx, { employerId: id, page: 1, pageSize: 500 });
  const counts = await countsBy(ctx.db, grant, "workplace_id")
    .where("member_counts.employer_id", "=", id)
    .execute();
  const memberCount = counts.reduce((s, c) => s + Number(c.n), 0);
  const activeMemberCount = counts.reduce((s, c) => s + Number(c.active), 0);
  const without = counts.find((c) => c.key === null);
  return {
    ...employerDto(row),
    sectorName: row.sector_name,
    regionName: row.region_name,
    workplaceCount: workplaces.total,
    memberCount,
    activeMemberCount,
    workplaces: workplaces.items,
    membersWithoutWorkplace: without ? Number(without.n) : 0,
  };
}

async function checkEmployerRefs(db: Db, unionId: number, input: UpdateEmployerInput): Promise<void> {
  const checks: Array<[string, "sectors" | "regions" | "employers", number | null | undefined]> = [
    ["sector", "sectors", input.sectorId],
    ["region", "regions", input.regionId],
    ["parent employer", "employers", input.parentId],
  ];
  for (const [label, table, id] of checks) {
    if (id === null || id === undefined) continue;
    const found = await db
      .selectFrom(table)
      .select("id")
      .where("id", "=", id)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!found) throw new AppError("employers.not_found", `No ${label} ${id}.`, { field: label });
  }
}

function translateEmployerUnique(e: unknown): never {
  if (pgErrorCode(e) === "23505") {
    throw new AppError(
      "employers.duplicate_code",
      "Another employer already has this register code (ODS, URN, GSS or Companies House).",
    );
  }
  throw e;
}

export async function createEmployer(ctx: Ctx, input: CreateEmployerInput): Promise<EmployerDto> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    await checkEmployerRefs(tx, grant.unionId, input);
    const row = await tx
      .insertInto("employers")
      .values({ ...defined(employerValues(input)), name: input.name, union_id: grant.unionId })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(translateEmployerUnique);
    await recordAudit({ ...ctx, db: tx }, "employer.created", { subjectType: "employer", subjectId: row.id });
    return employerDto(row);
  });
}

export async function updateEmployer(ctx: Ctx, id: number, input: UpdateEmployerInput): Promise<EmployerDto> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    const before = await tx
      .selectFrom("employers")
      .selectAll()
      .where("union_id", "=", grant.unionId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!before) throw new AppError("employers.not_found", `No employer ${id}.`);
    if (input.parentId === id)
      throw new AppError("request.invalid", "An employer cannot be its own parent.", { field: "parentId" });
    await checkEmployerRefs(tx, grant.unionId, input);
    const values = defined(employerValues(input));
    const fields = changedFields(before as Record<string, unknown>, values);
    if (fields.length === 0) return employerDto(before);
    const row = await tx
      .updateTable("employers")
      .set({ ...values, updated_at: ctx.clock.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(translateEmployerUnique);
    await bumpCountsVersion(tx, grant.unionId);
    await recordAudit({ ...ctx, db: tx }, "employer.updated", {
      subjectType: "employer",
      subjectId: id,
      details: { fields },
    });
    return employerDto(row);
  });
}

export async function deleteEmployer(ctx: Ctx, id: number): Promise<void> {
  const grant = authorize(ctx.actor, "org.write");
  await deleteAudited(ctx, "employers", grant.unionId, id, {
    event: "employer.deleted",
    subjectType: "employer",
    notFound: () => new AppError("employers.not_found", `No employer ${id}.`),
    inUse: () =>
      new AppError(
        "org.in_use",
        `Employer ${id} still has workplaces or members; close it (closedOn) instead.`,
      ),
  });
}

/** Workplaces of the union with their employer's name and member counts in the reader's scope. */
function workplacesWithCounts(db: Db, grant: Grant) {
  return db
    .selectFrom("workplaces")
    .innerJoin("employers", "employers.id", "workplaces.employer_id")
    .leftJoin(countsBy(db, grant, "workplace_id").as("mc"), "mc.key", "workplaces.id")
    .where("workplaces.union_id", "=", grant.unionId);
}

function selectWorkplaceItem<Q extends ReturnType<typeof workplacesWithCounts>>(q: Q) {
  return q
    .selectAll("workplaces")
    .select([
      "employers.name as employer_name",
      sql<number>`coalesce(mc.n, 0)`.as("member_count"),
      sql<number>`coalesce(mc.active, 0)`.as("active_member_count"),
    ]);
}

function workplaceItem(
  r: Awaited<ReturnType<ReturnType<typeof selectWorkplaceItem>["execute"]>>[number],
): WorkplaceListItemDto {
  return {
    ...workplaceDto(r),
    employerName: r.employer_name,
    memberCount: Number(r.member_count),
    activeMemberCount: Number(r.active_member_count),
  };
}

export async function listWorkplaces(
  ctx: Ctx,
  query: WorkplaceListQuery,
): Promise<Page<WorkplaceListItemDto>> {
  const grant = authorize(ctx.actor, "org.read");
  let q = workplacesWithCounts(ctx.db, grant);
  if (query.employerId) q = q.where("workplaces.employer_id", "=", query.employerId);
  if (query.regionId) q = q.where("workplaces.region_id", "=", query.regionId);
  if (query.search) {
    const term = query.search;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["workplaces.name"]), "like", `%${likePrefix(term.toLowerCase())}`),
        eb("workplaces.site_code", "=", term.toUpperCase()),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    selectWorkplaceItem(q)
      .orderBy("workplaces.name")
      .orderBy("workplaces.id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map(workplaceItem),
    page: query.page,
    pageSize: query.pageSize,
    total: Number(total.n),
  };
}

export async function getWorkplace(ctx: Ctx, id: number): Promise<WorkplaceListItemDto> {
  const grant = authorize(ctx.actor, "org.read");
  const row = await selectWorkplaceItem(
    workplacesWithCounts(ctx.db, grant).where("workplaces.id", "=", id),
  ).executeTakeFirst();
  if (!row) throw new AppError("workplaces.not_found", `No workplace ${id}.`);
  return workplaceItem(row);
}

async function checkWorkplaceRefs(db: Db, unionId: number, input: UpdateWorkplaceInput): Promise<void> {
  if (input.employerId !== undefined) {
    const e = await db
      .selectFrom("employers")
      .select("id")
      .where("id", "=", input.employerId)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!e)
      throw new AppError("employers.not_found", `No employer ${input.employerId}.`, { field: "employerId" });
  }
  if (input.regionId !== undefined && input.regionId !== null) {
    const r = await db
      .selectFrom("regions")
      .select("id")
      .where("id", "=", input.regionId)
      .where("union_id", "=", unionId)
      .executeTakeFirst();
    if (!r) throw new AppError("org.not_found", `No region ${input.regionId}.`, { field: "regionId" });
  }
}

function translateWorkplaceUnique(e: unknown): never {
  if (pgErrorCode(e) === "23505")
    throw new AppError("org.duplicate_code", "Another workplace already has this site code.");
  throw e;
}

export async function createWorkplace(ctx: Ctx, input: CreateWorkplaceInput): Promise<WorkplaceDto> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    await checkWorkplaceRefs(tx, grant.unionId, input);
    const row = await tx
      .insertInto("workplaces")
      .values({
        ...defined(workplaceValues(input)),
        employer_id: input.employerId,
        name: input.name,
        union_id: grant.unionId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(translateWorkplaceUnique);
    await recordAudit({ ...ctx, db: tx }, "workplace.created", {
      subjectType: "workplace",
      subjectId: row.id,
    });
    return workplaceDto(row);
  });
}

export async function updateWorkplace(
  ctx: Ctx,
  id: number,
  input: UpdateWorkplaceInput,
): Promise<WorkplaceDto> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    const before = await tx
      .selectFrom("workplaces")
      .selectAll()
      .where("union_id", "=", grant.unionId)
      .where("id", "=", id)
      .executeTakeFirst();
    if (!before) throw new AppError("workplaces.not_found", `No workplace ${id}.`);
    await checkWorkplaceRefs(tx, grant.unionId, input);
    const values = defined(workplaceValues(input));
    const fields = changedFields(before as Record<string, unknown>, values);
    if (fields.length === 0) return workplaceDto(before);
    const row = await tx
      .updateTable("workplaces")
      .set({ ...values, updated_at: ctx.clock.now() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(translateWorkplaceUnique);
    await bumpCountsVersion(tx, grant.unionId);
    await recordAudit({ ...ctx, db: tx }, "workplace.updated", {
      subjectType: "workplace",
      subjectId: id,
      details: { fields },
    });
    return workplaceDto(row);
  });
}

export async function deleteWorkplace(ctx: Ctx, id: number): Promise<void> {
  const grant = authorize(ctx.actor, "org.write");
  await deleteAudited(ctx, "workplaces", grant.unionId, id, {
    event: "workplace.deleted",
    subjectType: "workplace",
    notFound: () => new AppError("workplaces.not_found", `No workplace ${id}.`),
    inUse: () =>
      new AppError("org.in_use", `Workplace ${id} still has members; close it (closedOn) instead.`),
  });
}
