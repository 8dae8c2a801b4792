/**
 * All SQL of the union's organisation: unions, regions, sectors, branches and the union's settings.
 * Every query is bound to the union of the grant it is given.
 */
import type { Db } from "../db/database.js";

export interface UnionScope {
  unionId: number;
}

export type OrgTable = "regions" | "sectors" | "branches";

/** The three tables share id, union_id, code and name; queries are typed on that common shape. */
function common(table: OrgTable): "sectors" {
  return table as "sectors";
}

export async function selectOrgRows(db: Db, scope: UnionScope, table: OrgTable) {
  const rows = await db
    .selectFrom(common(table))
    .selectAll()
    .where("union_id", "=", scope.unionId)
    .orderBy("name")
    .execute();
  return rows as Record<string, unknown>[];
}

export async function selectOrgRow(db: Db, scope: UnionScope, table: OrgTable, id: number) {
  const row = await db
    .selectFrom(common(table))
    .selectAll()
    .where("union_id", "=", scope.unionId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row as Record<string, unknown> | undefined;
}

export async function insertOrgRow(db: Db, scope: UnionScope, table: OrgTable, row: Record<string, unknown>) {
  const inserted = await db
    .insertInto(common(table))
    // biome-ignore lint/suspicious/noExplicitAny: the three tables share these columns; inputs are zod-checked
    .values({ ...row, union_id: scope.unionId } as any)
    .returningAll()
    .executeTakeFirstOrThrow();
  return inserted as Record<string, unknown> & { id: number };
}

export async function updateOrgRow(
  db: Db,
  scope: UnionScope,
  table: OrgTable,
  id: number,
  values: Record<string, unknown>,
) {
  const row = await db
    .updateTable(common(table))
    // biome-ignore lint/suspicious/noExplicitAny: see insertOrgRow
    .set(values as any)
    .where("union_id", "=", scope.unionId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row as Record<string, unknown> | undefined;
}

export async function regionExists(db: Db, scope: UnionScope, regionId: number): Promise<boolean> {
  const found = await db
    .selectFrom("regions")
    .select("id")
    .where("id", "=", regionId)
    .where("union_id", "=", scope.unionId)
    .executeTakeFirst();
  return found !== undefined;
}

export function selectUnions(db: Db, scope: UnionScope) {
  return db.selectFrom("unions").select(["id", "slug", "name"]).where("id", "=", scope.unionId).execute();
}

export function updateUnionName(db: Db, scope: UnionScope, name: string) {
  return db
    .updateTable("unions")
    .set({ name })
    .where("id", "=", scope.unionId)
    .returning(["id", "slug", "name"])
    .executeTakeFirstOrThrow();
}

export function selectUnionName(db: Db, scope: UnionScope) {
  return db.selectFrom("unions").select("name").where("id", "=", scope.unionId).executeTakeFirst();
}

export function selectUnionSettings(db: Db, scope: UnionScope) {
  return db.selectFrom("union_settings").selectAll().where("union_id", "=", scope.unionId).executeTakeFirst();
}

export interface UnionSettingsValues {
  letter_name: string;
  address: string;
  contact: string;
  signatory_name: string;
  signatory_title: string;
  updated_at: Date;
  updated_by: number | null;
}

export async function upsertUnionSettings(db: Db, scope: UnionScope, values: UnionSettingsValues) {
  await db
    .insertInto("union_settings")
    .values({ union_id: scope.unionId, ...values })
    .onConflict((oc) => oc.column("union_id").doUpdateSet(values))
    .execute();
}

/** The union single-union commands act on: the one with this slug, or the first. */
export async function selectUnionId(db: Db, slug?: string): Promise<number | undefined> {
  let q = db.selectFrom("unions").select("id").orderBy("id").limit(1);
  if (slug) q = q.where("slug", "=", slug);
  return (await q.executeTakeFirst())?.id;
}
