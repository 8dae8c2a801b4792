import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  AddMemberInput,
  CoalitionDto,
  CreateCoalitionInput,
  JoinRemoteInput,
  JointEmployerDto,
  LinkBallotsInput,
  PartnerDayDto,
  PartnerDayParams,
  PublishResultDto,
  ReportAccepted,
  SignedReport,
  TimetableDto,
  UnionAggregatesDto,
  UpdateCoalitionInput,
} from "./coalition.model.js";
import {
  addCoalitionMember,
  agreeToCoalition,
  coalitionAggregates,
  coalitionTimetable,
  createCoalition,
  getCoalition,
  joinRemoteCoalition,
  jointEmployerView,
  linkCoalitionBallots,
  listCoalitions,
  partnerDayFigures,
  publishToCoalition,
  receiveCoalitionReport,
  updateCoalition,
} from "./coalition.service.js";

const tags = ["coalition"];

/** Coalitions of unions (decision 0032): joint timetable, agreements, aggregates under disclosure control. */
export function coalitionRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/coalitions",
    {
      schema: {
        tags,
        summary: "Coalitions your union coordinates, belongs to or was invited to",
        response: { 200: z.array(CoalitionDto) },
      },
    },
    (req) => listCoalitions(ctxOf(deps, req)),
  );
  app.post(
    "/api/coalitions",
    {
      schema: {
        tags,
        summary: "Set up a coalition coordinated by your union (national officers)",
        body: CreateCoalitionInput,
        response: { 201: CoalitionDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createCoalition(ctxOf(deps, req), req.body)),
  );
  app.post(
    "/api/coalitions/join",
    {
      schema: {
        tags,
        summary: "Agree to a coalition coordinated on another installation; gives the public key to register",
        body: JoinRemoteInput,
        response: { 201: CoalitionDto },
      },
    },
    async (req, reply) => reply.code(201).send(await joinRemoteCoalition(ctxOf(deps, req), req.body)),
  );
  app.get(
    "/api/coalitions/:id",
    { schema: { tags, params: IdParams, response: { 200: CoalitionDto } } },
    (req) => getCoalition(ctxOf(deps, req), req.params.id),
  );
  app.patch(
    "/api/coalitions/:id",
    {
      schema: {
        tags,
        summary: "Days of action (coordinator) and your union's daily publishing",
        params: IdParams,
        body: UpdateCoalitionInput,
        response: { 200: CoalitionDto },
      },
    },
    (req) => updateCoalition(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/coalitions/:id/members",
    {
      schema: {
        tags,
        summary: "Add a union here (it agrees from its account) or elsewhere (its public key and who agreed)",
        params: IdParams,
        body: AddMemberInput,
        response: { 200: CoalitionDto },
      },
    },
    (req) => addCoalitionMember(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/coalitions/:id/agree",
    {
      schema: {
        tags,
        summary: "Your union agrees to share aggregates with the coalition (recorded and audited)",
        params: IdParams,
        response: { 200: CoalitionDto },
      },
    },
    (req) => agreeToCoalition(ctxOf(deps, req), req.params.id),
  );
  app.put(
    "/api/coalitions/:id/ballots",
    {
      schema: {
        tags,
        summary: "Which of your union's ballots count in the coalition",
        params: IdParams,
        body: LinkBallotsInput,
        response: { 200: CoalitionDto },
      },
    },
    (req) => linkCoalitionBallots(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/coalitions/:id/publish",
    {
      schema: {
        tags,
        summary: "Publish your union's aggregates to the coalition now",
        params: IdParams,
        response: { 200: PublishResultDto },
      },
    },
    (req) => publishToCoalition(ctxOf(deps, req), req.params.id, "hand"),
  );
  app.get(
    "/api/coalitions/day/:day",
    {
      schema: {
        tags,
        summary:
          "The other unions' figures on a day of action of your coalitions (counts only), for the day board",
        params: PartnerDayParams,
        response: { 200: z.array(PartnerDayDto) },
      },
    },
    (req) => partnerDayFigures(ctxOf(deps, req), req.params.day),
  );
  app.get(
    "/api/coalitions/:id/timetable",
    {
      schema: {
        tags,
        summary: "The joint timetable: every union's ballot dates, the days of action and the conflicts",
        params: IdParams,
        response: { 200: TimetableDto },
      },
    },
    (req) => coalitionTimetable(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/coalitions/:id/aggregates",
    {
      schema: {
        tags,
        summary: "Each union's latest published aggregates (a partner organisation: its own)",
        params: IdParams,
        response: { 200: z.array(UnionAggregatesDto) },
      },
    },
    (req) => coalitionAggregates(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/coalitions/:id/employers",
    {
      schema: {
        tags,
        summary: "Employers with members in several unions: every union's status side by side",
        params: IdParams,
        response: { 200: z.array(JointEmployerDto) },
      },
    },
    (req) => jointEmployerView(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/coalition-reports",
    {
      schema: {
        tags,
        summary:
          "A signed aggregate report from a member union on another installation (no session: its signature)",
        body: SignedReport,
        response: { 200: ReportAccepted },
      },
    },
    (req) => receiveCoalitionReport(deps.db, deps.clock, req.body),
  );
}
