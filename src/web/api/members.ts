import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  MemberDetailDto,
  MemberDto,
  MemberListItemDto,
  MemberProblem,
  MemberStatus,
  MembersSummaryDto,
  UpdateMemberInput,
} from "../../members/members.model.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";

export type { MemberDetailDto, MemberDto, MemberListItemDto, MemberProblem, MemberStatus, MembersSummaryDto };

/** Each data-quality problem a member list can be narrowed to, in the words of its card. */
export const MEMBER_PROBLEM_LABELS: Record<MemberProblem, string> = {
  no_address: "No home address",
  no_workplace: "No workplace",
  no_employer: "No employer",
  in_arrears: "In arrears",
  closed_workplace: "At closed workplaces",
  over_headcount: "At workplaces over headcount",
  in_review: "Employer in review",
  unmatched: "Employer unmatched",
  changed_recently: "Changed recently",
  duplicate_pending: "Possible duplicates pending",
  email_undeliverable: "Email undeliverable",
  mobile_undeliverable: "Mobile not a number",
};
export const MEMBER_PROBLEM_OPTIONS = Object.keys(MEMBER_PROBLEM_LABELS) as MemberProblem[];

export const MEMBER_STATUS_OPTIONS: readonly MemberStatus[] = ["active", "lapsed", "left", "deceased"];

export interface MemberFilters {
  search?: string | undefined;
  regionId?: number | undefined;
  sectorId?: number | undefined;
  employerId?: number | undefined;
  workplaceId?: number | undefined;
  status?: MemberStatus | undefined;
  problem?: MemberProblem | undefined;
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

export function useMembers(filters: MemberFilters, enabled = true) {
  return useQuery({
    enabled,
    queryKey: memberKeys.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<MemberListItemDto>>(
        `/api/members${queryString({
          search: filters.search,
          regionId: filters.regionId,
          sectorId: filters.sectorId,
          employerId: filters.employerId,
          workplaceId: filters.workplaceId,
          status: filters.status,
          problem: filters.problem,
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
