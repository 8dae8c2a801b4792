import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AuditRowDto, AuditVerifyDto } from "../../audit/audit.model.js";
import { AUDIT_EVENTS } from "../../audit/events.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";

export type { AuditRowDto, AuditVerifyDto };

/** The events for the filter: the server's own catalogue (a pure module, safe in the browser). */
const AUDIT_EVENT_SET = AUDIT_EVENTS;
export const AUDIT_EVENT_NAMES: readonly string[] = Object.keys(AUDIT_EVENT_SET).sort();

export interface AuditFilters {
  event?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export const auditKeys = {
  all: ["audit"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const,
};

export function useAuditLog(filters: AuditFilters) {
  return useQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<AuditRowDto>>(
        `/api/audit${queryString({ event: filters.event, page: filters.page, pageSize: filters.pageSize })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAudit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<AuditVerifyDto>("/api/audit/verify", { method: "POST" }),
    // Verifying is itself audited: the log has a new row.
    onSettled: () => queryClient.invalidateQueries({ queryKey: auditKeys.all }),
  });
}
