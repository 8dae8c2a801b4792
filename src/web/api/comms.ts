import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AudienceCountDto,
  Channel,
  DeliverabilityDimension,
  DeliverabilityDto,
  PreviewDto,
  Purpose,
  SegmentDto,
  SegmentInput,
  SendDto,
  SendInput,
  TemplateDto,
  TemplateInput,
  VersionDto,
  VersionInput,
} from "../../comms/comms.model.js";
import type { JobDto } from "../../jobs/jobs.model.js";
import { apiFetch, queryString } from "./client.js";
import { jobKeys } from "./jobs.js";

export type {
  AudienceCountDto,
  Channel,
  DeliverabilityDimension,
  DeliverabilityDto,
  PreviewDto,
  Purpose,
  SegmentDto,
  SegmentInput,
  SendDto,
  TemplateDto,
  VersionDto,
};
export type SendListItem = Omit<SendDto, "messages" | "suppressed">;

export const commsKeys = {
  all: ["comms"] as const,
  segments: ["comms", "segments"] as const,
  count: (id: number, channel: Channel, purpose: Purpose) =>
    ["comms", "segments", id, channel, purpose] as const,
  templates: ["comms", "templates"] as const,
  preview: (versionId: number, memberId: number | null) => ["comms", "preview", versionId, memberId] as const,
  sends: ["comms", "sends"] as const,
  send: (id: number) => ["comms", "sends", id] as const,
  deliverability: (by: DeliverabilityDimension, days: number, channel: Channel | null) =>
    ["comms", "deliverability", by, days, channel] as const,
};

/** Sent, delivered, bounced and fallbacks per channel, employer or workplace, in the reader's reach. */
export function useDeliverability(by: DeliverabilityDimension, days: number, channel: Channel | null) {
  return useQuery({
    queryKey: commsKeys.deliverability(by, days, channel),
    queryFn: ({ signal }) =>
      apiFetch<DeliverabilityDto>(`/api/comms/deliverability${queryString({ by, days, channel })}`, {
        signal,
      }),
  });
}

export function useSegments() {
  return useQuery({
    queryKey: commsKeys.segments,
    queryFn: ({ signal }) => apiFetch<SegmentDto[]>("/api/comms/segments", { signal }),
  });
}

/** Saving under a name already used replaces that audience. */
export function useSaveSegment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SegmentInput) =>
      apiFetch<SegmentDto>("/api/comms/segments", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commsKeys.segments }),
  });
}

/** Who an audience reaches now; counted afresh each time it is asked (no caching across sends). */
export function useSegmentCount(id: number | null, channel: Channel, purpose: Purpose) {
  return useQuery({
    queryKey: commsKeys.count(id ?? 0, channel, purpose),
    queryFn: ({ signal }) =>
      apiFetch<AudienceCountDto>(`/api/comms/segments/${id}/count${queryString({ channel, purpose })}`, {
        signal,
      }),
    enabled: id !== null,
    staleTime: 0,
  });
}

export function useTemplates() {
  return useQuery({
    queryKey: commsKeys.templates,
    queryFn: ({ signal }) => apiFetch<TemplateDto[]>("/api/comms/templates", { signal }),
  });
}

export function useCreateTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TemplateInput) =>
      apiFetch<TemplateDto>("/api/comms/templates", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commsKeys.templates }),
  });
}

export function useAddVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ templateId, input }: { templateId: number; input: VersionInput }) =>
      apiFetch<VersionDto>(`/api/comms/templates/${templateId}/versions`, { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commsKeys.templates }),
  });
}

export function useApproveVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (versionId: number) =>
      apiFetch<VersionDto>(`/api/comms/versions/${versionId}/approve`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commsKeys.templates }),
  });
}

/** A version as a member would get it: a sample member in the user's reach, or the member given. */
export function usePreview(versionId: number | null, memberId: number | null) {
  return useQuery({
    queryKey: commsKeys.preview(versionId ?? 0, memberId),
    queryFn: ({ signal }) =>
      apiFetch<PreviewDto>(`/api/comms/versions/${versionId}/preview${queryString({ memberId })}`, {
        signal,
      }),
    enabled: versionId !== null,
  });
}

export function useSends() {
  return useQuery({
    queryKey: commsKeys.sends,
    queryFn: ({ signal }) => apiFetch<SendListItem[]>("/api/comms/sends", { signal }),
  });
}

export function useQueueSend() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SendInput) => apiFetch<SendDto>("/api/comms/sends", { method: "POST", body: input }),
    onSuccess: (send) => {
      queryClient.setQueryData(commsKeys.send(send.id), send);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: commsKeys.sends, exact: true }),
        queryClient.invalidateQueries({ queryKey: jobKeys.all }),
      ]);
    },
  });
}

const RUNNING: readonly JobDto["state"][] = ["queued", "running"];

/** The send's job, polled every second while it waits or runs, so the bar moves. */
export function useSendJob(jobId: number | null) {
  return useQuery({
    queryKey: [...jobKeys.all, jobId],
    queryFn: ({ signal }) => apiFetch<JobDto>(`/api/jobs/${jobId}`, { signal }),
    enabled: jobId !== null,
    refetchInterval: (query) =>
      query.state.data && !RUNNING.includes(query.state.data.state) ? false : 1000,
  });
}

/**
 * One send with its ledger's counts; polled while its job waits or runs (`running`), and once more
 * after, so the last marks show.
 */
export function useSend(id: number | null, running: boolean) {
  return useQuery({
    queryKey: commsKeys.send(id ?? 0),
    queryFn: ({ signal }) => apiFetch<SendDto>(`/api/comms/sends/${id}`, { signal }),
    enabled: id !== null,
    staleTime: 0,
    refetchInterval: running ? 1000 : false,
  });
}

export function sendIsRunning(job: JobDto | undefined): boolean {
  return job === undefined || RUNNING.includes(job.state);
}
