import type { Actor } from "./auth/permissions.js";
import type { Db } from "./db/database.js";
import type { Clock } from "./shared/clock.js";

/**
 * What every service function receives: the database (or the open
 * transaction), who is acting, and the clock. Nothing inside a service reads
 * the environment or calls `new Date()`.
 */
export interface Ctx {
  db: Db;
  actor: Actor;
  clock: Clock;
}

export function withDb(ctx: Ctx, db: Db): Ctx {
  return { ...ctx, db };
}
