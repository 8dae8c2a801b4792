/** Member links: personal, expiring links members use without signing in. What other parts of the application import from here. */
export { issueIndicativeLinks, listIndicativeLinks, openLink } from "./memberlink.service.js";
