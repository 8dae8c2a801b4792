import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { type ExportTrail, endWithResponse } from "../audit/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  ClaimByLinkInput,
  CorrectAddressInput,
  LinkBody,
  LinkListItemDto,
  LinkViewDto,
  ReportInput,
  VoteInput,
} from "./memberlink.model.js";
import {
  claimByLink,
  confirmAddress,
  correctAddress,
  issueBallotLinks,
  issueIndicativeLinks,
  issueStrikePayLinks,
  listBallotLinks,
  listIndicativeLinks,
  openLink,
  reportByLink,
  voteByLink,
} from "./memberlink.service.js";

/**
 * Sends issued links, the only copy of their tokens: a CSV (or the printable PDF), the export's audit
 * trail ended once the response has been handed over.
 */
function sendLinks(
  req: FastifyRequest,
  reply: FastifyReply,
  file: { trail: ExportTrail; count: number; filename: string; csv: string; pdf?: Buffer | null },
) {
  endWithResponse(
    reply.raw,
    file.trail,
    () => ({ rows: file.count }),
    () => req.log.error({ code: "memberlink.export" }, "member links export end not audited"),
  );
  reply.header("content-disposition", `attachment; filename="${file.filename}"`);
  if (file.pdf) return reply.header("content-type", "application/pdf").send(file.pdf);
  return reply.header("content-type", "text/csv; charset=utf-8").send(`\uFEFF${file.csv}`);
}

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const IssueQuery = z.object({
  scope: z.enum(["ballot", "dispute"]).default("ballot"),
  format: z.enum(["csv", "pdf"]).default("csv"),
});

/**
 * The member's side: POST only, the token in the body (never in a URL, so it
 * is in no log and no Referer); the officers' side: issue and list links.
 */
export function memberLinkRoutes(app: App, deps: AppDeps): void {
  const linkDeps = { db: deps.db, clock: deps.clock };
  const tags = ["member links"];
  app.post(
    "/api/link/open",
    {
      schema: {
        tags,
        summary: "What a member may do through their link (no session; the token in the body)",
        security: [],
        body: LinkBody,
        response: { 200: LinkViewDto },
      },
    },
    (req) => openLink(linkDeps, req.body.token, req.ip),
  );
  app.post(
    "/api/link/address/confirm",
    {
      schema: {
        tags,
        summary: "The member confirms the address their papers go to",
        security: [],
        body: LinkBody,
        response: { 200: LinkViewDto },
      },
    },
    (req) => confirmAddress(linkDeps, req.body.token, req.ip),
  );
  app.post(
    "/api/link/address",
    {
      schema: {
        tags,
        summary: "The member corrects the address their papers go to",
        security: [],
        body: CorrectAddressInput,
        response: { 200: LinkViewDto },
      },
    },
    (req) => correctAddress(linkDeps, req.body, req.ip),
  );
  app.post(
    "/api/link/vote",
    {
      schema: {
        tags,
        summary:
          "The member votes in the link's indicative ballot (one vote; answers counted apart from the voter)",
        security: [],
        body: VoteInput,
        response: { 200: LinkViewDto },
      },
    },
    (req) => voteByLink(linkDeps, req.body.token, req.body.answers, req.ip),
  );

  app.post(
    "/api/indicative/:id/links",
    {
      schema: {
        tags,
        summary:
          "Issue a link to every voter of an open indicative ballot (earlier ones withdrawn); answers the list as CSV, the only copy of the links (audited)",
        params: IdParams,
      },
    },
    async (req, reply) => {
      const file = await issueIndicativeLinks(
        ctxOf(deps, req),
        req.params.id,
        `${req.protocol}://${req.host}`,
      );
      return sendLinks(req, reply, file);
    },
  );
  app.get(
    "/api/indicative/:id/links",
    {
      schema: {
        tags,
        summary: "The links issued for an indicative ballot: status and last use, never the link itself",
        params: IdParams,
        response: { 200: z.array(LinkListItemDto) },
      },
    },
    (req) => listIndicativeLinks(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/link/report",
    {
      schema: {
        tags,
        summary:
          "The member reports through a statutory ballot's link: voted, needs a replacement paper (with the reason), or address wrong; never how they voted",
        security: [],
        body: ReportInput,
        response: { 200: LinkViewDto },
      },
    },
    (req) => reportByLink(linkDeps, req.body, req.ip),
  );
  app.post(
    "/api/ballots/:id/links",
    {
      schema: {
        tags,
        summary:
          "Issue a link to every member of the ballot's frozen electorate (?scope=dispute: of every frozen ballot of its dispute; earlier ones withdrawn); answers the list as CSV, or ?format=pdf a printable sheet of one member per page: the only copy of the links (audited)",
        params: IdParams,
        querystring: IssueQuery,
      },
    },
    async (req, reply) => {
      const file = await issueBallotLinks(
        ctxOf(deps, req),
        req.params.id,
        `${req.protocol}://${req.host}`,
        req.query.scope === "dispute",
        req.query.format,
      );
      return sendLinks(req, reply, file);
    },
  );
  app.post(
    "/api/link/claim",
    {
      // A claim may carry its evidence (a file of at most 2 MB, as base64).
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags,
        summary:
          "The member claims strike pay for the days they were out, or a hardship grant, through their dispute's strike pay link",
        security: [],
        body: ClaimByLinkInput,
        response: { 200: LinkViewDto },
      },
    },
    (req) => claimByLink(linkDeps, req.body, req.ip),
  );
  app.post(
    "/api/disputes/:id/strike-pay/links",
    {
      schema: {
        tags,
        summary:
          "Issue a strike pay link to every member in your scope in the dispute's ballots (earlier ones withdrawn), lasting 60 days after its last strike day; answers the list as CSV, the only copy of the links (audited)",
        params: IdParams,
      },
    },
    async (req, reply) => {
      const file = await issueStrikePayLinks(
        ctxOf(deps, req),
        req.params.id,
        `${req.protocol}://${req.host}`,
      );
      return sendLinks(req, reply, file);
    },
  );
  app.get(
    "/api/ballots/:id/links",
    {
      schema: {
        tags,
        summary: "The member links issued for a statutory ballot: status and last use, never the link itself",
        params: IdParams,
        response: { 200: z.array(LinkListItemDto) },
      },
    },
    (req) => listBallotLinks(ctxOf(deps, req), req.params.id),
  );
}
