/** Regional plans and national sector strategies, their tasks and the disputes unit's roll-up. What other parts of the application import from here. */
export type { PlanDto, PlanListDto, RollupDto, TaskDto } from "./plans.model.js";
export { plansRoutes } from "./plans.routes.js";
export {
  addMeeting,
  addObjective,
  addResource,
  addTask,
  createPlan,
  listPlans,
  plansRollup,
  updateTask,
} from "./plans.service.js";
