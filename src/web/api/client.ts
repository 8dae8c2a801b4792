/**
 * The one way the web app talks to the API: same-origin fetch with the
 * session cookie, the CSRF header on state-changing requests, and error JSON
 * (`{ error: { code, message, details } }`) turned into an ApiError.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** The session has gone (or never was): the app shows the sign-in screen. */
export function isUnauthenticated(e: unknown): boolean {
  return isApiError(e) && e.code === "auth.unauthenticated";
}

/** A 404 from the API: the row does not exist or lies outside the user's scope. */
export function isNotFound(e: unknown): boolean {
  return isApiError(e) && e.status === 404;
}

let csrfToken = "";

/** Set from the login and /api/auth/me responses; cleared on sign-out. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type QueryValue = string | number | boolean | null | undefined;

/** Builds `?a=1&b=x`, leaving out empty values. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

export interface ApiOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal | undefined;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const err = body?.error;
  const code = typeof err?.code === "string" ? err.code : `http.${response.status}`;
  const message =
    typeof err?.message === "string" && err.message
      ? err.message
      : `The server answered ${response.status} ${response.statusText || ""}`.trim();
  return new ApiError(response.status, code, message, asRecord(err?.details));
}

/**
 * Calls the API. Resolves with the parsed JSON body (or undefined for 204),
 * rejects with an ApiError carrying the API's code and message.
 * The type parameter is the DTO the route's schema promises.
 */
export async function apiFetch<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (UNSAFE_METHODS.has(method) && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(
      0,
      "network.unreachable",
      "Cannot reach the Mandate server. Check your connection and try again.",
    );
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
