/**
 * The materials library's SQL (decisions/0029), every read bound to the reader's union and reach.
 * None of these functions authorises, audits or opens a transaction.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { type BallotReach, ballotInReach } from "../ballots/index.js";
import type { Db } from "../db/database.js";

const ints = (ids: readonly number[]) => sql`${[...ids]}::int[]`;

/**
 * The material (alias m) is meant for readers with this reach: its regions and sectors (empty: all)
 * meet the reader's, and its ballot, if any, is one the reader reaches. A regional officer is matched
 * on regions, a sector officer on sectors, a rep on the regions and sectors of their workplaces.
 */
export function materialInReach(reach: BallotReach): RawBuilder<SqlBool> {
  const rows = reach.grant.rows;
  const regions = (r: RawBuilder<unknown>) =>
    sql<SqlBool>`(cardinality(m.region_ids) = 0 or m.region_ids && ${r})`;
  const sectors = (s: RawBuilder<unknown>) =>
    sql<SqlBool>`(cardinality(m.sector_ids) = 0 or m.sector_ids && ${s})`;
  let audience: RawBuilder<SqlBool>;
  switch (rows.kind) {
    case "all":
      audience = sql<SqlBool>`true`;
      break;
    case "regions":
      audience = regions(ints(rows.ids));
      break;
    case "sectors":
      audience = sectors(ints(rows.ids));
      break;
    case "workplaces": {
      const w = ints(rows.ids);
      audience = sql<SqlBool>`(${regions(
        sql`array(select wr.region_id from workplaces wr where wr.id = any(${w}) and wr.region_id is not null)`,
      )} and ${sectors(
        sql`array(select e.sector_id from workplaces ws join employers e on e.id = ws.employer_id
          where ws.id = any(${w}) and e.sector_id is not null)`,
      )})`;
      break;
    }
  }
  return sql<SqlBool>`(m.union_id = ${reach.grant.unionId} and ${audience}
    and (m.ballot_id is null or ${ballotInReach(reach, "m.ballot_id")}))`;
}

/**
 * Which versions (alias v) the reader sees: approved ones to everyone the material is meant for;
 * drafts, superseded and withdrawn ones only to whoever uploaded them or wrote the material, and to
 * approvers.
 */
function versionVisible(userId: number | null, approver: boolean): RawBuilder<SqlBool> {
  if (approver) return sql<SqlBool>`true`;
  return sql<SqlBool>`(v.state = 'approved' or (${userId}::int is not null
    and (v.created_by = ${userId}::int or m.created_by = ${userId}::int)))`;
}

export interface MaterialQuery {
  reach: BallotReach;
  userId: number | null;
  approver: boolean;
  kind?: string;
  state: "approved" | "draft" | "withdrawn" | "any";
  regionId?: number;
  sectorId?: number;
  ballotId?: number;
  q?: string;
  /** One material only. */
  id?: number;
  limit: number;
}

