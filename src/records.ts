import type { AuditEvent } from "./audit/events.js";
import { recordAudit } from "./audit/record.js";
import type { Ctx } from "./context.js";
import { withTx } from "./db/tx.js";
import { type AppError, pgErrorCode } from "./shared/errors.js";

/** Tables of the union's organisation and registers, which share id and union_id. */
type UnionTable = "regions" | "sectors" | "branches" | "employers" | "workplaces";

export interface DeleteOptions {
  event: AuditEvent;
  subjectType: string;
  notFound: () => AppError;
  /** The error when other records still refer to this one (a foreign-key violation). */
  inUse: () => AppError;
}

/** Deletes one row of the acting union and records it, or explains why it cannot go. */
export async function deleteAudited(
  ctx: Ctx,
  table: UnionTable,
  unionId: number,
  id: number,
  options: DeleteOptions,
): Promise<void> {
  await withTx(ctx.db, async (tx) => {
    const deleted = await tx
      .deleteFrom(table as "sectors")
      .where("union_id", "=", unionId)
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst()
      .catch((e) => {
        throw pgErrorCode(e) === "23503" ? options.inUse() : e;
      });
    if (!deleted) throw options.notFound();
    await recordAudit({ ...ctx, db: tx }, options.event, { subjectType: options.subjectType, subjectId: id });
  });
}
