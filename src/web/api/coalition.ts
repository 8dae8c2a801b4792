/** Coalitions of unions (decision 0032): joint timetable, agreements, shared aggregates. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CoalitionDto,
  JointEmployerDto,
  PartnerDayDto,
  PublishResultDto,
  TimetableDto,
  UnionAggregatesDto,
} from "../../coalition/coalition.model.js";
import { apiFetch } from "./client.js";

export type {
  CoalitionDto,
  JointEmployerDto,
  PartnerDayDto,
  PublishResultDto,
  TimetableDto,
  UnionAggregatesDto,
};

const keys = {
  all: ["coalitions"] as const,
  one: (id: number) => ["coalitions", id] as const,
};

export function useCoalitions() {
  return useQuery({
    queryKey: keys.all,
    queryFn: ({ signal }) => apiFetch<CoalitionDto[]>("/api/coalitions", { signal }),
  });
}

export function useCoalitionTimetable(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.one(id), "timetable"],
    queryFn: ({ signal }) => apiFetch<TimetableDto>(`/api/coalitions/${id}/timetable`, { signal }),
    enabled,
  });
}

export function useCoalitionAggregates(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.one(id), "aggregates"],
    queryFn: ({ signal }) => apiFetch<UnionAggregatesDto[]>(`/api/coalitions/${id}/aggregates`, { signal }),
    enabled,
  });
}

/** The other unions' figures on a day of action of the reader's coalitions (counts only). */
export function usePartnerDay(day: string, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.all, "day", day],
    queryFn: ({ signal }) => apiFetch<PartnerDayDto[]>(`/api/coalitions/day/${day}`, { signal }),
    enabled,
    // Partners' figures change when they publish or report: a minute is fresh enough beside the board's own.
    refetchInterval: 60_000,
  });
}

export function useJointEmployers(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.one(id), "employers"],
    queryFn: ({ signal }) => apiFetch<JointEmployerDto[]>(`/api/coalitions/${id}/employers`, { signal }),
    enabled,
  });
}

export function usePublishToCoalition(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<PublishResultDto>(`/api/coalitions/${id}/publish`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useAgreeToCoalition(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<CoalitionDto>(`/api/coalitions/${id}/agree`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}
