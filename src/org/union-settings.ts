/**
 * Who the union's documents come from: the union's name as printed on its
 * letters, its postal address, a contact line and the officer who signs a
 * notice of ballot (s.226A: the notice is the union's, not the scrutineer's).
 * One row per union; national officers change it, and every change is audited
 * (field names only, never values).
 */
import { z } from "zod";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { selectUnionName, selectUnionSettings, upsertUnionSettings } from "./org.store.js";

const Text = (max: number) => z.string().trim().max(max);

export const UnionSettingsDto = z.object({
  /** The union's name as printed at the head of its letters. */
  letterName: z.string(),
  /** Postal address, one line per line. */
  address: z.string(),
  /** Telephone or email for queries about a notice. */
  contact: z.string(),
  signatoryName: z.string(),
  signatoryTitle: z.string(),
  /** Every field a notice needs is filled in. */
  complete: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type UnionSettingsDto = z.infer<typeof UnionSettingsDto>;

export const UpdateUnionSettingsInput = z
  .object({
    letterName: Text(200).min(1),
    address: Text(600).min(1),
    contact: Text(200),
    signatoryName: Text(200).min(1),
    signatoryTitle: Text(200).min(1),
  })
  .partial();
export type UpdateUnionSettingsInput = z.infer<typeof UpdateUnionSettingsInput>;

const FIELDS = {
  letterName: "letter_name",
  address: "address",
  contact: "contact",
  signatoryName: "signatory_name",
  signatoryTitle: "signatory_title",
} as const;

/** The settings as documents use them: the union's own name when no letter name is set. */
export interface UnionLetterhead {
  name: string;
  address: string;
  contact: string;
  signatory: { name: string; title: string } | null;
  complete: boolean;
}

async function load(db: Db, unionId: number) {
  const union = await selectUnionName(db, { unionId });
  if (!union) throw new AppError("org.not_found", `No union ${unionId}.`);
  const row = await selectUnionSettings(db, { unionId });
  return { union, row };
}

function toDto(unionName: string, row: Awaited<ReturnType<typeof load>>["row"]): UnionSettingsDto {
  const letterName = row?.letter_name || unionName;
  const address = row?.address ?? "";
  const signatoryName = row?.signatory_name ?? "";
  const signatoryTitle = row?.signatory_title ?? "";
  return {
    letterName,
    address,
    contact: row?.contact ?? "",
    signatoryName,
    signatoryTitle,
    complete: !!(letterName.trim() && address.trim() && signatoryName.trim() && signatoryTitle.trim()),
    updatedAt: row ? row.updated_at.toISOString() : null,
  };
}

/** For the documents service: read without a permission check of its own (its caller has one). */
export async function unionLetterhead(db: Db, unionId: number): Promise<UnionLetterhead> {
  const { union, row } = await load(db, unionId);
  const dto = toDto(union.name, row);
  return {
    name: dto.letterName,
    address: dto.address,
    contact: dto.contact,
    signatory: dto.signatoryName ? { name: dto.signatoryName, title: dto.signatoryTitle } : null,
    complete: dto.complete,
  };
}

export async function getUnionSettings(ctx: Ctx): Promise<UnionSettingsDto> {
  const grant = authorize(ctx.actor, "org.read");
  const { union, row } = await load(ctx.db, grant.unionId);
  return toDto(union.name, row);
}

/** National officers only (org.write); audited with the names of the fields changed. */
export async function updateUnionSettings(
  ctx: Ctx,
  input: UpdateUnionSettingsInput,
): Promise<UnionSettingsDto> {
  const grant = authorize(ctx.actor, "org.write");
  await withTx(ctx.db, async (tx) => {
    const { union, row } = await load(tx, grant.unionId);
    const current = toDto(union.name, row);
    const changed = (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).filter(
      (k) => input[k] !== undefined && input[k] !== current[k],
    );
    if (!changed.length && row) return;
    const values = {
      letter_name: input.letterName ?? row?.letter_name ?? "",
      address: input.address ?? row?.address ?? "",
      contact: input.contact ?? row?.contact ?? "",
      signatory_name: input.signatoryName ?? row?.signatory_name ?? "",
      signatory_title: input.signatoryTitle ?? row?.signatory_title ?? "",
      updated_at: ctx.clock.now(),
      updated_by: ctx.actor.userId,
    };
    await upsertUnionSettings(tx, grant, values);
    await recordAudit({ ...ctx, db: tx }, "union.settings_updated", {
      subjectType: "union",
      subjectId: grant.unionId,
      details: { fields: changed },
    });
  });
  return getUnionSettings(ctx);
}
