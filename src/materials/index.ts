/** The materials library (decisions/0029): campaign files with versions, languages, audiences and approval. What other parts of the application import from here. */
export { materialsRoutes } from "./materials.routes.js";
export {
  approveMaterialVersion,
  createMaterial,
  downloadMaterialVersion,
  getMaterial,
  listMaterials,
  uploadVersion,
  withdrawMaterialVersion,
} from "./materials.service.js";
