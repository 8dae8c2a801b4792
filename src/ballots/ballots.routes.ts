import { z } from "zod";
import { endWithResponse } from "../audit/index.js";
import { IdParams, RowId } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { JobDto } from "../jobs/index.js";
import { createActionNotices } from "./action-notices.service.js";
import {
  ActionNoticeInput,
  BallotDto,
  CreateBallotInput,
  CreateDisputeInput,
  DisputeDto,
  DocumentDto,
  ElectoratePageDto,
  ElectorateQuery,
  ElectorateSummaryDto,
  PreflightDto,
  RecordReceiptInput,
  ReminderDto,
  ResultDto,
  ResultInput,
  ScrutineerResultInput,
  StatementReviewInput,
  TimetableDto,
  UpdateBallotInput,
} from "./ballots.model.js";
import { createDispute, getDispute, listDisputes } from "./disputes.service.js";
import { downloadDocument, generateVoterFile, listDocuments, verifyDocuments } from "./documents.service.js";
import { electorateSummary, listElectorate } from "./electorate.service.js";
import { queueFreeze } from "./freeze.service.js";
import {
  PartnerAgreementDto,
  PartnerDecisionInput,
  ProposePartnerAgreementInput,
  SharedMemberDto,
} from "./partner-agreements.model.js";
import {
  decidePartnerAgreement,
  getPartnerAgreement,
  listPartnerAgreements,
  proposePartnerAgreement,
  sharedMembers,
} from "./partner-agreements.service.js";
import { preflight } from "./preflight.service.js";
import { getResult, importScrutineerResult, recordResult } from "./results.service.js";
import { appointScrutineer, listScrutineers, removeScrutineer } from "./scrutineers.service.js";
import { createBallot, getBallot, reviewStatement, updateBallot } from "./setup.service.js";
import { ballotReminders, ballotTimetableFor, recordReceipt } from "./timetable.service.js";

const ScrutineerDto = z.object({
  userId: z.number(),
  displayName: z.string(),
  email: z.string(),
  appointedAt: z.string(),
});

const tags = ["ballots"];

