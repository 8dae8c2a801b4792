import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  MemberDetailDto,
  MemberDto,
  MemberListItemDto,
  MemberStatus,
  MembersSummaryDto,
  UpdateMemberInput,
} from "../../members/members.model.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";

export type { MemberDetailDto, MemberDto, MemberListItemDto, MemberStatus, MembersSummaryDto };

export const MEMBER_STATUS_OPTIONS: readonly MemberStatus[] = ["active", "lapsed", "left", "deceased"];

export interface MemberFilters {
  search?: string | undefined;
  regionId?: number | undefined;
  employerId?: number | undefined;
  workplaceId?: number | undefined;
  status?: MemberStatus | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export const memberKeys = {
  all: ["members"] as const,
  summary: () => [...memberKeys.all, "summary"] as const,
  list: (filters: MemberFilters) => [...memberKeys.all, "list", filters] as const,
  detail: (id: number) => [...memberKeys.all, "detail", id] as const,
};

export function useMembersSummary() {
  return useQuery({
    queryKey: memberKeys.summary(),
    queryFn: ({ signal }) => apiFetch<MembersSummaryDto>("/api/members/summary", { signal }),
  });
}

export function useMembers(filters: MemberFilters) {
  return useQuery({
    queryKey: memberKeys.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<MemberListItemDto>>(
        `/api/members${queryString({
          search: filters.search,
          regionId: filters.regionId,
          employerId: filters.employerId,
          workplaceId: filters.workplaceId,
          status: filters.status,
          page: filters.page,
          pageSize: filters.pageSize,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMember(id: number) {
  return useQuery({
    queryKey: memberKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<MemberDetailDto>(`/api/members/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useUpdateMember(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: UpdateMemberInput) =>
      apiFetch<MemberDto>(`/api/members/${id}`, { method: "PATCH", body: patch }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.all }),
  });
}
