import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  AnnouncementInput,
  BulletinDto,
  DigestInput,
  DigestScheduleDto,
  DigestScheduleInput,
  ReceiptsDto,
} from "./bulletins.model.js";
import {
  bulletinReceipts,
  listBulletins,
  makeDigests,
  openBulletin,
  publishAnnouncement,
} from "./bulletins.service.js";
import { getDigestSchedule, openByLink, setDigestSchedule } from "./digests.schedule.js";

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const TokenParams = z.object({ token: z.string().min(1).max(120) });
const tags = ["bulletins"];

/** Officer bulletins: listed and opened by their readers (the read receipt); published by national officers. */
export function bulletinsRoutes(app: App, deps: AppDeps): void {
  const emailCopies = { emailCopies: !!deps.comms?.emailTransport };
  app.get(
    "/api/union/settings/digests",
    {
      schema: {
        tags,
        summary: "The union's digest schedule (UK time) and when the next digests are due",
        response: { 200: DigestScheduleDto },
      },
    },
    (req) => getDigestSchedule(ctxOf(deps, req), emailCopies),
  );
  app.put(
    "/api/union/settings/digests",
    {
      schema: {
        tags,
        summary: "Set the digest schedule: off, daily or weekly, the hour in UK time, the weekday (audited)",
        body: DigestScheduleInput,
        response: { 200: DigestScheduleDto },
      },
    },
    async (req) => {
      const answer = await setDigestSchedule(ctxOf(deps, req), req.body, emailCopies);
      deps.onJobQueued?.();
      return answer;
    },
  );
  // A reader's email link (no sign-in: the signed token is the proof): records the read, then opens
  // the bulletin in the app, where signing in may come first.
  app.get(
    "/api/bulletins/open/:token",
    {
      schema: {
        tags,
        summary: "A bulletin email's link: records the reader's read and opens the bulletin in the app",
        security: [],
        params: TokenParams,
      },
    },
    async (req, reply) => {
      const { bulletinId } = await openByLink({ db: deps.db, clock: deps.clock }, req.params.token);
      return reply.redirect(`/bulletins?open=${bulletinId}`, 303);
    },
  );
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
