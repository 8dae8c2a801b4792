import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ENUMERATION_CODES,
  EnumerationWatch,
  REFUSAL_WINDOW_MS,
  RefusalWatch,
  recordAccessDenied,
  recordIdEnumeration,
  recordRefusalSummary,
} from "../auth/refusals.js";
import { AppError, appErrorFromPg, ERROR_CODES, type ErrorCode, isPgError } from "../shared/errors.js";
import type { AppDeps } from "./types.js";

export const ErrorDto = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "request.malformed_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "request.malformed_json",
  FST_ERR_CTP_BODY_TOO_LARGE: "request.too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "request.invalid",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "request.invalid",
};

/**
 * One error handler: every failure leaves as `{ error: { code, message, details } }`.
 * 4xx messages are for the user; 5xx never reveal internals.
 */
export function registerErrorHandler(app: FastifyInstance, deps: Pick<AppDeps, "db" | "clock">): void {
  const enumeration = new EnumerationWatch();
  const refusals = new RefusalWatch();
  // Minutes that ended with refusals not recorded one by one get their summary row soon after.
  const writeSummaries = async (all: boolean) => {
    for (const summary of refusals.takeEnded(deps.clock.now(), all)) {
      try {
        await recordRefusalSummary({ db: deps.db, clock: deps.clock }, summary);
      } catch (e) {
        app.log.error({ failure: (e as Error).name }, "refusal summary not audited");
      }
    }
  };
  const sweep = setInterval(() => void writeSummaries(false), REFUSAL_WINDOW_MS);
  sweep.unref();
  app.addHook("onClose", async () => {
    clearInterval(sweep);
    await writeSummaries(true);
  });
  app.setErrorHandler(async (err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (request.actor && (err.code === "auth.forbidden" || ENUMERATION_CODES.has(err.code))) {
        await auditRefusal(deps, enumeration, refusals, request, err);
      }
      return reply
        .code(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const where = `${err.validationContext ?? "request"}${v.instancePath ? v.instancePath.replaceAll("/", ".") : ""}`;
        return { field: where, message: v.message ?? "invalid" };
      });
      const message = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
      return reply.code(400).send({ error: { code: "request.invalid", message, details: { issues } } });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, "response did not match its schema");
      return reply.code(500).send({ error: { code: "internal.error", message: "Internal server error." } });
    }
    const errCode = (err as { code?: unknown }).code;
    const fastifyCode = typeof errCode === "string" ? FASTIFY_CODES[errCode] : undefined;
    if (fastifyCode) {
      const status = ERROR_CODES[fastifyCode].status;
      const message =
        fastifyCode === "request.malformed_json"
          ? `The request body is not valid JSON: ${err.message}`
          : err.message;
      return reply
        .code(errCode === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? 415 : status)
        .send({ error: { code: fastifyCode, message } });
    }
    // A known PostgreSQL refusal (unique, foreign key, bad value) is the request's fault: say so
    // by code, never with the server's message or detail, which quote the values.
    const fromPg = appErrorFromPg(err);
    if (fromPg) {
      request.log.info({ err }, "refused by the database");
      return reply
        .code(fromPg.status)
        .send({ error: { code: fromPg.code, message: fromPg.message, details: fromPg.details } });
    }
    const status =
      !isPgError(err) && "statusCode" in err && typeof err.statusCode === "number" ? err.statusCode : 500;
    if (status < 500) {
      return reply.code(status).send({ error: { code: "request.invalid", message: err.message } });
    }
    request.log.error({ err }, "unhandled error");
    return reply.code(500).send({
      error: {
        code: "internal.error",
        message: `Internal server error (reference ${request.id}).`,
        details: { reference: request.id },
      },
    });
  });
}

/**
 * Refusals of a signed-in user go to the audit log (see auth/refusals.ts). A
 * failure to record is logged without the request's ids and does not change
 * the answer the user gets.
 */
async function auditRefusal(
  deps: Pick<AppDeps, "db" | "clock">,
  enumeration: EnumerationWatch,
  refusals: RefusalWatch,
  request: FastifyRequest,
  err: AppError,
): Promise<void> {
  const actor = request.actor;
  if (!actor) return;
  const ctx = { db: deps.db, actor, clock: deps.clock };
  const facts = { method: request.method, route: request.routeOptions.url ?? "(no route)" };
  try {
    if (err.code === "auth.forbidden") {
      request.log.info({ code: err.code, route: facts.route }, "forbidden");
      const noted = refusals.note(actor, facts, deps.clock.now());
      if (noted.ended) await recordRefusalSummary(ctx, noted.ended);
      if (noted.record) await recordAccessDenied(ctx, facts, { action: err.details?.action });
      return;
    }
    if (actor.userId === null) return;
    const seen = enumeration.note(actor.userId, deps.clock.now());
    if (seen.report) await recordIdEnumeration(ctx, facts, seen.count);
  } catch (e) {
    request.log.error(
      { code: err.code, route: facts.route, failure: (e as Error).name },
      "refusal not audited",
    );
  }
}
