import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ImportJobDto as ServerImportJobDto } from "../../members/member-import.service.js";
import { apiFetch, apiUpload, type UploadProgress } from "./client.js";
import { duplicateKeys } from "./duplicates.js";
import { invalidateAfterMatching } from "./review.js";

export type { UploadProgress };

/** The job as GET /api/imports/:id sends it (the mapping is field → column header). */
export type ImportJobDto = Omit<ServerImportJobDto, "mapping"> & { mapping: Record<string, string> };

/** One rejected row or warning, as GET /api/imports/:id/problems sends it. */
export interface ImportProblemDto {
  file: string;
  line: number;
  field: string;
  code: string;
  message: string;
  sheet?: string | undefined;
  /** "reject" (the row was not loaded) or "warning" (loaded, with a fix or a doubt). */
  severity: string;
}

export const importKeys = {
  all: ["imports"] as const,
  job: (id: number) => [...importKeys.all, "job", id] as const,
  problems: (id: number) => [...importKeys.all, "problems", id] as const,
};

/** How often a running job is asked for its progress. */
const POLL_MS = 1000;

export function useImportJob(id: number | undefined) {
  return useQuery({
    queryKey: importKeys.job(id ?? 0),
    queryFn: ({ signal }) => apiFetch<ImportJobDto>(`/api/imports/${id}`, { signal }),
    enabled: id !== undefined && id > 0,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === "running" ? POLL_MS : false),
    // Keep polling while the tab is in the background: the counts are ready when the user comes back.
    refetchIntervalInBackground: true,
  });
}

export function useImportProblems(id: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: importKeys.problems(id ?? 0),
    queryFn: ({ signal }) => apiFetch<ImportProblemDto[]>(`/api/imports/${id}/problems`, { signal }),
    enabled: enabled && id !== undefined && id > 0,
  });
}

export interface StartImportInput {
  file: File;
  /** Field → column header overrides; empty for the server's own detection. */
  mapping: Record<string, string>;
  onProgress: (progress: UploadProgress) => void;
  signal?: AbortSignal | undefined;
}

export function useStartImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, mapping, onProgress, signal }: StartImportInput) => {
      const form = new FormData();
      // The server reads fields sent before the file part: the mapping must come first.
      if (Object.keys(mapping).length > 0) form.append("mapping", JSON.stringify(mapping));
      form.append("file", file, file.name);
      return apiUpload<ImportJobDto>("/api/imports/members", form, { onProgress, signal });
    },
    onSuccess: (job) => queryClient.setQueryData(importKeys.job(job.id), job),
  });
}

export function useResumeImport(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<ImportJobDto>(`/api/imports/${id}/resume`, { method: "POST" }),
    onSuccess: (job) => {
      // The answer is the job as it stood before the restart: show it running so polling starts again.
      queryClient.setQueryData<ImportJobDto>(
        importKeys.job(id),
        job.status === "completed" ? job : { ...job, status: "running", error: null },
      );
      void queryClient.invalidateQueries({ queryKey: importKeys.problems(id) });
    },
  });
}

/** A finished import changes members, their matches, duplicates and every count. */
export function invalidateAfterImport(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    invalidateAfterMatching(queryClient),
    queryClient.invalidateQueries({ queryKey: duplicateKeys.all }),
  ]);
}
