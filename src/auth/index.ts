/** Users, roles and the permission gate: who may do what, over which members. What other parts of the application import from here. */
export { hashPassword } from "./passwords.js";
export {
  type Actor,
  APPOINTED_TO_BALLOTS,
  authorize,
  can,
  type Grant,
  type RowScope,
  rowInScope,
  scopeKindNeeded,
} from "./permissions.js";
export { countsInScope, memberInScope } from "./scope-sql.js";
export { SESSION_CACHE_MS } from "./sessions.service.js";
export { selectUsersOfEmailDomain as listUsersOfEmailDomain } from "./users.store.js";
