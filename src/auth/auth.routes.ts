import { z } from "zod";
import { isHttps } from "../http/https.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { login, logout, resolveSession, SESSION_HOURS } from "./sessions.service.js";
import { CreateUserInput, LoginInput, SessionDto } from "./users.model.js";
import { createUser, describeUser } from "./users.service.js";

export const SESSION_COOKIE = "mandate_session";
export const CSRF_HEADER = "x-csrf-token";

/** Paths reachable without a session. */
const PUBLIC_API = new Set([
  "/api/health",
  "/api/auth/login",
  "/api/openapi.json",
  // Signed reports from coalition members on other installations, proven by their Ed25519 signature (decision 0032).
  "/api/coalition-reports",
]);
/**
 * Members' own links, with no session: the member link (src/memberlink, decision 0022; the token in the
 * body) and the unsubscribe link of a message (src/comms, decision 0027; the token in the path, as
 * one-click unsubscribing requires), and the SMS provider's callbacks (delivery reports and replies,
 * proven by the provider's signature); and a bulletin email's signed link to an officer (src/bulletins,
 * decision 0037), which records the read and sends the reader on to the app, where they sign in.
 */
const PUBLIC_API_PREFIXES = [
  "/api/link/",
  "/api/comms/unsubscribe/",
  "/api/comms/sms/",
  "/api/bulletins/open/",
];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The sign-in gate for /api: resolves the session cookie into an actor,
 * refuses anonymous calls, and requires the session's CSRF token on every
 * state-changing request (the cookie alone is not enough).
 */
export function registerAuthGate(app: App, deps: AppDeps): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("sessionToken", null);
  app.decorateRequest("csrfToken", null);
  app.addHook("onRequest", async (request) => {
    const path = request.url.split("?")[0] ?? "";
    if (!path.startsWith("/api/")) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await resolveSession(deps.db, deps.clock, token);
      if (session) {
        request.actor = session.actor;
        request.sessionToken = token;
        request.csrfToken = session.csrfToken;
      }
    }
    if (PUBLIC_API.has(path) || PUBLIC_API_PREFIXES.some((p) => path.startsWith(p))) return;
    if (!request.actor)
      throw new AppError("auth.unauthenticated", "Sign in first (no session, or it has expired).");
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== request.csrfToken) {
      throw new AppError("auth.csrf", `Send the session's CSRF token in the ${CSRF_HEADER} header.`);
    }
  });
}

export function authRoutes(app: App, deps: AppDeps): void {
  app.post(
    "/api/auth/login",
    { schema: { tags: ["auth"], summary: "Sign in", body: LoginInput, response: { 200: SessionDto } } },
    async (request, reply) => {
      const session = await login(deps.db, deps.clock, request.body.email, request.body.password, request.ip);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        // Over HTTPS the cookie must never travel in clear, whatever the configuration says.
        secure: deps.secureCookies || isHttps(request),
        maxAge: SESSION_HOURS * 3600,
      });
      return {
        user: await describeUser(deps.db, session.actor),
        csrfToken: session.csrfToken,
        today: ukDate(deps.clock.now()),
      };
    },
  );

  app.get(
    "/api/auth/me",
    { schema: { tags: ["auth"], summary: "The signed-in user", response: { 200: SessionDto } } },
    async (request) => {
      const ctx = ctxOf(deps, request);
      return {
        user: await describeUser(ctx.db, ctx.actor),
        csrfToken: request.csrfToken ?? "",
        today: ukDate(ctx.clock.now()),
      };
    },
  );

  app.post(
    "/api/auth/logout",
    { schema: { tags: ["auth"], summary: "Sign out", response: { 204: z.null() } } },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      if (request.sessionToken) await logout(deps.db, deps.clock, request.sessionToken, ctx.actor);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/users",
    {
      schema: {
        tags: ["auth"],
        summary: "Create a user with a role and scope (national officers)",
        body: CreateUserInput,
        response: { 201: z.object({ id: z.number().int() }) },
      },
    },
    async (request, reply) => {
      const created = await createUser(ctxOf(deps, request), request.body);
      return reply.code(201).send(created);
    },
  );
}

export { resolveSession };
