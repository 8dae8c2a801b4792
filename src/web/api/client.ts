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

/**
 * Answers kept in memory with their entity tags, for routes that answer 304 Not Modified to a client
 * holding the current figures (the turnout dashboards). Never written to the browser's cache (the API
 * says no-store); forgotten whenever the signed-in user changes.
 */
const heldAnswers = new Map<string, { etag: string; data: unknown }>();

/** Set from the login and /api/auth/me responses; cleared on sign-out. */
export function setCsrfToken(token: string): void {
  if (token !== csrfToken) heldAnswers.clear();
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
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
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

/** An ApiError from a failed answer's status and body text (JSON error or anything else). */
function errorFrom(status: number, statusText: string, text: string): ApiError {
  let body: ErrorBody | undefined;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = undefined;
  }
  const err = body?.error;
  const code = typeof err?.code === "string" ? err.code : `http.${status}`;
  const message =
    typeof err?.message === "string" && err.message
      ? err.message
      : `The server answered ${status} ${statusText || ""}`.trim();
  return new ApiError(status, code, message, asRecord(err?.details));
}

async function toApiError(response: Response): Promise<ApiError> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    text = "";
  }
  return errorFrom(response.status, response.statusText, text);
}

function unreachable(): ApiError {
  return new ApiError(
    0,
    "network.unreachable",
    "Cannot reach the Mandate server. Check your connection and try again.",
  );
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
    throw unreachable();
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Like apiFetch for a GET whose answer carries an entity tag: asks whether the answer held in memory is
 * still current (If-None-Match) and keeps it on 304, so a dashboard refreshing every minute is sent again
 * only when its figures have changed.
 */
export async function apiFetchHeld<T>(
  path: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const held = heldAnswers.get(path);
  const headers: Record<string, string> = { accept: "application/json" };
  if (held) headers["if-none-match"] = held.etag;
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: "same-origin", signal: options.signal ?? null });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw unreachable();
  }
  if (response.status === 304 && held) return held.data as T;
  if (!response.ok) throw await toApiError(response);
  const text = await response.text();
  const data = (text ? JSON.parse(text) : undefined) as T;
  const etag = response.headers.get("etag");
  if (etag) heldAnswers.set(path, { etag, data });
  else heldAnswers.delete(path);
  return data;
}

/** A request whose answer is a file: the response, once it is known to be OK. */
async function fetchFile(path: string, options: ApiOptions): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = {};
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
    throw unreachable();
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

/** Like apiFetch, for an answer that is a file (CSV): resolves with its text. */
export async function apiFetchText(path: string, options: ApiOptions = {}): Promise<string> {
  return (await (await fetchFile(path, options)).text()).replace(/^\uFEFF/, "");
}

/** Like apiFetch, for an answer that is a binary file (PDF): resolves with its bytes. */
export async function apiFetchBlob(path: string, options: ApiOptions = {}): Promise<Blob> {
  return (await fetchFile(path, options)).blob();
}

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send, or null when the browser cannot tell. */
  total: number | null;
}

/**
 * POSTs a multipart form (a file upload) with the CSRF header, reporting how
 * much of the body has been sent: fetch cannot report upload progress, so
 * this one call uses XMLHttpRequest. Resolves and rejects like apiFetch.
 */
export function apiUpload<T>(
  path: string,
  form: FormData,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    if (csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
    xhr.upload.onprogress = (event) => {
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : null });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          reject(new ApiError(xhr.status, "http.invalid_json", "The server's answer could not be read."));
        }
        return;
      }
      reject(errorFrom(xhr.status, xhr.statusText, xhr.responseText));
    };
    xhr.onerror = () => reject(unreachable());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
        return;
      }
      signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
