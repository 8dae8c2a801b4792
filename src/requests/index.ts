/** Requests for assistance to central departments, their service levels and escalation. What other parts of the application import from here. */
export type { RequestDto, RequestListDto, RequestSummaryDto } from "./requests.model.js";
export { requestsRoutes } from "./requests.routes.js";
export {
  answerRequest,
  createDepartment,
  listRequests,
  raiseRequest,
  setDepartmentMembers,
  triageRequest,
} from "./requests.service.js";
