import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type {
  EmployerDetailDto,
  EmployerListItemDto,
  WorkplaceListItemDto,
} from "../../registers/registers.model.js";
import type { Page } from "../../shared/paging.js";
import { apiFetch, apiUpload, queryString } from "./client.js";
import { followJob, type JobDto } from "./jobs.js";

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

export type RegisterFormat = "ods" | "gias" | "la" | "csv";

/** What a register import job ends with (its result). */
export interface RegisterImportResult {
  file: string;
  linesRead: number;
  employers: { created: number; updated: number; renamed: number; closed: number };
  workplaces: { created: number; updated: number; renamed: number; closed: number };
  aliasesAdded: number;
  problemsTotal: number;
}

/**
 * Uploads a register file and follows its import job to the end, with its
 * progress for the screen; employers and workplaces are read again after.
 */
export function useLoadRegister() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<JobDto | null>(null);
  const mutation = useMutation({
    mutationFn: ({ file, format }: { file: File; format: RegisterFormat }) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return followJob(() => apiUpload<JobDto>(`/api/registers/imports?format=${format}`, form), setProgress);
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: registerKeys.employers }),
        queryClient.invalidateQueries({ queryKey: registerKeys.workplaces }),
      ]),
  });
  return {
    ...mutation,
    progress: mutation.isPending ? progress : null,
    result: (mutation.data?.result ?? null) as RegisterImportResult | null,
  };
}
