import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AnnouncementInput, BulletinDto, ReceiptsDto } from "../../bulletins/bulletins.model.js";
import { apiFetch } from "./client.js";

export type { AnnouncementInput, BulletinDto, ReceiptsDto };

export const bulletinKeys = {
  all: ["bulletins"] as const,
  receipts: (id: number) => ["bulletins", id, "receipts"] as const,
};

export function useBulletins() {
  return useQuery({
    queryKey: bulletinKeys.all,
    queryFn: ({ signal }) => apiFetch<BulletinDto[]>("/api/bulletins", { signal }),
  });
}

/** Opening a bulletin records the reader's receipt. */
export function useOpenBulletin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<BulletinDto>(`/api/bulletins/${id}/read`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bulletinKeys.all }),
  });
}

export function usePublishAnnouncement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AnnouncementInput) =>
      apiFetch<BulletinDto>("/api/bulletins", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bulletinKeys.all }),
  });
}

export function useMakeDigests() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (period: "daily" | "weekly") =>
      apiFetch<BulletinDto[]>("/api/bulletins/digests", { method: "POST", body: { period } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bulletinKeys.all }),
  });
}

export function useReceipts(id: number | null) {
  return useQuery({
    queryKey: bulletinKeys.receipts(id ?? 0),
    queryFn: ({ signal }) => apiFetch<ReceiptsDto>(`/api/bulletins/${id}/receipts`, { signal }),
    enabled: id !== null,
    staleTime: 0,
  });
}

export type { DigestScheduleDto, DigestScheduleInput } from "../../bulletins/bulletins.model.js";

export function useDigestSchedule() {
  return useQuery({
    queryKey: ["bulletins", "schedule"] as const,
    queryFn: ({ signal }) =>
      apiFetch<import("../../bulletins/bulletins.model.js").DigestScheduleDto>(
        "/api/union/settings/digests",
        {
          signal,
        },
      ),
  });
}

/** A national officer sets the schedule (audited); the answer says when the next digests are due. */
export function useSaveDigestSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: import("../../bulletins/bulletins.model.js").DigestScheduleInput) =>
      apiFetch<import("../../bulletins/bulletins.model.js").DigestScheduleDto>(
        "/api/union/settings/digests",
        {
          method: "PUT",
          body: input,
        },
      ),
    onSuccess: (answer) => queryClient.setQueryData(["bulletins", "schedule"], answer),
  });
}
