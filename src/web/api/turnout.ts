/** Turnout of a ballot's dispute: the dashboards, readiness before it opens, and the aggregation advisor. */
import { useMutation, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { AdviceDto, AdviseInput, DashboardDto, ReadinessDto } from "../../turnout/readiness.model.js";
import { apiFetch, apiFetchBlob, apiFetchHeld } from "./client.js";

export type Dashboard = z.infer<typeof DashboardDto>;
export type Readiness = z.infer<typeof ReadinessDto>;
export type Advice = z.infer<typeof AdviceDto>;
export type NewAdvice = z.input<typeof AdviseInput>;
export type DashboardLevel = Dashboard["level"];

export function useTurnoutDashboard(id: number, level: DashboardLevel, groupId: number | null) {
  const query =
    level === "national" || groupId === null ? `level=${level}` : `level=${level}&groupId=${groupId}`;
  return useQuery({
    queryKey: ["ballots", id, "turnout", "dashboard", level, groupId],
    // Refreshed every minute: asked conditionally, the figures travel only when they have changed.
    queryFn: ({ signal }) =>
      apiFetchHeld<Dashboard>(`/api/ballots/${id}/turnout/dashboard?${query}`, { signal }),
    enabled: Number.isInteger(id) && id > 0 && (level === "national" || groupId !== null),
    refetchInterval: 60_000,
  });
}

export function useTurnoutReadiness(id: number) {
  return useQuery({
    queryKey: ["ballots", id, "turnout", "readiness"],
    queryFn: ({ signal }) => apiFetch<Readiness>(`/api/ballots/${id}/turnout/readiness`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useAdvice(id: number) {
  return useMutation({
    mutationFn: (input: NewAdvice) =>
      apiFetch<Advice>(`/api/ballots/${id}/turnout/advisor`, { method: "POST", body: input }),
  });
}

/** The day's summary as a PDF for the view shown (national, or one region, sector or employer). */
export function useTurnoutSummaryPdf(id: number) {
  return useMutation({
    mutationFn: ({ level, groupId }: { level: DashboardLevel; groupId: number | null }) =>
      apiFetchBlob(
        `/api/ballots/${id}/turnout/summary.pdf?${level === "national" || groupId === null ? `level=${level}` : `level=${level}&groupId=${groupId}`}`,
      ),
  });
}
