import type { AuditEvent } from "../audit/index.js";
import { recordAudit } from "../audit/index.js";
import { authorize, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { deleteAudited } from "../records.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import type { BranchDto, Nation, RegionDto, SectorDto, UnionDto } from "./org.model.js";
import {
  insertOrgRow,
  type OrgTable,
  regionExists,
  selectOrgRow,
  selectOrgRows,
  selectUnionId,
  selectUnions,
  updateOrgRow,
  updateUnionName,
} from "./org.store.js";

/**
 * Unions, regions, sectors and branches: the union's own organisation.
 * Regions, sectors and branches share one shape (code + name + an extra
 * column or two), so one set of functions serves all three.
 */
type OrgDto = { regions: RegionDto; sectors: SectorDto; branches: BranchDto };
type OrgInput = {
  regions: { code?: string; name?: string; nation?: Nation };
  sectors: { code?: string; name?: string };
  branches: { code?: string; name?: string; regionId?: number | null };
};

const NOUN: Record<OrgTable, "region" | "sector" | "branch"> = {
  regions: "region",
  sectors: "sector",
  branches: "branch",
};

function toDto<T extends OrgTable>(table: T, row: Record<string, unknown>): OrgDto[T] {
  const base = { id: row.id as number, code: row.code as string, name: row.name as string };
  if (table === "regions") return { ...base, nation: row.nation as Nation } as OrgDto[T];
  if (table === "branches")
    return { ...base, regionId: (row.region_id as number | null) ?? null } as OrgDto[T];
  return base as OrgDto[T];
}

function toRow(input: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (input.code !== undefined) row.code = input.code;
  if (input.name !== undefined) row.name = input.name;
  if (input.nation !== undefined) row.nation = input.nation;
  if (input.regionId !== undefined) row.region_id = input.regionId;
  return row;
}

export async function listOrg<T extends OrgTable>(ctx: Ctx, table: T): Promise<OrgDto[T][]> {
  const grant = authorize(ctx.actor, "org.read");
  const rows = await selectOrgRows(ctx.db, grant, table);
  return rows.map((r) => toDto(table, r));
}

export async function getOrg<T extends OrgTable>(ctx: Ctx, table: T, id: number): Promise<OrgDto[T]> {
  const grant = authorize(ctx.actor, "org.read");
  const row = await selectOrgRow(ctx.db, grant, table, id);
  if (!row) throw new AppError("org.not_found", `No ${NOUN[table]} ${id}.`);
  return toDto(table, row);
}

export async function createOrg<T extends OrgTable>(
  ctx: Ctx,
  table: T,
  input: OrgInput[T],
): Promise<OrgDto[T]> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    await checkRegion(tx, grant, input as Record<string, unknown>);
    const row = await translateUnique(table, () => insertOrgRow(tx, grant, table, toRow(input)));
    await recordAudit({ ...ctx, db: tx }, `${NOUN[table]}.created` as AuditEvent, {
      subjectType: NOUN[table],
      subjectId: row.id,
    });
    return toDto(table, row);
  });
}

export async function updateOrg<T extends OrgTable>(
  ctx: Ctx,
  table: T,
  id: number,
  input: OrgInput[T],
): Promise<OrgDto[T]> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    await checkRegion(tx, grant, input as Record<string, unknown>);
    const values = toRow(input);
    if (Object.keys(values).length === 0) return getOrg({ ...ctx, db: tx }, table, id);
    const row = await translateUnique(table, () => updateOrgRow(tx, grant, table, id, values));
    if (!row) throw new AppError("org.not_found", `No ${NOUN[table]} ${id}.`);
    await recordAudit({ ...ctx, db: tx }, `${NOUN[table]}.updated` as AuditEvent, {
      subjectType: NOUN[table],
      subjectId: id,
      details: { fields: Object.keys(values) },
    });
    return toDto(table, row);
  });
}

export async function deleteOrg(ctx: Ctx, table: OrgTable, id: number): Promise<void> {
  const grant = authorize(ctx.actor, "org.write");
  await deleteAudited(ctx, table, grant.unionId, id, {
    event: `${NOUN[table]}.deleted` as AuditEvent,
    subjectType: NOUN[table],
    notFound: () => new AppError("org.not_found", `No ${NOUN[table]} ${id}.`),
    inUse: () =>
      new AppError("org.in_use", `The ${NOUN[table]} ${id} is still used by members, employers or users.`),
  });
}

async function checkRegion(db: Ctx["db"], grant: Grant, input: Record<string, unknown>): Promise<void> {
  const regionId = input.regionId;
  if (typeof regionId !== "number") return;
  if (!(await regionExists(db, grant, regionId)))
    throw new AppError("org.not_found", `No region ${regionId}.`);
}

async function translateUnique<R>(table: OrgTable, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (e) {
    if (pgErrorCode(e) === "23505")
      throw new AppError("org.duplicate_code", `Another ${NOUN[table]} already has this code.`);
    throw e;
  }
}

export async function listUnions(ctx: Ctx): Promise<UnionDto[]> {
  const grant = authorize(ctx.actor, "org.read");
  return selectUnions(ctx.db, grant);
}

export async function renameUnion(ctx: Ctx, id: number, name: string): Promise<UnionDto> {
  const grant = authorize(ctx.actor, "org.write");
  if (id !== grant.unionId) throw new AppError("org.not_found", `No union ${id}.`);
  return withTx(ctx.db, async (tx) => {
    const row = await updateUnionName(tx, grant, name);
    await recordAudit({ ...ctx, db: tx }, "union.updated", {
      subjectType: "union",
      subjectId: id,
      details: { fields: ["name"] },
    });
    return row;
  });
}

/** The union single-union commands act on: the one named, or the first (the default union of a fresh database). */
export async function resolveUnionId(db: Ctx["db"], slug?: string): Promise<number> {
  const id = await selectUnionId(db, slug);
  if (id === undefined) throw new Error(slug ? `No union with slug "${slug}".` : "No union in the database.");
  return id;
}
