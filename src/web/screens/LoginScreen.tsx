import { type FormEvent, useId, useState } from "react";
import { Navigate, useLocation } from "react-router";
import { useLogin, useSession } from "../api/auth.js";
import type { FromState } from "../components/Guards.js";
import { usePageTitle } from "../components/hooks.js";

function fromOf(state: unknown): string {
  const from = (state as FromState | null)?.from;
  // Only same-app paths, never "//elsewhere" or the sign-in screen itself.
  return typeof from === "string" &&
    from.startsWith("/") &&
    !from.startsWith("//") &&
    !from.startsWith("/login")
    ? from
    : "/";
}

export function LoginScreen() {
  usePageTitle("Sign in");
  const session = useSession();
  const login = useLogin();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const id = useId();
  const target = fromOf(location.state);

  if (session.data) return <Navigate to={target} replace />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // On success the session is set and the <Navigate> above takes the user on.
    login.mutate({ email, password });
  };

  return (
    <main className="login-page" id="main">
      <div className="login-card">
        <p className="login-brand">Mandate</p>
        <h1>Sign in</h1>
        <p className="muted">Prepare your union's statutory industrial-action ballots.</p>
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-describedby={login.isError ? `${id}-error` : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={login.isError ? `${id}-error` : undefined}
            />
          </div>
          <div aria-live="assertive" className="live-region">
            {login.isError ? (
              <p id={`${id}-error`} className="form-error">
                {login.error.message}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button-primary button-block" disabled={login.isPending}>
            {login.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
