import {
  keepPreviousData,
  type QueryClient,
  type QueryKey,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useState } from "react";
import type { z } from "zod";
import type {
  ActionNoticeInput,
  BallotDto,
  BallotState,
  CreateBallotInput,
  CreateDisputeInput,
  DisputeDto,
  DocumentDto,
  ElectorateMemberDto,
  ElectorateSummaryDto,
  PreflightCheckDto,
  PreflightDto,
  RecordReceiptInput,
  ReminderDto,
  ResultDto,
  ResultInput,
  ScrutineerResultInput,
  TimetableDto,
  UpdateBallotInput,
} from "../../ballots/ballots.model.js";
import type { LegalSignOffDto } from "../../ballots/legal-signoff.service.js";
import type { EvaluationDto, LawAtDto, TimetableResultDto } from "../../law/law.model.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";
import { followJob, type JobDto } from "./jobs.js";

export type {
  ActionNoticeInput,
  BallotDto,
  BallotState,
  CreateBallotInput,
  CreateDisputeInput,
  DisputeDto,
  DocumentDto,
  ElectorateSummaryDto,
  PreflightDto,
  ResultDto,
  ResultInput,
  UpdateBallotInput,
};

export type PreflightCheck = z.infer<typeof PreflightCheckDto>;
export type PreflightItem = PreflightCheck["items"][number];
export type ElectorateMember = z.infer<typeof ElectorateMemberDto>;
export type Timetable = z.infer<typeof TimetableDto>;
export type Deadline = BallotDto["timetable"]["deadlines"][number];
export type EmployerTimetable = Timetable["employers"][number];
export type ReceiptKind = EmployerTimetable["receipts"][number]["kind"];
export type RecordReceipt = z.infer<typeof RecordReceiptInput>;
export type Evaluation = z.infer<typeof EvaluationDto>;
export type LawAt = z.infer<typeof LawAtDto>;
export type ProposedTimetable = z.infer<typeof TimetableResultDto>;
export type QuestionKind = BallotDto["questions"][number];
export type AggregationTest = NonNullable<BallotDto["aggregationTest"]>;
export type DocumentKind = DocumentDto["kind"];
export type Reminder = z.infer<typeof ReminderDto>;
export type ScrutineerResult = z.infer<typeof ScrutineerResultInput>;
export interface DocumentsCheck {
  checked: number;
  identical: number;
  differing: number[];
}

export interface ElectorateFilters {
  included?: boolean | undefined;
  employerId?: number | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export const ballotKeys = {
  disputes: ["disputes"] as const,
  dispute: (id: number) => [...ballotKeys.disputes, id] as const,
  ballots: ["ballots"] as const,
  ballot: (id: number) => [...ballotKeys.ballots, id] as const,
  summary: (id: number) => [...ballotKeys.ballot(id), "electorate-summary"] as const,
  electorate: (id: number, filters: ElectorateFilters) =>
    [...ballotKeys.ballot(id), "electorate", filters] as const,
  preflight: (id: number) => [...ballotKeys.ballot(id), "preflight"] as const,
  timetable: (id: number) => [...ballotKeys.ballot(id), "timetable"] as const,
  result: (id: number) => [...ballotKeys.ballot(id), "result"] as const,
  documents: (id: number) => [...ballotKeys.ballot(id), "documents"] as const,
  reminders: () => [...ballotKeys.ballots, "reminders"] as const,
  law: (date: string) => ["law", "rules", date] as const,
  proposedTimetable: (opening: string, closing: string) => ["law", "timetable", opening, closing] as const,
};

const validId = (id: number) => Number.isInteger(id) && id > 0;

/** Anything that changes a ballot changes its page, its dispute's list of ballots, every tab and the reminders. */
function invalidateBallot(queryClient: QueryClient, id: number): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ballotKeys.ballot(id) }),
    queryClient.invalidateQueries({ queryKey: ballotKeys.disputes }),
    queryClient.invalidateQueries({ queryKey: ballotKeys.reminders() }),
  ]);
}

/** One dispute's or ballot's resource: not asked for until the id from the address is a real one. */
function useResource<T>(queryKey: QueryKey, path: string, id: number, enabled = true) {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => apiFetch<T>(path, { signal }),
    enabled: enabled && validId(id),
  });
}

/**
 * A change to a ballot. The answer goes straight into the cache under `answerKey`
 * (when the server sends back what it stored), then everything the change can
 * touch is read again.
 */
