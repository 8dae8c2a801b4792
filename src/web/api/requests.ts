/** Requests for assistance: the list, one request, raising, triage and answers, departments and reports. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AnswerInput,
  DepartmentDto,
  RaiseRequestInput,
  RequestDto,
  RequestListDto,
  RequestSummaryDto,
  RequestsReportDto,
  ServiceLevelDto,
  TriageInput,
} from "../../requests/requests.model.js";
import type { Urgency } from "../../requests/service-level.js";
import { apiFetch, queryString } from "./client.js";

export type { DepartmentDto, RequestDto, RequestSummaryDto, RequestsReportDto, ServiceLevelDto, Urgency };

const keys = {
  all: ["requests"] as const,
  list: (q: { open: boolean; escalated: boolean }) => ["requests", "list", q] as const,
  one: (id: number) => ["requests", "one", id] as const,
  departments: ["requests", "departments"] as const,
  levels: ["requests", "levels"] as const,
  report: ["requests", "report"] as const,
};

export function useRequests(q: { open: boolean; escalated: boolean }) {
  return useQuery({
    queryKey: keys.list(q),
    queryFn: ({ signal }) =>
      apiFetch<RequestListDto>(
        `/api/requests${queryString({ open: q.open || undefined, escalated: q.escalated || undefined })}`,
        { signal },
      ),
    // The service-level state moves with the clock.
    staleTime: 0,
  });
}

export function useRequest(id: number) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: ({ signal }) => apiFetch<RequestDto>(`/api/requests/${id}`, { signal }),
    staleTime: 0,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: keys.departments,
    queryFn: ({ signal }) => apiFetch<DepartmentDto[]>("/api/requests/departments", { signal }),
    staleTime: 300_000,
  });
}

export function useServiceLevels() {
  return useQuery({
    queryKey: keys.levels,
    queryFn: ({ signal }) => apiFetch<ServiceLevelDto[]>("/api/requests/service-levels", { signal }),
    staleTime: 300_000,
  });
}

export function useRequestsReport(enabled: boolean) {
  return useQuery({
    queryKey: keys.report,
    queryFn: ({ signal }) => apiFetch<RequestsReportDto>("/api/requests/report", { signal }),
    enabled,
  });
}

export function useRaiseRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      input: Omit<RaiseRequestInput, "regionId" | "sectorId"> & {
        regionId?: number | null;
        sectorId?: number | null;
      },
    ) => apiFetch<RequestDto>("/api/requests", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useTriage(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TriageInput) =>
      apiFetch<RequestDto>(`/api/requests/${id}/triage`, { method: "POST", body: input }),
    onSuccess: (r) => {
      qc.setQueryData(keys.one(id), r);
      void qc.invalidateQueries({ queryKey: keys.all });
    },
  });
}

export function useAnswer(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: AnswerInput) =>
      apiFetch<RequestDto>(`/api/requests/${id}/answers`, { method: "POST", body: input }),
    onSuccess: (r) => {
      qc.setQueryData(keys.one(id), r);
      void qc.invalidateQueries({ queryKey: keys.all });
    },
  });
}

export function useCreateDepartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { code: string; name: string }) =>
      apiFetch<DepartmentDto>("/api/requests/departments", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.departments }),
  });
}

export function useSetDepartmentMembers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, userIds }: { id: number; userIds: number[] }) =>
      apiFetch<DepartmentDto>(`/api/requests/departments/${id}/members`, {
        method: "PUT",
        body: { userIds },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.departments }),
  });
}

export function useSetServiceLevels() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (levels: { urgency: Urgency; amount: number; unit: "hours" | "working_days" }[]) =>
      apiFetch<ServiceLevelDto[]>("/api/requests/service-levels", { method: "PUT", body: { levels } }),
    onSuccess: (levels) => qc.setQueryData(keys.levels, levels),
  });
}
