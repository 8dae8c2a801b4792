import type { AuditEvent } from "../audit/index.js";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { deleteAudited } from "../records.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import type { BranchDto, Nation, RegionDto, SectorDto, UnionDto } from "./org.model.js";

/**
 * Unions, regions, sectors and branches: the union's own organisation.
 * Regions, sectors and branches share one shape (code + name + an extra
 * column or two), so one set of functions serves all three.
 */
type OrgTable = "regions" | "sectors" | "branches";
type OrgDto = { regions: RegionDto; sectors: SectorDto; branches: BranchDto };
type OrgInput = {
  regions: { code?: string; name?: string; nation?: Nation };
  sectors: { code?: string; name?: string };
  branches: { code?: string; name?: string; regionId?: number | null };
};

/** The three tables share id, union_id, code and name; queries are typed on that common shape. */
function common(table: OrgTable): "sectors" {
  return table as "sectors";
}

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
  const rows = await ctx.db
    .selectFrom(common(table))
    .selectAll()
    .where("union_id", "=", grant.unionId)
    .orderBy("name")
    .execute();
  return rows.map((r) => toDto(table, r as Record<string, unknown>));
}

export async function getOrg<T extends OrgTable>(ctx: Ctx, table: T, id: number): Promise<OrgDto[T]> {
  const grant = authorize(ctx.actor, "org.read");
  const row = await ctx.db
    .selectFrom(common(table))
    .selectAll()
    .where("union_id", "=", grant.unionId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new AppError("org.not_found", `No ${NOUN[table]} ${id}.`);
  return toDto(table, row as Record<string, unknown>);
}

export async function createOrg<T extends OrgTable>(
  ctx: Ctx,
  table: T,
  input: OrgInput[T],
): Promise<OrgDto[T]> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    await checkRegion(ctx, tx, input as Record<string, unknown>, grant.unionId);
    const row = await translateUnique(table, () =>
      tx
        .insertInto(common(table))
        // biome-ignore lint/suspicious/noExplicitAny: the three tables share these columns; inputs are zod-checked
        .values({ ...toRow(input), union_id: grant.unionId } as any)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    await recordAudit({ ...ctx, db: tx }, `${NOUN[table]}.created` as AuditEvent, {
      subjectType: NOUN[table],
      subjectId: row.id,
    });
    return toDto(table, row as Record<string, unknown>);
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
    await checkRegion(ctx, tx, input as Record<string, unknown>, grant.unionId);
    const values = toRow(input);
    if (Object.keys(values).length === 0) return getOrg({ ...ctx, db: tx }, table, id);
    const row = await translateUnique(table, () =>
      tx
        .updateTable(common(table))
        // biome-ignore lint/suspicious/noExplicitAny: see createOrg
        .set(values as any)
        .where("union_id", "=", grant.unionId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst(),
    );
    if (!row) throw new AppError("org.not_found", `No ${NOUN[table]} ${id}.`);
    await recordAudit({ ...ctx, db: tx }, `${NOUN[table]}.updated` as AuditEvent, {
      subjectType: NOUN[table],
      subjectId: id,
      details: { fields: Object.keys(values) },
    });
    return toDto(table, row as Record<string, unknown>);
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

async function checkRegion(
  _ctx: Ctx,
  db: Ctx["db"],
  input: Record<string, unknown>,
  unionId: number,
): Promise<void> {
  const regionId = input.regionId;
  if (typeof regionId !== "number") return;
  const found = await db
    .selectFrom("regions")
    .select("id")
    .where("id", "=", regionId)
    .where("union_id", "=", unionId)
    .executeTakeFirst();
  if (!found) throw new AppError("org.not_found", `No region ${regionId}.`);
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
  return ctx.db.selectFrom("unions").select(["id", "slug", "name"]).where("id", "=", grant.unionId).execute();
}

export async function renameUnion(ctx: Ctx, id: number, name: string): Promise<UnionDto> {
  const grant = authorize(ctx.actor, "org.write");
  if (id !== grant.unionId) throw new AppError("org.not_found", `No union ${id}.`);
  return withTx(ctx.db, async (tx) => {
    const row = await tx
      .updateTable("unions")
      .set({ name })
      .where("id", "=", id)
      .returning(["id", "slug", "name"])
      .executeTakeFirstOrThrow();
    await recordAudit({ ...ctx, db: tx }, "union.updated", {
      subjectType: "union",
      subjectId: id,
      details: { fields: ["name"] },
    });
    return row;
  });
}
