import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyMultipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import Fastify from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { actionRoutes } from "../action/action.routes.js";
import { auditRoutes } from "../audit/audit.routes.js";
import { authRoutes, registerAuthGate } from "../auth/auth.routes.js";
import { ballotsRoutes } from "../ballots/ballots.routes.js";
import { documentJobsRoutes } from "../ballots/document-jobs.routes.js";
import { legalSignOffRoutes } from "../ballots/legal-signoff.routes.js";
import { ballotRecordsRoutes } from "../ballots/records.routes.js";
import { boardRoutes } from "../board/index.js";
import { bulletinsRoutes } from "../bulletins/index.js";
import { canvassRoutes } from "../canvass/canvass.routes.js";
import { coalitionRoutes } from "../coalition/coalition.routes.js";
import { commsRoutes } from "../comms/index.js";
import { pingDatabase } from "../db/connect.js";
import { indicativeRoutes } from "../indicative/indicative.routes.js";
import { jobHandlers } from "../job-handlers.js";
import { Worker } from "../jobs/index.js";
import { jobsRoutes } from "../jobs/jobs.routes.js";
import { lawRoutes } from "../law/law.routes.js";
import { materialsRoutes } from "../materials/index.js";
import { memberLinkRoutes } from "../memberlink/memberlink.routes.js";
import { importsRoutes } from "../members/imports.routes.js";
import { membersRoutes } from "../members/members.routes.js";
import { reviewRoutes } from "../members/review.routes.js";
import { orgRoutes } from "../org/org.routes.js";
import { unionSettingsRoutes } from "../org/union-settings.routes.js";
import { plansRoutes } from "../plans/index.js";
import { registerImportRoutes, registersRoutes } from "../registers/registers.routes.js";
import { requestsRoutes } from "../requests/index.js";
import { resultsRoutes } from "../results/results.routes.js";
import { lawCommencementRoutes } from "../settings/law-commencements.routes.js";
import { AppError } from "../shared/errors.js";
import { readinessRoutes } from "../turnout/readiness.routes.js";
import { turnoutRoutes } from "../turnout/turnout.routes.js";
import { registerErrorHandler } from "./errors.js";
import { isHttps } from "./https.js";
import { findNul, logSerializers } from "./logging.js";
import type { App, AppDeps } from "./types.js";

export type { AppDeps } from "./types.js";

/**
 * Builds the HTTP application: sign-in gate, error shape, OpenAPI, the
 * domains' routes, and the web app. Tests call this with their own database.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger:
      deps.logLevel === "silent"
        ? false
        : {
            level: deps.logLevel,
            serializers: logSerializers,
            ...(deps.logStream ? { stream: deps.logStream } : {}),
          },
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Only then is request.protocol "https" behind a TLS-terminating proxy (and request.ip the client's).
    // Only the named proxies: request.ip is then the last address they did not add, which a client
    // cannot choose by writing its own X-Forwarded-For (trusting every hop would let it).
    trustProxy: deps.trustProxy ? deps.trustProxy : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, deps);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "Mandate API",
        description:
          "Membership by employer, statutory ballots and notices for trade unions. Errors are `{ error: { code, message, details } }`.",
        version: "0.1.0",
      },
      components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: "mandate_session" } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook("onSend", async (request, reply) => {
    // API answers and downloads carry personal data: no browser or proxy cache may keep them.
    if (request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
    if (isHttps(request)) reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "same-origin");
    reply.header(
      "content-security-policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'",
    );
  });

  registerAuthGate(app, deps);

  // PostgreSQL cannot store a NUL character in text: refuse it at the edge, in every string input.
  app.addHook("preValidation", async (request) => {
    const where =
      findNul(request.params, "params") ??
      findNul(request.query, "querystring") ??
      findNul(request.body, "body");
    if (where) throw new AppError("request.invalid", `${where}: text may not contain a NUL character.`);
  });

  app.get(
    "/api/health",
    { schema: { tags: ["health"], response: { 200: z.object({ ok: z.boolean(), database: z.string() }) } } },
    async () => {
      await pingDatabase(deps.db);
      return { ok: true, database: "up" };
    },
  );
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  authRoutes(app, deps);
  orgRoutes(app, deps);
  unionSettingsRoutes(app, deps);
  registersRoutes(app, deps);
  membersRoutes(app, deps);
  auditRoutes(app, deps);
  reviewRoutes(app, deps);
  lawRoutes(app, deps);
  lawCommencementRoutes(app, deps);
  ballotRecordsRoutes(app, deps);
  legalSignOffRoutes(app, deps);
  jobsRoutes(app, deps);
  turnoutRoutes(app, deps);
  boardRoutes(app, deps);
  indicativeRoutes(app, deps);
  coalitionRoutes(app, deps);
  memberLinkRoutes(app, deps);
  resultsRoutes(app, deps);
  canvassRoutes(app, deps);
  actionRoutes(app, deps);
  readinessRoutes(app, deps);
  plansRoutes(app, deps);
  requestsRoutes(app, deps);
  const uploadDir = deps.uploadDir ?? path.join(os.tmpdir(), "mandate-uploads");
  // The server runs a worker of its own (mandate worker runs more): started when the server is ready.
  const worker =
    deps.worker === false
      ? null
      : new Worker({
          db: deps.db,
          clock: deps.clock,
          handlers: jobHandlers({ uploadDir, ...(deps.comms ? { comms: deps.comms } : {}) }),
        });
  app.addHook("onReady", async () => worker?.start());
  app.addHook("onClose", async () => worker?.stop());
  importsRoutes(app, { ...deps, uploadDir, onJobQueued: () => worker?.nudge() });
  registerImportRoutes(app, { ...deps, uploadDir, onJobQueued: () => worker?.nudge() });
  documentJobsRoutes(app, { ...deps, onJobQueued: () => worker?.nudge() });
  ballotsRoutes(app, { ...deps, onJobQueued: () => worker?.nudge() });
  commsRoutes(app, { ...deps, onJobQueued: () => worker?.nudge() });
  materialsRoutes(app, deps);
  bulletinsRoutes(app, deps);

  const indexHtml = deps.webDir ? path.join(deps.webDir, "index.html") : null;
  const hasWeb = indexHtml !== null && fs.existsSync(indexHtml);
  if (hasWeb && deps.webDir) {
    await app.register(fastifyStatic, {
      root: deps.webDir,
      index: false,
      // Built assets carry a content hash in their names: cache them for good; index.html never.
      setHeaders: (res, filePath) => {
        res.header(
          "cache-control",
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? "public, max-age=31536000, immutable"
            : "no-cache",
        );
      },
    });
  }
  if (hasWeb) {
    // The static plugin answers a folder ("/") with 403; the app's home screen is index.html.
    app.get("/", { schema: { hide: true } }, (_request, reply) => {
      reply.header("cache-control", "no-cache");
      return reply.type("text/html").sendFile("index.html");
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Screens are client-side routes: any non-API GET gets the web app.
    const urlPath = request.url.split("?")[0] ?? "";
    const isScreen = !urlPath.startsWith("/api/") && !path.extname(urlPath);
    if (hasWeb && request.method === "GET" && isScreen) {
      reply.header("cache-control", "no-cache");
      return reply.type("text/html").sendFile("index.html");
    }
    return reply
      .code(404)
      .send({ error: { code: "request.not_found", message: `No route ${request.method} ${urlPath}.` } });
  });
  return app;
}
