import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DuplicateGroupDto } from "../../members/duplicates.service.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";
import { memberKeys } from "./members.js";
import { qualityKeys } from "./quality.js";

export type { DuplicateGroupDto };

export type DuplicateStatus = DuplicateGroupDto["status"];
export type DuplicateMemberDto = DuplicateGroupDto["members"][number];

export const DUPLICATE_STATUSES: readonly DuplicateStatus[] = ["review", "linked", "distinct"];

export interface DuplicateFilters {
  status?: DuplicateStatus | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export const duplicateKeys = {
  all: ["duplicates"] as const,
  list: (filters: DuplicateFilters) => [...duplicateKeys.all, "list", filters] as const,
};

export function useDuplicateGroups(filters: DuplicateFilters, enabled = true) {
  return useQuery({
    queryKey: duplicateKeys.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<DuplicateGroupDto>>(
        `/api/duplicates${queryString({
          status: filters.status,
          page: filters.page,
          pageSize: filters.pageSize,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDecideDuplicate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: "link" | "distinct" }) =>
      apiFetch<void>(`/api/duplicates/${id}/decision`, { method: "POST", body: { action } }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: duplicateKeys.all }),
        queryClient.invalidateQueries({ queryKey: qualityKeys.all }),
        queryClient.invalidateQueries({ queryKey: memberKeys.all }),
      ]),
  });
}
