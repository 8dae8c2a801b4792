/** Officer bulletins (decisions/0030): digests and announcements to users, with read receipts. What other parts of the application import from here. */
export { bulletinsRoutes } from "./bulletins.routes.js";
export { listBulletins, makeDigests, openBulletin, publishAnnouncement } from "./bulletins.service.js";
export { DIGEST_JOB, digestJob } from "./digests.schedule.js";