function useBallotMutation<TInput, TResult>(
  id: number,
  run: (input: TInput) => Promise<TResult>,
  answerKey?: QueryKey,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (answer) => {
      if (answerKey) queryClient.setQueryData(answerKey, answer);
      return invalidateBallot(queryClient, id);
    },
  });
}

// ---------------------------------------------------------------------------
// Disputes

export function useDisputes() {
  return useQuery({
    queryKey: ballotKeys.disputes,
    queryFn: ({ signal }) => apiFetch<DisputeDto[]>("/api/disputes", { signal }),
  });
}

export function useDispute(id: number) {
  return useResource<DisputeDto>(ballotKeys.dispute(id), `/api/disputes/${id}`, id);
}

export function useCreateDispute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateDisputeInput) =>
      apiFetch<DisputeDto>("/api/disputes", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ballotKeys.disputes }),
  });
}

/** Deadlines in the next fortnight and overdue receipts, across the ballots still running. */
export function useReminders(enabled = true) {
  return useQuery({
    queryKey: ballotKeys.reminders(),
    queryFn: ({ signal }) => apiFetch<Reminder[]>("/api/ballots/reminders", { signal }),
    enabled,
  });
}

// ---------------------------------------------------------------------------
// Ballots

export function useBallot(id: number) {
  return useResource<BallotDto>(ballotKeys.ballot(id), `/api/ballots/${id}`, id);
}

export function useCreateBallot(disputeId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateBallotInput) =>
      apiFetch<BallotDto>(`/api/disputes/${disputeId}/ballots`, { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ballotKeys.disputes }),
  });
}

/** Changing the set-up of a frozen ballot thaws it: the snapshot no longer matches. */
export function useUpdateBallot(id: number) {
  return useBallotMutation(id, (patch: UpdateBallotInput) =>
    apiFetch<BallotDto>(`/api/ballots/${id}`, { method: "PATCH", body: patch }),
  );
}

export function useReviewStatement(id: number) {
  return useBallotMutation(id, (text: string) =>
    apiFetch<BallotDto>(`/api/ballots/${id}/statement-review`, { method: "POST", body: { text } }),
  );
}

// ---------------------------------------------------------------------------
// Electorate

/** Queues the freeze: the answer is the job, which the page then follows. */
export function useFreezeElectorate(id: number) {
  return useMutation({
    mutationFn: () => apiFetch<JobDto>(`/api/ballots/${id}/electorate/freeze`, { method: "POST" }),
  });
}

/** Refreshes the ballot and its electorate once a freeze job has ended. */
export function useBallotRefresh(id: number) {
  const queryClient = useQueryClient();
  return () => invalidateBallot(queryClient, id);
}

/** Whether the ballot's state allows an action, and if not why (the lifecycle table, from the server). */
export function ballotAllows(ballot: BallotDto, action: string): { allowed: boolean; reason: string | null } {
  const answer = ballot.actions.find((a) => a.action === action);
  return { allowed: answer?.allowed ?? false, reason: answer?.reason ?? null };
}

export function useElectorateSummary(id: number, enabled = true) {
  return useResource<ElectorateSummaryDto>(
    ballotKeys.summary(id),
    `/api/ballots/${id}/electorate/summary`,
    id,
    enabled,
  );
}

