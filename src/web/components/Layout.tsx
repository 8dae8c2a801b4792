import { Suspense, useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { hasPermission, useLogout, useUser } from "../api/auth.js";
import { Loading } from "./QueryState.js";

interface NavItem {
  to: string;
  label: string;
  /** Who sees the link; none: everyone signed in. */
  permission?: string;
  end?: boolean;
}

const NAV: readonly NavItem[] = [
  { to: "/", label: "Overview", permission: "members.summary", end: true },
  { to: "/employers", label: "Employers", permission: "org.read" },
  { to: "/members", label: "Members", permission: "members.read" },
  { to: "/ballots", label: "Ballots", permission: "ballots.read" },
  { to: "/indicative", label: "Indicative", permission: "indicative.read" },
  { to: "/comms", label: "Communications", permission: "comms.read" },
  { to: "/plans", label: "Plans", permission: "plans.read" },
  { to: "/requests", label: "Requests", permission: "requests.read" },
  { to: "/board", label: "Board", permission: "board.read" },
  { to: "/action/board", label: "Day of action", permission: "action.read" },
  { to: "/action/report", label: "Report on the day", permission: "action.report" },
  { to: "/coalition", label: "Coalition", permission: "coalition.read" },
  { to: "/materials", label: "Materials", permission: "materials.read" },
  { to: "/bulletins", label: "Bulletins", permission: "bulletins.read" },
  { to: "/imports", label: "Import", permission: "members.import" },
  { to: "/review", label: "Review", permission: "org.write" },
  { to: "/quality", label: "Quality", permission: "members.summary" },
  { to: "/duplicates", label: "Duplicates", permission: "members.import" },
  { to: "/jobs", label: "Jobs", permission: "members.import" },
  { to: "/audit", label: "Audit log", permission: "audit.read" },
  { to: "/settings", label: "Settings", permission: "org.write", end: true },
  { to: "/settings/law", label: "Law in force" },
];

/** The signed-in frame: top bar (union, user, role, scope), navigation by permission, and the screen. */
export function Layout() {
  const user = useUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const lastPath = useRef(location.pathname);
  const pathname = location.pathname;

  // On navigation: close the phone menu and move focus to the new screen, so
  // screen-reader and keyboard users start at its content.
  useEffect(() => {
    if (lastPath.current === pathname) return;
    lastPath.current = pathname;
    setMenuOpen(false);
    mainRef.current?.focus({ preventScroll: false });
  }, [pathname]);

  const items = NAV.filter((item) => !item.permission || hasPermission(user, item.permission));

  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => navigate("/login", { replace: true }) });
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <Link to="/" className="brand-mark">
              Mandate
            </Link>
            <span className="brand-union">{user.unionName}</span>
          </div>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {menuOpen ? "Close menu" : "Menu"}
          </button>
          <nav id="site-menu" aria-label="Main" className={menuOpen ? "site-menu open" : "site-menu"}>
            <ul className="nav-list">
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end ?? false} className="nav-link">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="user-box">
            <p className="user-name">{user.displayName}</p>
            <p className="user-role">
              {user.roleLabel}
              <span aria-hidden="true"> · </span>
              <span className="visually-hidden">, scope: </span>
              <span data-testid="scope-label" className="user-scope">
                {user.scopeLabel}
              </span>
            </p>
            <button
              type="button"
              className="button button-small button-on-dark sign-out"
              onClick={signOut}
              disabled={logout.isPending}
            >
              {logout.isPending ? "Signing out…" : "Sign out"}
            </button>
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="container">
        <Suspense fallback={<Loading label="Loading the screen…" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer container">
        <p>
          Mandate · membership records are special-category personal data: use them only for union business
          and do not copy them out of the system.
        </p>
      </footer>
    </>
  );
}
