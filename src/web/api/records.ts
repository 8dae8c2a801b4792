/**
 * A ballot's records after its electorate is fixed: notices of industrial
 * action with their figures and suspensions, the scrutineer's report, paper
 * changes, mandate extensions and employer correspondence.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  ActionNoticeRecordDto,
  AffectedFiguresDto,
  CopyRequestInput,
  CorrespondenceDto,
  CorrespondenceInput,
  ExtensionInput,
  ExtensionsDto,
  PaperChangeInput,
  PaperChangesDto,
  ReportReviewInput,
  ResumptionInput,
  ScrutineerReportDto,
  ScrutineerReportInput,
  SuspensionInput,
} from "../../ballots/records.model.js";
import { apiFetch } from "./client.js";

export type ActionNoticeRecord = z.infer<typeof ActionNoticeRecordDto>;
export type ScrutineerReport = z.infer<typeof ScrutineerReportDto>;
export type PaperChanges = z.infer<typeof PaperChangesDto>;
export type Extensions = z.infer<typeof ExtensionsDto>;
export type Correspondence = z.infer<typeof CorrespondenceDto>;
export type NewCorrespondence = z.input<typeof CorrespondenceInput>;
export type AffectedFigures = z.infer<typeof AffectedFiguresDto>;
export type NewSuspension = z.input<typeof SuspensionInput>;
export type NewResumption = z.input<typeof ResumptionInput>;
export type NewScrutineerReport = z.input<typeof ScrutineerReportInput>;
export type NewReportReview = z.input<typeof ReportReviewInput>;
export type NewCopyRequest = z.input<typeof CopyRequestInput>;
export type NewPaperChange = z.input<typeof PaperChangeInput>;
export type NewExtension = z.input<typeof ExtensionInput>;

const key = (id: number, part: string) => ["ballots", id, "records", part] as const;

function useRecord<T>(id: number, part: string, path: string) {
  return useQuery({
    queryKey: key(id, part),
    queryFn: ({ signal }) => apiFetch<T>(path, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export const useActionNotices = (id: number) =>
  useRecord<ActionNoticeRecord[]>(id, "action-notices", `/api/ballots/${id}/action-notices`);
export const useScrutineerReport = (id: number) =>
  useRecord<ScrutineerReport>(id, "scrutineer-report", `/api/ballots/${id}/scrutineer-report`);
export const usePaperChanges = (id: number) =>
  useRecord<PaperChanges>(id, "paper-changes", `/api/ballots/${id}/paper-changes`);
export const useExtensions = (id: number) =>
  useRecord<Extensions>(id, "extensions", `/api/ballots/${id}/mandate-extensions`);
export const useCorrespondence = (id: number) =>
  useRecord<Correspondence[]>(id, "correspondence", `/api/ballots/${id}/correspondence`);

export function useRecordCorrespondence(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewCorrespondence) =>
      apiFetch<Correspondence[]>(`/api/ballots/${id}/correspondence`, { method: "POST", body: input }),
    onSuccess: (list) => queryClient.setQueryData(key(id, "correspondence"), list),
  });
}

/** A record's POST or PUT: the answer replaces that part of the records. */
function useRecordWrite<TInput, TResult>(id: number, part: string, run: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (answer) => queryClient.setQueryData(key(id, part), answer),
  });
}

/** Action under a notice suspended by agreement with the employer (s.234A(7A)-(7B)). */
export const useSuspendAction = (id: number) =>
  useRecordWrite(id, "action-notices", ({ noticeId, ...input }: NewSuspension & { noticeId: number }) =>
    apiFetch<ActionNoticeRecord[]>(`/api/ballots/${id}/action-notices/${noticeId}/suspensions`, {
      method: "POST",
      body: input,
    }),
  );

export const useResumeAction = (id: number) =>
  useRecordWrite(id, "action-notices", ({ recordId, ...input }: NewResumption & { recordId: number }) =>
    apiFetch<ActionNoticeRecord[]>(`/api/ballots/${id}/suspensions/${recordId}/resume`, {
      method: "POST",
      body: input,
    }),
  );

export const useRecordScrutineerReport = (id: number) =>
  useRecordWrite(id, "scrutineer-report", (input: NewScrutineerReport) =>
    apiFetch<ScrutineerReport>(`/api/ballots/${id}/scrutineer-report`, { method: "PUT", body: input }),
  );

export const useReviewScrutineerReport = (id: number) =>
  useRecordWrite(id, "scrutineer-report", (input: NewReportReview) =>
    apiFetch<ScrutineerReport>(`/api/ballots/${id}/scrutineer-report/review`, {
      method: "POST",
      body: input,
    }),
  );

export const useRecordCopyRequest = (id: number) =>
  useRecordWrite(id, "scrutineer-report", (input: NewCopyRequest) =>
    apiFetch<ScrutineerReport>(`/api/ballots/${id}/scrutineer-report/requests`, {
      method: "POST",
      body: input,
    }),
  );

export const useRecordCopySupplied = (id: number) =>
  useRecordWrite(
    id,
    "scrutineer-report",
    ({ recordId, suppliedOn }: { recordId: number; suppliedOn: string }) =>
      apiFetch<ScrutineerReport>(`/api/ballots/${id}/scrutineer-report/requests/${recordId}/supplied`, {
        method: "POST",
        body: { suppliedOn },
      }),
  );

export const useRecordPaperChange = (id: number) =>
  useRecordWrite(id, "paper-changes", (input: NewPaperChange) =>
    apiFetch<PaperChanges>(`/api/ballots/${id}/paper-changes`, { method: "POST", body: input }),
  );

export const useRecordExtension = (id: number) =>
  useRecordWrite(id, "extensions", (input: NewExtension) =>
    apiFetch<Extensions>(`/api/ballots/${id}/mandate-extensions`, { method: "POST", body: input }),
  );

/**
 * The affected employees a notice given on `givenOn` for action from
 * `firstDay` would count, per employer, before it is given (s.234A(3)(a)).
 */
export function useActionNoticePreview(id: number, givenOn: string, firstDay: string, enabled: boolean) {
  return useQuery({
    queryKey: [...key(id, "action-notice-preview"), givenOn, firstDay],
    queryFn: ({ signal }) =>
      apiFetch<AffectedFigures>(
        `/api/ballots/${id}/action-notices/preview?${new URLSearchParams({ givenOn, firstDay })}`,
        { signal },
      ),
    enabled: enabled && Number.isInteger(id) && id > 0,
    retry: false,
  });
}