export function useElectorate(id: number, filters: ElectorateFilters, enabled = true) {
  return useQuery({
    queryKey: ballotKeys.electorate(id, filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<ElectorateMember>>(
        `/api/ballots/${id}/electorate${queryString({
          included: filters.included === undefined ? undefined : String(filters.included),
          employerId: filters.employerId,
          page: filters.page,
          pageSize: filters.pageSize,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
    enabled: enabled && validId(id),
  });
}

// ---------------------------------------------------------------------------
// Pre-flight

/** Always re-run when opened: records fixed elsewhere (a member's page) change the answer. */
export function usePreflight(id: number, enabled = true) {
  return useQuery({
    queryKey: ballotKeys.preflight(id),
    queryFn: ({ signal }) => apiFetch<PreflightDto>(`/api/ballots/${id}/preflight`, { signal }),
    enabled: enabled && validId(id),
    staleTime: 0,
  });
}

// ---------------------------------------------------------------------------
// Timetable and receipts

export function useTimetable(id: number) {
  return useResource<Timetable>(ballotKeys.timetable(id), `/api/ballots/${id}/timetable`, id);
}

export function useRecordReceipt(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RecordReceipt) =>
      apiFetch<Timetable>(`/api/ballots/${id}/receipts`, { method: "POST", body: input }),
    onSuccess: (timetable) => queryClient.setQueryData(ballotKeys.timetable(id), timetable),
  });
}

// ---------------------------------------------------------------------------
// Result

export function useResult(id: number) {
  return useResource<ResultDto | null>(ballotKeys.result(id), `/api/ballots/${id}/result`, id);
}

export function useRecordResult(id: number) {
  return useBallotMutation(
    id,
    (input: ResultInput) => apiFetch<ResultDto>(`/api/ballots/${id}/result`, { method: "POST", body: input }),
    ballotKeys.result(id),
  );
}

/** The scrutineer's result file (question, votes_cast, yes, no, spoilt), read in the browser and sent as text. */
export function useImportScrutineerResult(id: number) {
  return useBallotMutation(
    id,
    (input: ScrutineerResult) =>
      apiFetch<ResultDto>(`/api/ballots/${id}/result/csv`, { method: "POST", body: input }),
    ballotKeys.result(id),
  );
}

// ---------------------------------------------------------------------------
// Documents

export function documentDownloadUrl(documentId: number): string {
  return `/api/documents/${documentId}/download`;
}

export function useDocuments(id: number) {
  return useResource<DocumentDto[]>(ballotKeys.documents(id), `/api/ballots/${id}/documents`, id);
}

// New documents move the ballot on (notices issued) and add to the list: each is a change to the ballot.

/**
 * A set of the ballot's documents generated as a job (notices of ballot for every employer with their
 * annexes and the sample paper, refused at once while pre-flight blocks; or the result notices): the
 * job's progress is kept for the screen as it runs, one document at a time.
 */
function useDocumentJob(id: number, set: "notices" | "results") {
  const [progress, setProgress] = useState<JobDto | null>(null);
  const mutation = useBallotMutation(id, () =>
    followJob(
      () => apiFetch<JobDto>(`/api/ballots/${id}/documents/jobs`, { method: "POST", body: { set } }),
      setProgress,
    ),
  );
  return { ...mutation, progress: mutation.isPending ? progress : null };
}

export function useGenerateNotices(id: number) {
  return useDocumentJob(id, "notices");
}

export function useGenerateVoterFile(id: number) {
  return useBallotMutation(id, () =>
    apiFetch<DocumentDto>(`/api/ballots/${id}/documents/voter-file`, { method: "POST" }),
  );
}

export function useGenerateResultNotices(id: number) {
  return useDocumentJob(id, "results");
}

export function useCreateActionNotices(id: number) {
  return useBallotMutation(id, (input: ActionNoticeInput) =>
    apiFetch<DocumentDto[]>(`/api/ballots/${id}/action-notices`, { method: "POST", body: input }),
  );
}

// ---------------------------------------------------------------------------
// Legal sign-off: until it covers every item needing legal review, documents are drafts.

export type LegalSignOff = z.infer<typeof LegalSignOffDto>;

export function useLegalSignOff(id: number) {
  return useResource<LegalSignOff>(["ballots", id, "legal-signoff"], `/api/ballots/${id}/legal-signoff`, id);
}

export function useSignOffLegalReview(id: number) {
  return useBallotMutation(
    id,
    (input: { reviewer: string; reviewed: string }) =>
      apiFetch<LegalSignOff>(`/api/ballots/${id}/legal-signoff`, { method: "POST", body: input }),
    ["ballots", id, "legal-signoff"],
  );
}

/** Re-renders every stored document from its input and compares the bytes: proof nothing changed. */
export function useVerifyDocuments(id: number) {
  return useMutation({
    mutationFn: () => apiFetch<DocumentsCheck>(`/api/ballots/${id}/documents/verify`),
  });
}

// ---------------------------------------------------------------------------
// The law

/** Every deadline for proposed dates, from the server's timetable (the one the saved ballot uses). */
export function useProposedTimetable(opening: string | null, closing: string | null) {
  return useQuery({
    queryKey: ballotKeys.proposedTimetable(opening ?? "", closing ?? ""),
    queryFn: ({ signal }) =>
      apiFetch<ProposedTimetable>(
        `/api/law/timetable${queryString({ openingDate: opening, closingDate: closing })}`,
        { signal },
      ),
    enabled: opening !== null && closing !== null,
    staleTime: 30 * 60_000,
    placeholderData: keepPreviousData,
  });
}

/** The law in force on a date: the regime and every rule, with citations and what needs legal review. */
export function useLawAt(date: string | null) {
  return useQuery({
    queryKey: ballotKeys.law(date ?? ""),
    queryFn: ({ signal }) => apiFetch<LawAt>(`/api/law/rules${queryString({ date })}`, { signal }),
    enabled: date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date),
    staleTime: 30 * 60_000,
    placeholderData: keepPreviousData,
  });
}
