import { sql } from "kysely";
import { recordAudit } from "../audit/record.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { randomToken, sha256Hex } from "../shared/hash.js";
import { dummyHash, verifyPassword } from "./passwords.js";
import type { Actor } from "./permissions.js";
import { loadActor } from "./users.service.js";

export const SESSION_HOURS = 12;
const FAILURE_WINDOW_MINUTES = 15;
const MAX_FAILURES = 10;

export interface NewSession {
  token: string;
  csrfToken: string;
  actor: Actor;
  expiresAt: Date;
}

/** Signs a user in. Unknown email and wrong password take the same time and give the same answer. */
export async function login(db: Db, clock: Clock, email: string, password: string): Promise<NewSession> {
  const normalised = email.trim().toLowerCase();
  const now = clock.now();
  const user = await db
    .selectFrom("users")
    .select(["id", "union_id", "password_hash", "disabled_at"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", normalised))
    .executeTakeFirst();
  const since = new Date(now.getTime() - FAILURE_WINDOW_MINUTES * 60_000);
  const failures = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("event", "=", "auth.login_failed")
    .where("subject_type", "=", "login")
    .where("subject_id", "=", normalised)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  const systemActor = (unionId: number | null): Actor => ({
    kind: "system",
    userId: user?.id ?? null,
    unionId: unionId ?? 0,
    role: "national",
    label: normalised,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  });
  if (Number(failures.n) >= MAX_FAILURES) {
    throw new AppError(
      "auth.rate_limited",
      `Too many failed sign-ins for this email; try again in ${FAILURE_WINDOW_MINUTES} minutes.`,
    );
  }
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
  if (!user || !ok || user.disabled_at) {
    await recordAudit({ db, clock, actor: systemActor(user?.union_id ?? null) }, "auth.login_failed", {
      subjectType: "login",
      subjectId: normalised,
      outcome: "failure",
      details: { reason: !user ? "unknown_email" : user.disabled_at ? "disabled" : "wrong_password" },
    });
    throw new AppError("auth.invalid_credentials", "Email or password is wrong.");
  }
  const actor = await loadActor(db, user.id);
  if (!actor) throw new AppError("auth.invalid_credentials", "Email or password is wrong.");
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await withTx(db, async (tx) => {
    await tx
      .insertInto("sessions")
      .values({
        token_hash: sha256Hex(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    await tx.deleteFrom("sessions").where("user_id", "=", user.id).where("expires_at", "<", now).execute();
    await recordAudit({ db: tx, clock, actor }, "auth.login_succeeded", {
      subjectType: "user",
      subjectId: user.id,
    });
  });
  return { token, csrfToken, actor, expiresAt };
}

export interface ActiveSession {
  actor: Actor;
  csrfToken: string;
}

/** One query per request: the session, its user and the user's scope together. */
/**
 * Resolved sessions are kept in this process for a few seconds, so a burst of
 * requests (a dashboard polling, 50 officers on results night) costs one
 * lookup, not one each. Signing out clears the entry at once; a user disabled
 * or re-scoped in another process is seen within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
const sessionCaches = new WeakMap<
  object,
  Map<string, { session: ActiveSession; expiresAt: Date; until: number }>
>();

function sessionCache(db: Db) {
  let cache = sessionCaches.get(db);
  if (!cache) {
    cache = new Map();
    sessionCaches.set(db, cache);
  }
  return cache;
}

export async function resolveSession(db: Db, clock: Clock, token: string): Promise<ActiveSession | null> {
  const key = sha256Hex(token);
  const cache = sessionCache(db);
  const hit = cache.get(key);
  if (hit && hit.until > performance.now() && hit.expiresAt > clock.now()) return hit.session;
  cache.delete(key);
  const session = await lookupSession(db, clock, key);
  if (session) {
    if (cache.size >= SESSION_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { ...session, until: performance.now() + SESSION_CACHE_MS });
    return session.session;
  }
  return null;
}

async function lookupSession(
  db: Db,
  clock: Clock,
  tokenHash: string,
): Promise<{ session: ActiveSession; expiresAt: Date } | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("user_scopes", "user_scopes.user_id", "users.id")
    .select([
      "sessions.csrf_token",
      "sessions.expires_at",
      "users.id",
      "users.union_id",
      "users.email",
      "users.role",
      "users.disabled_at",
      sql<
        number[]
      >`coalesce(array_agg(user_scopes.region_id) filter (where user_scopes.region_id is not null), '{}')`.as(
        "region_ids",
      ),
      sql<
        number[]
      >`coalesce(array_agg(user_scopes.sector_id) filter (where user_scopes.sector_id is not null), '{}')`.as(
        "sector_ids",
      ),
      sql<
        number[]
      >`coalesce(array_agg(user_scopes.workplace_id) filter (where user_scopes.workplace_id is not null), '{}')`.as(
        "workplace_ids",
      ),
    ])
    .where("sessions.token_hash", "=", tokenHash)
    .groupBy(["sessions.token_hash", "users.id"])
    .executeTakeFirst();
  if (!row || row.expires_at <= clock.now() || row.disabled_at) return null;
  return {
    expiresAt: row.expires_at,
    session: {
      csrfToken: row.csrf_token,
      actor: {
        kind: "user",
        userId: row.id,
        unionId: row.union_id,
        role: row.role as Actor["role"],
        label: row.email,
        regionIds: row.region_ids.map(Number),
        sectorIds: row.sector_ids.map(Number),
        workplaceIds: row.workplace_ids.map(Number),
      },
    },
  };
}

export async function logout(db: Db, clock: Clock, token: string, actor: Actor): Promise<void> {
  sessionCache(db).delete(sha256Hex(token));
  await withTx(db, async (tx) => {
    await tx.deleteFrom("sessions").where("token_hash", "=", sha256Hex(token)).execute();
    await recordAudit({ db: tx, clock, actor }, "auth.logout", {
      subjectType: "user",
      subjectId: actor.userId ?? undefined,
    });
  });
}
