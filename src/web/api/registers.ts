import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type {
  EmployerDetailDto,
  EmployerListItemDto,
  WorkplaceListItemDto,
} from "../../registers/registers.model.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, queryString } from "./client.js";

export type { EmployerDetailDto, EmployerListItemDto, WorkplaceListItemDto };

export interface EmployerFilters {
  search?: string | undefined;
  sectorId?: number | undefined;
  regionId?: number | undefined;
  withMembers?: boolean | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface WorkplaceFilters {
  employerId?: number | undefined;
  regionId?: number | undefined;
  search?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export const registerKeys = {
  employers: ["employers"] as const,
  employerList: (filters: EmployerFilters) => [...registerKeys.employers, "list", filters] as const,
  employer: (id: number) => [...registerKeys.employers, "detail", id] as const,
  workplaces: ["workplaces"] as const,
  workplaceList: (filters: WorkplaceFilters) => [...registerKeys.workplaces, "list", filters] as const,
  workplace: (id: number) => [...registerKeys.workplaces, "detail", id] as const,
};

export function useEmployers(filters: EmployerFilters, enabled = true) {
  return useQuery({
    queryKey: registerKeys.employerList(filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<EmployerListItemDto>>(
        `/api/employers${queryString({
          search: filters.search,
          sectorId: filters.sectorId,
          regionId: filters.regionId,
          withMembers: filters.withMembers ? "true" : undefined,
          page: filters.page,
          pageSize: filters.pageSize,
        })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useEmployer(id: number | undefined) {
  return useQuery({
    queryKey: registerKeys.employer(id ?? 0),
    queryFn: ({ signal }) => apiFetch<EmployerDetailDto>(`/api/employers/${id}`, { signal }),
    enabled: id !== undefined && Number.isInteger(id) && id > 0,
  });
}

export function useWorkplaces(filters: WorkplaceFilters, enabled = true) {
  return useQuery({
    queryKey: registerKeys.workplaceList(filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<WorkplaceListItemDto>>(
        `/api/workplaces${queryString({
          employerId: filters.employerId,
          regionId: filters.regionId,
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

export function useWorkplace(id: number | undefined, enabled = true) {
  return useQuery({
    queryKey: registerKeys.workplace(id ?? 0),
    queryFn: ({ signal }) => apiFetch<WorkplaceListItemDto>(`/api/workplaces/${id}`, { signal }),
    enabled: enabled && id !== undefined && Number.isInteger(id) && id > 0,
  });
}
