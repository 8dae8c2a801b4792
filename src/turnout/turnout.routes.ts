import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { forgetDashboards } from "./dashboard.service.js";
import { membersNotReportedVoted } from "./member-link-reports.js";
import {
  ImportReturnsDto,
  ImportReturnsInput,
  ImportVotedDto,
  ImportVotedInput,
  RecordSelfReportInput,
  SelfReportDto,
  TurnoutStatusDto,
} from "./turnout.model.js";
import { importReturns, recordSelfReport, turnoutStatus } from "./turnout.service.js";
import { MAX_VOTED_BYTES } from "./voted-feed.js";
import { importVotedFeed } from "./voted-feed.service.js";

const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/**
 * Turnout of a ballot's dispute. Reads by the ballot row scope (a regional officer: the constituencies of
 * their regions); returns imported by national officers; members' own reports by national and regional
 * officers and reps, for members in their scope.
 */
export function turnoutRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/ballots/:id/turnout",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "Turnout of every constituency of the ballot's dispute the reader reaches: votes needed, forecast, status, roll-ups",
        params: IdParams,
        response: { 200: TurnoutStatusDto },
      },
    },
    (request) => turnoutStatus(ctxOf(deps, request), request.params.id),
  );
  app.post(
    "/api/ballots/:id/turnout/returns",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "Import the scrutineer's turnout returns (CSV: constituency or ballot_id, date, papers_returned) for the dispute's constituencies",
        params: IdParams,
        body: ImportReturnsInput,
        response: { 200: ImportReturnsDto },
      },
    },
    async (request) => {
      const dto = await importReturns(ctxOf(deps, request), request.params.id, request.body);
      // The importer (and everyone after) sees the new returns on the dashboards at once.
      forgetDashboards(deps.db);
      return dto;
    },
  );
  app.post(
    "/api/ballots/:id/turnout/voted",
    {
      // A national ballot's feed names hundreds of thousands of members. In JSON each line break takes
      // two characters (and a quote two), so the body may be up to twice the CSV; the schema caps the CSV.
      bodyLimit: 2 * MAX_VOTED_BYTES + 64 * 1024,
      schema: {
        tags: ["turnout"],
        summary:
          "Import the scrutineer's per-member feed of papers returned (CSV: membership_number or paper_number, optional ballot_id or constituency): each member is recorded as having voted (never how)",
        params: IdParams,
        body: ImportVotedInput,
        response: { 200: ImportVotedDto },
      },
    },
    async (request) => {
      const dto = await importVotedFeed(ctxOf(deps, request), request.params.id, request.body);
      forgetDashboards(deps.db);
      return dto;
    },
  );
  app.post(
    "/api/ballots/:id/turnout/reports",
    {
      schema: {
        tags: ["turnout"],
        summary: "Record a member's own report of whether they have voted or will vote (never how)",
        params: IdParams,
        body: RecordSelfReportInput,
        response: { 201: SelfReportDto },
      },
    },
    async (request, reply) => {
      const dto = await recordSelfReport(ctxOf(deps, request), request.params.id, request.body);
      return reply.code(201).send(dto);
    },
  );
  app.get(
    "/api/ballots/:id/turnout/not-voted",
    {
      schema: {
        tags: ["turnout"],
        summary:
          "Members of the frozen electorate in the reader's scope with no report of having voted (by a rep or their link)",
        params: IdParams,
        response: {
          200: z.array(
            z.object({
              memberId: z.number(),
              membershipNumber: z.string(),
              name: z.string(),
              workplace: z.string().nullable(),
            }),
          ),
        },
      },
    },
    (request) => membersNotReportedVoted(ctxOf(deps, request), request.params.id),
  );
}
