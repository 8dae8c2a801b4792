import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import type { Actor } from "../auth/permissions.js";
import type { Ctx } from "../context.js";
import type { Database } from "../db/database.js";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";

export interface AppDeps {
  /** Communications settings for the in-process worker's sends (none: sends wait for `mandate worker`). */
  comms?: import("../comms/index.js").CommsOptions;
  db: Kysely<Database>;
  clock: Clock;
  secureCookies: boolean;
  /** Folder of the built web app (index.html); null serves the API only. */
  webDir: string | null;
  logLevel: string;
  /** Where the log goes (default: standard output); tests read it to check what it says. */
  logStream?: NodeJS.WritableStream;
  /** Where uploaded import files are kept (default: the system temp folder). */
  uploadDir?: string;
  /** Run a job worker in this process (default true): imports and other jobs queued here run here. */
  worker?: boolean;
  /** Called when a route queues a job, so the in-process worker looks at once. */
  onJobQueued?: () => void;
  /**
   * Behind a reverse proxy that terminates TLS: the proxy's addresses or CIDR
   * ranges (comma-separated, or "loopback"), whose X-Forwarded-For and
   * X-Forwarded-Proto headers are believed. Off by default, since anyone can
   * send them; never every hop, since the client writes the leftmost entry.
   */
  trustProxy?: string | null;
  /** The largest import file accepted (default 1 GB); a larger one is refused and not kept. */
  uploadLimitBytes?: number;
  /** Days an upload of a failed import job is kept for a retry before it is removed (default 7). */
  uploadRetentionDays?: number;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
    csrfToken: string | null;
  }
}

/** The service context of a signed-in request; routes that reach here are behind the sign-in gate. */
export function ctxOf(deps: AppDeps, request: FastifyRequest): Ctx {
  if (!request.actor) throw new AppError("auth.unauthenticated", "Sign in first.");
  return { db: deps.db, actor: request.actor, clock: deps.clock };
}