/** The materials the reader reaches with at least one version they may see, newest first. */
export async function selectMaterials(db: Db, p: MaterialQuery) {
  const visible = versionVisible(p.userId, p.approver);
  const stateFilter =
    p.state === "any"
      ? sql<SqlBool>`true`
      : p.state === "withdrawn"
        ? sql<SqlBool>`v.state in ('withdrawn', 'superseded')`
        : sql<SqlBool>`v.state = ${p.state}`;
  // A material without any version yet is listed to its author and approvers when drafts are asked
  // for: they upload its first version there.
  const author = p.approver
    ? sql<SqlBool>`true`
    : p.userId === null
      ? sql<SqlBool>`false`
      : sql<SqlBool>`m.created_by = ${p.userId}::int`;
  const emptyShown =
    p.state === "any" || p.state === "draft"
      ? sql<SqlBool>`(${author} and not exists (select 1 from material_versions v where v.material_id = m.id))`
      : sql<SqlBool>`false`;
  const q = p.q ? `%${p.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const r = await sql<{
    id: number;
    title: string;
    kind: string;
    description: string;
    region_ids: number[];
    sector_ids: number[];
    ballot_id: number | null;
    ballot_name: string | null;
    created_by: number | null;
    created_at: Date;
  }>`
    select m.id, m.title, m.kind, m.description, m.region_ids, m.sector_ids, m.ballot_id,
      b.name as ballot_name, m.created_by, m.created_at
    from materials m left join ballots b on b.id = m.ballot_id
    where ${materialInReach(p.reach)}
      ${p.id === undefined ? sql`` : sql`and m.id = ${p.id}`}
      ${p.kind === undefined ? sql`` : sql`and m.kind = ${p.kind}`}
      ${p.regionId === undefined ? sql`` : sql`and (cardinality(m.region_ids) = 0 or ${p.regionId}::int = any(m.region_ids))`}
      ${p.sectorId === undefined ? sql`` : sql`and (cardinality(m.sector_ids) = 0 or ${p.sectorId}::int = any(m.sector_ids))`}
      ${p.ballotId === undefined ? sql`` : sql`and m.ballot_id = ${p.ballotId}`}
      ${q === null ? sql`` : sql`and (m.title ilike ${q} or m.description ilike ${q})`}
      and (exists (select 1 from material_versions v where v.material_id = m.id and ${visible} and ${stateFilter})
        or ${emptyShown})
    order by m.created_at desc, m.id desc
    limit ${p.limit}`.execute(db);
  return r.rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** The versions of these materials the reader may see, without their bytes. */
export async function selectVersions(
  db: Db,
  p: { materialIds: number[]; userId: number | null; approver: boolean },
) {
  if (!p.materialIds.length) return [];
  const r = await sql<{
    id: number;
    material_id: number;
    language: string;
    version: number;
    file_name: string;
    content_type: string;
    bytes: number;
    sha256: string;
    note: string;
    state: string;
    created_by_name: string | null;
    created_at: Date;
    approved_by_name: string | null;
    approved_at: Date | null;
    withdrawn_by_name: string | null;
    withdrawn_at: Date | null;
    withdrawn_reason: string | null;
  }>`
    select v.id, v.material_id, v.language, v.version, v.file_name, v.content_type, v.bytes, v.sha256,
      v.note, v.state, cu.display_name as created_by_name, v.created_at, au.display_name as approved_by_name,
      v.approved_at, wu.display_name as withdrawn_by_name, v.withdrawn_at, v.withdrawn_reason
    from material_versions v join materials m on m.id = v.material_id
      left join users cu on cu.id = v.created_by
      left join users au on au.id = v.approved_by
      left join users wu on wu.id = v.withdrawn_by
    where v.material_id = any(${ints(p.materialIds)}) and ${versionVisible(p.userId, p.approver)}
    order by v.material_id, v.language, v.version desc`.execute(db);
  return r.rows;
}

/** A material's row by id inside the reader's reach (for writes: the audience is checked by the service). */
export async function selectMaterialRow(db: Db, reach: BallotReach, id: number) {
  const r = await sql<{
    id: number;
    union_id: number;
    region_ids: number[];
    sector_ids: number[];
    ballot_id: number | null;
    created_by: number | null;
  }>`select m.id, m.union_id, m.region_ids, m.sector_ids, m.ballot_id, m.created_by
     from materials m where m.id = ${id} and ${materialInReach(reach)}`.execute(db);
  return r.rows[0];
}

/** One version with its material, inside the reader's reach, and whether the reader may see it. */
export async function selectVersionRow(
  db: Db,
  p: {
    reach: BallotReach;
    userId: number | null;
    approver: boolean;
    versionId: number;
    withContent: boolean;
  },
) {
  const r = await sql<{
    id: number;
    material_id: number;
    language: string;
    version: number;
    file_name: string;
    content_type: string;
    sha256: string;
    bytes: number;
    state: string;
    created_by: number | null;
    material_created_by: number | null;
    region_ids: number[];
    sector_ids: number[];
    content: Uint8Array | null;
  }>`
    select v.id, v.material_id, v.language, v.version, v.file_name, v.content_type, v.sha256, v.bytes, v.state,
      v.created_by, m.created_by as material_created_by, m.region_ids, m.sector_ids,
      ${p.withContent ? sql`v.content` : sql`null::bytea`} as content
    from material_versions v join materials m on m.id = v.material_id
    where v.id = ${p.versionId} and ${materialInReach(p.reach)} and ${versionVisible(p.userId, p.approver)}`.execute(
    db,
  );
  return r.rows[0];
}

/** Regions and sectors of the union among these ids (the ones that exist). */
export async function selectOrgNames(db: Db, unionId: number, regionIds: number[], sectorIds: number[]) {
  const regions = regionIds.length
    ? await db
        .selectFrom("regions")
        .select(["id", "name"])
        .where("union_id", "=", unionId)
        .where("id", "in", regionIds)
        .execute()
    : [];
  const sectors = sectorIds.length
    ? await db
        .selectFrom("sectors")
        .select(["id", "name"])
        .where("union_id", "=", unionId)
        .where("id", "in", sectorIds)
        .execute()
    : [];
  return { regions, sectors };
}

export async function insertMaterial(
  db: Db,
  row: {
    unionId: number;
    title: string;
    kind: string;
    description: string;
    regionIds: number[];
    sectorIds: number[];
    ballotId: number | null;
    createdBy: number | null;
    now: Date;
  },
) {
  return db
    .insertInto("materials")
    .values({
      union_id: row.unionId,
      title: row.title,
      kind: row.kind,
      description: row.description,
      region_ids: row.regionIds,
      sector_ids: row.sectorIds,
      ballot_id: row.ballotId,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function insertVersion(
  tx: Db,
  row: {
    materialId: number;
    language: string;
    fileName: string;
    contentType: string;
    content: Buffer;
    sha256: string;
    note: string;
    createdBy: number | null;
    now: Date;
  },
) {
  // One version number at a time per material.
  await tx.selectFrom("materials").select("id").where("id", "=", row.materialId).forUpdate().execute();
  const last = await tx
    .selectFrom("material_versions")
    .select(sql<number>`coalesce(max(version), 0)::int`.as("v"))
    .where("material_id", "=", row.materialId)
    .where("language", "=", row.language)
    .executeTakeFirstOrThrow();
  return tx
    .insertInto("material_versions")
    .values({
      material_id: row.materialId,
      language: row.language,
      version: Number(last.v) + 1,
      file_name: row.fileName,
      content_type: row.contentType,
      bytes: row.content.length,
      sha256: row.sha256,
      content: row.content,
      note: row.note,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning(["id", "version"])
    .executeTakeFirstOrThrow();
}

/**
 * Approves a draft; the language's approved version before it is superseded. False when the version
 * was no longer a draft (someone approved or withdrew it first).
 */
export async function approveVersion(
  tx: Db,
  v: { id: number; materialId: number; language: string; by: number | null; now: Date },
): Promise<boolean> {
  await tx.selectFrom("materials").select("id").where("id", "=", v.materialId).forUpdate().execute();
  await tx
    .updateTable("material_versions")
    .set({ state: "superseded" })
    .where("material_id", "=", v.materialId)
    .where("language", "=", v.language)
    .where("state", "=", "approved")
    .execute();
  const r = await tx
    .updateTable("material_versions")
    .set({ state: "approved", approved_by: v.by, approved_at: v.now })
    .where("id", "=", v.id)
    .where("state", "=", "draft")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Withdraws a draft or approved version; false when it was already superseded or withdrawn. */
export async function withdrawVersion(
  tx: Db,
  v: { id: number; by: number | null; reason: string; now: Date },
): Promise<boolean> {
  const r = await tx
    .updateTable("material_versions")
    .set({ state: "withdrawn", withdrawn_by: v.by, withdrawn_at: v.now, withdrawn_reason: v.reason })
    .where("id", "=", v.id)
    .where("state", "in", ["draft", "approved"])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
