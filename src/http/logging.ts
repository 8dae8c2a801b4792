import { isPgError } from "../shared/errors.js";

/**
 * What the server's log may say about a request and an error. Members' data
 * must never reach it: a PostgreSQL error's message, `detail` and `where`
 * quote the values involved (a membership number), a query string carries
 * searches by name, and bodies carry whole records. So a request is logged by
 * method and path, a PostgreSQL error by its code and the constraint, table
 * and column it names, and any other error by type, message and stack.
 */
export const logSerializers = {
  req(request: { method?: string; url?: string; id?: string }) {
    // An unsubscribe or bulletin link's token is a credential: the log names the route, not the token.
    const path = (request.url ?? "")
      .split("?")[0]
      ?.replace(/^(\/api\/(?:comms\/unsubscribe|bulletins\/open)\/)[^/]+/, "$1…");
    return { method: request.method, path, id: request.id };
  },
  err(err: unknown) {
    return describeError(err);
  },
};

export function describeError(err: unknown): {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
} {
  if (isPgError(err)) {
    const e = err as { code: string; constraint?: string; table?: string; column?: string; routine?: string };
    return {
      type: "PostgresError",
      message: `PostgreSQL error ${e.code}`,
      stack: "",
      code: e.code,
      ...(e.constraint ? { constraint: e.constraint } : {}),
      ...(e.table ? { table: e.table } : {}),
      ...(e.column ? { column: e.column } : {}),
      ...(e.routine ? { routine: e.routine } : {}),
    };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      type: err.name,
      message: err.message,
      ...(typeof code === "string" ? { code } : {}),
      stack: err.stack ?? "",
      ...(err.cause !== undefined ? { cause: describeError(err.cause) } : {}),
    };
  }
  return { type: typeof err, message: "", stack: "" };
}

/** The first string holding a NUL character (PostgreSQL cannot store one in text), by its path; null when none. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (depth > 20 || value === null || typeof value !== "object") return null;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes("\u0000")) return `${path}.${key.replaceAll("\u0000", "\\0")}`;
    const found = findNul(v, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}
