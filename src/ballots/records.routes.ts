/**
 * Routes for a ballot's records after its electorate is fixed: notices of
 * industrial action with their figures and suspensions, the scrutineer's
 * report and copy requests, replacement papers and late joiners, mandate
 * extensions and employer correspondence (records.service.ts,
 * action-notices.service.ts).
 */
import { z } from "zod";
import { IdParams } from "../http/params.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import {
  listActionNotices,
  previewActionNotice,
  resumeAction,
  suspendAction,
} from "./action-notices.service.js";
import {
  ActionNoticeRecordDto,
  AffectedFiguresDto,
  CopyRequestInput,
  CorrespondenceDto,
  CorrespondenceInput,
  CorrespondenceQuery,
  ExtensionInput,
  ExtensionsDto,
  NoticeParams,
  PaperChangeInput,
  PaperChangesDto,
  PreviewQuery,
  RecordParams,
  ReportReviewInput,
  ResumptionInput,
  ScrutineerReportDto,
  ScrutineerReportInput,
  SuppliedInput,
  SuspensionInput,
} from "./records.model.js";
import {
  getScrutineerReport,
  listCorrespondence,
  listExtensions,
  listPaperChanges,
  recordCopyRequest,
  recordCopySupplied,
  recordCorrespondence,
  recordExtension,
  recordPaperChange,
  recordScrutineerReport,
  reviewScrutineerReport,
} from "./records.service.js";

const tags = ["ballot records"];

export function ballotRecordsRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/ballots/:id/action-notices",
    {
      schema: {
        tags,
        summary:
          "The notices of industrial action under the ballot's mandate, each with its figures and suspensions",
        params: IdParams,
        response: { 200: z.array(ActionNoticeRecordDto) },
      },
    },
    (req) => listActionNotices(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/ballots/:id/action-notices/preview",
    {
      schema: {
        tags,
        summary:
          "The affected employees a notice given on a day would count, and the difference from the ballot",
        params: IdParams,
        querystring: PreviewQuery,
        response: { 200: AffectedFiguresDto },
      },
    },
    (req) => previewActionNotice(ctxOf(deps, req), req.params.id, req.query.givenOn, req.query.firstDay),
  );
  app.post(
    "/api/ballots/:id/action-notices/:noticeId/suspensions",
    {
      schema: {
        tags,
        summary: "Record action under a notice suspended by agreement with the employer (s.234A(7A)-(7B))",
        params: NoticeParams,
        body: SuspensionInput,
        response: { 200: z.array(ActionNoticeRecordDto) },
      },
    },
    (req) => suspendAction(ctxOf(deps, req), req.params.id, req.params.noticeId, req.body),
  );
  app.post(
    "/api/ballots/:id/suspensions/:recordId/resume",
    {
      schema: {
        tags,
        summary: "Record suspended action resumed on a date agreed, without a new notice",
        params: RecordParams,
        body: ResumptionInput,
        response: { 200: z.array(ActionNoticeRecordDto) },
      },
    },
    (req) => resumeAction(ctxOf(deps, req), req.params.id, req.params.recordId, req.body),
  );

  app.get(
    "/api/ballots/:id/scrutineer-report",
    {
      schema: {
        tags,
        summary: "The scrutineer's report (s.231B) and requests for copies of it",
        params: IdParams,
        response: { 200: ScrutineerReportDto },
      },
    },
    (req) => getScrutineerReport(ctxOf(deps, req), req.params.id),
  );
  app.put(
    "/api/ballots/:id/scrutineer-report",
    {
      schema: {
        tags,
        summary: "Record the scrutineer's report",
        params: IdParams,
        body: ScrutineerReportInput,
        response: { 200: ScrutineerReportDto },
      },
    },
    (req) => recordScrutineerReport(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/ballots/:id/scrutineer-report/review",
    {
      schema: {
        tags,
        summary: "Record the review of a qualified scrutineer's report",
        params: IdParams,
        body: ReportReviewInput,
        response: { 200: ScrutineerReportDto },
      },
    },
    (req) => reviewScrutineerReport(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/ballots/:id/scrutineer-report/requests",
    {
      schema: {
        tags,
        summary: "Record a request for a copy of the scrutineer's report (s.231B(2))",
        params: IdParams,
        body: CopyRequestInput,
        response: { 200: ScrutineerReportDto },
      },
    },
    (req) => recordCopyRequest(ctxOf(deps, req), req.params.id, req.body),
  );
  app.post(
    "/api/ballots/:id/scrutineer-report/requests/:recordId/supplied",
    {
      schema: {
        tags,
        summary: "Record that a copy of the scrutineer's report was supplied",
        params: RecordParams,
        body: SuppliedInput,
        response: { 200: ScrutineerReportDto },
      },
    },
    (req) => recordCopySupplied(ctxOf(deps, req), req.params.id, req.params.recordId, req.body.suppliedOn),
  );

  app.get(
    "/api/ballots/:id/paper-changes",
    {
      schema: {
        tags,
        summary: "Replacement papers and late joiners, and their effect on the notice figures",
        params: IdParams,
        response: { 200: PaperChangesDto },
      },
    },
    (req) => listPaperChanges(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/paper-changes",
    {
      schema: {
        tags,
        summary: "Record a replacement paper or a late joiner",
        params: IdParams,
        body: PaperChangeInput,
        response: { 200: PaperChangesDto },
      },
    },
    (req) => recordPaperChange(ctxOf(deps, req), req.params.id, req.body),
  );

  app.get(
    "/api/ballots/:id/mandate-extensions",
    {
      schema: {
        tags,
        summary: "Extensions of the mandate agreed with employers (s.234(1), regime B)",
        params: IdParams,
        response: { 200: ExtensionsDto },
      },
    },
    (req) => listExtensions(ctxOf(deps, req), req.params.id),
  );
  app.post(
    "/api/ballots/:id/mandate-extensions",
    {
      schema: {
        tags,
        summary: "Record an extension of the mandate agreed with an employer",
        params: IdParams,
        body: ExtensionInput,
        response: { 200: ExtensionsDto },
      },
    },
    (req) => recordExtension(ctxOf(deps, req), req.params.id, req.body),
  );

  app.get(
    "/api/ballots/:id/correspondence",
    {
      schema: {
        tags,
        summary: "Employers' objections and other correspondence about the ballot",
        params: IdParams,
        querystring: CorrespondenceQuery,
        response: { 200: z.array(CorrespondenceDto) },
      },
    },
    (req) => listCorrespondence(ctxOf(deps, req), req.params.id, req.query.employerId),
  );
  app.post(
    "/api/ballots/:id/correspondence",
    {
      schema: {
        tags,
        summary: "Log an employer's objection or other correspondence",
        params: IdParams,
        body: CorrespondenceInput,
        response: { 200: z.array(CorrespondenceDto) },
      },
    },
    (req) => recordCorrespondence(ctxOf(deps, req), req.params.id, req.body),
  );
}
