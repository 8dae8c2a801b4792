import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { authKeys } from "./api/auth.js";
import { isApiError, isUnauthenticated } from "./api/client.js";
import { RequireAuth, RequirePermission } from "./components/Guards.js";
import { Layout } from "./components/Layout.js";
import { LoginScreen } from "./screens/LoginScreen.js";
import { NotFoundScreen } from "./screens/NotFoundScreen.js";

// Screens load on first visit: the charts library stays out of the first download.
const OverviewScreen = lazy(() =>
  import("./screens/OverviewScreen.js").then((m) => ({ default: m.OverviewScreen })),
);
const EmployersScreen = lazy(() =>
  import("./screens/EmployersScreen.js").then((m) => ({ default: m.EmployersScreen })),
);
const EmployerDetailScreen = lazy(() =>
  import("./screens/EmployerDetailScreen.js").then((m) => ({ default: m.EmployerDetailScreen })),
);
const MembersScreen = lazy(() =>
  import("./screens/MembersScreen.js").then((m) => ({ default: m.MembersScreen })),
);
const MemberDetailScreen = lazy(() =>
  import("./screens/MemberDetailScreen.js").then((m) => ({ default: m.MemberDetailScreen })),
);
const LawSettingsScreen = lazy(() =>
  import("./screens/LawSettingsScreen.js").then((m) => ({ default: m.LawSettingsScreen })),
);
const UnionSettingsScreen = lazy(() =>
  import("./screens/UnionSettingsScreen.js").then((m) => ({ default: m.UnionSettingsScreen })),
);
const AuditScreen = lazy(() => import("./screens/AuditScreen.js").then((m) => ({ default: m.AuditScreen })));
const ImportScreen = lazy(() =>
  import("./screens/ImportScreen.js").then((m) => ({ default: m.ImportScreen })),
);
const ReviewScreen = lazy(() =>
  import("./screens/ReviewScreen.js").then((m) => ({ default: m.ReviewScreen })),
);
const QualityScreen = lazy(() =>
  import("./screens/QualityScreen.js").then((m) => ({ default: m.QualityScreen })),
);
const DisputesScreen = lazy(() =>
  import("./screens/DisputesScreen.js").then((m) => ({ default: m.DisputesScreen })),
);
const DisputeScreen = lazy(() =>
  import("./screens/DisputeScreen.js").then((m) => ({ default: m.DisputeScreen })),
);
const BallotWizardScreen = lazy(() =>
  import("./screens/BallotWizardScreen.js").then((m) => ({ default: m.BallotWizardScreen })),
);
const BallotEditScreen = lazy(() =>
  import("./screens/BallotWizardScreen.js").then((m) => ({ default: m.BallotEditScreen })),
);
const BallotScreen = lazy(() =>
  import("./screens/BallotScreen.js").then((m) => ({ default: m.BallotScreen })),
);
const CanvassScreen = lazy(() =>
  import("./screens/CanvassScreen.js").then((m) => ({ default: m.CanvassScreen })),
);
const ActionScreen = lazy(() =>
  import("./screens/ActionScreen.js").then((m) => ({ default: m.ActionScreen })),
);
const JobsScreen = lazy(() => import("./screens/JobsScreen.js").then((m) => ({ default: m.JobsScreen })));
const DayBoardScreen = lazy(() =>
  import("./screens/DayBoardScreen.js").then((m) => ({ default: m.DayBoardScreen })),
);
const ActionReportScreen = lazy(() =>
  import("./screens/ActionReportScreen.js").then((m) => ({ default: m.ActionReportScreen })),
);
const BoardScreen = lazy(() => import("./screens/BoardScreen.js").then((m) => ({ default: m.BoardScreen })));
const CoalitionScreen = lazy(() =>
  import("./screens/CoalitionScreen.js").then((m) => ({ default: m.CoalitionScreen })),
);
const IndicativeListScreen = lazy(() =>
  import("./screens/IndicativeScreen.js").then((m) => ({ default: m.IndicativeListScreen })),
);
const IndicativeScreen = lazy(() =>
  import("./screens/IndicativeScreen.js").then((m) => ({ default: m.IndicativeScreen })),
);
const MemberLinkScreen = lazy(() =>
  import("./screens/MemberLinkScreen.js").then((m) => ({ default: m.MemberLinkScreen })),
);
const MaterialsScreen = lazy(() =>
  import("./screens/MaterialsScreen.js").then((m) => ({ default: m.MaterialsScreen })),
);
const BulletinsScreen = lazy(() =>
  import("./screens/BulletinsScreen.js").then((m) => ({ default: m.BulletinsScreen })),
);
const CommsScreen = lazy(() => import("./screens/CommsScreen.js").then((m) => ({ default: m.CommsScreen })));
const PlansScreen = lazy(() => import("./screens/PlansScreen.js").then((m) => ({ default: m.PlansScreen })));
const PlanScreen = lazy(() => import("./screens/PlansScreen.js").then((m) => ({ default: m.PlanScreen })));
const RequestsScreen = lazy(() =>
  import("./screens/RequestsScreen.js").then((m) => ({ default: m.RequestsScreen })),
);
const RequestScreen = lazy(() =>
  import("./screens/RequestsScreen.js").then((m) => ({ default: m.RequestScreen })),
);
const DuplicatesScreen = lazy(() =>
  import("./screens/DuplicatesScreen.js").then((m) => ({ default: m.DuplicatesScreen })),
);

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
    element: (
      <Suspense fallback={null}>
        <MemberLinkScreen />
      </Suspense>
    ),
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
        element: (
          <RequirePermission permission="members.summary" title="Overview">
            <OverviewScreen />
          </RequirePermission>
        ),
      },
      {
        path: "employers",
        element: (
          <RequirePermission permission="org.read" title="Employers">
            <EmployersScreen />
          </RequirePermission>
        ),
      },
      {
        path: "employers/:id",
        element: (
          <RequirePermission permission="org.read" title="Employer">
            <EmployerDetailScreen />
          </RequirePermission>
        ),
      },
      {
        path: "members",
        element: (
          <RequirePermission permission="members.read" title="Members">
            <MembersScreen />
          </RequirePermission>
        ),
      },
      {
        path: "members/:id",
        element: (
          <RequirePermission permission="members.read" title="Member">
            <MemberDetailScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots",
        element: (
          <RequirePermission permission="ballots.read" title="Ballots">
            <DisputesScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots/disputes/:id",
        element: (
          <RequirePermission permission="ballots.read" title="Dispute">
            <DisputeScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots/disputes/:id/action",
        element: (
          <RequirePermission permission="action.read" title="Day of action">
            <ActionScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots/disputes/:id/new",
        element: (
          <RequirePermission permission="ballots.manage" title="Add a ballot">
            <BallotWizardScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots/:id",
        element: (
          <RequirePermission permission="ballots.read" title="Ballot">
            <BallotScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots/:id/canvass",
        element: (
          <RequirePermission permission="canvass.contact" title="Contact list">
            <CanvassScreen />
          </RequirePermission>
        ),
      },
      {
        path: "ballots/:id/edit",
        element: (
          <RequirePermission permission="ballots.manage" title="Change the ballot set-up">
            <BallotEditScreen />
          </RequirePermission>
        ),
      },
      {
        path: "indicative",
        element: (
          <RequirePermission permission="indicative.read" title="Indicative ballots">
            <IndicativeListScreen />
          </RequirePermission>
        ),
      },
      {
        path: "indicative/:id",
        element: (
          <RequirePermission permission="indicative.read" title="Indicative ballot">
            <IndicativeScreen />
          </RequirePermission>
        ),
      },
      {
        path: "action/board",
        element: (
          <RequirePermission permission="action.read" title="Day of action board">
            <DayBoardScreen />
          </RequirePermission>
        ),
      },
      {
        path: "action/report",
        element: (
          <RequirePermission permission="action.report" title="Report on the day">
            <ActionReportScreen />
          </RequirePermission>
        ),
      },
      {
        path: "board",
        element: (
          <RequirePermission permission="board.read" title="Disputes unit board">
            <BoardScreen />
          </RequirePermission>
        ),
      },
      {
        path: "coalition",
        element: (
          <RequirePermission permission="coalition.read" title="Coalition">
            <CoalitionScreen />
          </RequirePermission>
        ),
      },
      {
        path: "coalition/:id",
        element: (
          <RequirePermission permission="coalition.read" title="Coalition">
            <CoalitionScreen />
          </RequirePermission>
        ),
      },
      {
        path: "comms",
        element: (
          <RequirePermission permission="comms.read" title="Communications">
            <CommsScreen />
          </RequirePermission>
        ),
      },
      {
        path: "plans",
        element: (
          <RequirePermission permission="plans.read" title="Plans">
            <PlansScreen />
          </RequirePermission>
        ),
      },
      {
        path: "materials",
        element: (
          <RequirePermission permission="materials.read" title="Materials">
            <MaterialsScreen />
          </RequirePermission>
        ),
      },
      {
        path: "plans/:id",
        element: (
          <RequirePermission permission="plans.read" title="Plan">
            <PlanScreen />
          </RequirePermission>
        ),
      },
      {
        path: "requests",
        element: (
          <RequirePermission permission="requests.read" title="Requests">
            <RequestsScreen />
          </RequirePermission>
        ),
      },
      {
        path: "requests/:id",
        element: (
          <RequirePermission permission="requests.read" title="Request">
            <RequestScreen />
          </RequirePermission>
        ),
      },
      {
        path: "bulletins",
        element: (
          <RequirePermission permission="bulletins.read" title="Bulletins">
            <BulletinsScreen />
          </RequirePermission>
        ),
      },
      {
        path: "imports",
        element: (
          <RequirePermission permission="members.import" title="Import members">
            <ImportScreen />
          </RequirePermission>
        ),
      },
      {
        path: "review",
        element: (
          <RequirePermission permission="org.write" title="Employer review">
            <ReviewScreen />
          </RequirePermission>
        ),
      },
      {
        path: "quality",
        element: (
          <RequirePermission permission="members.summary" title="Register quality">
            <QualityScreen />
          </RequirePermission>
        ),
      },
      {
        path: "duplicates",
        element: (
          <RequirePermission permission="members.import" title="Possible duplicates">
            <DuplicatesScreen />
          </RequirePermission>
        ),
      },
      {
        path: "jobs",
        element: (
          <RequirePermission permission="members.import" title="Jobs">
            <JobsScreen />
          </RequirePermission>
        ),
      },
      {
        path: "audit",
        element: (
          <RequirePermission permission="audit.read" title="Audit log">
            <AuditScreen />
          </RequirePermission>
        ),
      },
      {
        path: "settings",
        element: (
          <RequirePermission permission="org.write" title="Union letterhead">
            <UnionSettingsScreen />
          </RequirePermission>
        ),
      },
      // Everyone signed in reads the commencement dates; only national officers record them.
      { path: "settings/law", element: <LawSettingsScreen /> },
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
