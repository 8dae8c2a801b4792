import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { hasPermission, UserContext, useSession, useUser } from "../api/auth.js";
import { usePageTitle } from "./hooks.js";
import { ErrorPanel, Loading } from "./QueryState.js";

export interface FromState {
  from?: string;
}

/** Renders its children for a signed-in user; otherwise sends them to /login, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) {
    return (
      <main className="container">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="container">
        <ErrorPanel
          error={session.error}
          title="Cannot check your session"
          onRetry={() => void session.refetch()}
        />
      </main>
    );
  }
  if (!session.data) {
    const state: FromState = { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={state} />;
  }
  return <UserContext value={session.data.user}>{children}</UserContext>;
}

/** A screen the user's role may not open: said plainly, without calling the API. */
export function RequirePermission({
  permission,
  title,
  children,
}: {
  permission: string;
  title: string;
  children: ReactNode;
}) {
  const user = useUser();
  if (hasPermission(user, permission)) return children;
  return <NoAccess title={title} roleLabel={user.roleLabel} />;
}

function NoAccess({ title, roleLabel }: { title: string; roleLabel: string }) {
  usePageTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <div className="notice notice-warning">
        <p>Your role ({roleLabel}) does not give access to this screen.</p>
      </div>
    </>
  );
}
