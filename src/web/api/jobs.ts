import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { JobDto } from "../../jobs/jobs.model.js";
import { ApiError, apiFetch } from "./client.js";

export type { JobDto };

export const jobKeys = { all: ["jobs"] as const };

/** The latest jobs; polled while any is queued or running, so the bars move. */
export function useJobs() {
  return useQuery({
    queryKey: jobKeys.all,
    queryFn: ({ signal }) => apiFetch<JobDto[]>("/api/jobs?limit=50", { signal }),
    refetchInterval: (query) =>
      query.state.data?.some((j) => j.state === "queued" || j.state === "running") ? 2000 : false,
  });
}

export function useJobAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "cancel" | "retry" }) =>
      apiFetch<JobDto>(`/api/jobs/${id}/${action}`, { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.all }),
  });
}

const ENDED: readonly JobDto["state"][] = ["succeeded", "failed", "cancelled"];

/**
 * Queues a job and follows it to its end, reporting its progress as it goes.
 * A job that fails or is cancelled throws its error as the API would have.
 */
export async function followJob(
  start: () => Promise<JobDto>,
  onProgress: (job: JobDto) => void,
): Promise<JobDto> {
  let job = await start();
  onProgress(job);
  while (!ENDED.includes(job.state)) {
    await new Promise((r) => setTimeout(r, 700));
    job = await apiFetch<JobDto>(`/api/jobs/${job.id}`);
    onProgress(job);
  }
  if (job.state !== "succeeded")
    throw new ApiError(409, job.errorCode ?? "internal.error", job.errorMessage ?? `The job ${job.state}.`);
  return job;
}

/** One job, polled every second while it is queued or running (a freeze the ballot page waits for). */
export function useJob(id: number | null) {
  return useQuery({
    queryKey: [...jobKeys.all, id],
    queryFn: ({ signal }) => apiFetch<JobDto>(`/api/jobs/${id}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) =>
      query.state.data && (query.state.data.state === "queued" || query.state.data.state === "running")
        ? 1000
        : false,
  });
}
