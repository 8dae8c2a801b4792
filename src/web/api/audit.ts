import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AuditRowDto, AuditVerifyDto } from "../../audit/audit.model.js";
import type { AuditEvent } from "../../audit/events.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";

export type { AuditRowDto, AuditVerifyDto };

/**
 * The events for the filter. Typed against the server's catalogue, so the
 * compiler flags a missing or renamed event (the catalogue itself is server code).
 */
const AUDIT_EVENT_SET: Record<AuditEvent, true> = {
  "auth.login_succeeded": true,
  "auth.login_failed": true,
  "auth.logout": true,
  "auth.access_denied": true,
  "user.created": true,
  "union.created": true,
  "union.updated": true,
  "region.created": true,
  "region.updated": true,
  "region.deleted": true,
  "sector.created": true,
  "sector.updated": true,
  "sector.deleted": true,
  "branch.created": true,
  "branch.updated": true,
  "branch.deleted": true,
  "employer.created": true,
  "employer.updated": true,
  "employer.deleted": true,
  "workplace.created": true,
  "workplace.updated": true,
  "workplace.deleted": true,
  "member.created": true,
  "member.updated": true,
  "member.deleted": true,
  "members.exported": true,
  "members.seeded": true,
  "audit.verified": true,
};
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
