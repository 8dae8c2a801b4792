import { recordAudit } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError, pgErrorCode } from "../shared/errors.js";
import { hashPassword } from "./passwords.js";
import {
  ACTIONS,
  type Actor,
  authorize,
  can,
  ROLE_LABELS,
  type Role,
  scopeKindNeeded,
} from "./permissions.js";
import { CreateUserInput, type UserDto } from "./users.model.js";
import {
  insertUser,
  insertUserScopes,
  selectOrgIdsByCode,
  selectScopeNames,
  selectUserForActor,
  selectUserScopes,
  selectUserWithUnion,
  selectWorkplaceIds,
  selectWorkplacesBySiteCode,
} from "./users.store.js";

/** Builds the acting identity of a user from the database: role and scope ids. */
export async function loadActor(db: Db, userId: number): Promise<Actor | null> {
  const user = await selectUserForActor(db, userId);
  if (!user || user.disabled_at) return null;
  const scopes = await selectUserScopes(db, userId);
  return {
    kind: "user",
    userId: user.id,
    unionId: user.union_id,
    role: user.role as Role,
    label: user.email,
    regionIds: scopes.flatMap((s) => (s.region_id === null ? [] : [s.region_id])),
    sectorIds: scopes.flatMap((s) => (s.sector_id === null ? [] : [s.sector_id])),
    workplaceIds: scopes.flatMap((s) => (s.workplace_id === null ? [] : [s.workplace_id])),
  };
}

export async function describeUser(db: Db, actor: Actor): Promise<UserDto> {
  if (actor.userId === null) throw new AppError("auth.unauthenticated", "No user.");
  const user = await selectUserWithUnion(db, actor.userId);
  return {
    id: user.id,
    unionId: user.union_id,
    unionName: user.union_name,
    email: user.email,
    displayName: user.display_name,
    role: actor.role,
    roleLabel: ROLE_LABELS[actor.role],
    regionIds: [...actor.regionIds],
    sectorIds: [...actor.sectorIds],
    workplaceIds: [...actor.workplaceIds],
    scopeLabel: await scopeLabel(db, actor),
    permissions: ACTIONS.filter((a) => can(actor, a)),
  };
}

async function scopeLabel(db: Db, actor: Actor): Promise<string> {
  const kind = scopeKindNeeded(actor.role);
  if (kind === "regions" && actor.regionIds.length) {
    return `${(await selectScopeNames(db, "regions", actor.regionIds)).join(", ")} region`;
  }
  if (kind === "sectors" && actor.sectorIds.length) {
    return `${(await selectScopeNames(db, "sectors", actor.sectorIds)).join(", ")} sector`;
  }
  if (kind === "workplaces" && actor.workplaceIds.length) {
    return (await selectScopeNames(db, "workplaces", actor.workplaceIds)).join(", ");
  }
  return "Whole union";
}

/** Creates a user with a role and its scope. The command line (system actor) may always; users need users.manage. */
export async function createUser(ctx: Ctx, raw: CreateUserInput): Promise<{ id: number }> {
  if (ctx.actor.kind === "user") authorize(ctx.actor, "users.manage");
  const input = CreateUserInput.parse(raw);
  const scope = { unionId: ctx.actor.unionId };
  const needed = scopeKindNeeded(input.role);
  const passwordHash = await hashPassword(input.password);
  return withTx(ctx.db, async (tx) => {
    const regionIds = await idsByCode(tx, "regions", scope, input.regionCodes);
    const sectorIds = await idsByCode(tx, "sectors", scope, input.sectorCodes);
    const workplaceIds = [...input.workplaceIds];
    if (input.workplaceCodes.length) {
      const rows = await selectWorkplacesBySiteCode(tx, scope, input.workplaceCodes);
      const missing = input.workplaceCodes.filter((c) => !rows.some((r) => r.site_code === c));
      if (missing.length)
        throw new AppError("users.invalid_scope", `No workplace with site code ${missing.join(", ")}.`);
      workplaceIds.push(...rows.map((r) => r.id));
    }
    if (input.workplaceIds.length) {
      const found = await selectWorkplaceIds(tx, scope, input.workplaceIds);
      if (found.length !== new Set(input.workplaceIds).size) {
        throw new AppError("users.invalid_scope", "A listed workplace does not exist in this union.");
      }
    }
    const scopeSizes = {
      regions: regionIds.length,
      sectors: sectorIds.length,
      workplaces: workplaceIds.length,
    };
    if (needed && scopeSizes[needed] === 0) {
      throw new AppError("users.invalid_scope", `The role ${input.role} needs at least one of ${needed}.`, {
        role: input.role,
      });
    }
    let id: number;
    try {
      id = await insertUser(tx, scope, {
        email: input.email,
        display_name: input.displayName,
        password_hash: passwordHash,
        role: input.role,
      });
    } catch (e) {
      if (pgErrorCode(e) === "23505")
        throw new AppError("users.duplicate_email", `A user with email ${input.email} already exists.`);
      throw e;
    }
    const scopeRows = [
      ...(needed === "regions"
        ? regionIds.map((r) => ({ user_id: id, region_id: r, sector_id: null, workplace_id: null }))
        : []),
      ...(needed === "sectors"
        ? sectorIds.map((s) => ({ user_id: id, region_id: null, sector_id: s, workplace_id: null }))
        : []),
      ...(needed === "workplaces"
        ? [...new Set(workplaceIds)].map((w) => ({
            user_id: id,
            region_id: null,
            sector_id: null,
            workplace_id: w,
          }))
        : []),
    ];
    await insertUserScopes(tx, scopeRows);
    await recordAudit({ ...ctx, db: tx }, "user.created", {
      subjectType: "user",
      subjectId: id,
      details: { role: input.role, regionIds, sectorIds, workplaceIds },
    });
    return { id };
  });
}

async function idsByCode(
  db: Db,
  table: "regions" | "sectors",
  scope: { unionId: number },
  codes: string[],
): Promise<number[]> {
  if (!codes.length) return [];
  const rows = await selectOrgIdsByCode(db, scope, table, codes);
  const missing = codes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length)
    throw new AppError("users.invalid_scope", `No ${table.slice(0, -1)} with code ${missing.join(", ")}.`);
  return rows.map((r) => r.id);
}
