import type { FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { AppError } from "../shared/errors.js";
import {
  AudienceCountDto,
  Channel,
  DeliverabilityDto,
  DeliverabilityQuery,
  PreviewDto,
  Purpose,
  SegmentDto,
  SegmentInput,
  SendDto,
  SendInput,
  TemplateDto,
  TemplateInput,
  VersionDto,
  VersionInput,
} from "./comms.model.js";
import {
  addVersion,
  approveTemplateVersion,
  countSegment,
  createTemplate,
  getSend,
  listSegments,
  listSends,
  listTemplates,
  previewVersion,
  queueSend,
  saveSegment,
  unsubscribe,
  unsubscribeLinkChannel,
} from "./comms.service.js";
import { deliverability } from "./deliverability.service.js";
import { printRoutes } from "./print.routes.js";
import { resultNoticeRoutes } from "./result-notice.routes.js";
import { recordSmsReply, recordSmsStatus } from "./sms.service.js";
import { validTwilioSignature } from "./sms.transport.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const IdParams = z.object({ id: Id });
const tags = ["communications"];
const TokenParams = z.object({ token: z.string().min(1).max(64) });

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem}</style></head><body>${body}</body></html>`;
}

/**
 * Templates, audiences and sends for officers (scoped by role); the unsubscribe link for members
 * (no session: the token in the path is the proof, as one-click unsubscribing requires, RFC 8058).
 */
export function commsRoutes(app: App, deps: AppDeps & { onJobQueued?: () => void }): void {
  app.get(
    "/api/comms/segments",
    { schema: { tags, summary: "Saved audiences", response: { 200: z.array(SegmentDto) } } },
    (req) => listSegments(ctxOf(deps, req)),
  );
  app.post(
    "/api/comms/segments",
    {
      schema: {
        tags,
        summary: "Save an audience (by name: saving the same name replaces it)",
        body: SegmentInput,
        response: { 200: SegmentDto },
      },
    },
    (req) => saveSegment(ctxOf(deps, req), req.body),
  );
  app.get(
    "/api/comms/segments/:id/count",
    {
      schema: {
        tags,
        summary:
          "Who an audience reaches on a channel for a purpose, and why the rest are not reached (counts only)",
        params: IdParams,
        querystring: z.object({ channel: Channel.default("email"), purpose: Purpose.default("campaign") }),
        response: { 200: AudienceCountDto },
      },
    },
    (req) => countSegment(ctxOf(deps, req), req.params.id, req.query.channel, req.query.purpose),
  );
  app.get(
    "/api/comms/templates",
    {
      schema: {
        tags,
        summary: "Message templates and their versions",
        response: { 200: z.array(TemplateDto) },
      },
    },
    (req) => listTemplates(ctxOf(deps, req)),
  );
  app.post(
    "/api/comms/templates",
    {
      schema: {
        tags,
        summary: "Create a template (its text goes in versions)",
        body: TemplateInput,
        response: { 200: TemplateDto },
      },
    },
    (req) => createTemplate(ctxOf(deps, req), req.body),
  );
  app.post(
    "/api/comms/templates/:id/versions",
    {
      schema: {
        tags,
        summary: "Write a new draft version in a language",
        params: IdParams,
        body: VersionInput,
        response: { 200: VersionDto },
      },
    },
    (req) => addVersion(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/comms/versions/:id/approve",
    {
      schema: {
        tags,
        summary: "Approve a draft version for sending",
        params: IdParams,
        response: { 200: VersionDto },
      },
    },
    (req) => approveTemplateVersion(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/comms/versions/:id/preview",
    {
      schema: {
        tags,
        summary: "A version as a member in your scope would get it (or a sample member)",
        params: IdParams,
        querystring: z.object({ memberId: Id.optional() }),
        response: { 200: PreviewDto },
      },
    },
    (req) => previewVersion(ctxOf(deps, req), req.params.id, req.query.memberId ?? null),
  );
  app.get(
    "/api/comms/deliverability",
    {
      schema: {
        tags,
        summary:
          "Sent, delivered, bounced (hard and soft), complaints and fallbacks per channel, employer or workplace, for members in your scope",
        querystring: DeliverabilityQuery,
        response: { 200: DeliverabilityDto },
      },
    },
    (req) => deliverability(ctxOf(deps, req), req.query),
  );
  app.get(
    "/api/comms/sends",
    {
      schema: {
        tags,
        summary: "Recent sends",
        response: { 200: z.array(SendDto.omit({ messages: true, suppressed: true })) },
      },
    },
    (req) => listSends(ctxOf(deps, req)),
  );
  app.post(
    "/api/comms/sends",
    {
      schema: {
        tags,
        summary: "Queue a send of an approved template to a segment",
        body: SendInput,
        response: { 202: SendDto },
      },
    },
    async (req, reply) => {
      const send = await queueSend(ctxOf(deps, req), req.body);
      deps.onJobQueued?.();
      return reply.code(202).send(send);
    },
  );
  app.get(
    "/api/comms/sends/:id",
    {
      schema: {
        tags,
        summary: "A send and its ledger's counts",
        params: IdParams,
        response: { 200: SendDto },
      },
    },
    (req) => getSend(ctxOf(deps, req), req.params.id),
  );
  printRoutes(app, deps);
  resultNoticeRoutes(app, deps);

  // The member's side: a page with one button, and the one-click POST mail clients make (a form body,
  // List-Unsubscribe=One-Click, which nothing else in the API accepts: parsed in this scope only).
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 1024 },
      (_req, _body, done) => done(null, {}),
    );
    scope.get(
      "/api/comms/unsubscribe/:token",
      {
        schema: {
          tags,
          summary: "The unsubscribe page of a message's link",
          security: [],
          params: TokenParams,
        },
      },
      async (req, reply) => {
        await unsubscribeLinkChannel({ db: deps.db }, req.params.token);
        reply.header("content-type", "text/html; charset=utf-8");
        return page(
          "Unsubscribe",
          `<h1>Stop campaign messages?</h1><p>You will still get what the law or your membership requires (a ballot result, a replacement voting paper).</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        );
      },
    );
    scope.post(
      "/api/comms/unsubscribe/:token",
      { schema: { tags, summary: "Unsubscribe (one click, RFC 8058)", security: [], params: TokenParams } },
      async (req, reply) => {
        const result = await unsubscribe({ db: deps.db, clock: deps.clock }, req.params.token);
        reply.header("content-type", "text/html; charset=utf-8");
        return page(
          "Unsubscribed",
          `<h1>You are unsubscribed</h1><p>You will get no more campaign messages by ${result.channel === "sms" ? "text" : result.channel}.</p>`,
        );
      },
    );
  });

  // The SMS provider's callbacks: delivery reports and members' replies, as form bodies (parsed in this
  // scope only, and small), proven by Twilio's signature over the URL it called and the parameters.
  app.register(async (hooks) => {
    const scope = hooks.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 16_384 },
      (_req, body, done) => {
        const params: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(String(body))) params[k] = v;
        done(null, params);
      },
    );
    const Form = z.record(z.string(), z.string().max(4096)).optional();
    const verified = (req: FastifyRequest): Record<string, string> => {
      const sms = deps.comms?.sms;
      if (!sms || !deps.comms) {
        throw new AppError("comms.channel_unavailable", "No SMS provider is set up on this installation.");
      }
      const params = (req.body ?? {}) as Record<string, string>;
      // The URL the provider called, as it knows it: the public address, then the path and query.
      const url = `${deps.comms.publicUrl.replace(/\/+$/, "")}${req.url}`;
      const given = req.headers["x-twilio-signature"];
      if (!validTwilioSignature(sms.authToken, url, params, typeof given === "string" ? given : undefined)) {
        throw new AppError("comms.signature_invalid", "The request is not signed by the SMS provider.");
      }
      return params;
    };
    scope.post(
      "/api/comms/sms/status",
      {
        schema: {
          tags,
          summary: "The SMS provider's delivery report of a message (Twilio's StatusCallback)",
          security: [],
          querystring: z.object({ message: z.string().regex(/^[1-9][0-9]{0,18}$/) }),
          body: Form,
        },
      },
      async (req, reply) => {
        const params = verified(req);
        await recordSmsStatus(
          { db: deps.db, clock: deps.clock },
          {
            messageId: req.query.message,
            status: params.MessageStatus ?? "",
            errorCode: params.ErrorCode || null,
          },
        );
        return reply.code(204).send();
      },
    );
    scope.post(
      "/api/comms/sms/inbound",
      {
        schema: {
          tags,
          summary: "A member's reply to the union's number (STOP, START) from the SMS provider",
          security: [],
          body: Form,
        },
      },
      async (req, reply) => {
        const params = verified(req);
        await recordSmsReply(
          { db: deps.db, clock: deps.clock },
          { from: params.From ?? "", body: params.Body ?? "" },
        );
        // An empty TwiML answer: no reply of ours (the provider confirms STOP and START itself).
        reply.header("content-type", "text/xml; charset=utf-8");
        return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
      },
    );
  });
}
