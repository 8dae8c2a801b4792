import { z } from "zod";
import { endWithResponse } from "../audit/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { resultNoticeRecord, resultNoticeStatus, sendResultNotice } from "./result-notice.service.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const tags = ["communications"];

export const ResultNoticeDto = z.object({
  ballotId: z.number(),
  disputeId: z.number(),
  resultRecorded: z.boolean(),
  rounds: z.array(
    z.object({
      round: z.number(),
      createdAt: z.string(),
      createdBy: z.string().nullable(),
      constituencies: z.number(),
      sends: z.array(z.object({ sendId: z.number(), channel: z.enum(["email", "sms", "letter"]) })),
    }),
  ),
  entitled: z.number(),
  told: z.object({ email: z.number(), sms: z.number(), letter: z.number(), total: z.number() }),
  inProgress: z.number(),
  notYetTold: z.number(),
  notTold: z.array(z.object({ reason: z.string(), label: z.string(), members: z.number() })),
  firstToldAt: z.string().nullable(),
  lastToldAt: z.string().nullable(),
});

/** The statutory result notice to members (s.231): its state per constituency, and a round sent. */
export function resultNoticeRoutes(app: App, deps: AppDeps & { onJobQueued?: () => void }): void {
  app.get(
    "/api/ballots/:id/result-notice",
    {
      schema: {
        tags,
        summary:
          "The result notice to members (s.231) for this constituency: how many told, by channel, and why the rest are not yet (counts in the reader's reach)",
        params: z.object({ id: Id }),
        response: { 200: ResultNoticeDto },
      },
    },
    (req) => resultNoticeStatus(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/result-notice",
    {
      schema: {
        tags,
        summary:
          "Tell the members of the dispute's constituencies their result (s.231): each member by email, else text, else letter; a later round tells those not yet told",
        params: z.object({ id: Id }),
        response: { 200: ResultNoticeDto },
      },
    },
    (req) =>
      sendResultNotice(ctxOf(deps, req), req.params.id, { comms: deps.comms, onJobQueued: deps.onJobQueued }),
  );
  app.get(
    "/api/ballots/:id/result-notice/members.csv",
    {
      // No HEAD twin: Fastify would run this handler for HEAD and audit an export that sent nothing.
      exposeHeadRoute: false,
      schema: {
        tags,
        summary:
          "The record per member of the constituency: told when and by which channel, or why not yet (CSV; national officers; audited)",
        params: z.object({ id: Id }),
      },
    },
    async (req, reply) => {
      const file = await resultNoticeRecord(ctxOf(deps, req), req.params.id);
      endWithResponse(reply.raw, file.trail, undefined, () =>
        req.log.error({ code: "comms.result_notice_record" }, "record export end not audited"),
      );
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .send(`\uFEFF${file.csv}`);
    },
  );
}
