/** The National Disputes Unit board and its daily briefing. What other parts of the application import from here. */
export type { BoardDto } from "./board.model.js";
export { boardRoutes } from "./board.routes.js";
export { forgetBoards, getBoard } from "./board.service.js";
