/**
 * The day of action on the day: the live national board (refreshed by itself), reps' reports from a
 * phone, and the incident log with its follow-ups.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReportInput } from "../../action/action.model.js";
import { applyBoardChanges, boardFromWire } from "../../action/board-changes.js";
import type {
  DayBoardDto,
  DayBoardWireDto,
  FollowupInput,
  IncidentDto,
  IncidentInput,
  IncidentUpdate,
  ReportingWorkplaceDto,
} from "../../action/dayboard.model.js";
import { apiFetch, queryString } from "./client.js";

export type { DayBoardDto, IncidentDto, ReportingWorkplaceDto };

const keys = {
  all: (day: string) => ["action-day", day] as const,
  board: (day: string) => ["action-day", day, "board"] as const,
  reporting: (day: string, q: string) => ["action-day", day, "reporting", q] as const,
  incidents: (day: string) => ["action-day", day, "incidents"] as const,
};

/** The live board: the whole of it once, then only what changed since the version held. */
export function useDayBoard(day: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.board(day),
    queryFn: async ({ signal }) => {
      const held = qc.getQueryData<DayBoardDto>(keys.board(day));
      const url = `/api/action/board/${day}`;
      const load = async (since?: string) =>
        boardFromWire(await apiFetch<DayBoardWireDto>(`${url}${queryString({ since })}`, { signal }));
      return applyBoardChanges(held, await load(held?.version || undefined)) ?? load();
    },
    refetchInterval: (q) => (q.state.data?.refreshSeconds ?? 10) * 1000,
  });
}

export function useReportingWorkplaces(day: string, q: string) {
  return useQuery({
    queryKey: keys.reporting(day, q),
    queryFn: ({ signal }) =>
      apiFetch<ReportingWorkplaceDto[]>(`/api/action/reporting/${day}${queryString({ q: q || undefined })}`, {
        signal,
      }),
  });
}

export function useRecordReport(day: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<ReportInput, "day">) =>
      apiFetch<{ id: number }>("/api/action/reports", { method: "POST", body: { ...input, day } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(day) }),
  });
}

export function useIncidents(day: string) {
  return useQuery({
    queryKey: keys.incidents(day),
    queryFn: ({ signal }) => apiFetch<IncidentDto[]>(`/api/action/incidents/${day}`, { signal }),
    refetchInterval: 30_000,
  });
}

export function useRecordIncident(day: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<IncidentInput, "day">) =>
      apiFetch<IncidentDto>("/api/action/incidents", { method: "POST", body: { ...input, day } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(day) }),
  });
}

export function useUpdateIncident(day: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: IncidentUpdate & { id: number }) =>
      apiFetch<IncidentDto>(`/api/action/incidents/${id}`, { method: "PATCH", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(day) }),
  });
}

export function useAddFollowup(day: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...input
    }: Partial<FollowupInput> & Pick<FollowupInput, "who" | "what"> & { id: number }) =>
      apiFetch<IncidentDto>(`/api/action/incidents/${id}/followups`, { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.incidents(day) }),
  });
}

export function useFollowupDone(day: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, followupId, done }: { id: number; followupId: number; done: boolean }) =>
      apiFetch<IncidentDto>(`/api/action/incidents/${id}/followups/${followupId}`, {
        method: "PATCH",
        body: { done },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.incidents(day) }),
  });
}
