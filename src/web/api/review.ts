import {
  keepPreviousData,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import type { OrgStringDto } from "../../members/org-strings.service.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";
import { memberKeys } from "./members.js";
import { qualityKeys } from "./quality.js";
import { registerKeys } from "./registers.js";

export type { OrgStringDto };

export type OrgStringStatus = OrgStringDto["status"];
export type OrgStringCandidate = OrgStringDto["candidates"][number];

/** The queue first, then the other states, in the order a reviewer works through them. */
export const ORG_STRING_STATUSES: readonly OrgStringStatus[] = ["review", "unmatched", "auto", "reviewed"];

export interface OrgStringPage extends Page<OrgStringDto> {
  /** Strings per status across the whole union (not just this page or search). */
  counts: Record<string, number>;
}

export interface OrgStringFilters {
  status?: OrgStringStatus | undefined;
  search?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export type OrgStringDecision =
  | { action: "accept" }
  | { action: "choose"; employerId: number; workplaceId: number | null }
  | { action: "unknown" };

export const reviewKeys = {
  all: ["org-strings"] as const,
  list: (filters: OrgStringFilters) => [...reviewKeys.all, "list", filters] as const,
};

export function useOrgStrings(filters: OrgStringFilters, enabled = true) {
  return useQuery({
    queryKey: reviewKeys.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<OrgStringPage>(
        `/api/org-strings${queryString({
          status: filters.status,
          search: filters.search,
          page: filters.page,
          pageSize: filters.pageSize,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/**
 * A decision moves members to (or off) an employer: the queue, the member
 * lists and every count by employer, workplace and quality change with it.
 */
export function invalidateAfterMatching(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: reviewKeys.all }),
    queryClient.invalidateQueries({ queryKey: memberKeys.all }),
    queryClient.invalidateQueries({ queryKey: registerKeys.employers }),
    queryClient.invalidateQueries({ queryKey: registerKeys.workplaces }),
    queryClient.invalidateQueries({ queryKey: qualityKeys.all }),
  ]);
}

export function useDecideOrgString() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: number; decision: OrgStringDecision }) =>
      apiFetch<{ membersUpdated: number }>(`/api/org-strings/${id}/decision`, {
        method: "POST",
        body: decision,
      }),
    onSuccess: () => invalidateAfterMatching(queryClient),
  });
}

/** The same decision on many strings; all or nothing. At most 500 ids. */
export function useBulkDecideOrgStrings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: number[]; action: "accept" | "unknown" }) =>
      apiFetch<{ membersUpdated: number; strings: number }>("/api/org-strings/decisions", {
        method: "POST",
        body: input,
      }),
    onSuccess: () => invalidateAfterMatching(queryClient),
  });
}
