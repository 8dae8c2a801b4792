import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { bumpCountsVersion } from "../counts/index.js";
import type { Db, EmployersTable, WorkplacesTable } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { deleteAudited } from "../records.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import { changedFields } from "../shared/fields.js";
import type { Page } from "../shared/paging.js";
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
import {
  insertEmployer,
  insertWorkplace,
  rowExists,
  selectEmployer,
  selectEmployerCountsByWorkplace,
  selectEmployerPage,
  selectEmployerWithNames,
  selectWorkplace,
  type selectWorkplaceItem,
  selectWorkplacePage,
  selectWorkplaceWithCounts,
  updateEmployerRow,
  updateWorkplaceRow,
} from "./registers.store.js";

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

export async function listEmployers(ctx: Ctx, query: EmployerListQuery): Promise<Page<EmployerListItemDto>> {
  const grant = authorize(ctx.actor, "org.read");
  const { rows, total } = await selectEmployerPage(ctx.db, grant, query);
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
    total,
  };
}

export async function getEmployer(ctx: Ctx, id: number): Promise<EmployerDetailDto> {
  const grant = authorize(ctx.actor, "org.read");
  const row = await selectEmployerWithNames(ctx.db, grant, id);
  if (!row) throw new AppError("employers.not_found", `No employer ${id}.`);
  const workplaces = await listWorkplaces(ctx, { employerId: id, page: 1, pageSize: 500 });
  const counts = await selectEmployerCountsByWorkplace(ctx.db, grant, id);
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
    if (!(await rowExists(db, { unionId }, table, id)))
      throw new AppError("employers.not_found", `No ${label} ${id}.`, { field: label });
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
    const row = await insertEmployer(tx, grant, {
      ...defined(employerValues(input)),
      name: input.name,
    }).catch(translateEmployerUnique);
    await recordAudit({ ...ctx, db: tx }, "employer.created", { subjectType: "employer", subjectId: row.id });
    return employerDto(row);
  });
}

export async function updateEmployer(ctx: Ctx, id: number, input: UpdateEmployerInput): Promise<EmployerDto> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    const before = await selectEmployer(tx, grant, id);
    if (!before) throw new AppError("employers.not_found", `No employer ${id}.`);
    if (input.parentId === id)
      throw new AppError("request.invalid", "An employer cannot be its own parent.", { field: "parentId" });
    await checkEmployerRefs(tx, grant.unionId, input);
    const values = defined(employerValues(input));
    const fields = changedFields(before as Record<string, unknown>, values);
    if (fields.length === 0) return employerDto(before);
    const row = await updateEmployerRow(tx, grant, id, { ...values, updated_at: ctx.clock.now() }).catch(
      translateEmployerUnique,
    );
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
  const { rows, total } = await selectWorkplacePage(ctx.db, grant, query);
  return {
    items: rows.map(workplaceItem),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

export async function getWorkplace(ctx: Ctx, id: number): Promise<WorkplaceListItemDto> {
  const grant = authorize(ctx.actor, "org.read");
  const row = await selectWorkplaceWithCounts(ctx.db, grant, id);
  if (!row) throw new AppError("workplaces.not_found", `No workplace ${id}.`);
  return workplaceItem(row);
}

async function checkWorkplaceRefs(db: Db, unionId: number, input: UpdateWorkplaceInput): Promise<void> {
  if (input.employerId !== undefined) {
    if (!(await rowExists(db, { unionId }, "employers", input.employerId)))
      throw new AppError("employers.not_found", `No employer ${input.employerId}.`, { field: "employerId" });
  }
  if (input.regionId !== undefined && input.regionId !== null) {
    if (!(await rowExists(db, { unionId }, "regions", input.regionId)))
      throw new AppError("org.not_found", `No region ${input.regionId}.`, { field: "regionId" });
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
    const row = await insertWorkplace(tx, grant, {
      ...defined(workplaceValues(input)),
      employer_id: input.employerId,
      name: input.name,
    }).catch(translateWorkplaceUnique);
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
    const before = await selectWorkplace(tx, grant, id);
    if (!before) throw new AppError("workplaces.not_found", `No workplace ${id}.`);
    await checkWorkplaceRefs(tx, grant.unionId, input);
    const values = defined(workplaceValues(input));
    const fields = changedFields(before as Record<string, unknown>, values);
    if (fields.length === 0) return workplaceDto(before);
    const row = await updateWorkplaceRow(tx, grant, id, { ...values, updated_at: ctx.clock.now() }).catch(
      translateWorkplaceUnique,
    );
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
