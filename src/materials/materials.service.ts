/**
 * The materials library (decisions/0029): materials with an audience, versions per language uploaded
 * as files (their type found from their bytes), approved by national officers, withdrawn, listed and
 * downloaded by officers and reps inside their reach. Every change and every download is audited.
 */
import { createHash } from "node:crypto";
import { recordAudit } from "../audit/index.js";
import { type Actor, authorize, can, type Grant } from "../auth/index.js";
import { ballotReach, getBallot } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { detectMaterialType, downloadName, type MATERIAL_TYPES } from "./file-type.js";
import {
  MAX_MATERIAL_BYTES,
  type MaterialDto,
  type MaterialFilters,
  MaterialFilters as MaterialFiltersSchema,
  type MaterialInput,
  MaterialInput as MaterialInputSchema,
  type MaterialKind,
  type MaterialLanguage,
  type MaterialVersionDto,
  type VersionState,
} from "./materials.model.js";
import {
  approveVersion,
  insertMaterial,
  insertVersion,
  selectMaterialRow,
  selectMaterials,
  selectOrgNames,
  selectVersionRow,
  selectVersions,
  withdrawVersion,
} from "./materials.store.js";

const notFound = (what: string, id: number) =>
  new AppError("materials.not_found", `No such ${what} (${id}) among the materials you may see.`);

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Who the reader is to the library: their reach, and whether they approve. */
function readerOf(ctx: Ctx) {
  const grant = authorize(ctx.actor, "materials.read");
  return {
    grant,
    reach: ballotReach(ctx.actor, grant),
    userId: ctx.actor.userId,
    approver: can(ctx.actor, "materials.approve"),
  };
}

/**
 * Whether a writer's reach holds the whole audience: national officers write for anyone; a regional
 * officer only for named regions of theirs, a sector officer for named sectors of theirs, so a
 * material never reaches people beyond its author's own.
 */
function audienceWithin(grant: Grant, regionIds: readonly number[], sectorIds: readonly number[]): boolean {
  const rows = grant.rows;
  switch (rows.kind) {
    case "all":
      return true;
    case "regions":
      return regionIds.length > 0 && regionIds.every((id) => rows.ids.includes(id));
    case "sectors":
      return sectorIds.length > 0 && sectorIds.every((id) => rows.ids.includes(id));
    case "workplaces":
      return false;
  }
}

