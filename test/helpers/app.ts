import type { InjectOptions, LightMyRequestResponse } from "fastify";
import type { OpenDatabase } from "../../src/db/connect.js";
import { buildApp } from "../../src/http/app.js";
import type { App } from "../../src/http/types.js";
import type { Clock } from "../../src/shared/clock.js";
import { CLOCK, PASSWORD } from "./fixtures.js";

export async function buildTestApp(
  open: OpenDatabase,
  webDir: string | null = null,
  clock: Clock = CLOCK,
): Promise<App> {
  return buildApp({ db: open.db, clock, secureCookies: false, webDir, logLevel: "silent" });
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in through the real endpoint, as a browser would. */
export async function signIn(app: App, email: string, password = PASSWORD): Promise<Session> {
  const res = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "mandate_session");
  if (!cookie) throw new Error("no session cookie");
  return { cookie: `mandate_session=${cookie.value}`, csrf: res.json().csrfToken };
}

/** A request as the signed-in user, with the CSRF header on state-changing methods. */
export function as(app: App, session: Session, options: InjectOptions): Promise<LightMyRequestResponse> {
  const method = (options.method ?? "GET").toUpperCase();
  return app.inject({
    ...options,
    headers: {
      ...(options.headers ?? {}),
      cookie: session.cookie,
      ...(method === "GET" ? {} : { "x-csrf-token": session.csrf }),
    },
  });
}

/** A multipart/form-data body with one file field named "file" (and text fields), as a browser sends an upload. */
export function multipart(
  fileName: string,
  content: Buffer | string,
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = "----mandate-test-boundary";
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** Waits for a job of the queue to end (the app's own worker runs it) and returns it. */
export async function waitForJob(
  app: App,
  session: Session,
  id: number,
  timeoutMs = 60_000,
): Promise<{ state: string; result: unknown; errorCode: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await as(app, session, { url: `/api/jobs/${id}` })).json();
    if (["succeeded", "failed", "cancelled"].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
