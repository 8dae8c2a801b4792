/** Member links: personal, expiring links members use without signing in. What other parts of the application import from here. */
export {
  issueBallotLinks,
  issueIndicativeLinks,
  listBallotLinks,
  listIndicativeLinks,
  openLink,
  reportByLink,
} from "./memberlink.service.js";