export function ballotsRoutes(app: App, deps: AppDeps & { onJobQueued?: () => void }): void {
  app.get(
    "/api/disputes",
    { schema: { tags, summary: "Disputes and their ballots", response: { 200: z.array(DisputeDto) } } },
    (req) => listDisputes(ctxOf(deps, req)),
  );
  app.post(
    "/api/disputes",
    {
      schema: {
        tags,
        summary: "Set up a dispute with its employers",
        body: CreateDisputeInput,
        response: { 201: DisputeDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createDispute(ctxOf(deps, req), req.body)),
  );
  app.get("/api/disputes/:id", { schema: { tags, params: IdParams, response: { 200: DisputeDto } } }, (req) =>
    getDispute(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/disputes/:id/ballots",
    {
      schema: {
        tags,
        summary: "Set up a ballot (a constituency: one workplace, or aggregated under a s.228A test)",
        params: IdParams,
        body: CreateBallotInput,
        response: { 201: BallotDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createBallot(ctxOf(deps, req), req.params.id, req.body)),
  );
  app.get(
    "/api/ballots/reminders",
    {
      schema: {
        tags,
        summary: "Deadlines in the next fortnight and overdue receipts, across open ballots",
        response: { 200: z.array(ReminderDto) },
      },
    },
    (req) => ballotReminders(ctxOf(deps, req)),
  );
  app.get("/api/ballots/:id", { schema: { tags, params: IdParams, response: { 200: BallotDto } } }, (req) =>
    getBallot(ctxOf(deps, req), req.params.id),
  );
  app.patch(
    "/api/ballots/:id",
    {
      schema: {
        tags,
        summary: "Change the set-up (thaws a frozen electorate)",
        params: IdParams,
        body: UpdateBallotInput,
        response: { 200: BallotDto },
      },
    },
    (req) => updateBallot(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/ballots/:id/statement-review",
    {
      schema: {
        tags,
        summary: "Record the voting-paper statement wording verified by the union's lawyers",
        params: IdParams,
        body: StatementReviewInput,
        response: { 200: BallotDto },
      },
    },
    (req) => reviewStatement(ctxOf(deps, req), req.params.id, req.body.text),
  );
  app.post(
    "/api/ballots/:id/electorate/freeze",
    {
      schema: {
        tags,
        summary: "Freeze the electorate as at today: queued as a job (follow it at /api/jobs/:id)",
        params: IdParams,
        response: { 202: JobDto },
      },
    },
    async (req, reply) => {
      const job = await queueFreeze(ctxOf(deps, req), req.params.id);
      deps.onJobQueued?.();
      return reply.code(202).send(job);
    },
  );
  app.get(
    "/api/ballots/:id/electorate/summary",
    { schema: { tags, params: IdParams, response: { 200: ElectorateSummaryDto } } },
    (req) => electorateSummary(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/ballots/:id/electorate",
    {
      schema: {
        tags,
        summary: "Members of the snapshot, in or out, with the reason",
        params: IdParams,
        querystring: ElectorateQuery,
        response: { 200: ElectoratePageDto },
      },
    },
    (req) => listElectorate(ctxOf(deps, req), req.params.id, req.query),
  );
  app.get(
    "/api/ballots/:id/preflight",
    {
      schema: {
        tags,
        summary: "Pre-flight checks, each citing its case",
        params: IdParams,
        response: { 200: PreflightDto },
      },
    },
    (req) => preflight(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/ballots/:id/timetable",
    {
      schema: {
        tags,
        summary: "Deadlines and proof of receipt per employer",
        params: IdParams,
        response: { 200: TimetableDto },
      },
    },
    (req) => ballotTimetableFor(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/receipts",
    {
      schema: {
        tags,
        summary: "Record when an employer received a notice",
        params: IdParams,
        body: RecordReceiptInput,
        response: { 200: TimetableDto },
      },
    },
    (req) => recordReceipt(ctxOf(deps, req), req.params.id, req.body),
  );
  app.get(
    "/api/ballots/:id/result",
    { schema: { tags, params: IdParams, response: { 200: ResultDto.nullable() } } },
    (req) => getResult(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/result",
    {
      schema: {
        tags,
        summary: "Enter the scrutineer's result; the verdict follows",
        params: IdParams,
        body: ResultInput,
        response: { 200: ResultDto },
      },
    },
    (req) => recordResult(ctxOf(deps, req), req.params.id, req.body),
  );

  app.post(
    "/api/ballots/:id/result/csv",
    {
      schema: {
        tags,
        summary: "Import the scrutineer's result file (question, votes_cast, yes, no, spoilt)",
        params: IdParams,
        body: ScrutineerResultInput,
        response: { 200: ResultDto },
      },
    },
    (req) => importScrutineerResult(ctxOf(deps, req), req.params.id, req.body),
  );
  app.get(
    "/api/ballots/:id/documents",
    {
      schema: {
        tags,
        summary: "Documents generated for the ballot",
        params: IdParams,
        response: { 200: z.array(DocumentDto) },
      },
    },
    (req) => listDocuments(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/documents/voter-file",
    {
      schema: {
        tags,
        summary: "The scrutineer's voter file (audited export)",
        params: IdParams,
        response: { 200: DocumentDto },
      },
    },
    (req) => generateVoterFile(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/action-notices",
    {
      schema: {
        tags,
        summary: "Notices of industrial action to every employer",
        params: IdParams,
        body: ActionNoticeInput,
        response: { 200: z.array(DocumentDto) },
      },
    },
    (req) => createActionNotices(ctxOf(deps, req), req.params.id, req.body),
  );
  app.get(
    "/api/ballots/:id/documents/verify",
    {
      schema: {
        tags,
        summary: "Re-render every stored document from its input and compare the bytes",
        params: IdParams,
        response: {
          200: z.object({ checked: z.number(), identical: z.number(), differing: z.array(z.number()) }),
        },
      },
    },
    (req) => verifyDocuments(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/documents/:id/download",
    // No HEAD twin: Fastify would run this handler for HEAD and audit a download that sent nothing.
    { exposeHeadRoute: false, schema: { tags, summary: "Download a document", params: IdParams } },
    async (req, reply) => {
      const doc = await downloadDocument(ctxOf(deps, req), req.params.id);
      endWithResponse(reply.raw, doc.trail, undefined, () =>
        req.log.error({ code: "documents.download" }, "download end not audited"),
      );
      return (
        reply
          .header("content-type", doc.contentType)
          // A draft (before legal sign-off) is for the union's staff only: never to be sent.
          .header("x-document-status", doc.draft ? "draft" : "final")
          .header(
            "content-disposition",
            `attachment; filename="${doc.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
          )
          .send(doc.content)
      );
    },
  );

  app.get(
    "/api/ballots/:id/scrutineers",
    {
      schema: {
        tags,
        summary: "The scrutineers appointed to the ballot (the only ballots they see)",
        params: IdParams,
        response: { 200: z.array(ScrutineerDto) },
      },
    },
    (req) => listScrutineers(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/scrutineers",
    {
      schema: {
        tags,
        summary: "Appoint a scrutineer user to the ballot (audited)",
        params: IdParams,
        body: z.object({ userId: z.number().int().positive().max(2_147_483_647) }),
        response: { 200: z.array(ScrutineerDto) },
      },
    },
    (req) => appointScrutineer(ctxOf(deps, req), req.params.id, req.body.userId),
  );
  app.delete(
    "/api/ballots/:id/scrutineers/:userId",
    {
      schema: {
        tags,
        summary: "End a scrutineer's appointment to the ballot (audited)",
        params: IdParams.extend({ userId: RowId }),
        response: { 200: z.array(ScrutineerDto) },
      },
    },
    (req) => removeScrutineer(ctxOf(deps, req), req.params.id, req.params.userId),
  );
  app.get(
    "/api/partner-agreements",
    {
      schema: {
        tags,
        summary: "Agreements your union asked a partner for, or was asked for, with what was shared",
        response: { 200: z.array(PartnerAgreementDto) },
      },
    },
    (req) => listPartnerAgreements(ctxOf(deps, req)),
  );
  app.post(
    "/api/partner-agreements",
    {
      schema: {
        tags,
        summary:
          "Ask a partner union for its members in a ballot or dispute, naming the fields (audited on both sides)",
        body: ProposePartnerAgreementInput,
        response: { 201: PartnerAgreementDto },
      },
    },
    async (req, reply) => reply.code(201).send(await proposePartnerAgreement(ctxOf(deps, req), req.body)),
  );
  app.get(
    "/api/partner-agreements/:id",
    { schema: { tags, params: IdParams, response: { 200: PartnerAgreementDto } } },
    (req) => getPartnerAgreement(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/partner-agreements/:id/decision",
    {
      schema: {
        tags,
        summary: "The partner accepts or declines; either side withdraws (audited on both sides)",
        params: IdParams,
        body: PartnerDecisionInput,
        response: { 200: PartnerAgreementDto },
      },
    },
    (req) => decidePartnerAgreement(ctxOf(deps, req), req.params.id, req.body.action),
  );
  app.get(
    "/api/partner-agreements/:id/shared",
    {
      schema: {
        tags,
        summary:
          "For the partner: which of its members the other union's snapshots hold, with the fields copied",
        params: IdParams,
        response: { 200: z.array(SharedMemberDto) },
      },
    },
    (req) => sharedMembers(ctxOf(deps, req), req.params.id),
  );
}
