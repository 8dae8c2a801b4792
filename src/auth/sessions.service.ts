import { recordAudit } from "../audit/index.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { randomToken, sha256Hex } from "../shared/hash.js";
import { dummyHash, verifyPassword } from "./passwords.js";
import type { Actor } from "./permissions.js";
import {
  deleteSession,
  insertSession,
  selectSessionWithActor,
  selectUnionsOfEmailDomain,
  selectUserForSignIn,
} from "./sessions.store.js";
import { attemptSucceeded, beginAttempt, maskEmail } from "./signin-throttle.js";
import { loadActor } from "./users.service.js";

export const SESSION_HOURS = 12;

export interface NewSession {
  token: string;
  csrfToken: string;
  actor: Actor;
  expiresAt: Date;
}

/**
 * Signs a user in. Unknown email and wrong password take the same time and
 * give the same answer. `source` is the client's address: failures are
 * throttled per source and per account (signin-throttle.ts).
 */
export async function login(
  db: Db,
  clock: Clock,
  email: string,
  password: string,
  source = "unknown",
): Promise<NewSession> {
  const normalised = email.trim().toLowerCase();
  const now = clock.now();
  await beginAttempt(db, now, source, normalised);
  const user = await selectUserForSignIn(db, normalised);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
  if (!user || !ok || user.disabled_at) {
    // The email tried is kept masked, never in clear; a failure for an unknown email is shown to the
    // union whose users have that email domain, so a spray against its people is seen.
    const unionId = user?.union_id ?? (await unionOfDomain(db, normalised));
    const masked = maskEmail(normalised);
    await recordAudit(
      {
        db,
        clock,
        actor: {
          kind: "system",
          userId: user?.id ?? null,
          unionId: unionId as number,
          role: "national",
          label: `sign-in ${masked}`,
          regionIds: [],
          sectorIds: [],
          workplaceIds: [],
        },
      },
      "auth.login_failed",
      {
        subjectType: user ? "user" : "login",
        subjectId: user ? user.id : masked,
        outcome: "failure",
        details: { reason: !user ? "unknown_email" : user.disabled_at ? "disabled" : "wrong_password" },
      },
    );
    throw new AppError("auth.invalid_credentials", "Email or password is wrong.");
  }
  await attemptSucceeded(db, now, source, normalised);
  const actor = await loadActor(db, user.id);
  if (!actor) throw new AppError("auth.invalid_credentials", "Email or password is wrong.");
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await withTx(db, async (tx) => {
    await insertSession(
      tx,
      {
        token_hash: sha256Hex(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
      },
      now,
    );
    await recordAudit({ db: tx, clock, actor }, "auth.login_succeeded", {
      subjectType: "user",
      subjectId: user.id,
    });
  });
  return { token, csrfToken, actor, expiresAt };
}

/** The one union whose users have this email's domain; null when none or several do. */
async function unionOfDomain(db: Db, normalisedEmail: string): Promise<number | null> {
  const domain = normalisedEmail.slice(normalisedEmail.lastIndexOf("@") + 1);
  if (!domain || !normalisedEmail.includes("@")) return null;
  const unions = await selectUnionsOfEmailDomain(db, domain);
  return unions.length === 1 ? unions[0]! : null;
}

export interface ActiveSession {
  actor: Actor;
  csrfToken: string;
}

/**
 * Resolved sessions are kept in this process for a few seconds, so a burst of
 * requests (a dashboard polling, 50 officers on results night) costs one
 * lookup, not one each. Signing out clears the entry at once; a user disabled
 * or re-scoped in another process is seen within SESSION_CACHE_MS.
 */
export const SESSION_CACHE_MS = 5_000;
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
  const row = await selectSessionWithActor(db, tokenHash);
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
    await deleteSession(tx, sha256Hex(token));
    await recordAudit({ db: tx, clock, actor }, "auth.logout", {
      subjectType: "user",
      subjectId: actor.userId ?? undefined,
    });
  });
}
