import { Link, useLocation } from "react-router";
import { usePageTitle } from "../components/hooks.js";

export function NotFoundScreen() {
  usePageTitle("Page not found");
  const location = useLocation();
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{location.pathname}</code>. Check the address, or go back to the{" "}
        <Link to="/">overview</Link>.
      </p>
    </>
  );
}
