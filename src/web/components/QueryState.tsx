import type { ReactNode } from "react";
import { isApiError } from "../api/client.js";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An API or network failure, said plainly, with a retry when one makes sense. */
export function ErrorPanel({
  error,
  title = "Something went wrong",
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const message = error instanceof Error ? error.message : "Unexpected error.";
  const code = isApiError(error) ? error.code : null;
  return (
    <div className="notice notice-error" role="alert">
      <h2 className="notice-title">{title}</h2>
      <p>{message}</p>
      {code && code !== "network.unreachable" ? <p className="muted small">Error code: {code}</p> : null}
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Notice({
  tone,
  title,
  children,
}: {
  tone: "error" | "warning" | "ok" | "info";
  title?: string;
  children: ReactNode;
}) {
  return (
    <div className={`notice notice-${tone}`}>
      {title ? <p className="notice-title">{title}</p> : null}
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