export async function createMaterial(ctx: Ctx, given: MaterialInput): Promise<MaterialDto> {
  const grant = authorize(ctx.actor, "materials.write");
  const input = MaterialInputSchema.parse(given);
  const regionIds = [...new Set(input.regionIds)].sort((a, b) => a - b);
  const sectorIds = [...new Set(input.sectorIds)].sort((a, b) => a - b);
  const known = await selectOrgNames(ctx.db, grant.unionId, regionIds, sectorIds);
  if (known.regions.length !== regionIds.length || known.sectors.length !== sectorIds.length) {
    throw new AppError("materials.invalid_audience", "A region or sector of the audience does not exist.");
  }
  if (!audienceWithin(grant, regionIds, sectorIds)) {
    throw new AppError(
      "materials.invalid_audience",
      grant.rows.kind === "regions"
        ? "Name the regions the material is for: only your own."
        : "Name the sectors the material is for: only your own.",
    );
  }
  if (input.ballotId !== null) {
    try {
      await getBallot(ctx, input.ballotId);
    } catch (e) {
      if (e instanceof AppError && e.status === 404) {
        throw new AppError("materials.invalid_audience", `No such ballot (${input.ballotId}) in your reach.`);
      }
      throw e;
    }
  }
  const id = await withTx(ctx.db, async (tx) => {
    const row = await insertMaterial(tx, {
      unionId: grant.unionId,
      title: input.title,
      kind: input.kind,
      description: input.description,
      regionIds,
      sectorIds,
      ballotId: input.ballotId,
      createdBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "material.created", {
      subjectType: "material",
      subjectId: row.id,
      details: { kind: input.kind, regionIds, sectorIds, ballotId: input.ballotId },
    });
    return row.id;
  });
  return getMaterial(ctx, id);
}

export async function listMaterials(ctx: Ctx, filters: MaterialFilters = {}): Promise<MaterialDto[]> {
  const f = MaterialFiltersSchema.parse(filters);
  const reader = readerOf(ctx);
  const rows = await selectMaterials(ctx.db, {
    reach: reader.reach,
    userId: reader.userId,
    approver: reader.approver,
    kind: f.kind,
    state: f.state,
    regionId: f.regionId,
    sectorId: f.sectorId,
    ballotId: f.ballotId,
    q: f.q,
    limit: 500,
  });
  return materialDtos(ctx, reader, rows, f.language);
}

export async function getMaterial(
  ctx: Ctx,
  id: number,
  language: MaterialLanguage = "en",
): Promise<MaterialDto> {
  const reader = readerOf(ctx);
  const rows = await selectMaterials(ctx.db, {
    reach: reader.reach,
    userId: reader.userId,
    approver: reader.approver,
    state: "any",
    id,
    limit: 1,
  });
  if (!rows.length) throw notFound("material", id);
  return (await materialDtos(ctx, reader, rows, language))[0]!;
}

async function materialDtos(
  ctx: Ctx,
  reader: ReturnType<typeof readerOf>,
  rows: Awaited<ReturnType<typeof selectMaterials>>,
  language: MaterialLanguage,
): Promise<MaterialDto[]> {
  const versions = await selectVersions(ctx.db, {
    materialIds: rows.map((r) => r.id),
    userId: reader.userId,
    approver: reader.approver,
  });
  const names = await selectOrgNames(
    ctx.db,
    reader.grant.unionId,
    [...new Set(rows.flatMap((r) => r.region_ids))],
    [...new Set(rows.flatMap((r) => r.sector_ids))],
  );
  const regionName = new Map(names.regions.map((r) => [r.id, r.name]));
  const sectorName = new Map(names.sectors.map((s) => [s.id, s.name]));
  const writer = can(ctx.actor, "materials.write") ? authorize(ctx.actor, "materials.write") : null;
  return rows.map((m) => {
    const mine = versions.filter((v) => Number(v.material_id) === m.id).map(versionDto);
    const approved = (l: string) => mine.find((v) => v.state === "approved" && v.language === l);
    const pick = approved(language) ?? approved("en") ?? mine.find((v) => v.state === "approved");
    return {
      id: m.id,
      title: m.title,
      kind: m.kind as MaterialKind,
      description: m.description,
      audience: {
        regions: m.region_ids.map((id) => ({ id, name: regionName.get(id) ?? `Region ${id}` })),
        sectors: m.sector_ids.map((id) => ({ id, name: sectorName.get(id) ?? `Sector ${id}` })),
        ballot:
          m.ballot_id === null ? null : { id: m.ballot_id, name: m.ballot_name ?? `Ballot ${m.ballot_id}` },
      },
      createdAt: iso(m.created_at)!,
      versions: mine,
      offered: pick
        ? { versionId: pick.id, language: pick.language, fallback: pick.language !== language }
        : null,
      canUpload: writer !== null && mayEdit(ctx.actor, writer, m),
      canApprove: reader.approver,
    };
  });
}

function mayEdit(
  actor: Actor,
  grant: Grant,
  m: { region_ids: number[]; sector_ids: number[]; created_by: number | null },
): boolean {
  return (
    (actor.userId !== null && m.created_by === actor.userId) ||
    audienceWithin(grant, m.region_ids, m.sector_ids)
  );
}

function versionDto(v: Awaited<ReturnType<typeof selectVersions>>[number]): MaterialVersionDto {
  return {
    id: Number(v.id),
    materialId: Number(v.material_id),
    language: v.language as MaterialLanguage,
    version: v.version,
    fileName: v.file_name,
    contentType: v.content_type,
    bytes: Number(v.bytes),
    sha256: v.sha256,
    note: v.note,
    state: v.state as VersionState,
    createdBy: v.created_by_name,
    createdAt: iso(v.created_at)!,
    approvedBy: v.approved_by_name,
    approvedAt: iso(v.approved_at),
    withdrawnBy: v.withdrawn_by_name,
    withdrawnAt: iso(v.withdrawn_at),
    withdrawnReason: v.withdrawn_reason,
  };
}

/** A file uploaded as a draft version of a material in a language; its type is read from its bytes. */
export async function uploadVersion(
  ctx: Ctx,
  materialId: number,
  input: { language: MaterialLanguage; note?: string; fileName: string; content: Buffer },
): Promise<MaterialVersionDto> {
  const grant = authorize(ctx.actor, "materials.write");
  const reach = ballotReach(ctx.actor, grant);
  const m = await selectMaterialRow(ctx.db, reach, materialId);
  if (!m) throw notFound("material", materialId);
  if (!mayEdit(ctx.actor, grant, m)) {
    throw new AppError(
      "auth.forbidden",
      "Only the material's author, or an officer whose reach holds its audience, may add versions.",
    );
  }
  if (input.content.length > MAX_MATERIAL_BYTES) {
    throw new AppError(
      "materials.too_large",
      `The file is larger than ${MAX_MATERIAL_BYTES / 1024 / 1024} MB.`,
    );
  }
  const type = detectMaterialType(input.content);
  if (!type) {
    throw new AppError(
      "materials.file_invalid",
      "The file is not a PDF, PNG, JPEG, Word or PowerPoint file (judged by its content, not its name).",
    );
  }
  const fileName = downloadName(input.fileName, type);
  const sha256 = createHash("sha256").update(input.content).digest("hex");
  const row = await withTx(ctx.db, async (tx) => {
    const v = await insertVersion(tx, {
      materialId,
      language: input.language,
      fileName,
      contentType: type,
      content: input.content,
      sha256,
      note: (input.note ?? "").trim().slice(0, 1000),
      createdBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "material.version_uploaded", {
      subjectType: "material",
      subjectId: materialId,
      details: {
        versionId: v.id,
        language: input.language,
        version: v.version,
        contentType: type,
        bytes: input.content.length,
        sha256,
      },
    });
    return v;
  });
  return versionOf(ctx, materialId, row.id);
}

async function versionOf(ctx: Ctx, materialId: number, versionId: number): Promise<MaterialVersionDto> {
  const m = await getMaterial(ctx, materialId);
  const v = m.versions.find((x) => x.id === versionId);
  if (!v) throw notFound("version", versionId);
  return v;
}

/** A draft approved by a national officer: it becomes what everyone in the audience is offered in its language. */
export async function approveMaterialVersion(ctx: Ctx, versionId: number): Promise<MaterialVersionDto> {
  const grant = authorize(ctx.actor, "materials.approve");
  const v = await selectVersionRow(ctx.db, {
    reach: ballotReach(ctx.actor, grant),
    userId: ctx.actor.userId,
    approver: true,
    versionId,
    withContent: false,
  });
  if (!v) throw notFound("version", versionId);
  if (v.state !== "draft") {
    throw new AppError(
      "materials.state_conflict",
      `Version ${v.version} is ${v.state}, not a draft; upload a new version to change it.`,
    );
  }
  await withTx(ctx.db, async (tx) => {
    const ok = await approveVersion(tx, {
      id: v.id,
      materialId: v.material_id,
      language: v.language,
      by: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    if (!ok)
      throw new AppError("materials.state_conflict", "The version was approved or withdrawn meanwhile.");
    await recordAudit({ ...ctx, db: tx }, "material.approved", {
      subjectType: "material",
      subjectId: v.material_id,
      details: { versionId: v.id, language: v.language, version: v.version },
    });
  });
  return versionOf(ctx, v.material_id, v.id);
}

/**
 * A version withdrawn from use, with the reason: by an approver, or by its uploader while it is a
 * draft. Withdrawn versions are offered to no one; the file is kept as the record of what was used.
 */
export async function withdrawMaterialVersion(
  ctx: Ctx,
  versionId: number,
  reason: string,
): Promise<MaterialVersionDto> {
  const grant = authorize(ctx.actor, "materials.read");
  const approver = can(ctx.actor, "materials.approve");
  const v = await selectVersionRow(ctx.db, {
    reach: ballotReach(ctx.actor, grant),
    userId: ctx.actor.userId,
    approver,
    versionId,
    withContent: false,
  });
  if (!v) throw notFound("version", versionId);
  const ownDraft = v.state === "draft" && ctx.actor.userId !== null && v.created_by === ctx.actor.userId;
  if (!approver && !ownDraft) authorize(ctx.actor, "materials.approve");
  if (v.state !== "draft" && v.state !== "approved") {
    throw new AppError("materials.state_conflict", `Version ${v.version} is already ${v.state}.`);
  }
  await withTx(ctx.db, async (tx) => {
    const ok = await withdrawVersion(tx, {
      id: v.id,
      by: ctx.actor.userId,
      reason: reason.trim(),
      now: ctx.clock.now(),
    });
    if (!ok)
      throw new AppError("materials.state_conflict", "The version was withdrawn or superseded meanwhile.");
    await recordAudit({ ...ctx, db: tx }, "material.withdrawn", {
      subjectType: "material",
      subjectId: v.material_id,
      details: { versionId: v.id, language: v.language, version: v.version, was: v.state },
    });
  });
  return versionOf(ctx, v.material_id, v.id);
}

/** A version's file, for a reader who may see it; the download is audited before a byte leaves. */
export async function downloadMaterialVersion(ctx: Ctx, versionId: number) {
  const reader = readerOf(ctx);
  const v = await selectVersionRow(ctx.db, {
    reach: reader.reach,
    userId: reader.userId,
    approver: reader.approver,
    versionId,
    withContent: true,
  });
  if (!v?.content) throw notFound("version", versionId);
  await recordAudit(ctx, "material.downloaded", {
    subjectType: "material",
    subjectId: v.material_id,
    details: { versionId: v.id, language: v.language, version: v.version, state: v.state, bytes: v.bytes },
  });
  const type = v.content_type as keyof typeof MATERIAL_TYPES;
  return {
    fileName: v.file_name,
    contentType: type,
    sha256: v.sha256,
    content: Buffer.from(v.content),
  };
}
