/** Official registers of employers and workplaces, and their import. What other parts of the application import from here. */
export { importRegister } from "./register-import.service.js";
