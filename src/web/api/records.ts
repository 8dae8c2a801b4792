/**
 * A ballot's records after its electorate is fixed: notices of industrial
 * action with their figures and suspensions, the scrutineer's report, paper
 * changes, mandate extensions and employer correspondence.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  ActionNoticeRecordDto,
  CorrespondenceDto,
  CorrespondenceInput,
  ExtensionsDto,
  PaperChangesDto,
  ScrutineerReportDto,
} from "../../ballots/records.model.js";
import { apiFetch } from "./client.js";

export type ActionNoticeRecord = z.infer<typeof ActionNoticeRecordDto>;
export type ScrutineerReport = z.infer<typeof ScrutineerReportDto>;
export type PaperChanges = z.infer<typeof PaperChangesDto>;
export type Extensions = z.infer<typeof ExtensionsDto>;
export type Correspondence = z.infer<typeof CorrespondenceDto>;
export type NewCorrespondence = z.input<typeof CorrespondenceInput>;

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
