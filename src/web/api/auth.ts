import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import { ROLE_ROWS } from "../../auth/permissions.js";
import type { LoginInput, SessionDto, UserDto } from "../../auth/users.model.js";
import { setServerToday } from "../format.js";
import { apiFetch, isUnauthenticated, setCsrfToken } from "./client.js";

export type { SessionDto, UserDto };

export const authKeys = {
  session: ["auth", "session"] as const,
};

/** The signed-in session, or null when nobody is signed in. */
async function fetchSession(signal: AbortSignal): Promise<SessionDto | null> {
  try {
    const session = await apiFetch<SessionDto>("/api/auth/me", { signal });
    setCsrfToken(session.csrfToken);
    setServerToday(session.today);
    return session;
  } catch (e) {
    if (isUnauthenticated(e)) {
      setCsrfToken("");
      return null;
    }
    throw e;
  }
}

export function useSession() {
  return useQuery({
    queryKey: authKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
    retry: 1,
  });
}

/** The signed-in user, provided by the sign-in guard to every screen inside it. */
export const UserContext = createContext<UserDto | null>(null);

/** The signed-in user; only for screens rendered inside the signed-in layout. */
export function useUser(): UserDto {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser() outside a signed-in screen.");
  return user;
}

export function hasPermission(user: UserDto, permission: string): boolean {
  return user.permissions.includes(permission);
}

/** The user's rows are the whole union (national officer, scrutineer, observer, DPO), not some regions, sectors or workplaces. */
export function seesWholeUnion(user: UserDto): boolean {
  return ROLE_ROWS[user.role] === "all";
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) =>
      apiFetch<SessionDto>("/api/auth/login", { method: "POST", body: input }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      setServerToday(session.today);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.session[0] });
      queryClient.setQueryData(authKeys.session, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>("/api/auth/logout", { method: "POST" }),
    onSettled: () => {
      setCsrfToken("");
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.session[0] });
      queryClient.setQueryData(authKeys.session, null);
    },
  });
}
