import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { AnnouncementInput, BulletinDto, DigestInput, ReceiptsDto } from "./bulletins.model.js";
import {
  bulletinReceipts,
  listBulletins,
  makeDigests,
  openBulletin,
  publishAnnouncement,
} from "./bulletins.service.js";

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const tags = ["bulletins"];

/** Officer bulletins: listed and opened by their readers (the read receipt); published by national officers. */
export function bulletinsRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/bulletins",
    {
      schema: {
        tags,
        summary: "Bulletins addressed to the reader, newest first, with when they opened each",
        response: { 200: z.array(BulletinDto) },
      },
    },
    (req) => listBulletins(ctxOf(deps, req)),
  );
  app.post(
    "/api/bulletins",
    {
      schema: {
        tags,
        summary: "Publish an announcement to users by role and region",
        body: AnnouncementInput,
        response: { 200: BulletinDto },
      },
    },
    (req) => publishAnnouncement(ctxOf(deps, req), req.body),
  );
  app.post(
    "/api/bulletins/digests",
    {
      schema: {
        tags,
        summary: "Make the daily or weekly digest: one per region and one for the whole union (counts only)",
        body: DigestInput,
        response: { 200: z.array(BulletinDto) },
      },
    },
    (req) => makeDigests(ctxOf(deps, req), req.body.period),
  );
  app.post(
    "/api/bulletins/:id/read",
    {
      schema: {
        tags,
        summary: "Open a bulletin: the first opening is its read receipt",
        params: IdParams,
        response: { 200: BulletinDto },
      },
    },
    (req) => openBulletin(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/bulletins/:id/receipts",
    {
      schema: {
        tags,
        summary: "Who a bulletin is addressed to and who has opened it",
        params: IdParams,
        response: { 200: ReceiptsDto },
      },
    },
    (req) => bulletinReceipts(ctxOf(deps, req), req.params.id),
  );
}
