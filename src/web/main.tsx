import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { authKeys } from "./api/auth.js";
import { isApiError, isUnauthenticated } from "./api/client.js";
import { RequireAuth, RequirePermission } from "./components/Guards.js";
import { Layout } from "./components/Layout.js";
import { LoginScreen } from "./screens/LoginScreen.js";
import { NotFoundScreen } from "./screens/NotFoundScreen.js";

/**
 * A screen loaded on its first visit (the charts library stays out of the first download), behind its
 * permission where it has one. The router loads it before the navigation commits, so the screen it
 * replaces stays until the new one can draw: no "loading" flash, and no wait for React to reveal
 * suspended content (which it holds back for up to 300 ms).
 */
function screen(load: () => Promise<ComponentType>, permission?: string, title?: string) {
  return async () => {
    const Screen = await load();
    return {
      element: permission ? (
        <RequirePermission permission={permission} title={title ?? ""}>
          <Screen />
        </RequirePermission>
      ) : (
        <Screen />
      ),
    };
  };
}

/** A lapsed session anywhere sends the user back to the sign-in screen. */
function onApiError(error: unknown): void {
  if (isUnauthenticated(error)) queryClient.setQueryData(authKeys.session, null);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx answer (not found, forbidden, invalid) will not change on retry.
      retry: (failures, error) =>
        !(isApiError(error) && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

const router = createBrowserRouter([
  { path: "/login", element: <LoginScreen /> },
  // A member's own link (decision 0022): no sign-in; the token is in the fragment.
  {
    path: "/m",
    lazy: screen(() => import("./screens/MemberLinkScreen.js").then((m) => m.MemberLinkScreen)),
  },
  {
    path: "/",
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      {
        index: true,
        lazy: screen(
          () => import("./screens/OverviewScreen.js").then((m) => m.OverviewScreen),
          "members.summary",
          "Overview",
        ),
      },
      {
        path: "employers",
        lazy: screen(
          () => import("./screens/EmployersScreen.js").then((m) => m.EmployersScreen),
          "org.read",
          "Employers",
        ),
      },
      {
        path: "employers/:id",
        lazy: screen(
          () => import("./screens/EmployerDetailScreen.js").then((m) => m.EmployerDetailScreen),
          "org.read",
          "Employer",
        ),
      },
      {
        path: "members",
        lazy: screen(
          () => import("./screens/MembersScreen.js").then((m) => m.MembersScreen),
          "members.read",
          "Members",
        ),
      },
      {
        path: "members/:id",
        lazy: screen(
          () => import("./screens/MemberDetailScreen.js").then((m) => m.MemberDetailScreen),
          "members.read",
          "Member",
        ),
      },
      {
        path: "ballots",
        lazy: screen(
          () => import("./screens/DisputesScreen.js").then((m) => m.DisputesScreen),
          "ballots.read",
          "Ballots",
        ),
      },
      {
        path: "ballots/disputes/:id",
        lazy: screen(
          () => import("./screens/DisputeScreen.js").then((m) => m.DisputeScreen),
          "ballots.read",
          "Dispute",
        ),
      },
      {
        path: "ballots/disputes/:id/action",
        lazy: screen(
          () => import("./screens/ActionScreen.js").then((m) => m.ActionScreen),
          "action.read",
          "Day of action",
        ),
      },
      {
        path: "ballots/disputes/:id/new",
        lazy: screen(
          () => import("./screens/BallotWizardScreen.js").then((m) => m.BallotWizardScreen),
          "ballots.manage",
          "Add a ballot",
        ),
      },
      {
        path: "ballots/:id",
        lazy: screen(
          () => import("./screens/BallotScreen.js").then((m) => m.BallotScreen),
          "ballots.read",
          "Ballot",
        ),
      },
      {
        path: "ballots/:id/canvass",
        lazy: screen(
          () => import("./screens/CanvassScreen.js").then((m) => m.CanvassScreen),
          "canvass.contact",
          "Contact list",
        ),
      },
      {
        path: "ballots/:id/edit",
        lazy: screen(
          () => import("./screens/BallotWizardScreen.js").then((m) => m.BallotEditScreen),
          "ballots.manage",
          "Change the ballot set-up",
        ),
      },
      {
        path: "indicative",
        lazy: screen(
          () => import("./screens/IndicativeScreen.js").then((m) => m.IndicativeListScreen),
          "indicative.read",
          "Indicative ballots",
        ),
      },
      {
        path: "indicative/:id",
        lazy: screen(
          () => import("./screens/IndicativeScreen.js").then((m) => m.IndicativeScreen),
          "indicative.read",
          "Indicative ballot",
        ),
      },
      {
        path: "action/board",
        lazy: screen(
          () => import("./screens/DayBoardScreen.js").then((m) => m.DayBoardScreen),
          "action.read",
          "Day of action board",
        ),
      },
      {
        path: "action/report",
        lazy: screen(
          () => import("./screens/ActionReportScreen.js").then((m) => m.ActionReportScreen),
          "action.report",
          "Report on the day",
        ),
      },
      {
        path: "board",
        lazy: screen(
          () => import("./screens/BoardScreen.js").then((m) => m.BoardScreen),
          "board.read",
          "Disputes unit board",
        ),
      },
      {
        path: "coalition",
        lazy: screen(
          () => import("./screens/CoalitionScreen.js").then((m) => m.CoalitionScreen),
          "coalition.read",
          "Coalition",
        ),
      },
      {
        path: "coalition/:id",
        lazy: screen(
          () => import("./screens/CoalitionScreen.js").then((m) => m.CoalitionScreen),
          "coalition.read",
          "Coalition",
        ),
      },
      {
        path: "comms",
        lazy: screen(
          () => import("./screens/CommsScreen.js").then((m) => m.CommsScreen),
          "comms.read",
          "Communications",
        ),
      },
      {
        path: "plans",
        lazy: screen(
          () => import("./screens/PlansScreen.js").then((m) => m.PlansScreen),
          "plans.read",
          "Plans",
        ),
      },
      {
        path: "materials",
        lazy: screen(
          () => import("./screens/MaterialsScreen.js").then((m) => m.MaterialsScreen),
          "materials.read",
          "Materials",
        ),
      },
      {
        path: "plans/:id",
        lazy: screen(
          () => import("./screens/PlansScreen.js").then((m) => m.PlanScreen),
          "plans.read",
          "Plan",
        ),
      },
      {
        path: "requests",
        lazy: screen(
          () => import("./screens/RequestsScreen.js").then((m) => m.RequestsScreen),
          "requests.read",
          "Requests",
        ),
      },
      {
        path: "requests/:id",
        lazy: screen(
          () => import("./screens/RequestsScreen.js").then((m) => m.RequestScreen),
          "requests.read",
          "Request",
        ),
      },
      {
        path: "bulletins",
        lazy: screen(
          () => import("./screens/BulletinsScreen.js").then((m) => m.BulletinsScreen),
          "bulletins.read",
          "Bulletins",
        ),
      },
      {
        path: "imports",
        lazy: screen(
          () => import("./screens/ImportScreen.js").then((m) => m.ImportScreen),
          "members.import",
          "Import members",
        ),
      },
      {
        path: "review",
        lazy: screen(
          () => import("./screens/ReviewScreen.js").then((m) => m.ReviewScreen),
          "org.write",
          "Employer review",
        ),
      },
      {
        path: "quality",
        lazy: screen(
          () => import("./screens/QualityScreen.js").then((m) => m.QualityScreen),
          "members.summary",
          "Register quality",
        ),
      },
      {
        path: "duplicates",
        lazy: screen(
          () => import("./screens/DuplicatesScreen.js").then((m) => m.DuplicatesScreen),
          "members.import",
          "Possible duplicates",
        ),
      },
      {
        path: "jobs",
        lazy: screen(
          () => import("./screens/JobsScreen.js").then((m) => m.JobsScreen),
          "members.import",
          "Jobs",
        ),
      },
      {
        path: "audit",
        lazy: screen(
          () => import("./screens/AuditScreen.js").then((m) => m.AuditScreen),
          "audit.read",
          "Audit log",
        ),
      },
      {
        path: "settings",
        lazy: screen(
          () => import("./screens/UnionSettingsScreen.js").then((m) => m.UnionSettingsScreen),
          "org.write",
          "Union letterhead",
        ),
      },
      // Everyone signed in reads the commencement dates; only national officers record them.
      {
        path: "settings/law",
        lazy: screen(() => import("./screens/LawSettingsScreen.js").then((m) => m.LawSettingsScreen)),
      },
      { path: "*", element: <NotFoundScreen /> },
    ],
  },
]);

const root = document.getElementById("root");
if (!root) throw new Error("index.html lacks #root");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
