import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  getUnionSettings,
  UnionSettingsDto,
  UpdateUnionSettingsInput,
  updateUnionSettings,
} from "./union-settings.js";

export function unionSettingsRoutes(app: App, deps: AppDeps): void {
  const tags = ["org"];
  app.get(
    "/api/union/settings",
    {
      schema: {
        tags,
        summary: "Who the union's notices come from: name, address, contact and signatory",
        response: { 200: UnionSettingsDto },
      },
    },
    (req) => getUnionSettings(ctxOf(deps, req)),
  );
  app.patch(
    "/api/union/settings",
    {
      schema: {
        tags,
        summary: "Change the union's letterhead and signatory (national officers; audited)",
        body: UpdateUnionSettingsInput,
        response: { 200: UnionSettingsDto },
      },
    },
    (req) => updateUnionSettings(ctxOf(deps, req), req.body),
  );
}
